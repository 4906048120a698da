"""Admin of the reports' own records: cohorts of learners and programme costs."""
from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

from credential_app.core.admin_choosers import MultipleChooser
from credential_app.reports.models import Cohort, ProgrammeCost


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = "__all__"
        widgets = {"members": MultipleChooser("people")}
        help_texts = {"members": gettext_lazy("Search by name, username or email address; "
                                              "add as many as the cohort has.")}


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    form = CohortForm
    list_display = ("name", "created")
    search_fields = ("name",)


class ProgrammeCostForm(forms.ModelForm):
    course_key = forms.CharField(label=gettext_lazy("course"), required=False, max_length=255,
                                 help_text=ProgrammeCost._meta.get_field("course_key").help_text)

    class Meta:
        model = ProgrammeCost
        fields = "__all__"

    def clean_course_key(self):
        """A course id or nothing, said clearly (the key field itself would crash)."""
        value = self.cleaned_data["course_key"].strip()
        if value:
            try:
                CourseKey.from_string(value)
            except InvalidKeyError as exc:
                raise forms.ValidationError(
                    _("“%(value)s” is not a course id (course-v1:Org+Course+Run)."),
                    params={"value": value[:100]}) from exc
        return value


@admin.register(ProgrammeCost)
class ProgrammeCostAdmin(admin.ModelAdmin):
    form = ProgrammeCostForm
    list_display = ("definition", "course_key", "period_start", "period_end", "amount",
                    "currency")
    list_filter = ("currency",)

"""The filters every report takes: date range, course, credential, cohort, and grouping.

A cohort is an admin-managed named group of learners (``models.Cohort``); filtering by it
keeps the records of its members. Dates are whole days, the end day included, in UTC.
"""
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

from credential_app.core.models import AssessmentUnit, CredentialDefinition
from credential_app.reports.models import EVERYONE, Cohort

BY_CREDENTIAL, BY_COURSE = "credential", "course"


class ReportFilterForm(forms.Form):
    """A GET form: every field optional, bad values are reported and change nothing."""

    start = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until (included)"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))
    course = forms.ChoiceField(label=_("Course"), required=False)
    credential = forms.ModelChoiceField(label=_("Credential"), required=False,
                                        queryset=CredentialDefinition.objects.all(),
                                        empty_label=_("All credentials"))
    cohort = forms.ModelChoiceField(label=_("Cohort"), required=False,
                                    queryset=Cohort.objects.all(), empty_label=_("All learners"))
    by = forms.ChoiceField(label=_("Figures per"), required=False,
                           choices=[(BY_CREDENTIAL, _("Credential")), (BY_COURSE, _("Course"))])

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        courses = (AssessmentUnit.objects.order_by("course_key")
                   .values_list("course_key", flat=True).distinct())
        self.fields["course"].choices = [("", _("All courses")),
                                         *[(str(c), str(c)) for c in courses]]

    def clean_course(self):
        value = self.cleaned_data.get("course") or ""
        if value:
            try:
                CourseKey.from_string(value)
            except InvalidKeyError as exc:
                raise forms.ValidationError(_("That is not a course id.")) from exc
        return value

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end date must be on or after the start date."))
        return data

    def scope(self) -> "Scope":
        """The filters as valid values; an invalid form filters nothing (its errors show)."""
        if not self.is_valid():
            return Scope()
        data = self.cleaned_data
        return Scope(start=data.get("start"), end=data.get("end"),
                     course=data.get("course") or "", definition=data.get("credential"),
                     cohort=data.get("cohort"), by=data.get("by") or BY_CREDENTIAL)


@dataclass(frozen=True)
class Scope:
    start: object = None
    end: object = None
    course: str = ""
    definition: CredentialDefinition | None = None
    cohort: Cohort | None = None
    by: str = BY_CREDENTIAL

    @property
    def start_at(self):
        return datetime.combine(self.start, time.min, tzinfo=UTC) if self.start else None

    @property
    def end_before(self):
        return (datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=UTC)
                if self.end else None)

    def q(self, *, moment, definition="definition", course="course_key", user="user") -> Q:
        """These filters over a queryset whose paths to the attempt's fields are given."""
        q = Q()
        if self.start:
            q &= Q(**{f"{moment}__gte": self.start_at})
        if self.end:
            q &= Q(**{f"{moment}__lt": self.end_before})
        if self.course:
            q &= Q(**{course: self.course})
        if self.definition is not None:
            q &= Q(**{f"{definition}_id": self.definition.pk})
        if self.cohort is not None:
            members = Cohort.members.through.objects.filter(cohort_id=self.cohort.pk)
            q &= Q(**{f"{user}_id__in": members.values("user_id")})
        return q

    def summary_q(self, *, members_of=None) -> Q:
        """These filters over a report summary (``reports.models``): whole days, the course
        and credential columns, and the cohort's own rows, or with ``members_of`` (a user
        id column) its members' rows of a per-attempt table."""
        q = Q()
        if self.start:
            q &= Q(day__gte=self.start)
        if self.end:
            q &= Q(day__lte=self.end)
        if self.course:
            q &= Q(course_key=self.course)
        if self.definition is not None:
            q &= Q(definition_id=self.definition.pk)
        if members_of is not None:
            if self.cohort is not None:
                members = Cohort.members.through.objects.filter(cohort_id=self.cohort.pk)
                q &= Q(**{f"{members_of}__in": members.values("user_id")})
        else:
            q &= Q(cohort_id=self.cohort.pk if self.cohort is not None else EVERYONE)
        return q

    def as_query(self) -> dict:
        """The filters as GET parameters (for CSV links and the REST API)."""
        params = {"by": self.by}
        if self.start:
            params["start"] = self.start.isoformat()
        if self.end:
            params["end"] = self.end.isoformat()
        if self.course:
            params["course"] = self.course
        if self.definition is not None:
            params["credential"] = str(self.definition.pk)
        if self.cohort is not None:
            params["cohort"] = str(self.cohort.pk)
        return params

"""Admin of pathways: which credentials a pathway requires, how many, and what losing one
means. Every saved change is appended to the audit trail with the admin's reason, in the
same transaction, as policy changes are (``core.policy_admin``)."""
from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from credential_app.core import audit
from credential_app.core.policy_admin import PolicyForm
from credential_app.pathways import issuance
from credential_app.pathways.models import Pathway, PathwayRequirement
from credential_app.pathways.record_checks import MAX_REQUIREMENTS


class RequirementFormSet(forms.BaseInlineFormSet):
    """At least one requirement, and no more than the pathway asks to hold."""

    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not kept:
            raise forms.ValidationError(_("List at least one credential the pathway "
                                          "requires."))
        wanted = self.instance.required_count
        if wanted and wanted > len(kept):
            raise forms.ValidationError(
                _("The pathway asks for {wanted} credentials but lists only {listed}.")
                .format(wanted=wanted, listed=len(kept)))


class RequirementInline(admin.TabularInline):
    model = PathwayRequirement
    formset = RequirementFormSet
    fields = ("definition", "minimum_version", "position")
    extra = 0
    min_num = 1
    max_num = MAX_REQUIREMENTS


class PathwayForm(PolicyForm):
    class Meta:
        model = Pathway
        fields = "__all__"


@admin.register(Pathway)
class PathwayAdmin(admin.ModelAdmin):
    form = PathwayForm
    inlines = [RequirementInline]
    list_display = ("definition", "required_count", "when_requirement_lost")
    fields = ("definition", "required_count", "when_requirement_lost", "change_reason")
    actions = ["issue_to_current_holders"]

    @admin.action(description=_("Issue to learners who already hold what it requires"),
                  permissions=["change"])
    def issue_to_current_holders(self, request, queryset):
        """A pathway created after learners earned its requirements: they get it now."""
        issued = sum(issuance.complete_for_current_holders(pathway)
                     for pathway in queryset.select_related("definition"))
        self.message_user(request, ngettext(
            "{count} pathway credential issued.", "{count} pathway credentials issued.",
            issued).format(count=issued), messages.SUCCESS)

    def save_related(self, request, form, formsets, change):
        with transaction.atomic():
            super().save_related(request, form, formsets, change)
            pathway = form.instance
            audit.record(audit.AuditAction.POLICY_CHANGE, actor_id=request.user.pk,
                         subject=pathway, definition_slug=pathway.definition.slug,
                         reason=(form.cleaned_data.get("change_reason") or "").strip(),
                         details={"policy": "pathway", "created": not change,
                                  "required_count": pathway.required_count,
                                  "when_requirement_lost": pathway.when_requirement_lost,
                                  "requirements": [
                                      {"slug": r.definition.slug,
                                       "minimum_version": r.minimum_version}
                                      for r in pathway.requirements.select_related(
                                          "definition")]})

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit.record(audit.AuditAction.POLICY_CHANGE, actor_id=request.user.pk,
                         subject=obj, definition_slug=obj.definition.slug,
                         details={"policy": "pathway", "deleted": True})
            super().delete_model(request, obj)

"""Admin for issuance and retake policies and for extra-attempt grants.

Every saved policy change is appended to the audit trail (who, which fields from
what to what, and the reason the admin gave), in the same transaction as the save.
Policies can be edited on their own pages or inline in the credential definition
(``PolicyInlinesMixin``); grants can only be added, never edited or deleted.
"""
from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from credential_app.core import audit, policies
from credential_app.core.admin_choosers import Chooser
from credential_app.core.admin_fields import (
    DaysAndHoursField,
    LevelPerCriterionField,
    rubric_criteria,
)
from credential_app.core.models import (
    AssessmentUnit,
    ExtraAttemptGrant,
    IssuancePolicy,
    RetakePolicy,
)
from credential_app.lib.people import name_and_username

REASON_HELP = _("Why this change is made; recorded in the audit trail with it.")


class PolicyForm(forms.ModelForm):
    """A policy form with the reason the change is made (required when changing one)."""

    change_reason = forms.CharField(label=_("Reason for the change"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}),
                                    help_text=REASON_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.was_new = self.instance.pk is None

    def clean(self):
        cleaned = super().clean()
        changed = [name for name in self.changed_data if name != "change_reason"]
        if self.instance.pk and changed and not (cleaned.get("change_reason") or "").strip():
            self.add_error("change_reason",
                           _("Reason for the change: say why this policy is changed."))
        return cleaned


class IssuancePolicyForm(PolicyForm):
    """Minimum levels are chosen per criterion from the definition's registered rubrics."""

    class Meta:
        model = IssuancePolicy
        fields = "__all__"

    def __init__(self, *args, definition_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        old = self.fields["criterion_minimums"]
        self.fields["criterion_minimums"] = LevelPerCriterionField(
            rubric_criteria(definition_id or self.instance.definition_id), label=old.label,
            none_label=_("No minimum beyond the rubric's"),
            empty_text=_("No unit of this credential is registered yet. Once an author links "
                         "a unit to it and saves it, its rubric's levels can be chosen here; "
                         "until then the rubric's own minimum levels apply."),
            help_text=_("The lowest level that passes each criterion, on top of any minimum "
                        "the rubric itself sets. The levels are those of the units linked "
                        "to this credential."))


class RetakePolicyForm(PolicyForm):
    """Waits in days and hours; the remediation unit chosen by name (or its key typed)."""

    class Meta:
        model = RetakePolicy
        fields = "__all__"
        field_classes = {"delay_after_first_failure": DaysAndHoursField,
                         "delay_after_later_failures": DaysAndHoursField}
        widgets = {"remediation_usage_key": Chooser("units", allow_other=True)}
        help_texts = {
            "delay_after_first_failure": _("How long after a first failed attempt is "
                                           "assessed before the next may start."),
            "remediation_usage_key": _("A unit the learner must complete after a failure "
                                       "before trying again: search by name, or paste the "
                                       "usage key of any unit. Empty: none."),
        }


def record_policy_change(form, actor_id) -> None:
    """Append the change a saved policy form made to the audit trail (nothing if none)."""
    changed = [name for name in form.changed_data if name != "change_reason"]
    if not changed:
        return
    policy = form.instance
    details = {
        "policy": policy._meta.model_name,
        "created": getattr(form, "was_new", False),
        "changed": {name: {"from": _plain(form.initial.get(name)),
                           "to": _plain(form.cleaned_data.get(name))} for name in changed},
    }
    audit.record(audit.AuditAction.POLICY_CHANGE, actor_id=actor_id, subject=policy,
                 reason=(form.cleaned_data.get("change_reason") or "").strip(),
                 definition_slug=policy.definition.slug, details=details)


def _plain(value):
    """A JSON-ready form of a field value for the audit entry."""
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    if hasattr(value, "pk"):
        return value.pk
    return str(value)


class PolicyAdmin(admin.ModelAdmin):
    form = PolicyForm

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            record_policy_change(form, request.user.pk)

    def delete_model(self, request, obj):
        with transaction.atomic():
            record_policy_removal(obj, request.user.pk)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for policy in queryset.select_related("definition"):
                record_policy_removal(policy, request.user.pk)
            super().delete_queryset(request, queryset)


def record_policy_removal(policy, actor_id) -> None:
    """Removing a policy brings back the defaults: that is a policy change too."""
    audit.record(audit.AuditAction.POLICY_CHANGE, actor_id=actor_id, subject=policy,
                 definition_slug=policy.definition.slug,
                 details={"policy": policy._meta.model_name, "deleted": True})


@admin.register(IssuancePolicy)
class IssuancePolicyAdmin(PolicyAdmin):
    form = IssuancePolicyForm
    list_display = ("definition", "minimum_percentage", "required_assessments",
                    "max_disagreement", "requires_approval")
    fields = ("definition", "minimum_percentage", "criterion_minimums", "required_assessments",
              "max_disagreement", "requires_approval", "change_reason")


@admin.register(RetakePolicy)
class RetakePolicyAdmin(PolicyAdmin):
    form = RetakePolicyForm
    list_display = ("definition", "max_attempts", "delay_after_first_failure",
                    "delay_after_later_failures", "closes_at", "counted_result")
    fields = ("definition", "max_attempts", "delay_after_first_failure",
              "delay_after_later_failures", "closes_at", "counted_result",
              "remediation_usage_key", "change_reason")


class DefinitionFormSet(forms.BaseInlineFormSet):
    """Tells each new row's form its credential definition (Django sets it only after the
    form is made), so the rubric's levels are offered from the start."""

    def definition_id(self):
        return self.instance.pk

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "definition_id": self.definition_id()}


class IssuancePolicyInline(admin.StackedInline):
    model = IssuancePolicy
    form = IssuancePolicyForm
    formset = DefinitionFormSet
    can_delete = False
    max_num = 1


class RetakePolicyInline(admin.StackedInline):
    model = RetakePolicy
    form = RetakePolicyForm
    can_delete = False
    max_num = 1


class PolicyInlinesMixin:
    """Mix into the credential definition's ModelAdmin: its policies inline, audited."""

    inlines = [IssuancePolicyInline, RetakePolicyInline]

    def save_formset(self, request, form, formset, change):
        with transaction.atomic():
            super().save_formset(request, form, formset, change)
            if formset.model in (IssuancePolicy, RetakePolicy):
                for policy_form in formset.forms:
                    if policy_form.instance.pk and policy_form.has_changed():
                        record_policy_change(policy_form, request.user.pk)


class ExtraAttemptGrantForm(forms.ModelForm):
    class Meta:
        model = ExtraAttemptGrant
        fields = ("user", "usage_key", "count", "reason")
        widgets = {"user": Chooser("people"), "usage_key": Chooser("units")}
        help_texts = {"user": _("Search by name, username or email address."),
                      "usage_key": _("The assessment unit: search by its name or course.")}


def unit_name(key_field):
    """The registered unit's display name for a row's usage key (one subquery)."""
    return Subquery(AssessmentUnit.objects.filter(usage_key=OuterRef(key_field))
                    .values("display_name")[:1])


@admin.register(ExtraAttemptGrant)
class ExtraAttemptGrantAdmin(admin.ModelAdmin):
    """Staff add grants (with a reason); a grant is history, so it is never edited."""

    list_display = ("created", "learner", "unit", "count", "granted_by_name", "reason")
    list_select_related = ("user", "granted_by")
    search_fields = ("user__username", "user__first_name", "user__last_name", "usage_key",
                     "reason")
    fields = ("user", "usage_key", "count", "reason")
    form = ExtraAttemptGrantForm

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(unit_name=unit_name("usage_key"))

    @admin.display(description=_("learner"), ordering="user__last_name")
    def learner(self, grant):
        return name_and_username(grant.user)

    @admin.display(description=_("unit"), ordering="unit_name")
    def unit(self, grant):
        return grant.unit_name or grant.usage_key

    @admin.display(description=_("granted by"))
    def granted_by_name(self, grant):
        return name_and_username(grant.granted_by) if grant.granted_by else "—"

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            obj.granted_by = request.user
            obj.reason = obj.reason.strip()
            obj.save()
            policies.record_grant(obj)

"""Admin for issuance and retake policies and for extra-attempt grants.

Every saved policy change is appended to the audit trail (who, which fields from
what to what, and the reason the admin gave), in the same transaction as the save.
Policies can be edited on their own pages or inline in the credential definition
(``PolicyInlinesMixin``); grants can only be added, never edited or deleted.
"""
from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from credential_app.core import audit, policies
from credential_app.core.models import ExtraAttemptGrant, IssuancePolicy, RetakePolicy

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
    list_display = ("definition", "minimum_percentage", "required_assessments",
                    "max_disagreement", "requires_approval")
    fields = ("definition", "minimum_percentage", "criterion_minimums", "required_assessments",
              "max_disagreement", "requires_approval", "change_reason")


@admin.register(RetakePolicy)
class RetakePolicyAdmin(PolicyAdmin):
    list_display = ("definition", "max_attempts", "delay_after_first_failure",
                    "delay_after_later_failures", "closes_at", "counted_result")
    fields = ("definition", "max_attempts", "delay_after_first_failure",
              "delay_after_later_failures", "closes_at", "counted_result",
              "remediation_usage_key", "change_reason")


class IssuancePolicyInline(admin.StackedInline):
    model = IssuancePolicy
    form = PolicyForm
    can_delete = False
    max_num = 1


class RetakePolicyInline(admin.StackedInline):
    model = RetakePolicy
    form = PolicyForm
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


@admin.register(ExtraAttemptGrant)
class ExtraAttemptGrantAdmin(admin.ModelAdmin):
    """Staff add grants (with a reason); a grant is history, so it is never edited."""

    list_display = ("created", "user", "usage_key", "count", "granted_by", "reason")
    search_fields = ("user__username", "usage_key", "reason")
    fields = ("user", "usage_key", "count", "reason")
    raw_id_fields = ("user",)

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

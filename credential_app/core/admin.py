"""Admin of the core: definitions, credentials, attempts, audit trail, claims and calibration sets.

Attempts, credentials and the audit trail are read-only here: only the app writes them."""
from django import forms
from django.contrib import admin, messages
from django.db import models
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from credential_app.core import admin_choosers, calibration, credentials, versions
from credential_app.core.admin_choosers import Chooser
from credential_app.core.admin_fields import LevelPerCriterionField, rubric_criteria
from credential_app.core.audit import ACTION_LABELS
from credential_app.core.models import (
    AssessmentClaim,
    AssessmentUnit,
    Attempt,
    AuditEntry,
    CalibrationAssignment,
    CalibrationItem,
    CalibrationSet,
    CompetencyAlignment,
    Credential,
    CredentialDefinition,
    Issuer,
)
from credential_app.core.policy_admin import (  # registers the policy and grant admins too
    DefinitionFormSet,
    PolicyInlinesMixin,
    unit_name,
)
from credential_app.core.reasons import MAX_REASON_LENGTH
from credential_app.exceptions import CredentialAppError
from credential_app.lib import public_urls
from credential_app.lib.people import person_column
from credential_app.lib.read_only_admin import ReadOnlyAdmin


@admin.register(AssessmentUnit)
class AssessmentUnitAdmin(ReadOnlyAdmin):
    """The units that lead to each credential, as their authors last saved them; also the
    searchable lists (people, units, attempts) the other admin forms choose from."""

    list_display = ("display_name", "course_key", "definition", "updated")
    list_filter = ("definition",)
    search_fields = ("display_name", "definition__name")
    list_select_related = ("definition",)
    fields = ("display_name", "usage_key", "course_key", "definition", "updated")

    def get_urls(self):
        return [path("choose/<slug:kind>/", self.admin_site.admin_view(admin_choosers.search),
                     name="credential_app_choose"), *super().get_urls()]


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    list_display = ("id", "learner", "unit", "number", "status", "score", "max_score",
                    "submitted_at")
    list_filter = ("status", "definition")
    list_select_related = ("user", "definition")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    learner = person_column()

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(unit_name=unit_name("usage_key"))

    @admin.display(description=gettext_lazy("unit"), ordering="unit_name")
    def unit(self, attempt):
        return attempt.unit_name or attempt.usage_key


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The trail, filterable by what, who and which credential; nothing editable."""

    list_display = ("created", "action_label", "actor_name", "learner_name",
                    "definition_slug", "course_key", "subject_type", "subject_id", "reason")
    list_select_related = ("actor", "learner")
    actor_name = person_column("actor", gettext_lazy("actor"))
    learner_name = person_column("learner")
    list_filter = ("action", "definition_slug", "created")
    search_fields = ("reason", "course_key", "definition_slug", "subject_id",
                     "actor__username", "learner__username", "learner__last_name")
    date_hierarchy = "created"

    def get_actions(self, request):
        return {}  # no bulk delete

    @admin.display(description=gettext_lazy("action"), ordering="action")
    def action_label(self, entry):
        """The decision in the reader's language (stored as a stable code)."""
        return ACTION_LABELS.get(entry.action, entry.action)


# --- lifecycle: definitions (issuer, alignments, validity, versions) and credentials ---

URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}  # "example.org" means https


class CompetencyAlignmentInline(admin.TabularInline):
    model = CompetencyAlignment
    extra = 1
    formfield_overrides = URL_FIELDS
    # Narrow boxes, so the four columns fit a 1280-pixel screen beside the admin's menu.
    sizes = {"framework": 10, "code": 8, "name": 28, "url": 28}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in self.sizes:
            field.widget.attrs.update({"size": self.sizes[db_field.name], "class": ""})
        return field


@admin.register(Issuer)
class IssuerAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ("name", "url", "email")
    search_fields = ("name",)


@admin.register(CredentialDefinition)
class CredentialDefinitionAdmin(PolicyInlinesMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "version", "published_at", "validity_days",
                    "pass_percentage")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("version", "published_at")
    inlines = [CompetencyAlignmentInline, *PolicyInlinesMixin.inlines]
    actions = ["publish_new_version"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "criteria_narrative", "image",
                           "issuer"]}),
        (gettext_lazy("Earning"), {"fields": ["pass_percentage"]}),
        (gettext_lazy("Validity"), {"fields": ["validity_days", "renewal_window_days"]}),
        (gettext_lazy("Version"), {"fields": ["version", "previous_version", "old_holders",
                                              "bridging_days", "published_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        """Once a version is published, what it replaced and how is history."""
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.published_at is not None:
            fields += ["previous_version", "old_holders", "bridging_days"]
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "previous_version":  # only the version in force can be replaced
            kwargs["queryset"] = versions.in_force().filter(next_version__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.action(description=gettext_lazy("Publish as the new version"))
    def publish_new_version(self, request, queryset):
        for definition in queryset:
            try:
                versions.publish(slug=definition.slug, actor_id=request.user.pk)
            except CredentialAppError as exc:
                self.message_user(request, f"{definition}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, _("{name} is now in force.").format(
                    name=definition.name), messages.SUCCESS)


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is it revoked?"),
        widget=forms.Textarea(attrs={"rows": 4, "aria-describedby": "id_reason_help"}),
        max_length=MAX_REASON_LENGTH,
        help_text=gettext_lazy("Required. The learner and auditors see it."))


@admin.register(Credential)
class CredentialAdmin(ReadOnlyAdmin):
    """Credentials change state only through actions that audit and announce the change."""

    list_display = ("uuid", "learner", "definition", "status", "issued_at", "expires_at")
    list_filter = ("status", "definition")
    list_select_related = ("user", "definition")
    search_fields = ("uuid", "user__username", "user__first_name", "user__last_name")
    learner = person_column()
    actions = ["approve_credentials", "revoke_credentials"]

    def has_decide_permission(self, request):
        """Approving and revoking need the change permission rows themselves never get."""
        return request.user.has_perm("credential_app.change_credential")

    @admin.action(description=gettext_lazy("Approve selected credentials"),
                  permissions=["decide"])
    def approve_credentials(self, request, queryset):
        self._apply(request, queryset, lambda c: credentials.approve(
            credential_uuid=c.uuid, approver_id=request.user.pk),
            lambda n: ngettext("%(count)d credential approved.",
                               "%(count)d credentials approved.", n) % {"count": n})

    @admin.action(description=gettext_lazy("Revoke selected credentials…"),
                  permissions=["decide"])
    def revoke_credentials(self, request, queryset):
        """Ask for the reason on an intermediate page, then revoke each credential."""
        form = RevokeForm(request.POST if request.POST.get("confirm") else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            self._apply(request, queryset, lambda c: credentials.revoke(
                c, actor_id=request.user.pk, reason=reason),
                lambda n: ngettext("%(count)d credential revoked.",
                                   "%(count)d credentials revoked.", n) % {"count": n})
            return None
        chosen = list(queryset)  # "select all" included: the confirmation names each one
        return TemplateResponse(request, "credential_app/admin/revoke_credentials.html", {
            **self.admin_site.each_context(request),
            "title": _("Revoke credentials"),
            "credentials": chosen,
            "selected": [str(credential.pk) for credential in chosen],
            "form": form,
            "opts": self.model._meta,
            "cancel_url": request.get_full_path(),
        })

    def _apply(self, request, queryset, change, done):
        changed = 0
        for credential in queryset:
            try:
                change(credential)
            except CredentialAppError as exc:
                self.message_user(request, f"{credential.uuid}: {exc.message}", messages.ERROR)
            else:
                changed += 1
        if changed:
            self.message_user(request, done(changed), messages.SUCCESS)

# ---- assessor: claims ---------------------------------------------------------------------

@admin.register(AssessmentClaim)
class AssessmentClaimAdmin(ReadOnlyAdmin):
    """Who is scoring what, until when; claims are made and released in the assessor view."""

    list_display = ("attempt", "assessor_name", "claimed_at", "expires_at")
    list_select_related = ("attempt__user", "attempt__definition", "assessor")
    assessor_name = person_column("assessor", gettext_lazy("assessor"))


# ---- calibration sets ----------------------------------------------------------------

class CalibrationItemForm(forms.ModelForm):
    """An attempt chosen by its learner's name; its agreed levels chosen per criterion
    from the set's credential's rubric (not typed as JSON)."""

    class Meta:
        model = CalibrationItem
        fields = ("attempt", "agreed_levels", "position")
        widgets = {"attempt": Chooser("attempts")}

    def __init__(self, *args, definition_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        old = self.fields["agreed_levels"]
        self.fields["agreed_levels"] = LevelPerCriterionField(
            rubric_criteria(definition_id), label=old.label,
            none_label=gettext_lazy("Choose the agreed level"),
            empty_text=gettext_lazy("Choose the set's credential and save the set first; "
                                    "then its rubric's levels can be chosen here."),
            help_text=gettext_lazy("The level the panel agreed on, for every criterion."))


class CalibrationItemFormSet(DefinitionFormSet):
    def definition_id(self):
        return self.instance.definition_id  # the calibration set's credential


class CalibrationItemInline(admin.TabularInline):
    model = CalibrationItem
    form = CalibrationItemForm
    formset = CalibrationItemFormSet
    extra = 1


class CalibrationAssignmentInline(admin.TabularInline):
    model = CalibrationAssignment
    formfield_overrides = {models.ForeignKey: {"widget": Chooser("people")}}
    readonly_fields = ("sent_at", "completed_at")
    extra = 1
    verbose_name = gettext_lazy("send to assessor")
    verbose_name_plural = gettext_lazy("sent to assessors")


@admin.register(CalibrationSet)
class CalibrationSetAdmin(admin.ModelAdmin):
    list_display = ("name", "definition", "created", "results")
    readonly_fields = ("results",)
    inlines = (CalibrationItemInline, CalibrationAssignmentInline)

    @admin.display(description=gettext_lazy("results"))
    def results(self, obj):
        if obj.pk is None:
            return "—"
        return format_html('<a href="{}">{}</a>',
                           public_urls.lms_page("calibration-results", set_id=obj.pk),
                           _("How assessors scored it"))

    def save_model(self, request, obj, form, change):
        if obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        rows = formset.save(commit=False)
        for row in rows:
            if isinstance(row, CalibrationAssignment) and row.sent_by_id is None:
                row.sent_by = request.user
            row.save()
            if isinstance(row, CalibrationItem):
                calibration.save_agreed(row)
        for row in formset.deleted_objects:
            row.delete()
        formset.save_m2m()

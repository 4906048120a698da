"""Admin for credential definitions; attempts and credentials are read-only here."""
from django.contrib import admin

from .models import Attempt, AuditEntry, Credential, CredentialDefinition
from .policy_admin import PolicyInlinesMixin  # registers the policy and grant admins too


@admin.register(CredentialDefinition)
class CredentialDefinitionAdmin(PolicyInlinesMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "pass_percentage")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class ReadOnlyAdmin(admin.ModelAdmin):
    """Decisions are made through the API, never by editing rows."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    list_display = ("id", "user", "usage_key", "number", "status", "score", "max_score",
                    "submitted_at")
    list_filter = ("status",)


@admin.register(Credential)
class CredentialAdmin(ReadOnlyAdmin):
    list_display = ("uuid", "user", "definition", "status", "issued_at")
    list_filter = ("status", "definition")


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The trail, filterable by what, who and which credential; nothing editable."""

    list_display = ("created", "action", "actor", "learner", "definition_slug", "course_key",
                    "subject_type", "subject_id", "reason")
    list_filter = ("action", "definition_slug", "created")
    search_fields = ("reason", "course_key", "definition_slug", "subject_id",
                     "actor__username", "learner__username")
    date_hierarchy = "created"

    def get_actions(self, request):
        return {}  # no bulk delete

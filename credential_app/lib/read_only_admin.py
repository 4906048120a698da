"""The admin base for records that only the app writes (through its API), never a form."""
from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Decisions are made through the API, never by editing rows."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

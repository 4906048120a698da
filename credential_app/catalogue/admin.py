"""Admin of job roles, their tasks and which credentials map to them. Mapping changes are
appended to the audit trail with the credential they concern (who changed what an employer
reads about it)."""
from django.contrib import admin
from django.db import transaction

from credential_app.catalogue.models import JobRole, JobTask, TaskMapping
from credential_app.core import audit

MAX_TASKS = 50  # tasks one role lists in the admin


class JobTaskInline(admin.TabularInline):
    model = JobTask
    fields = ("statement", "framework", "code", "framework_url", "position")
    extra = 0
    max_num = MAX_TASKS


@admin.register(JobRole)
class JobRoleAdmin(admin.ModelAdmin):
    inlines = [JobTaskInline]
    list_display = ("name", "framework", "code")
    search_fields = ("name", "code")
    fields = ("name", "description", "framework", "code", "framework_url")


@admin.register(TaskMapping)
class TaskMappingAdmin(admin.ModelAdmin):
    list_display = ("definition", "task", "level")
    list_filter = ("level", "task__role", "definition")
    list_select_related = ("definition", "task__role")
    fields = ("definition", "task", "level")

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            _record(request, obj, {"task": obj.task.statement, "role": obj.task.role.name,
                                   "level": obj.level, "created": not change})

    def delete_model(self, request, obj):
        with transaction.atomic():
            _record(request, obj, {"task": obj.task.statement, "role": obj.task.role.name,
                                   "deleted": True})
            super().delete_model(request, obj)


def _record(request, mapping, details):
    audit.record(audit.AuditAction.POLICY_CHANGE, actor_id=request.user.pk, subject=mapping,
                 definition_slug=mapping.definition.slug,
                 details={"policy": "job_task_mapping", **details})

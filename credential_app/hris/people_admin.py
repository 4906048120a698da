"""Admin for HRIS people: learner↔employee links (imported from CSV) and consents.

Links are made and changed only by importing the employer's CSV file (one row is enough),
so every change is checked the same way and audited; an admin may delete links, which is
audited too. Consent belongs to the learner: admins can see it, never change it.
"""
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credential_app.core import audit
from credential_app.core.admin_choosers import Chooser
from credential_app.hris import employee_import
from credential_app.hris.models import (
    EmployeeLink,
    EmployerManager,
    HrisConsent,
    HrisDestination,
)
from credential_app.lib.people import person_column
from credential_app.lib.read_only_admin import ReadOnlyAdmin

EXAMPLE_CSV = "username,email,employee_id\nlee,,E-1001\n,kim@example.com,E-1002"


class EmployeeLinkImportForm(forms.Form):
    destination = forms.ModelChoiceField(
        label=gettext_lazy("Destination"), queryset=HrisDestination.objects.order_by("name"),
        help_text=gettext_lazy("The employer's HR system these employee IDs belong to."))
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy("UTF-8 CSV with a header row: employee_id, and username or "
                               "email. Existing links of the learners in the file are "
                               "updated; nothing changes unless every row is valid."))


@admin.register(EmployeeLink)
class EmployeeLinkAdmin(admin.ModelAdmin):
    list_display = ("employee_id", "learner", "destination", "updated_at")
    list_filter = ("destination",)
    search_fields = ("employee_id", "user__username", "user__email", "user__last_name")
    list_select_related = ("user", "destination")
    learner = person_column()
    change_list_template = "credential_app/admin/employeelink_change_list.html"

    def has_add_permission(self, request):
        return False  # through the import, which checks and audits every row

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [path("import/", self.admin_site.admin_view(self.import_view),
                     name="credential_app_employeelink_import"), *super().get_urls()]

    def has_import_permission(self, request):
        return (request.user.has_perm("credential_app.add_employeelink")
                and request.user.has_perm("credential_app.change_employeelink"))

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}),
                         "can_import": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        problems = []
        form = EmployeeLinkImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = employee_import.import_links(
                    form.cleaned_data["destination"], form.cleaned_data["file"].read(),
                    actor_id=request.user.pk)
            except employee_import.ImportRejected as exc:
                problems = exc.problems
            else:
                self.message_user(request, _(
                    "Imported: {created} links made, {updated} updated, {unchanged} "
                    "unchanged.").format(created=result.created, updated=result.updated,
                                         unchanged=result.unchanged), messages.SUCCESS)
                return redirect(reverse("admin:credential_app_employeelink_changelist"))
        return TemplateResponse(request, "credential_app/admin/import_employee_links.html", {
            **self.admin_site.each_context(request),
            "title": _("Import employee links"),
            "form": form,
            "problems": problems,
            "example": EXAMPLE_CSV,
            "opts": self.model._meta,
        })

    def delete_model(self, request, obj):
        self.delete_queryset(request, EmployeeLink.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for link in queryset.select_related("destination"):
                audit.record(audit.AuditAction.EMPLOYEE_LINK_DELETED, actor_id=request.user.pk,
                             learner_id=link.user_id, subject=link.destination,
                             details={"destination": link.destination_id})
            queryset.delete()


@admin.register(HrisConsent)
class HrisConsentAdmin(ReadOnlyAdmin):
    """What each learner chose; only they can change it, on their credentials page."""

    list_display = ("learner", "destination", "given", "changed_at")
    list_filter = ("destination", "given")
    search_fields = ("user__username", "user__last_name")
    list_select_related = ("user", "destination")
    learner = person_column()


class EmployerManagerForm(forms.ModelForm):
    class Meta:
        model = EmployerManager
        fields = ("destination", "user")
        widgets = {"user": Chooser("people")}


@admin.register(EmployerManager)
class EmployerManagerAdmin(admin.ModelAdmin):
    """Who may search an employer's consenting employees (the manager's page and REST);
    each grant and removal is audited."""

    form = EmployerManagerForm
    list_display = ("destination", person_column("user", gettext_lazy("manager")), "added_at")
    list_select_related = ("destination", "user")

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit.record(audit.AuditAction.POLICY_CHANGE, actor_id=request.user.pk,
                         subject=obj, details={"policy": "employer_manager",
                                               "destination": obj.destination_id,
                                               "manager": obj.user_id, "granted": True})

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit.record(audit.AuditAction.POLICY_CHANGE, actor_id=request.user.pk,
                         subject=obj, details={"policy": "employer_manager",
                                               "destination": obj.destination_id,
                                               "manager": obj.user_id, "granted": False})
            super().delete_model(request, obj)

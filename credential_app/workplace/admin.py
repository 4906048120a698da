"""Admin of workplace outcomes: employers' feeds, the outcome events (individual data: a
dedicated permission, every read audited), the CSV import with its dry run, and ROI unit
values."""
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
from credential_app.hris.connectors.standard_webhooks import InvalidSecret, check_secret
from credential_app.hris.models import HrisDestination
from credential_app.lib import safe_http
from credential_app.lib.people import person_column
from credential_app.workplace import connectors, csv_import, feeds, pull
from credential_app.workplace.ingest import EventsRejected
from credential_app.workplace.models import OutcomeEvent, OutcomeFeed, RoiAssumptions

READ_PERMISSION = "credential_app.view_individual_outcomes"
EXAMPLE_CSV = ("event_id,employee_id,type,date,value,role,site\n"
               "E1-2026-01,DEMO-1001,hire,2025-01-06,,Technician,Leeds\n"
               "E1-2026-02,DEMO-1001,performance,2026-03-31,104,,\n"
               "E1-2026-03,DEMO-1001,promotion,2026-06-01,,,")


class OutcomeFeedForm(forms.ModelForm):
    webhook_secrets = forms.CharField(
        label=gettext_lazy("webhook signing secrets"), required=False, widget=forms.Textarea(
            attrs={"rows": 3, "autocomplete": "off"}),
        help_text=gettext_lazy("One per line: whsec_… (HMAC) or whpk_… (the employer's "
                               "Ed25519 public key). Never shown again; empty keeps them."))
    token = forms.CharField(
        label=gettext_lazy("pull token"), required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=gettext_lazy("Bearer token the pull connector sends. Empty keeps it."))
    ca_certificate = forms.CharField(
        label=gettext_lazy("trusted CA certificate (PEM)"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Only for a feed whose certificate a private CA issued."))
    pull_connector = forms.ChoiceField(label=gettext_lazy("pull connector"), required=False)
    pull_url = forms.URLField(label=gettext_lazy("pull address"), required=False,
                              max_length=500, assume_scheme="https")

    class Meta:
        model = OutcomeFeed
        fields = ("destination", "webhook_enabled", "pull_connector", "pull_url")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pull_connector"].choices = [("", _("None")), *connectors.choices()]
        self.fields["ca_certificate"].initial = (self.instance.pull_options or {}).get(
            "ca_certificate", "")

    def clean_webhook_secrets(self):
        lines = [line.strip() for line in self.cleaned_data["webhook_secrets"].splitlines()
                 if line.strip()]
        for line in lines:
            if line.startswith("whpk_"):
                continue
            try:
                check_secret(line)
            except InvalidSecret as exc:
                raise forms.ValidationError(_("A secret is not valid ({problem}).").format(
                    problem=exc)) from exc
            if not line.startswith("whsec_"):
                raise forms.ValidationError(_("Give whsec_ secrets or whpk_ public keys "
                                              "(never a private key)."))
        return "\n".join(lines)

    def clean_ca_certificate(self):
        pem = self.cleaned_data["ca_certificate"].strip()
        if pem and not safe_http.is_pem_certificate(pem):
            raise forms.ValidationError(_("This is not a PEM certificate."))
        return pem

    def clean(self):
        data = super().clean()
        if data.get("pull_connector") and not data.get("pull_url"):
            self.add_error("pull_url", _("A pull connector needs an address."))
        if data.get("pull_url"):
            problem = safe_http.check_destination_url(data["pull_url"])
            if problem:
                self.add_error("pull_url", problem)
        return data

    def save(self, commit=True):
        feed = super().save(commit=False)
        stored = feeds.load_secrets(feed) if feed.secrets_encrypted else {}
        given = {"webhook_secrets": self.cleaned_data.get("webhook_secrets"),
                 "token": self.cleaned_data.get("token")}
        feeds.store_secrets(feed, {**stored, **{k: v for k, v in given.items() if v}})
        feed.pull_options = {**(feed.pull_options or {}),
                             "ca_certificate": self.cleaned_data.get("ca_certificate", "")}
        if commit:
            feed.save()
        return feed


@admin.register(OutcomeFeed)
class OutcomeFeedAdmin(admin.ModelAdmin):
    form = OutcomeFeedForm
    list_display = ("destination", "webhook_enabled", "pull_connector", "last_pulled_at")
    readonly_fields = ("webhook_address", "last_pulled_at")
    actions = ("pull_now",)

    @admin.display(description=gettext_lazy("webhook address"))
    def webhook_address(self, feed):
        if not feed.pk:
            return _("Shown once saved.")
        return reverse("credential_app:rest-workplace-outcomes", kwargs={"feed_id": feed.pk})

    @admin.action(description=gettext_lazy("Pull outcome events now"))
    def pull_now(self, request, queryset):
        for feed in queryset.exclude(pull_connector="").select_related("destination"):
            result = pull.pull_feed(feed, actor_id=request.user.pk)
            if result.error:
                self.message_user(request, _("{feed}: stopped: {error}").format(
                    feed=result.feed, error=result.error), messages.ERROR)
            else:
                self.message_user(request, _(
                    "{feed}: {pages} pages read, {stored} events stored, {not_shared} about "
                    "employees who do not share with this employer dropped.").format(
                    feed=result.feed, pages=result.pages, stored=result.stored,
                    not_shared=result.not_shared), messages.SUCCESS)


class OutcomeImportForm(forms.Form):
    destination = forms.ModelChoiceField(
        label=gettext_lazy("Employer"), queryset=HrisDestination.objects.order_by("name"),
        help_text=gettext_lazy("The HR system whose employee IDs the file uses."))
    file = forms.FileField(label=gettext_lazy("CSV file"), help_text=gettext_lazy(
        "UTF-8 CSV with a header row: event_id, employee_id, type, date, and value, role, "
        "site where the type needs them."))
    dry_run = forms.BooleanField(
        label=gettext_lazy("Dry run: check the file and say what would be stored, store "
                           "nothing"), required=False, initial=True)


@admin.register(OutcomeEvent)
class OutcomeEventAdmin(admin.ModelAdmin):
    """Individual outcomes: only with the dedicated permission, and every look is audited."""

    list_display = ("learner", "destination", "event_type", "occurred_on", "value", "role",
                    "site", "source")
    list_filter = ("event_type", "source", "destination")
    list_select_related = ("user", "destination")
    search_fields = ("user__username", "event_id")
    learner = person_column()
    change_list_template = "credential_app/admin/outcomeevent_change_list.html"

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.has_perm(READ_PERMISSION)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False  # through the import or the feeds, which check every event

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # retirement erases a person's outcomes

    def has_import_permission(self, request):
        return request.user.is_active and request.user.has_perm(
            "credential_app.add_outcomeevent")

    def get_urls(self):
        return [path("import/", self.admin_site.admin_view(self.import_view),
                     name="credential_app_outcomeevent_import"), *super().get_urls()]

    def _audit_read(self, request, details):
        with transaction.atomic():
            audit.record(audit.AuditAction.OUTCOMES_READ, actor_id=request.user.pk,
                         details=details)

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        self._audit_read(request, {"page": "list", "query": request.GET.urlencode()[:500]})
        return super().changelist_view(request, {
            **(extra_context or {}), "can_import": self.has_import_permission(request)})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        event = OutcomeEvent.objects.filter(pk=object_id).first()
        with transaction.atomic():
            audit.record(audit.AuditAction.OUTCOMES_READ, actor_id=request.user.pk,
                         learner_id=event.user_id if event else None, subject=event,
                         details={"page": "event"})
        return super().change_view(request, object_id, form_url, extra_context)

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        problems, preview = [], None
        form = OutcomeImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            destination, data = (form.cleaned_data["destination"],
                                 form.cleaned_data["file"].read())
            try:
                if form.cleaned_data["dry_run"]:
                    preview = csv_import.dry_run(destination, data)
                else:
                    result = csv_import.import_file(destination, data,
                                                    actor_id=request.user.pk)
                    self.message_user(request, _(
                        "Imported: {stored} events stored, {duplicates} already known, "
                        "{not_shared} about employees who do not share with this employer "
                        "dropped.").format(stored=result.stored, duplicates=result.duplicates,
                                           not_shared=result.not_shared), messages.SUCCESS)
                    return redirect(reverse("admin:credential_app_outcomefeed_changelist"))
            except EventsRejected as exc:
                problems = exc.problems
        return TemplateResponse(request, "credential_app/admin/import_outcomes.html", {
            **self.admin_site.each_context(request),
            "title": _("Import workplace outcomes"), "form": form, "problems": problems,
            "preview": preview, "example": EXAMPLE_CSV, "opts": self.model._meta,
        }, status=400 if problems else 200)


@admin.register(RoiAssumptions)
class RoiAssumptionsAdmin(admin.ModelAdmin):
    list_display = ("definition", "currency", "cost_per_hire", "assessor_hourly_cost")

    def save_model(self, request, obj, form, change):
        obj.currency = obj.currency.upper()
        super().save_model(request, obj, form, change)

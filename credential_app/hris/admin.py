"""Admin for HRIS delivery: destinations (configured here), the outbox and every delivery
try (read-only, filterable), re-drive of set-aside records.

Secrets are write-only: the form never shows a stored value, only that one is stored;
leaving a secret field empty keeps it. The address is checked against the SSRF rules
(``safe_http``) on save, and again at every connection.
"""
import json

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from credential_app.hris import connectors, destination_secrets, dispatch
from credential_app.hris.models import DeliveryAttempt, HrisDestination, OutboxMessage, OutboxState
from credential_app.lib import safe_http
from credential_app.lib.read_only_admin import ReadOnlyAdmin

SECRET_PREFIX = "secret__"  # noqa: S105 - a form field prefix, not a secret
OPTION_PREFIX = "option__"


def _connector_fields():
    """(secret fields, option fields) of every installed connector, by name."""
    secrets, options = {}, {}
    for name, cls in connectors.available().items():
        for field in cls.secret_fields:
            secrets.setdefault(field.name, (field, name, cls))
        for field in cls.option_fields:
            options.setdefault(field.name, (field, name, cls))
    return secrets, options


class HrisDestinationForm(forms.ModelForm):
    url = forms.URLField(label=gettext_lazy("address"), max_length=500, assume_scheme="https",
                         help_text=gettext_lazy("HTTPS address records are sent to."))
    connector = forms.ChoiceField(label=gettext_lazy("connector"), choices=(),
                                  help_text=gettext_lazy("How records are sent (installed "
                                                         "connector plug-ins)."))

    class Meta:
        model = HrisDestination
        fields = ["name", "connector", "url", "enabled", "definitions", "organisations",
                  "timeout_seconds", "rate_limit_per_minute", "batch_size", "concurrency",
                  "max_tries", "max_age", "retry_base_seconds", "retry_max_seconds"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["connector"].choices = connectors.choices()
        stored = destination_secrets.load(self.instance) if self.instance.secrets_encrypted else {}
        secret_fields, option_fields = _connector_fields()
        for name, (field, connector, cls) in secret_fields.items():
            note = (_("A value is stored; it is never shown. Leave empty to keep it.")
                    if stored.get(name) else _("Nothing stored yet."))
            widget = (forms.Textarea(attrs={"rows": 3, "autocomplete": "off"})
                      if field.multiline else forms.PasswordInput(render_value=False))
            self.fields[SECRET_PREFIX + name] = forms.CharField(
                label=f"{field.label} ({cls.label or connector})", required=False,
                widget=widget, strip=True,
                help_text=f"{field.help_text} {note}".strip())
        for name, (field, connector, cls) in option_fields.items():
            kind = forms.ChoiceField if field.choices else forms.CharField
            extra = {"choices": field.choices} if field.choices else {}
            if field.multiline and not field.choices:
                extra["widget"] = forms.Textarea(attrs={"rows": 4})
            self.fields[OPTION_PREFIX + name] = kind(
                label=f"{field.label} ({cls.label or connector})", required=False,
                initial=(self.instance.options or {}).get(name, field.default),
                help_text=field.help_text, **extra)

    def clean_url(self):
        url = self.cleaned_data["url"]
        problem = safe_http.check_destination_url(url)
        if problem:
            raise forms.ValidationError(problem)
        return url

    def clean(self):
        data = super().clean()
        name = data.get("connector")
        if not name:
            return data
        cls = connectors.get(name)
        stored = destination_secrets.load(self.instance) if self.instance.secrets_encrypted else {}
        given = {f.name: data.get(SECRET_PREFIX + f.name) for f in cls.secret_fields}
        self._secrets = {**stored, **{k: v for k, v in given.items() if v}}
        self._options = {f.name: data.get(OPTION_PREFIX + f.name) or f.default
                         for f in cls.option_fields}
        for f in cls.option_fields:
            if f.required and not self._options.get(f.name):
                self.add_error(OPTION_PREFIX + f.name, _("This option is required."))
        self._apply_connector_limits(cls, data)
        problems = cls.check_configuration(url=data.get("url", ""), options=self._options,
                                           secrets=self._secrets)
        for field, message in problems.items():
            target = (SECRET_PREFIX + field if SECRET_PREFIX + field in self.fields
                      else OPTION_PREFIX + field if OPTION_PREFIX + field in self.fields
                      else None)
            self.add_error(target, message)
        return data

    def _apply_connector_limits(self, cls, data):
        """A connector's own limits (SAP SuccessFactors: 100 calls a minute, 10 records a
        call) replace the generic defaults an admin left untouched on a new destination or
        a change of connector, and a batch larger than one call can carry is refused."""
        if self.instance.pk is None or "connector" in self.changed_data:
            for name in ("rate_limit_per_minute", "batch_size"):
                default = getattr(cls, f"default_{name}", None)
                if default and name not in self.changed_data:
                    data[name] = default
                    setattr(self.instance, name, default)
        largest = getattr(cls, "default_batch_size", None) if not cls.one_call_per_record \
            else None
        if largest and (data.get("batch_size") or 0) > largest:
            self.add_error("batch_size", _("This connector sends at most {count} records a "
                                           "call: use a batch size of {count} or less.")
                           .format(count=largest))

    def save(self, commit=True):
        destination = super().save(commit=False)
        destination.options = self._options
        destination_secrets.store(destination, self._secrets)
        if destination.enabled:
            destination.disabled_reason, destination.disabled_at = "", None
        if commit:
            destination.save()
            self.save_m2m()
        return destination


def warn_disabled(request):
    """The banner: destinations delivery turned off, and why."""
    for destination in HrisDestination.objects.filter(enabled=False).exclude(
            disabled_reason=""):
        messages.warning(request, _("HRIS destination “{name}” is disabled: {reason} Its "
                                    "records are kept; enable it to send them.").format(
            name=destination.name, reason=destination.disabled_reason))


@admin.register(HrisDestination)
class HrisDestinationAdmin(admin.ModelAdmin):
    form = HrisDestinationForm
    list_display = ("name", "connector", "url", "enabled", "waiting", "set_aside")
    list_filter = ("enabled", "connector")
    search_fields = ("name", "url")
    filter_horizontal = ("definitions",)
    readonly_fields = ("disabled_reason", "disabled_at")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            _waiting=Count("messages", filter=Q(messages__state=OutboxState.PENDING)),
            _dead=Count("messages", filter=Q(messages__state=OutboxState.DEAD)))

    @admin.display(description=gettext_lazy("waiting"), ordering="_waiting")
    def waiting(self, destination):
        return destination._waiting

    @admin.display(description=gettext_lazy("set aside"), ordering="_dead")
    def set_aside(self, destination):
        return destination._dead

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The connector fields are added per form instance; the model fields are fixed.
        kwargs["fields"] = HrisDestinationForm.Meta.fields
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        secret_fields, option_fields = _connector_fields()
        connector_fields = ([SECRET_PREFIX + name for name in secret_fields]
                            + [OPTION_PREFIX + name for name in option_fields])
        return [
            (None, {"fields": ["name", "connector", "url", "enabled", "disabled_reason",
                               "disabled_at"]}),
            (_("Secrets and connector options"), {"fields": connector_fields}),
            (_("What it receives"), {"fields": ["definitions", "organisations"]}),
            (_("Delivery"), {"fields": ["timeout_seconds", "rate_limit_per_minute",
                                        "batch_size", "concurrency", "max_tries", "max_age",
                                        "retry_base_seconds", "retry_max_seconds"]}),
        ]

    def changelist_view(self, request, extra_context=None):
        warn_disabled(request)
        return super().changelist_view(request, extra_context)


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    fields = ("at", "outcome", "status_code", "latency_ms", "response_excerpt", "error")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    """What was and will be sent where; re-drive set-aside records from here."""

    list_display = ("message_id", "destination", "event_type", "state", "tries",
                    "next_attempt_at", "created_at", "delivered_at", "last_error")
    list_filter = ("state", "event_type", "destination", "created_at")
    search_fields = ("message_id", "employee_id", "credential__uuid")
    list_select_related = ("destination",)
    date_hierarchy = "created_at"
    inlines = [DeliveryAttemptInline]
    actions = ["redrive"]
    exclude = ("payload",)
    readonly_fields = ("message_id", "destination", "credential", "event_type", "employee_id",
                       "occurred_at", "state", "waiting_for", "tries", "next_attempt_at",
                       "last_error", "created_at", "delivered_at", "dead_at", "record")

    @admin.display(description=gettext_lazy("waiting for"))
    def waiting_for(self, message):
        """Why a waiting record is not sent now, in words an operator can act on."""
        if message.state != OutboxState.PENDING:
            return "–"
        if not message.destination.enabled:
            return _("The destination is disabled; enable it to send its records.")
        earlier = OutboxMessage.objects.filter(
            destination_id=message.destination_id, ordering_key=message.ordering_key,
            id__lt=message.id).exclude(state=OutboxState.DELIVERED).order_by("id").first()
        if earlier is not None:
            return _("The earlier record {id} ({event}, {state}) for the same learner and "
                     "credential must be delivered first; re-drive it if it was set "
                     "aside.").format(id=earlier.message_id, event=earlier.event_type,
                                      state=earlier.get_state_display())
        return _("Its next try, at {when}.").format(when=message.next_attempt_at)

    @admin.display(description=gettext_lazy("record sent"))
    def record(self, message):
        return format_html("<pre>{}</pre>", json.dumps(message.payload, indent=2))

    def has_redrive_permission(self, request):
        return request.user.has_perm("credential_app.change_outboxmessage")

    @admin.action(description=gettext_lazy("Deliver selected records again now (re-drive)"),
                  permissions=["redrive"])
    def redrive(self, request, queryset):
        changed = dispatch.redrive(list(queryset.values_list("pk", flat=True)))
        self.message_user(request, ngettext(
            "%(count)d record will be delivered again.",
            "%(count)d records will be delivered again.", changed) % {"count": changed},
            messages.SUCCESS)

    def changelist_view(self, request, extra_context=None):
        warn_disabled(request)
        return super().changelist_view(request, extra_context)


@admin.register(DeliveryAttempt)
class DeliveryAttemptAdmin(ReadOnlyAdmin):
    """Every try: when, what came back, how long it took; never a secret."""

    list_display = ("at", "message", "destination", "outcome", "status_code", "latency_ms",
                    "error")
    list_filter = ("outcome", "status_code", "message__destination", "at")
    search_fields = ("message__message_id",)
    list_select_related = ("message__destination",)
    date_hierarchy = "at"

    def get_actions(self, request):
        return {}

    @admin.display(description=gettext_lazy("destination"))
    def destination(self, attempt):
        return attempt.message.destination

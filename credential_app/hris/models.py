"""HRIS tables: destinations, the outbox, every delivery try, employee links and consents.

The rules live in ``outbox`` (writing rows in the event's transaction), ``engine`` (claiming,
sending, retrying) and ``admin`` (configuration); these are the tables."""
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from credential_app.core.models import Attempt, Credential, CredentialDefinition
from credential_app.lib.people import name_and_username

__all__ = [
    "HrisDestination",
    "OutboxState",
    "OutboxMessage",
    "DeliveryAttempt",
    "DeliveryThrottle",
    "EmployeeLink",
    "HrisConsent",
    "EmployerManager",
]


class HrisDestination(models.Model):
    """An employer HR system that hears of credentials, through one connector plug-in.

    .. no_pii: An employer's HR system: its address, settings and encrypted credentials (an
      organisation's).
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    connector = models.CharField(
        _("connector"), max_length=100, default="webhook",
        help_text=_("How records are sent: a plug-in of the entry-point group "
                    "credential_app.hris_connectors (“webhook”: Standard Webhooks)."))
    url = models.URLField(_("address"), max_length=500,
                          help_text=_("HTTPS address records are sent to."))
    enabled = models.BooleanField(_("enabled"), default=True)
    disabled_reason = models.TextField(
        _("why it was disabled"), blank=True,
        help_text=_("Set when delivery turned it off (e.g. the receiver answered 410 Gone)."))
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    secrets_encrypted = models.TextField(
        editable=False, blank=True, default="",
        help_text=_("The connector's secrets, encrypted; never shown after saving."))
    options = models.JSONField(_("connector options"), default=dict, blank=True)
    definitions = models.ManyToManyField(
        CredentialDefinition, blank=True, related_name="+",
        verbose_name=_("credentials it receives"),
        help_text=_("Empty: every credential. Later versions of a chosen credential are "
                    "included."))
    organisations = models.TextField(
        _("organisations it receives"), blank=True, default="",
        help_text=_("Course organisation codes (the “Org” of course keys), separated by "
                    "commas or new lines. Empty: every organisation."))
    timeout_seconds = models.FloatField(
        _("timeout (seconds)"), default=15,
        validators=[MinValueValidator(0.5), MaxValueValidator(120)],
        help_text=_("How long one call may take before it counts as failed."))
    rate_limit_per_minute = models.PositiveIntegerField(
        _("rate limit (calls per minute)"), default=600,
        validators=[MinValueValidator(1)],
        help_text=_("Most calls sent in any minute, across all workers."))
    batch_size = models.PositiveIntegerField(
        _("batch size"), default=50, validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("Records a worker takes at once."))
    concurrency = models.PositiveIntegerField(
        _("parallel calls"), default=8, validators=[MinValueValidator(1), MaxValueValidator(64)],
        help_text=_("Calls a worker makes at the same time."))
    max_tries = models.PositiveIntegerField(
        _("maximum tries"), default=25, validators=[MinValueValidator(1)],
        help_text=_("After this many failed tries a record is set aside (dead letter)."))
    max_age = models.DurationField(
        _("maximum age"), default=timedelta(days=7),
        help_text=_("A record still undelivered this long after its event is set aside "
                    "(dead letter), e.g. “7 00:00:00” for seven days."))
    retry_base_seconds = models.FloatField(
        _("first retry after (seconds)"), default=5, validators=[MinValueValidator(0.1)],
        help_text=_("Waits double after each failed try, with random jitter."))
    retry_max_seconds = models.FloatField(
        _("longest wait between tries (seconds)"), default=3600,
        validators=[MinValueValidator(0.1)])
    created = models.DateTimeField(default=now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("HRIS destination")

    def __str__(self):
        return self.name


class OutboxState(models.TextChoices):
    PENDING = "pending", _("Waiting to be delivered")
    DELIVERED = "delivered", _("Delivered")
    DEAD = "dead", _("Set aside (dead letter)")
    CANCELLED = "cancelled", _("Cancelled (the learner withdrew consent)")  # never sent


class OutboxMessage(models.Model):
    """One event for one destination, written in the event's own transaction: a credential
    event (issued, renewed, expired, revoked), or an attempt event (submitted, assessed) for
    connectors that record learning (xAPI).

    ``message_id`` is the idempotency key the receiver sees on every try. Rows with the same
    ``ordering_key`` (learner and credential family) are delivered in id order, one at a
    time. A worker takes a row by setting ``lease_token``/``lease_until``; a worker that
    dies leaves a lease that simply runs out. ``attempt`` is set on every row (a
    credential's own attempt for credential events), so the learner, the credential
    definition and the course are found the same way for both kinds.

    .. pii: A record sent to the learner's employer: their employee id and the credential (its
      holder's name in the payload).
    .. pii_types: id, name, other
    .. pii_retirement: local_api
    """

    message_id = models.CharField(_("message id"), max_length=64, unique=True, editable=False)
    destination = models.ForeignKey(HrisDestination, on_delete=models.CASCADE,
                                    related_name="messages", verbose_name=_("destination"))
    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="+",
                                   null=True, blank=True, verbose_name=_("credential"),
                                   help_text=_("Empty for an attempt event."))
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("attempt"))
    event_type = models.CharField(_("event"), max_length=50)
    employee_id = models.CharField(_("employee id"), max_length=255, blank=True)
    ordering_key = models.CharField(max_length=100, editable=False)
    payload = models.JSONField(_("record"))
    occurred_at = models.DateTimeField(_("event time"), default=now)
    state = models.CharField(_("state"), max_length=20, choices=OutboxState.choices,
                             default=OutboxState.PENDING)
    tries = models.PositiveIntegerField(_("tries"), default=0)
    next_attempt_at = models.DateTimeField(_("next try"), default=now)
    lease_token = models.CharField(max_length=64, blank=True, default="", editable=False)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=now)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    dead_at = models.DateTimeField(_("set aside"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("outbox message")
        indexes = [
            models.Index(fields=["destination", "state", "next_attempt_at"],
                         name="credential_outbox_due"),
            models.Index(fields=["destination", "ordering_key", "id"],
                         name="credential_outbox_order"),
        ]

    def __str__(self):
        return f"{self.event_type} {self.message_id}"


class DeliveryAttempt(models.Model):
    """One try at delivering one outbox message: what happened, never a secret.

    .. pii: The first characters of the employer system's answer, which may echo the record it
      was sent.
    .. pii_types: other
    .. pii_retirement: retained
    """

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE,
                                related_name="attempts", verbose_name=_("message"))
    at = models.DateTimeField(_("time"), default=now, db_index=True)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    latency_ms = models.PositiveIntegerField(_("latency (ms)"), default=0)
    outcome = models.CharField(_("outcome"), max_length=20)
    response_excerpt = models.TextField(_("response (truncated)"), blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("delivery attempt")

    def __str__(self):
        return f"{self.message_id} {self.outcome} {self.status_code or ''}".strip()


class DeliveryThrottle(models.Model):
    """A destination's shared token bucket (rate limit) and any pause its receiver asked for
    (429/503 ``Retry-After``); one row per destination, updated under a row lock.

    .. no_pii: A destination's rate limit state.
    """

    destination = models.OneToOneField(HrisDestination, on_delete=models.CASCADE,
                                       related_name="throttle")
    tokens = models.FloatField(default=0)
    refilled_at = models.DateTimeField(default=now)
    paused_until = models.DateTimeField(null=True, blank=True)


# ---- HRIS people: who each employer knows, and what each learner agreed to share ----------


class EmployeeLink(models.Model):
    """A learner is employee ``employee_id`` at the employer behind an HRIS destination.

    Imported from the employer's CSV in admin; one link per learner and per employee id in
    each destination, so a record can never go to the wrong person's file.

    .. pii: A learner (user id) and their employee id at an employer.
    .. pii_types: id
    .. pii_retirement: local_api
    """

    destination = models.ForeignKey("HrisDestination", on_delete=models.CASCADE,
                                    related_name="employee_links",
                                    verbose_name=_("destination"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("learner"))
    employee_id = models.CharField(_("employee ID"), max_length=100,
                                   help_text=_("The learner's ID in the employer's HR system."))
    updated_at = models.DateTimeField(_("updated"), default=now)

    class Meta:
        verbose_name = _("employee link")
        constraints = [
            models.UniqueConstraint(fields=["destination", "user"],
                                    name="employee_link_one_per_learner"),
            models.UniqueConstraint(fields=["destination", "employee_id"],
                                    name="employee_link_one_per_employee_id"),
        ]

    def __str__(self):
        return f"{self.employee_id} at {self.destination}"


class HrisConsent(models.Model):
    """A learner's current choice to share their credentials with one destination.

    The row keeps the latest choice (``given``); every change is also in the audit trail.

    .. pii: A learner's (user id) choice to share their credentials with an employer.
    .. pii_types: id, other
    .. pii_retirement: local_api
    """

    destination = models.ForeignKey("HrisDestination", on_delete=models.CASCADE,
                                    related_name="consents", verbose_name=_("destination"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("learner"))
    given = models.BooleanField(_("shares credentials"), default=False)
    changed_at = models.DateTimeField(_("changed"), default=now)

    class Meta:
        verbose_name = _("learner consent")
        constraints = [
            models.UniqueConstraint(fields=["destination", "user"],
                                    name="hris_consent_one_per_learner"),
        ]

    def __str__(self):
        text = (_("{learner} shares with {destination}") if self.given
                else _("{learner} does not share with {destination}"))
        return str(text.format(learner=name_and_username(self.user),
                               destination=self.destination))


class EmployerManager(models.Model):
    """A person the employer authorised to search its employees' credentials (a hiring or
    line manager): they see only employees linked at this destination who share with it.

    .. pii: Which person (user id) may search an employer's employees.
    .. pii_types: id
    .. pii_retirement: local_api
    """

    destination = models.ForeignKey("HrisDestination", on_delete=models.CASCADE,
                                    related_name="managers", verbose_name=_("employer"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("manager"))
    added_at = models.DateTimeField(_("added"), default=now, editable=False)

    class Meta:
        verbose_name = _("employer manager")
        constraints = [models.UniqueConstraint(fields=["destination", "user"],
                                               name="hris_manager_once")]

    def __str__(self):
        return str(_("{manager} searches {destination}").format(
            manager=name_and_username(self.user), destination=self.destination))

"""Workplace outcome tables: the events employers send, each employer's feed settings, the
lagging-indicator snapshot, ROI unit values and governance reviews."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from credential_app.core.models import CredentialDefinition
from credential_app.hris.models import HrisDestination

__all__ = [
    "OutcomeType",
    "OutcomeSource",
    "OutcomeEvent",
    "OutcomeFeed",
    "OutcomeWebhookReceipt",
    "IndicatorFigure",
    "RoiAssumptions",
    "IndicatorReview",
    "ConfidenceAnswer",
]


class OutcomeType(models.TextChoices):
    HIRE = "hire", _("Hire (date, role, site)")
    PERFORMANCE = "performance", _("Performance rating (attainment, percent of target)")
    PROMOTION = "promotion", _("Promotion")
    ROLE_CHANGE = "role_change", _("Role change (new role, site)")
    SALARY_BAND = "salary_band_change", _("Salary band change (steps, e.g. 1 or -1)")
    EXIT = "exit", _("Left the employer")
    PRODUCTIVE = "time_to_productivity", _("Time to productivity (days from hire)")


class OutcomeSource(models.TextChoices):
    WEBHOOK = "webhook", _("Signed webhook")
    CSV = "csv", _("CSV import")
    PULL = "pull", _("Pull connector")


class OutcomeEvent(models.Model):
    """One thing an employer reports about one linked, consenting employee.

    ``event_id`` is the employer's own id for the event: receiving it again changes nothing.

    .. pii: A learner's (user id) workplace outcomes reported by their employer: performance
      ratings, promotions, role, site, salary band changes, leaving.
    .. pii_types: id, other
    .. pii_retirement: local_api
    """

    destination = models.ForeignKey(HrisDestination, on_delete=models.CASCADE,
                                    related_name="+", verbose_name=_("employer"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("learner"))
    event_id = models.CharField(_("event id"), max_length=100)
    event_type = models.CharField(_("event"), max_length=30, choices=OutcomeType.choices)
    occurred_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2, null=True,
                                blank=True)
    role = models.CharField(_("role"), max_length=100, blank=True)
    site = models.CharField(_("site"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=OutcomeSource.choices)
    received_at = models.DateTimeField(_("received"), default=now)

    class Meta:
        verbose_name = _("workplace outcome event")
        permissions = [("view_individual_outcomes",
                        "Can see individual employees' workplace outcomes (audited)")]
        constraints = [
            models.UniqueConstraint(fields=["destination", "event_id"],
                                    name="workplace_outcome_event_once"),
        ]
        indexes = [models.Index(fields=["user", "event_type", "occurred_on"],
                                name="workplace_outcome_person"),
                   models.Index(fields=["event_type", "occurred_on", "user"],
                                name="workplace_outcome_type_date")]

    def __str__(self):
        return f"{self.event_type} {self.occurred_on}"


class OutcomeFeed(models.Model):
    """How one employer sends (webhook) or is asked for (pull connector) outcome events.

    .. no_pii: An employer's outcome feed settings and encrypted secrets.
    """

    destination = models.OneToOneField(HrisDestination, on_delete=models.CASCADE,
                                       related_name="outcome_feed", verbose_name=_("employer"))
    webhook_enabled = models.BooleanField(_("accept signed webhooks"), default=False)
    secrets_encrypted = models.TextField(editable=False, blank=True, default="")
    pull_connector = models.CharField(
        _("pull connector"), max_length=100, blank=True,
        help_text=_("A plug-in of the entry-point group credential_app.outcome_connectors; "
                    "empty: nothing is pulled."))
    pull_url = models.URLField(_("pull address"), max_length=500, blank=True)
    pull_options = models.JSONField(_("pull options"), default=dict, blank=True)
    pull_cursor = models.CharField(max_length=100, blank=True, default="", editable=False)
    last_pulled_at = models.DateTimeField(_("last pulled"), null=True, blank=True,
                                          editable=False)

    class Meta:
        verbose_name = _("workplace outcome feed")

    def __str__(self):
        return str(self.destination)


class OutcomeWebhookReceipt(models.Model):
    """A webhook message already received (its ``webhook-id``): a replay changes nothing.

    .. no_pii: The id and time of a message an employer sent.
    """

    feed = models.ForeignKey(OutcomeFeed, on_delete=models.CASCADE, related_name="+")
    webhook_id = models.CharField(max_length=100)
    received_at = models.DateTimeField(default=now)
    stored = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feed", "webhook_id"],
                                               name="workplace_webhook_once")]


class IndicatorFigure(models.Model):
    """One lagging indicator for one group (credential, course or cohort), holders against
    their matched comparison group, as of the last refresh. Pages read these rows only.

    .. no_pii: Aggregates over groups of people (sizes kept to suppress small ones).
    """

    group_kind = models.CharField(max_length=12)  # credential, course, cohort
    group_key = models.CharField(max_length=255)
    group_label = models.CharField(max_length=255)
    indicator = models.CharField(max_length=40)
    group_size = models.PositiveIntegerField(default=0)  # holders with outcome data
    holders = models.PositiveIntegerField(default=0)
    controls = models.PositiveIntegerField(default=0)
    unmatched = models.PositiveIntegerField(default=0)
    holder_mean = models.FloatField(null=True)
    control_mean = models.FloatField(null=True)
    difference = models.FloatField(null=True)
    ci_low = models.FloatField(null=True)
    ci_high = models.FloatField(null=True)
    computed_at = models.DateTimeField(default=now)

    class Meta:
        indexes = [models.Index(fields=["group_kind", "group_key"],
                                name="workplace_figure_group")]


class RoiAssumptions(models.Model):
    """Unit values an admin enters for one credential's ROI (in one currency).

    .. no_pii: What outcomes are worth to an organisation.
    """

    definition = models.OneToOneField(CredentialDefinition, on_delete=models.CASCADE,
                                      related_name="+", verbose_name=_("credential definition"))
    currency = models.CharField(_("currency"), max_length=3,
                                help_text=_("ISO 4217 code; only programme costs in this "
                                            "currency are counted."))
    cost_per_hire = models.DecimalField(
        _("cost of one hire"), max_digits=12, decimal_places=2, default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Recruiting and onboarding one replacement (hiring cost savings: "
                    "× retention difference at 180 days × holders)."))
    cost_per_failed_hire = models.DecimalField(
        _("cost of one failed hire"), max_digits=12, decimal_places=2, default=0,
        validators=[MinValueValidator(0)],
        help_text=_("× the difference in the share below target at 90 days × holders."))
    value_per_ramp_day = models.DecimalField(
        _("value of one day sooner productive"), max_digits=12, decimal_places=2, default=0,
        validators=[MinValueValidator(0)])
    cost_per_remediation = models.DecimalField(
        _("cost of one remediation session"), max_digits=12, decimal_places=2, default=0,
        validators=[MinValueValidator(0)])
    incremental_revenue = models.DecimalField(
        _("incremental revenue (optional)"), max_digits=14, decimal_places=2, default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Revenue the organisation attributes to the programme, if any."))
    assessor_minutes_per_assessment = models.PositiveIntegerField(
        _("assessor minutes per assessment"), default=30)
    assessor_hourly_cost = models.DecimalField(
        _("assessor cost per hour"), max_digits=10, decimal_places=2, default=0,
        validators=[MinValueValidator(0)])
    operations_cost_per_credential = models.DecimalField(
        _("credential operations cost per issued credential"), max_digits=10,
        decimal_places=2, default=0, validators=[MinValueValidator(0)],
        help_text=_("Signing, hosting, delivery to HR systems, support."))

    class Meta:
        verbose_name = _("ROI unit values")
        verbose_name_plural = _("ROI unit values")

    def __str__(self):
        return str(self.definition)


class IndicatorReview(models.Model):
    """An admin reviewed one governance indicator (its cadence says how often they should).

    .. pii: Which admin (user id) reviewed an indicator, and their note.
    .. pii_types: id, other
    .. pii_retirement: retained
    """

    indicator = models.CharField(max_length=40, db_index=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    reviewed_at = models.DateTimeField(default=now)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-reviewed_at"]


class ConfidenceMoment(models.TextChoices):
    BEFORE = "before", _("Before the attempt")
    AFTER = "after", _("After the result")


class ConfidenceAnswer(models.Model):
    """A learner's optional answer to "How confident are you at this?" (1–5), before their
    attempt at a credential and after its result; the latest answer of each moment counts.

    .. pii: A learner's (user id) own rating of their confidence.
    .. pii_types: id, other
    .. pii_retirement: local_api
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    definition = models.ForeignKey(CredentialDefinition, on_delete=models.CASCADE,
                                   related_name="+")
    moment = models.CharField(max_length=6, choices=ConfidenceMoment.choices)
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)])
    answered_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "definition", "moment"],
                                               name="workplace_confidence_once")]

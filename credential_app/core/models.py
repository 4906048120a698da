"""The core's tables: definitions, units, attempts, assessments, credentials, audit, claims,
policies, evidence files and calibration. Private to the app: use ``api`` from outside."""
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.django.models import CourseKeyField, UsageKeyField
from opaque_keys.edx.keys import UsageKey

from credential_app.core import record_checks
from credential_app.data import AttemptStatus, CredentialStatus
from credential_app.lib import validators
from credential_app.lib.people import name_and_username

__all__ = [
    "CredentialDefinition",
    "AssessmentUnit",
    "Attempt",
    "Assessment",
    "CriterionScore",
    "Credential",
    "AppendOnlyError",
    "AuditEntry",
    "AssessmentClaim",
    "validate_usage_key",
    "CountedResult",
    "IssuancePolicy",
    "RetakePolicy",
    "ExtraAttemptGrant",
    "RemediationCompletion",
    "AttemptGate",
    "Issuer",
    "CompetencyAlignment",
    "EvidenceFile",
    "CalibrationSet",
    "CalibrationItem",
    "CalibrationAgreedScore",
    "CalibrationAssignment",
    "CalibrationScore",
    "QueueTally",
    "REPORT_INDEXES",
]

# Indexes that keep the reports (``credential_app.reports``) fast on millions of rows: each
# covers the columns a report groups and filters on, so the database reads the index only.
REPORT_INDEXES = {
    "attempt": [
        models.Index(fields=["definition", "number", "status", "course_key", "submitted_at",
                             "user"], name="credential_report_attempt_def"),
        models.Index(fields=["course_key", "number", "status", "definition", "submitted_at",
                             "user"], name="credential_report_attempt_crs"),
        models.Index(fields=["user", "definition", "submitted_at", "status", "number",
                             "course_key"], name="credential_report_first_try"),
    ],
    "credential": [
        models.Index(fields=["status", "issued_at", "definition", "user"],
                     name="credential_report_issued"),
        models.Index(fields=["status", "ended_at", "definition"],
                     name="credential_report_ended"),
        models.Index(fields=["definition", "issued_at", "status"],
                     name="credential_report_def_issued"),
    ],
    "assessment": [
        models.Index(fields=["assessor", "created", "waited"], name="credential_report_assessor"),
        models.Index(fields=["created", "assessor", "waited"], name="credential_report_assessed"),
    ],
    "score": [
        models.Index(fields=["assessment", "criterion", "points", "level"],
                     name="credential_report_score"),
    ],
}


class CredentialDefinition(models.Model):
    """A credential that assessed practical work can earn.

    .. no_pii: What a credential certifies and its rules; no personal data.
    """

    slug = models.SlugField(_("slug"), max_length=100, unique=True,
                            help_text=_("Stable identifier used to link assessment units."))
    name = models.CharField(_("name"), max_length=255,
                            help_text=_("As learners and employers see it on the credential."))
    description = models.TextField(_("description"), blank=True,
                                   help_text=_("What the credential certifies, in a sentence "
                                               "or two."))
    pass_percentage = models.PositiveSmallIntegerField(
        _("pass percentage"),
        default=70,
        validators=[MaxValueValidator(100)],
        help_text=_("Minimum share of the rubric's points an attempt needs to pass (0–100)."),
    )
    created = models.DateTimeField(default=now, editable=False)

    # --- lifecycle: what the credential says, who vouches for it, how long it lasts ---
    criteria_narrative = models.TextField(
        _("criteria"), blank=True,
        help_text=_("What a holder has shown to earn it, in words an employer understands "
                    "(Open Badges “criteria narrative”)."))
    image = models.ImageField(
        _("image"), upload_to="credential_images/", blank=True,
        validators=validators.BADGE_IMAGE,
        help_text=_("The badge image shown and shared with the credential: a PNG or JPEG "
                    "file of at most 1 MB, square, at least 200×200 pixels."))
    issuer = models.ForeignKey(
        "Issuer", on_delete=models.PROTECT, null=True, blank=False, related_name="definitions",
        verbose_name=_("issuer"),
        help_text=_("The organisation that vouches for holders of this credential."))
    validity_days = models.PositiveIntegerField(
        _("valid for (days)"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("How long a credential stays valid after it becomes active. Leave empty "
                    "for a credential that never expires."))
    renewal_window_days = models.PositiveIntegerField(
        _("renewal window (days)"), default=60,
        help_text=_("How many days before expiry a holder may renew by passing a new "
                    "attempt. Only used when the credential expires."))
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False,
        help_text=_("1 for a first version; set from the previous version."))
    previous_version = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_version",
        verbose_name=_("previous version"),
        help_text=_("Set when this definition replaces an earlier one. It takes effect when "
                    "published with the “Publish as the new version” action."))
    old_holders = models.CharField(
        _("holders of the previous version"), max_length=10, default="keep",
        choices=[("keep", _("Keep: their credentials stay valid until they expire")),
                 ("bridge", _("Bridge: they must pass this version within the bridging "
                              "period, or their credential expires"))],
        help_text=_("What happens to people holding the previous version when this one is "
                    "published."))
    bridging_days = models.PositiveIntegerField(
        _("bridging period (days)"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("With “Bridge”: days holders of the previous version have to pass this "
                    "version before their old credential expires."))
    published_at = models.DateTimeField(
        _("published"), null=True, blank=True, editable=False,
        help_text=_("When this version replaced the previous one; empty for a draft."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("credential definition")

    def __str__(self):
        if self.version > 1:
            return _("{name} (version {version})").format(name=self.name, version=self.version)
        return self.name

    def family_root(self) -> "CredentialDefinition":
        """The first version: the identity all versions of a credential share."""
        root = self
        while root.previous_version_id is not None:
            root = root.previous_version
        return root

    def clean(self):
        """Checks the admin form runs; each message names the field at fault."""
        record_checks.check_definition(self)  # one place for the rules of versions

    def validate_unique(self, exclude=None):
        """Slugs are unique without regard to case on every database: MySQL's and MariaDB's
        ``utf8mb4_unicode_ci`` (Tutor's) compares them so, SQLite would not."""
        exclude = set(exclude or ())
        super().validate_unique(exclude | {"slug"})  # the same message on every database
        if "slug" in exclude or not self.slug:
            return
        taken = (type(self).objects.filter(slug__iexact=self.slug).exclude(pk=self.pk)
                 .values_list("slug", flat=True).first())
        if taken is not None:
            raise ValidationError({"slug": _(
                "The slug “{taken}” is taken; slugs are compared without regard to case."
            ).format(taken=taken)})


class AssessmentUnit(models.Model):
    """A block that leads to a credential, as its author last saved it.

    .. no_pii: A unit's rubric and evidence settings, as its author saved them.
    """

    usage_key = UsageKeyField(max_length=255, unique=True)
    course_key = CourseKeyField(max_length=255, db_index=True)
    definition = models.ForeignKey(CredentialDefinition, on_delete=models.PROTECT,
                                   related_name="units")
    display_name = models.CharField(max_length=255, blank=True)
    rubric = models.JSONField()
    evidence = models.JSONField(default=dict)
    grade_weight = models.FloatField(
        null=True, blank=True,
        help_text=_("Points the unit is worth in the course grade; empty for the rubric's "
                    "total."))
    updated = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.display_name or str(self.usage_key)


class Attempt(models.Model):
    """Evidence one learner handed in once for one assessment unit.

    .. pii: The learner (user id), the evidence text and links they handed in (free text that
      may say anything about them).
    .. pii_types: id, other
    .. pii_retirement: local_api
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    course_key = CourseKeyField(max_length=255, db_index=True)
    usage_key = UsageKeyField(max_length=255)
    definition = models.ForeignKey(CredentialDefinition, on_delete=models.PROTECT,
                                   related_name="attempts")
    number = models.PositiveIntegerField(help_text=_("1 for a learner's first attempt."))
    status = models.CharField(max_length=20,
                              choices=[(s.value, s.name.title()) for s in AttemptStatus],
                              default=AttemptStatus.SUBMITTED.value)
    evidence_text = models.TextField()
    rubric = models.JSONField(help_text=_("The rubric as it was when the attempt was submitted."))
    score = models.PositiveIntegerField(null=True, blank=True)
    max_score = models.PositiveIntegerField()
    # Staff overrode the pass/fail the assessors' scores gave (core.overrides): the learner
    # and the public evidence page say so.
    result_changed_by_staff = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(default=now)
    assessed_at = models.DateTimeField(null=True, blank=True)
    links = models.JSONField(default=list, blank=True,
                             help_text=_("Web addresses the learner handed in as evidence."))

    class Meta:
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "usage_key", "number"],
                                    name="credential_attempt_one_per_number"),
        ]
        # The assessor's queue reads a page of a unit's waiting attempts in hand-in order.
        # The governance dashboard reads the last 30 days' results: a range of this index,
        # which holds all it needs, instead of a scan of every attempt.
        indexes = [models.Index(fields=["usage_key", "status", "submitted_at", "id"],
                                name="credential_attempt_queue_page"),
                   models.Index(fields=["assessed_at", "status", "submitted_at"],
                                name="credential_attempt_assessed"),
                   *REPORT_INDEXES["attempt"]]

    def __str__(self):
        return str(_("{learner}: {credential}, attempt {number}").format(
            learner=name_and_username(self.user), credential=self.definition,
            number=self.number))


class Assessment(models.Model):
    """One assessor's scoring of one attempt.

    .. pii: Which assessor (user id) scored an attempt; their scores stay for the reports, the
      user row being anonymised by the platform.
    .. pii_types: id
    .. pii_retirement: retained
    """

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="assessments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    created = models.DateTimeField(default=now)
    waited = models.DurationField(
        null=True, blank=True, editable=False,
        help_text=_("From the attempt's submission to this assessment (kept for the "
                    "turnaround report, which then needs no join)."))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "assessor"],
                                    name="credential_assessment_one_per_assessor"),
        ]
        indexes = REPORT_INDEXES["assessment"]


class CriterionScore(models.Model):
    """The level an assessor chose on one criterion, with their comment.

    .. pii: An assessor's comment on a learner's work (free text).
    .. pii_types: other
    .. pii_retirement: local_api
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE,
                                   related_name="criterion_scores")
    criterion = models.CharField(max_length=100)
    level = models.CharField(max_length=100)
    points = models.PositiveIntegerField()
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"],
                                    name="credential_score_one_per_criterion"),
        ]
        indexes = REPORT_INDEXES["score"]


class Credential(models.Model):
    """A credential earned by a learner through a passed attempt.

    One standing credential per attempt (``attempt_key`` is unique; NULL once revoked, so
    staff overriding a result back to a pass can issue afresh), so concurrent final
    assessments of an attempt issue it once. Per learner and credential (``family``: the
    first version of the definition, shared by all its versions) at most one active, one
    pending and one suspended credential: ``live_state`` mirrors the status while live and is NULL
    otherwise, and NULLs never clash in a unique constraint on SQLite, MySQL/MariaDB
    or PostgreSQL (MariaDB has no partial unique indexes). A pending renewal may
    wait for approval beside the active credential it will replace.

    .. pii: The holder (user id), who approved or revoked it (user ids) and the revocation
      reason (free text).
    .. pii_types: id, other
    .. pii_retirement: local_api
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    definition = models.ForeignKey(CredentialDefinition, on_delete=models.PROTECT,
                                   related_name="credentials")
    attempt = models.ForeignKey(Attempt, on_delete=models.PROTECT, related_name="credentials")
    attempt_key = models.PositiveBigIntegerField(
        null=True, unique=True, editable=False,
        help_text=_("The attempt's id unless revoked: one standing credential per attempt."))
    status = models.CharField(max_length=20,
                              choices=[(s.value, s.name.title()) for s in CredentialStatus],
                              default=CredentialStatus.ACTIVE.value)
    issued_at = models.DateTimeField(default=now)
    family = models.ForeignKey(CredentialDefinition, on_delete=models.PROTECT, null=True,
                               editable=False, related_name="+",
                               help_text=_("First version of the definition."))
    live_state = models.CharField(max_length=20, null=True, editable=False)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    expires_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(
        null=True, blank=True,
        help_text=_("When it stopped being valid (expired, revoked, superseded or "
                    "suspended)."))
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    revoked_reason = models.TextField(blank=True)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="supersedes",
        help_text=_("The credential that replaced it (one may replace an active and a "
                    "pending one at once)."))
    through_pathway = models.BooleanField(
        _("earned through a pathway"), default=False, editable=False,
        help_text=_("Issued because the learner held the credentials a pathway requires; "
                    "``attempt`` is then the attempt whose pass completed the pathway."))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "family", "live_state"],
                                    name="credential_one_live_per_learner_and_family"),
        ]
        indexes = [models.Index(fields=["status", "expires_at"],
                                name="credential_expiry_sweep"),
                   *REPORT_INDEXES["credential"]]

    def __str__(self):
        return str(_("{credential} held by {learner}").format(
            credential=self.definition, learner=name_and_username(self.user)))

    # a suspended credential keeps a live slot of its own: no second pathway credential is
    # issued while it waits to be reinstated
    LIVE = (CredentialStatus.PENDING_APPROVAL.value, CredentialStatus.ACTIVE.value,
            CredentialStatus.SUSPENDED.value)

    def save(self, *args, **kwargs):
        """Keep the constraint columns in step with the status, whoever saves."""
        if self.family_id is None:
            self.family_id = self.definition.family_root().pk
        self.live_state = self.status if self.status in self.LIVE else None
        revoked = self.status == CredentialStatus.REVOKED
        # a pathway credential names the attempt that completed it, which stands for its own
        # credential: only an assessed credential holds the attempt's key
        self.attempt_key = None if revoked or self.through_pathway else self.attempt_id
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "family", "live_state",
                                       "attempt_key"}
        super().save(*args, **kwargs)


class AppendOnlyError(Exception):
    """An audit entry may be added, never changed or deleted."""


class AuditEntry(models.Model):
    """One decision in the audit trail. Written by ``audit.record`` only; never edited.

    .. pii: Who acted and about whom (user ids), the reason given and the details of the
      decision (free text).
    .. pii_types: id, other
    .. pii_retirement: local_api
    """

    created = models.DateTimeField(default=now, db_index=True, editable=False)
    action = models.CharField(_("action"), max_length=30, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", verbose_name=_("who"),
                              help_text=_("Empty when the system decided (a rule or a task)."))
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+", verbose_name=_("learner"))
    subject_type = models.CharField(_("subject type"), max_length=50, blank=True)
    subject_id = models.CharField(_("subject id"), max_length=64, blank=True)
    definition_slug = models.CharField(_("credential"), max_length=100, blank=True,
                                       db_index=True)
    course_key = models.CharField(_("course"), max_length=255, blank=True, db_index=True)
    reason = models.TextField(_("why"), blank=True)
    details = models.JSONField(_("what"), default=dict, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        indexes = [models.Index(fields=["learner", "created"], name="credential_audit_learner")]

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries cannot be deleted.")

    def __str__(self):
        return f"{self.created:%Y-%m-%d %H:%M} {self.action}"


# ---- assessor: claims -------------------------------------------------------------------


class AssessmentClaim(models.Model):
    """An assessor's lock on an attempt while they score it; lapses at ``expires_at``.

    One row per attempt at most (the one-to-one key), so two live claims on one attempt
    cannot exist; a lapsed claim is taken over by updating its row under a row lock.

    .. pii: Which assessor (user id) holds an attempt; deleted when they are retired.
    .. pii_types: id
    .. pii_retirement: local_api
    """

    attempt = models.OneToOneField(Attempt, on_delete=models.CASCADE, related_name="claim")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                 related_name="+")
    claimed_at = models.DateTimeField(default=now)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("assessment claim")

    def __str__(self):
        return str(_("{attempt}, claimed by {assessor}").format(
            attempt=self.attempt, assessor=name_and_username(self.assessor)))


# --- Policies: issuance and retake policy per credential definition ---
# Validation lives in ``clean()`` so the admin and any ModelForm show each message next to
# the field at fault; the rules that use these rows live in ``policies.py``.


def validate_usage_key(value):
    """Refuse text that is not a usage key, naming what was expected."""
    try:
        UsageKey.from_string(value)
    except InvalidKeyError as exc:
        raise ValidationError(
            _("“%(value)s” is not a usage key (block-v1:Org+Course+Run+type@…+block@…)."),
            params={"value": value}, code="invalid") from exc


class CountedResult(models.TextChoices):
    """Which of a learner's assessed attempts at a unit counts as their result."""

    LATEST = "latest", _("Latest attempt")
    HIGHEST = "highest", _("Highest-scoring attempt")


class IssuancePolicy(models.Model):
    """The bar an attempt must clear, and who must agree, before a credential is issued.

    .. no_pii: A credential's pass rules.
    """

    definition = models.OneToOneField(CredentialDefinition, on_delete=models.CASCADE,
                                      related_name="issuance_policy",
                                      verbose_name=_("credential definition"))
    minimum_percentage = models.PositiveSmallIntegerField(
        _("minimum overall percentage"), null=True, blank=True,
        help_text=_("Share of the rubric's points (0–100) an attempt needs to pass. Leave "
                    "empty to use the definition's pass percentage."))
    criterion_minimums = models.JSONField(
        _("minimum level per criterion"), default=dict, blank=True,
        help_text=_('Criterion name → lowest passing level name, e.g. {"hazards": "partial"}. '
                    "Applies on top of any minimum level set in the rubric itself; each "
                    "level must exist in a registered unit's rubric."))
    required_assessments = models.PositiveSmallIntegerField(
        _("independent assessments required"), default=1,
        help_text=_("How many different assessors must score each attempt before its "
                    "result is computed (1–10)."))
    max_disagreement = models.PositiveSmallIntegerField(
        _("maximum disagreement (percentage points)"), null=True, blank=True,
        help_text=_("Largest gap between assessors' totals, in percentage points of the "
                    "rubric's points, before one more assessment is required. Empty: no "
                    "limit."))
    requires_approval = models.BooleanField(
        _("approval required"), default=False,
        help_text=_("A person must approve each credential before it is issued."))

    class Meta:
        verbose_name = _("issuance policy")
        verbose_name_plural = _("issuance policies")

    def __str__(self):
        return str(_("Issuance policy of {definition}").format(definition=self.definition))

    def clean(self):
        errors = record_checks.issuance_policy_errors(self)
        if errors:
            raise ValidationError(errors)


class RetakePolicy(models.Model):
    """How often, and when, a learner may try a unit of this credential again.

    .. no_pii: A credential's retake rules.
    """

    definition = models.OneToOneField(CredentialDefinition, on_delete=models.CASCADE,
                                      related_name="retake_policy",
                                      verbose_name=_("credential definition"))
    max_attempts = models.PositiveSmallIntegerField(
        _("maximum attempts"), null=True, blank=True,
        help_text=_("Attempts each learner may make at each unit (not counting extra "
                    "attempts granted by staff). Empty: unlimited."))
    delay_after_first_failure = models.DurationField(
        _("wait after the first failure"), default=timedelta(0),
        help_text=_("How long after a first failed attempt is assessed before the next may "
                    "start, e.g. “1 00:00:00” for one day."))
    delay_after_later_failures = models.DurationField(
        _("wait after later failures"), default=timedelta(0),
        help_text=_("How long after the second and later failed attempts before the next "
                    "may start."))
    closes_at = models.DateTimeField(
        _("closing date"), null=True, blank=True,
        help_text=_("No attempt starts after this moment. Empty: never closes."))
    counted_result = models.CharField(
        _("result that counts"), max_length=10, choices=CountedResult.choices,
        default=CountedResult.LATEST,
        help_text=_("Which assessed attempt gives the learner's result and grade."))
    remediation_usage_key = models.CharField(
        _("remediation unit"), max_length=255, blank=True, default="",
        validators=[validate_usage_key],
        help_text=_("Usage key of a unit a learner must complete after a failure before "
                    "trying again. Empty: none."))

    class Meta:
        verbose_name = _("retake policy")
        verbose_name_plural = _("retake policies")

    def __str__(self):
        return str(_("Retake policy of {definition}").format(definition=self.definition))

    def clean(self):
        errors = record_checks.retake_policy_errors(self, is_new=self._state.adding)
        if errors:
            raise ValidationError(errors)


class ExtraAttemptGrant(models.Model):
    """Staff allowed one learner more attempts at one unit, and said why. Never edited.

    .. pii: The learner given more attempts and the staff member who gave them (user ids), and
      why (free text).
    .. pii_types: id, other
    .. pii_retirement: local_api
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("learner"))
    usage_key = models.CharField(_("unit"), max_length=255, validators=[validate_usage_key],
                                 help_text=_("Usage key of the assessment unit."))
    count = models.PositiveSmallIntegerField(
        _("extra attempts"),
        validators=[MinValueValidator(1, _("Extra attempts must be at least 1.")),
                    MaxValueValidator(100, _("Extra attempts must be at most 100."))],
        help_text=_("How many attempts to add (1–100)."))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+", verbose_name=_("granted by"))
    reason = models.TextField(_("reason"), help_text=_("Why this learner gets more attempts."))
    created = models.DateTimeField(default=now, editable=False)

    class Meta:
        verbose_name = _("extra attempt grant")
        indexes = [models.Index(fields=["user", "usage_key"], name="credential_grant_learner")]

    def __str__(self):
        return str(_("{count} more for {learner}").format(
            count=self.count, learner=name_and_username(self.user)))


class RemediationCompletion(models.Model):
    """A learner completed a remediation unit (recorded by ``api.record_remediation_complete``).

    .. pii: That a learner (user id) completed a remediation unit; kept, as the retake rule
      needs it, the user row being anonymised by the platform.
    .. pii_types: id
    .. pii_retirement: retained
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    usage_key = UsageKeyField(max_length=255)
    completed_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "usage_key"],
                                    name="credential_remediation_once"),
        ]


class AttemptGate(models.Model):
    """One row per learner and unit, locked while deciding whether an attempt may start.

    Locking the learner's attempts is not enough: before the first attempt there is
    nothing to lock. This row always exists once anyone asked, so ``select_for_update``
    on it serialises every admission check for that learner and unit.

    .. pii: A learner (user id) and a unit, locked while an attempt starts; kept, no other
      data.
    .. pii_types: id
    .. pii_retirement: retained
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    usage_key = UsageKeyField(max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "usage_key"], name="credential_gate_once"),
        ]


# --- lifecycle: who vouches for a credential and which competencies it certifies ---

class Issuer(models.Model):
    """The organisation named as issuer on credentials (an Open Badges issuer profile).

    .. no_pii: The issuing organisation's name, web address and contact address (an
      organisation's, not a person's).
    """

    name = models.CharField(_("name"), max_length=255)
    url = models.URLField(_("web address"), help_text=_("The issuer's public home page."))
    email = models.EmailField(_("contact email"),
                              help_text=_("Where verifiers can ask about a credential."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("issuer")

    def __str__(self):
        return self.name


class CompetencyAlignment(models.Model):
    """A competency in an external framework that a credential certifies.

    .. no_pii: A competency in a public framework.
    """

    definition = models.ForeignKey(CredentialDefinition, on_delete=models.CASCADE,
                                   related_name="alignments")
    framework = models.CharField(_("framework"), max_length=255, blank=True,
                                 help_text=_("E.g. ESCO, SFIA, a national qualifications "
                                             "framework."))
    code = models.CharField(_("code"), max_length=100, blank=True,
                            help_text=_("The competency's code in that framework."))
    name = models.CharField(_("competency"), max_length=255,
                            help_text=_("The competency's name in that framework."))
    url = models.URLField(_("web address"),
                          help_text=_("Where the competency is described."))

    class Meta:
        ordering = ["id"]
        verbose_name = _("competency alignment")

    def __str__(self):
        return f"{self.framework} {self.code} {self.name}".strip()


# ---- learner: evidence files --------------------------------------------------


class EvidenceFile(models.Model):
    """A file a learner uploaded as evidence, kept in Django storage under a random key.

    Pending (no attempt) while the learner is still preparing; an attempt takes it
    when they submit, and from then on it cannot be removed by the learner.

    .. pii: A file a learner (user id) handed in, and its name: any content, images and video
      included.
    .. pii_types: id, image, video, other
    .. pii_retirement: local_api
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    course_key = CourseKeyField(max_length=255, db_index=True)
    usage_key = UsageKeyField(max_length=255)
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="evidence_files")
    storage_key = models.CharField(max_length=255, unique=True,
                                   help_text=_("Name of the file in the evidence storage."))
    display_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    uploaded = models.DateTimeField(default=now)

    class Meta:
        ordering = ["uploaded", "id"]
        indexes = [models.Index(fields=["user", "usage_key", "attempt"],
                                name="credential_evidence_owner")]

    def __str__(self):
        return self.display_name


# ---- calibration: assessors score attempts a panel agreed on ------------------------


class CalibrationSet(models.Model):
    """Attempts with agreed per-criterion levels that assessors score to calibrate.

    Scoring a calibration set never touches the attempts' real results or grades:
    assessors' levels are kept in ``CalibrationScore`` only.

    .. pii: Who made the set (user id); kept with the set, the user row being anonymised by the
      platform.
    .. pii_types: id
    .. pii_retirement: retained
    """

    name = models.CharField(_("name"), max_length=255)
    definition = models.ForeignKey(CredentialDefinition, on_delete=models.CASCADE,
                                   related_name="+", verbose_name=_("credential definition"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+", editable=False)
    created = models.DateTimeField(default=now, editable=False)

    class Meta:
        ordering = ["-created", "id"]
        verbose_name = _("calibration set")

    def __str__(self):
        return self.name


class CalibrationItem(models.Model):
    """One attempt in a calibration set, with the levels the panel agreed on.

    .. no_pii: An attempt chosen for calibration and the levels agreed on it; the attempt holds
      the learner's data.
    """

    calibration_set = models.ForeignKey(CalibrationSet, on_delete=models.CASCADE,
                                        related_name="items")
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("attempt"))
    agreed_levels = models.JSONField(
        _("agreed levels"), default=dict,
        help_text=_('Criterion name → agreed level name, e.g. {"hazards": "complete"}; '
                    "every criterion of the attempt's rubric."))
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["calibration_set", "attempt"],
                                               name="credential_calibration_item_once")]
        verbose_name = _("calibration attempt")

    def __str__(self):
        return str(self.attempt)

    def clean(self):
        errors = record_checks.agreed_level_errors(self)
        if errors:
            raise ValidationError({"agreed_levels": errors})


class CalibrationAgreedScore(models.Model):
    """An item's agreed level on one criterion, as a row so reports compare in the DB.

    .. no_pii: An agreed level on one criterion.
    """

    item = models.ForeignKey(CalibrationItem, on_delete=models.CASCADE, related_name="agreed")
    criterion = models.CharField(max_length=100)
    level = models.CharField(max_length=100)
    points = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "criterion"],
                                               name="credential_calibration_agreed_once")]


class CalibrationAssignment(models.Model):
    """A calibration set sent to one assessor; done when they have scored every item.

    .. pii: The assessor a set was sent to and who sent it (user ids); kept for the reliability
      reports, the user rows being anonymised by the platform.
    .. pii_types: id
    .. pii_retirement: retained
    """

    calibration_set = models.ForeignKey(CalibrationSet, on_delete=models.CASCADE,
                                        related_name="assignments",
                                        verbose_name=_("calibration set"))
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                 related_name="+", verbose_name=_("assessor"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+", editable=False)
    sent_at = models.DateTimeField(default=now, editable=False)
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-sent_at", "id"]
        constraints = [models.UniqueConstraint(fields=["calibration_set", "assessor"],
                                               name="credential_calibration_sent_once")]
        verbose_name = _("calibration assignment")

    def __str__(self):
        return str(_("{calibration_set}, sent to {assessor}").format(
            calibration_set=self.calibration_set, assessor=name_and_username(self.assessor)))


class CalibrationScore(models.Model):
    """The level an assessor chose for one criterion of one calibration item.

    .. no_pii: A level chosen on a calibration item; the assignment says whose.
    """

    assignment = models.ForeignKey(CalibrationAssignment, on_delete=models.CASCADE,
                                   related_name="scores")
    item = models.ForeignKey(CalibrationItem, on_delete=models.CASCADE, related_name="+")
    criterion = models.CharField(max_length=100)
    level = models.CharField(max_length=100)
    points = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assignment", "item", "criterion"],
                                               name="credential_calibration_score_once")]


# ---- assessor: the queue's counts -------------------------------------------------------


class QueueTally(models.Model):
    """How many attempts wait for assessment at a unit, kept as they change
    (``core.queue_tally``), so an assessor's queue counts them without reading them.

    ``assessor_id`` 0: the unit's waiting attempts, spread over ``slot`` (attempt id modulo
    ``SLOTS``) so concurrent hand-ins and results do not queue for one row; otherwise the
    waiting attempts that assessor has already scored (they wait for another assessor).

    .. no_pii: Counts of attempts waiting, per unit and assessor.
    """

    SLOTS = 8

    usage_key = models.CharField(max_length=255)
    assessor_id = models.PositiveIntegerField()
    slot = models.PositiveSmallIntegerField()
    waiting = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["usage_key", "assessor_id", "slot"],
                                               name="credential_queue_tally_key")]

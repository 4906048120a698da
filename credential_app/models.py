"""Storage of the credential engine. Private to the app: use ``api`` from outside."""
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

from credential_app.data import AttemptStatus, CredentialStatus, NameDisplay
from credential_app.lib import validators

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
    """A credential that assessed practical work can earn."""

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
        from credential_app.core.versions import (
            check_definition,  # one place for the rules of versions
        )

        check_definition(self)


class AssessmentUnit(models.Model):
    """A block that leads to a credential, as its author last saved it."""

    usage_key = UsageKeyField(max_length=255, unique=True)
    course_key = CourseKeyField(max_length=255, db_index=True)
    definition = models.ForeignKey(CredentialDefinition, on_delete=models.PROTECT,
                                   related_name="units")
    display_name = models.CharField(max_length=255, blank=True)
    rubric = models.JSONField()
    evidence = models.JSONField(default=dict)
    updated = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.display_name or str(self.usage_key)


class Attempt(models.Model):
    """Evidence one learner handed in once for one assessment unit."""

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
        indexes = [models.Index(fields=["usage_key", "status"], name="credential_attempt_queue"),
                   *REPORT_INDEXES["attempt"]]

    def __str__(self):
        return f"Attempt {self.number} by user {self.user_id} on {self.usage_key}"


class Assessment(models.Model):
    """One assessor's scoring of one attempt."""

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
    """The level an assessor chose on one criterion, with their comment."""

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
    first version of the definition, shared by all its versions) at most one active and at
    most one pending credential: ``live_state`` mirrors the status while live and is NULL
    otherwise, and NULLs never clash in a unique constraint on SQLite, MySQL/MariaDB
    or PostgreSQL (MariaDB has no partial unique indexes). A pending renewal may
    wait for approval beside the active credential it will replace.
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
        help_text=_("When it stopped being valid (expired, revoked or superseded)."))
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    revoked_reason = models.TextField(blank=True)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="supersedes",
        help_text=_("The credential that replaced it (one may replace an active and a "
                    "pending one at once)."))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "family", "live_state"],
                                    name="credential_one_live_per_learner_and_family"),
        ]
        indexes = [models.Index(fields=["status", "expires_at"],
                                name="credential_expiry_sweep"),
                   *REPORT_INDEXES["credential"]]

    def __str__(self):
        return f"{self.definition} for user {self.user_id}"

    LIVE = (CredentialStatus.PENDING_APPROVAL.value, CredentialStatus.ACTIVE.value)

    def save(self, *args, **kwargs):
        """Keep the constraint columns in step with the status, whoever saves."""
        if self.family_id is None:
            self.family_id = self.definition.family_root().pk
        self.live_state = self.status if self.status in self.LIVE else None
        revoked = self.status == CredentialStatus.REVOKED
        self.attempt_key = None if revoked else self.attempt_id
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "family", "live_state",
                                       "attempt_key"}
        super().save(*args, **kwargs)


class AppendOnlyError(Exception):
    """An audit entry may be added, never changed or deleted."""


class AuditEntry(models.Model):
    """One decision in the audit trail. Written by ``audit.record`` only; never edited."""

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
    """

    attempt = models.OneToOneField(Attempt, on_delete=models.CASCADE, related_name="claim")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                 related_name="+")
    claimed_at = models.DateTimeField(default=now)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("assessment claim")

    def __str__(self):
        return f"Attempt {self.attempt_id} claimed by user {self.assessor_id}"


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
    """The bar an attempt must clear, and who must agree, before a credential is issued."""

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
        from credential_app.core.policies import issuance_policy_errors

        errors = issuance_policy_errors(self)
        if errors:
            raise ValidationError(errors)


class RetakePolicy(models.Model):
    """How often, and when, a learner may try a unit of this credential again."""

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
        from credential_app.core.policies import retake_policy_errors

        errors = retake_policy_errors(self, is_new=self._state.adding)
        if errors:
            raise ValidationError(errors)


class ExtraAttemptGrant(models.Model):
    """Staff allowed one learner more attempts at one unit, and said why. Never edited."""

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
        return f"+{self.count} for user {self.user_id} on {self.usage_key}"


class RemediationCompletion(models.Model):
    """A learner completed a remediation unit (recorded by ``api.record_remediation_complete``)."""

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
    """The organisation named as issuer on credentials (an Open Badges issuer profile)."""

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
    """A competency in an external framework that a credential certifies."""

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


# ---- reports: cohorts, programme costs, calibration ----------------------------------


class Cohort(models.Model):
    """A named group of learners that admins manage (an intake, a client's staff, a class),
    used to narrow the reports to them."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                     verbose_name=_("learners"))
    created = models.DateTimeField(default=now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cohort")

    def __str__(self):
        return self.name


class ProgrammeCost(models.Model):
    """What running a programme cost over a period: for a credential, a course, or both
    (a course's share of one credential). Reports divide it by the credentials issued
    in the period."""

    definition = models.ForeignKey(CredentialDefinition, on_delete=models.CASCADE, null=True,
                                   blank=True, related_name="+",
                                   verbose_name=_("credential definition"))
    course_key = CourseKeyField(_("course"), max_length=255, blank=True, default="",
                                help_text=_("Course id (course-v1:Org+Course+Run); empty "
                                            "for every course of the credential."))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"), help_text=_("Last day of the period, included."))
    amount = models.DecimalField(_("cost"), max_digits=14, decimal_places=2,
                                 validators=[MinValueValidator(0)])
    currency = models.CharField(_("currency"), max_length=3,
                                help_text=_("ISO 4217 code, e.g. EUR, USD, GBP."))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["-period_start", "id"]
        verbose_name = _("programme cost")

    def __str__(self):
        return f"{self.amount} {self.currency} {self.period_start}–{self.period_end}"

    def clean(self):
        errors = {}
        if self.definition_id is None and not self.course_key:
            errors["definition"] = _("Choose a credential definition, a course, or both.")
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The period must end on or after the day it starts.")
        if self.currency and not (len(self.currency) == 3 and self.currency.isalpha()):
            errors["currency"] = _("Enter a three-letter ISO 4217 code such as EUR.")
        if errors:
            raise ValidationError(errors)
        self.currency = self.currency.upper()


class CalibrationSet(models.Model):
    """Attempts with agreed per-criterion levels that assessors score to calibrate.

    Scoring a calibration set never touches the attempts' real results or grades:
    assessors' levels are kept in ``CalibrationScore`` only."""

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
    """One attempt in a calibration set, with the levels the panel agreed on."""

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
        return f"Attempt {self.attempt_id}"

    def clean(self):
        from credential_app.core.calibration import agreed_level_errors

        errors = agreed_level_errors(self)
        if errors:
            raise ValidationError({"agreed_levels": errors})


class CalibrationAgreedScore(models.Model):
    """An item's agreed level on one criterion, as a row so reports compare in the DB."""

    item = models.ForeignKey(CalibrationItem, on_delete=models.CASCADE, related_name="agreed")
    criterion = models.CharField(max_length=100)
    level = models.CharField(max_length=100)
    points = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "criterion"],
                                               name="credential_calibration_agreed_once")]


class CalibrationAssignment(models.Model):
    """A calibration set sent to one assessor; done when they have scored every item."""

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
        return f"{self.calibration_set} → user {self.assessor_id}"


class CalibrationScore(models.Model):
    """The level an assessor chose for one criterion of one calibration item."""

    assignment = models.ForeignKey(CalibrationAssignment, on_delete=models.CASCADE,
                                   related_name="scores")
    item = models.ForeignKey(CalibrationItem, on_delete=models.CASCADE, related_name="+")
    criterion = models.CharField(max_length=100)
    level = models.CharField(max_length=100)
    points = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assignment", "item", "criterion"],
                                               name="credential_calibration_score_once")]


# ---- HRIS delivery: destinations, the outbox and every delivery try (issue 6) ----------
# The rules live in ``outbox`` (writing rows in the event's transaction), ``delivery``
# (claiming, sending, retrying) and ``hris_admin`` (configuration); these are the tables.


class HrisDestination(models.Model):
    """An employer HR system that hears of credentials, through one connector plug-in."""

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
    """One credential event for one destination, written in the event's own transaction.

    ``message_id`` is the idempotency key the receiver sees on every try. Rows with the same
    ``ordering_key`` (learner and credential family) are delivered in id order, one at a
    time. A worker takes a row by setting ``lease_token``/``lease_until``; a worker that
    dies leaves a lease that simply runs out.
    """

    message_id = models.CharField(_("message id"), max_length=64, unique=True, editable=False)
    destination = models.ForeignKey(HrisDestination, on_delete=models.CASCADE,
                                    related_name="messages", verbose_name=_("destination"))
    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("credential"))
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
    """One try at delivering one outbox message: what happened, never a secret."""

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
    (429/503 ``Retry-After``); one row per destination, updated under a row lock."""

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
        return f"User {self.user_id} {'shares' if self.given else 'does not share'} " \
               f"with {self.destination}"

# ---- badge pages: what the learner shares on the public pages of a credential ----------


class BadgeSharing(models.Model):
    """How one credential's public pages show its holder; chosen by the learner.

    No row means the defaults: the name withheld and the written evidence not shown
    (nothing personal is public until the learner says so).
    """

    credential = models.OneToOneField(Credential, on_delete=models.CASCADE,
                                      related_name="sharing")
    name_display = models.CharField(
        _("name on public pages"), max_length=10, default=NameDisplay.HIDDEN.value,
        choices=[(NameDisplay.FULL.value, _("Full name")),
                 (NameDisplay.INITIAL.value, _("First name and last initial")),
                 (NameDisplay.HIDDEN.value, _("Not shown"))])
    share_evidence = models.BooleanField(
        _("show written evidence"), default=False,
        help_text=_("Show the text the learner handed in on the assessed-evidence page."))
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("badge sharing choice")

    def __str__(self):
        return f"Sharing of credential {self.credential_id}: {self.name_display}"


# ---- Open Badges 3.0: signed credentials and their revocation status lists ------------


class BadgeStatusList(models.Model):
    """A W3C Bitstring Status List (purpose: revocation) that credentials point into.

    ``document`` is the signed ``BitstringStatusListCredential`` as served; it is
    re-signed whenever the bits it should carry (``status_list.encode``) differ.
    """

    issuer_ref = models.CharField(
        max_length=20, editable=False,
        help_text=_("Whose list: an issuer's id, or “platform” (issuer_identity)."))
    purpose = models.CharField(max_length=20, default="revocation", editable=False)
    size = models.PositiveIntegerField(help_text=_("Number of entries (bits) in the list."))
    created = models.DateTimeField(default=now, editable=False)
    full = models.BooleanField(default=False, editable=False,
                               help_text=_("Half its bits are taken: new badges use a new list."))
    encoded_list = models.TextField(blank=True, editable=False)
    document = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("badge status list")

    def __str__(self):
        return f"Status list {self.pk} ({self.purpose})"


class SignedBadge(models.Model):
    """The Open Badges 3.0 credential of a ``Credential``, signed, as it is served.

    ``status_index`` is the credential's bit in ``status_list``, drawn at random
    (herd privacy) and unique per list (a database constraint). ``content_sha256``
    fingerprints the unsigned credential it signs: when what the credential says
    changes (an expiry moved, a definition renamed), it is signed again; otherwise the
    served document never changes. Private keys are never stored here.
    """

    credential = models.OneToOneField(Credential, on_delete=models.CASCADE,
                                      related_name="open_badge")
    status_list = models.ForeignKey(BadgeStatusList, on_delete=models.PROTECT,
                                    related_name="entries")
    status_index = models.PositiveIntegerField()
    recipient_salt = models.CharField(max_length=64, editable=False)
    document = models.TextField(blank=True)
    content_sha256 = models.CharField(max_length=64, blank=True)
    document_hash = models.CharField(
        max_length=64, blank=True,
        help_text=_("SHA-256 of the canonical (RDFC-1.0) form of that unsigned credential: a "
                    "key rotation re-signs it without canonicalising it again."))
    key_id = models.CharField(max_length=64, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("signed badge")
        constraints = [
            models.UniqueConstraint(fields=["status_list", "status_index"],
                                    name="credential_badge_one_per_status_bit"),
        ]

    def __str__(self):
        return f"Open Badge of credential {self.credential_id}"

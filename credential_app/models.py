"""Storage of the credential engine. Private to the app: use ``api`` from outside."""
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _
from opaque_keys.edx.django.models import CourseKeyField, UsageKeyField

from .data import AttemptStatus, CredentialStatus


class CredentialDefinition(models.Model):
    """A credential that assessed practical work can earn."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True,
                            help_text=_("Stable identifier used to link assessment units."))
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    pass_percentage = models.PositiveSmallIntegerField(
        _("pass percentage"),
        default=70,
        validators=[MaxValueValidator(100)],
        help_text=_("Minimum share of the rubric's points an attempt needs to pass (0–100)."),
    )
    created = models.DateTimeField(default=now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("credential definition")

    def __str__(self):
        return self.name


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
        indexes = [models.Index(fields=["usage_key", "status"], name="credential_attempt_queue")]

    def __str__(self):
        return f"Attempt {self.number} by user {self.user_id} on {self.usage_key}"


class Assessment(models.Model):
    """One assessor's scoring of one attempt."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="assessments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    created = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "assessor"],
                                    name="credential_assessment_one_per_assessor"),
        ]


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


class Credential(models.Model):
    """A credential earned by a learner through a passed attempt."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    definition = models.ForeignKey(CredentialDefinition, on_delete=models.PROTECT,
                                   related_name="credentials")
    attempt = models.ForeignKey(Attempt, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20,
                              choices=[(s.value, s.name.title()) for s in CredentialStatus],
                              default=CredentialStatus.ACTIVE.value)
    issued_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "definition"],
                                    name="credential_one_per_learner_and_definition"),
        ]

    def __str__(self):
        return f"{self.definition} for user {self.user_id}"


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

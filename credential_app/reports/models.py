"""The reports' own tables: cohorts of learners and what programmes cost."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _
from opaque_keys.edx.django.models import CourseKeyField

from credential_app.core.models import CredentialDefinition

__all__ = [
    "Cohort",
    "ProgrammeCost",
    "AttemptSummary",
    "SharedAttemptNumber",
    "ScoreSummary",
    "AssessmentSummary",
    "CredentialSummary",
    "ScorePair",
]


class Cohort(models.Model):
    """A named group of learners that admins manage (an intake, a client's staff, a class),
    used to narrow the reports to them.

    .. pii: Which learners (user ids) an admin put in a group; kept for the reports, the user
      rows being anonymised by the platform.
    .. pii_types: id
    .. pii_retirement: retained
    """

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
    in the period.

    .. no_pii: What a programme cost over a period.
    """

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


# --- summaries: report figures kept up to date as attempts, assessments and credentials
# change (``reports.summaries``), so a report reads a few thousand rows, not millions.
# ``cohort_id`` 0 is every learner; a learner's figures are also kept under each cohort
# they belong to, so the cohort filter stays exact. ``day`` is the UTC day of the moment a
# report filters on. Counts only: a report adds the rows its filters select.

EVERYONE = 0  # cohort_id of the rows that count every learner
ALL_DEFINITIONS, ALL_COURSES = 0, ""  # AssessmentSummary's rows over every credential
ISSUED, EXPIRED, REVOKED = "issued", "expired", "revoked"  # CredentialSummary.kind


class AttemptSummary(models.Model):
    """Attempts handed in (reset ones left out) per credential, course, attempt number,
    status and day of hand-in.

    .. no_pii: Counts of attempts.
    """

    cohort_id = models.PositiveIntegerField()
    definition_id = models.PositiveIntegerField()
    course_key = models.CharField(max_length=255)
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20)
    day = models.DateField()
    attempts = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["cohort_id", "definition_id", "number", "status", "course_key", "day"],
            name="credential_sum_attempt_key")]
        indexes = [models.Index(fields=["cohort_id", "definition_id", "number", "status",
                                        "course_key", "day", "attempts"],
                                name="credential_sum_attempt_def"),
                   models.Index(fields=["cohort_id", "course_key", "number", "status",
                                        "definition_id", "day", "attempts"],
                                name="credential_sum_attempt_crs")]


class SharedAttemptNumber(models.Model):
    """An attempt (not reset) whose learner made another attempt with the same number at the
    same credential or in the same course (two units). Rare; the overview counts these
    learners one by one, and every other attempt as a learner of its own.

    .. pii: Which learner (user id) made which attempt; derived from the attempts, rebuilt
      from them.
    .. pii_types: id
    .. pii_retirement: retained
    """

    attempt_id = models.PositiveBigIntegerField(primary_key=True)
    user_id = models.PositiveIntegerField()
    definition_id = models.PositiveIntegerField()
    course_key = models.CharField(max_length=255)
    number = models.PositiveIntegerField()
    day = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["user_id"], name="credential_sum_shared_user")]


class ScoreSummary(models.Model):
    """Levels chosen per criterion (scores of reset attempts left out), per credential,
    course and day the attempt was handed in.

    .. no_pii: Counts of levels chosen.
    """

    cohort_id = models.PositiveIntegerField()
    definition_id = models.PositiveIntegerField()
    course_key = models.CharField(max_length=255)
    day = models.DateField()
    criterion = models.CharField(max_length=100)
    level = models.CharField(max_length=100)
    points = models.PositiveIntegerField()
    scores = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["cohort_id", "definition_id", "day", "course_key", "criterion", "level",
                    "points"], name="credential_sum_score_key")]


class AssessmentSummary(models.Model):
    """Assessments per assessor, credential, course and day made, by turnaround band
    (0: within 1 day, 1: 2–3 days, 2: 4–7 days, 3: later or unknown), with the sum of the
    turnarounds known, in microseconds, for the mean. Each is also counted under
    ``definition_id`` 0 and ``course_key`` "" (every credential and course), the rows a
    report without those filters reads.

    .. pii: Which assessor (user id) made how many assessments; kept like the assessments.
    .. pii_types: id
    .. pii_retirement: retained
    """

    cohort_id = models.PositiveIntegerField()
    definition_id = models.PositiveIntegerField()
    course_key = models.CharField(max_length=255)
    day = models.DateField()
    assessor_id = models.PositiveIntegerField()
    band = models.PositiveSmallIntegerField()
    assessments = models.BigIntegerField(default=0)
    timed = models.BigIntegerField(default=0)
    waited_total = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["cohort_id", "day", "assessor_id", "definition_id", "course_key", "band"],
            name="credential_sum_assessment_key")]
        indexes = [models.Index(fields=["cohort_id", "definition_id", "day", "assessor_id",
                                        "course_key", "band", "assessments", "timed",
                                        "waited_total"], name="credential_sum_assessment_def"),
                   models.Index(fields=["cohort_id", "course_key", "day", "assessor_id",
                                        "definition_id", "band", "assessments", "timed",
                                        "waited_total"], name="credential_sum_assessment_crs")]


class CredentialSummary(models.Model):
    """Credentials per credential definition, course of the attempt and day of an event:
    ``kind`` "issued" (issued, on its issue day; ``band`` the time from the learner's first
    attempt: 0 within 7 days, 1 8–30, 2 31–90, 3 more; ``took_total`` the sum of those
    times in microseconds), "expired" or "revoked" (on the day it ended; band 0).

    .. no_pii: Counts of credentials.
    """

    cohort_id = models.PositiveIntegerField()
    definition_id = models.PositiveIntegerField()
    course_key = models.CharField(max_length=255)
    kind = models.CharField(max_length=10)
    day = models.DateField()
    band = models.PositiveSmallIntegerField()
    credentials = models.BigIntegerField(default=0)
    took_total = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["cohort_id", "kind", "definition_id", "day", "course_key", "band"],
            name="credential_sum_credential_key")]
        indexes = [models.Index(fields=["cohort_id", "kind", "definition_id", "day",
                                        "course_key", "band", "credentials", "took_total"],
                                name="credential_sum_credential_all")]


class ScorePair(models.Model):
    """Two assessors' points on one criterion of one attempt (not reset), once per pair
    (``assessor_id`` < ``other_id``), with ``assessments``, how many assessed the attempt:
    what Krippendorff's alpha is computed from, without joining millions of scores.

    .. pii: Which learner's attempt (user id) two assessors (user ids) scored, and their
      points; derived from the scores, rebuilt from them.
    .. pii_types: id
    .. pii_retirement: retained
    """

    attempt_id = models.PositiveBigIntegerField()
    definition_id = models.PositiveIntegerField()
    course_key = models.CharField(max_length=255)
    day = models.DateField()
    user_id = models.PositiveIntegerField()
    criterion = models.CharField(max_length=100)
    assessor_id = models.PositiveIntegerField()
    other_id = models.PositiveIntegerField()
    points = models.PositiveIntegerField()
    other_points = models.PositiveIntegerField()
    assessments = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["attempt_id", "criterion", "assessor_id", "other_id"],
            name="credential_sum_pair_key")]
        indexes = [models.Index(fields=["definition_id", "criterion", "assessor_id",
                                        "other_id", "points", "other_points", "assessments",
                                        "day", "course_key", "user_id"],
                                name="credential_sum_pair_def")]

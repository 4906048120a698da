"""Claims: an assessor locks an attempt while scoring it, for a time that lapses.

Every claim decision first locks the attempt's row, so claiming, taking over a lapsed
claim and scoring are serialised per attempt (on MySQL as on SQLite). The claim table
holds at most one row per attempt (a unique key): a lapsed claim is taken over by
updating that row, never by adding a second one.
"""
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credential_app.core import audit
from credential_app.core.models import AssessmentClaim, Attempt
from credential_app.data import AttemptStatus, ClaimData
from credential_app.exceptions import AssessmentNotAllowed, AttemptNotFound
from credential_app.lib.dates import human_datetime
from credential_app.lib.people import display_name


def claim_duration() -> timedelta:
    minutes = settings.CREDENTIAL_APP["CLAIM_MINUTES"]
    return timedelta(minutes=int(minutes))


def claim(*, attempt_id, usage_key, assessor_id, now=None) -> ClaimData:
    """Claim an attempt (or renew one's own claim); refuse, naming the holder, if taken."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            attempt = _locked_attempt(attempt_id, usage_key)
            if attempt.user_id == assessor_id:
                raise AssessmentNotAllowed(_("You cannot assess your own attempt."))
            if attempt.status != AttemptStatus.SUBMITTED:
                raise AssessmentNotAllowed(
                    _("This attempt is no longer waiting for assessment. Reload the queue."))
            if attempt.assessments.filter(assessor_id=assessor_id).exists():
                raise AssessmentNotAllowed(_("You have already scored this attempt."))
            # No join under the lock (MySQL would lock the assessor's user row as well).
            row = AssessmentClaim.objects.select_for_update().filter(attempt=attempt).first()
            someone_else = row is not None and row.assessor_id != assessor_id
            if someone_else and row.expires_at > now:
                raise AssessmentNotAllowed(_held_message(row), field="attempt_id")
            taken_over = row.assessor_id if someone_else else None
            if row is None:
                row = AssessmentClaim(attempt=attempt)
            row.assessor_id = assessor_id
            row.claimed_at = now
            row.expires_at = now + claim_duration()
            row.save()
            audit.record(audit.AuditAction.CLAIM, actor_id=assessor_id,
                         learner_id=attempt.user_id, subject=attempt,
                         definition_slug=attempt.definition.slug, course_key=attempt.course_key,
                         details={"event": "claimed", "expires_at": row.expires_at.isoformat(),
                                  "taken_over_from": taken_over})
    except IntegrityError as exc:  # a racing first claim won the unique key
        raise AssessmentNotAllowed(
            _("Someone else claimed this attempt at the same moment. Reload the queue."),
            field="attempt_id") from exc
    row = AssessmentClaim.objects.select_related("assessor").get(pk=row.pk)
    return to_data(row)


def release(*, attempt_id, usage_key, assessor_id) -> None:
    """Give up one's own claim so another assessor may take the attempt."""
    with transaction.atomic():
        attempt = _locked_attempt(attempt_id, usage_key)
        deleted, _rows = AssessmentClaim.objects.filter(
            attempt=attempt, assessor_id=assessor_id).delete()
        if not deleted:
            raise AssessmentNotAllowed(_("You hold no claim on this attempt."),
                                       field="attempt_id")
        audit.record(audit.AuditAction.CLAIM, actor_id=assessor_id, learner_id=attempt.user_id,
                     subject=attempt, definition_slug=attempt.definition.slug,
                     course_key=attempt.course_key, details={"event": "released"})


def ensure_may_score(attempt: Attempt, assessor_id, now=None) -> None:
    """Refuse scoring while someone else holds a live claim on ``attempt``, which the
    scoring transaction has locked (as claiming does)."""
    now = now or timezone.now()
    row = (AssessmentClaim.objects.select_related("assessor")
           .filter(attempt=attempt, expires_at__gt=now).exclude(assessor_id=assessor_id).first())
    if row is not None:
        raise AssessmentNotAllowed(_held_message(row), field="attempt_id")


def finish(*, attempt_id, assessor_id) -> None:
    """The assessor has scored the attempt: their claim has done its work."""
    AssessmentClaim.objects.filter(attempt_id=attempt_id, assessor_id=assessor_id).delete()


def drop_for_attempts(attempt_ids) -> int:
    """Remove every claim on these attempts (they left the queue, e.g. on a reset)."""
    deleted, _rows = AssessmentClaim.objects.filter(attempt_id__in=list(attempt_ids)).delete()
    return deleted


def to_data(row: AssessmentClaim) -> ClaimData:
    return ClaimData(attempt_id=row.attempt_id, assessor_id=row.assessor_id,
                     assessor_name=display_name(row.assessor), expires_at=row.expires_at)


def _held_message(row) -> str:
    return _("{name} is assessing this attempt (claimed until {time}). Choose another attempt "
             "or wait until then.").format(name=display_name(row.assessor),
                                           time=human_datetime(row.expires_at))


def _locked_attempt(attempt_id, usage_key) -> Attempt:
    # No join under the lock: MySQL would lock the joined definition row as well.
    attempt = Attempt.objects.select_for_update().filter(pk=attempt_id,
                                                         usage_key=usage_key).first()
    if attempt is None:
        raise AttemptNotFound(_("That attempt does not exist in this assessment."),
                              field="attempt_id")
    return attempt

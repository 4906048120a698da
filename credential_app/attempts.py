"""Attempts: a learner hands in evidence for an assessment unit.

Whether a new attempt may start is decided inside one transaction that locks the
learner's earlier attempts; the unique (user, unit, number) constraint is the
last line of defence when two submissions race.
"""
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from . import audit, credentials
from .data import (
    AttemptData,
    AttemptResult,
    AttemptStatus,
    CriterionResult,
    RetakeStatus,
    Rubric,
)
from .exceptions import AttemptNotAllowed, InvalidEvidence
from .models import Attempt, CriterionScore


def submit(*, user_id, usage_key, credential_slug, rubric: Rubric, evidence_text,
           max_evidence_length) -> AttemptData:
    """Store a new attempt with its evidence, or raise without changing anything."""
    text = _clean_evidence(evidence_text, evidence_limit(max_evidence_length))
    definition = credentials.get_definition_model(credential_slug)
    if not get_user_model().objects.filter(pk=user_id).exists():
        raise AttemptNotAllowed(_("You need to be signed in to submit evidence."))
    try:
        with transaction.atomic():
            earlier = list(
                Attempt.objects.select_for_update()
                .filter(user_id=user_id, usage_key=usage_key)
                .order_by("number")
            )
            reason = refusal_to_start(earlier[-1] if earlier else None)
            if reason:
                raise AttemptNotAllowed(reason)
            attempt = Attempt.objects.create(
                user_id=user_id,
                course_key=usage_key.course_key,
                usage_key=usage_key,
                definition=definition,
                number=len(earlier) + 1,
                evidence_text=text,
                rubric=rubric.to_dict(),
                max_score=rubric.max_points,
            )
            audit.record(audit.AuditAction.SUBMISSION, actor_id=user_id, learner_id=user_id,
                         subject=attempt, definition_slug=definition.slug,
                         course_key=usage_key.course_key,
                         details={"usage_key": str(usage_key), "number": attempt.number})
    except IntegrityError as exc:
        raise AttemptNotAllowed(
            _("Another submission of yours for this assessment arrived at the same time. "
              "Reload the page to see it.")
        ) from exc
    attempt.definition = definition
    return to_data(attempt)


def evidence_limit(unit_limit) -> int:
    """The unit's own limit on text evidence, within the operator's ceiling."""
    ceiling = settings.CREDENTIAL_APP["MAX_EVIDENCE_TEXT_LENGTH"]
    return max(1, min(int(unit_limit), ceiling))


def _clean_evidence(evidence_text, max_length):
    if not isinstance(evidence_text, str) or not evidence_text.strip():
        raise InvalidEvidence(_("Write your evidence before submitting."), field="text")
    text = evidence_text.strip()
    if len(text) > max_length:
        raise InvalidEvidence(
            _("Your evidence is {length} characters long; the limit is {limit}. "
              "Shorten it and submit again.").format(length=len(text), limit=max_length),
            field="text",
        )
    return text


def refusal_to_start(latest) -> str | None:
    """Why no new attempt may follow ``latest`` (a model or AttemptData); None if one may.

    Only the latest attempt can be waiting or passed, since neither lets another start.
    """
    if latest is None:
        return None
    if latest.status == AttemptStatus.SUBMITTED:
        return _("Your attempt {number} is waiting for assessment. You can try again once "
                 "it has been assessed.").format(number=latest.number)
    if latest.status == AttemptStatus.PASSED:
        return _("You have already passed this assessment.")
    return None


def retake_status(user_id, usage_key) -> RetakeStatus:
    """Whether the learner may start an attempt at this unit now, and if not, why and when."""
    counted = Attempt.objects.filter(user_id=user_id, usage_key=usage_key).exclude(
        status=AttemptStatus.RESET)
    latest = counted.order_by("-number").first()
    reason = refusal_to_start(latest)
    return RetakeStatus(may_start=reason is None, reason=reason, attempts_used=counted.count(),
                        attempts_allowed=None)


def latest_for_learner(user_id, usage_key) -> AttemptData | None:
    attempt = (
        _with_related(Attempt.objects.filter(user_id=user_id, usage_key=usage_key))
        .order_by("-number")
        .first()
    )
    return to_data(attempt) if attempt else None


def awaiting_assessment(usage_key) -> list[AttemptData]:
    attempts = _with_related(
        Attempt.objects.filter(usage_key=usage_key, status=AttemptStatus.SUBMITTED)
    ).order_by("submitted_at", "id")
    return [to_data(attempt) for attempt in attempts]


def _with_related(queryset):
    return queryset.select_related("definition", "user").prefetch_related(
        "assessments__criterion_scores"
    )


def to_data(attempt: Attempt, scores: list[CriterionScore] | None = None) -> AttemptData:
    """Convert a stored attempt to public data; ``scores`` spares reading them back."""
    rubric = Rubric.from_dict(attempt.rubric)
    result = None
    if attempt.status != AttemptStatus.SUBMITTED:
        if scores is None:
            assessments = list(attempt.assessments.all())
            scores = list(assessments[-1].criterion_scores.all()) if assessments else []
        result = _result(attempt, rubric, scores)
    user = attempt.user if Attempt.user.field.is_cached(attempt) else None
    return AttemptData(
        id=attempt.pk,
        user_id=attempt.user_id,
        usage_key=attempt.usage_key,
        number=attempt.number,
        status=AttemptStatus(attempt.status),
        evidence_text=attempt.evidence_text,
        submitted_at=attempt.submitted_at,
        credential_slug=attempt.definition.slug,
        rubric=rubric,
        result=result,
        learner_name=(user.get_full_name() or user.username) if user else "",
    )


def _result(attempt, rubric, scores: list[CriterionScore]) -> AttemptResult:
    by_criterion = {score.criterion: score for score in scores}
    criteria = []
    for criterion in rubric.criteria:
        score = by_criterion.get(criterion.name)
        level = criterion.level(score.level) if score else None
        criteria.append(CriterionResult(
            criterion=criterion.name,
            criterion_label=criterion.label,
            level=score.level if score else "",
            level_label=level.label if level else "",
            points=score.points if score else 0,
            max_points=criterion.max_points,
            comment=score.comment if score else "",
        ))
    return AttemptResult(
        score=attempt.score or 0,
        max_score=attempt.max_score,
        percentage=percentage(attempt.score or 0, attempt.max_score),
        passed=attempt.status == AttemptStatus.PASSED,
        criteria=tuple(criteria),
    )


def percentage(score, max_score) -> Decimal:
    """Share of the points earned, rounded to two places for display."""
    return (Decimal(score * 100) / Decimal(max_score)).quantize(Decimal("0.01"))


# --- A learner's history across units (restapi helper) ---

def all_for_learner(user_id) -> list[AttemptData]:
    """Every attempt of the learner at any unit, newest first (for the REST API)."""
    attempts = _with_related(Attempt.objects.filter(user_id=user_id)).order_by(
        "-submitted_at", "-id")
    return [to_data(attempt) for attempt in attempts]

"""Attempts: a learner hands in evidence for an assessment unit.

Whether a new attempt may start is decided by ``policies.retake_decision`` inside
one transaction holding a lock on the learner's gate row for the unit (which exists
even before their first attempt), so concurrent submissions are admitted one by
one; the unique (user, unit, number) constraint is the last line of defence.
"""
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

from credential_app.core import audit, credentials, gates, policies, record_changes, signals
from credential_app.core import evidence as evidence_files
from credential_app.core.models import Attempt, CriterionScore
from credential_app.data import (
    AttemptData,
    AttemptResult,
    AttemptStatus,
    EvidenceSettings,
    RetakeStatus,
    Rubric,
)
from credential_app.exceptions import AttemptNotAllowed
from credential_app.lib.people import display_name


class CountedScore(NamedTuple):
    """The points of the result that counts for a learner at a unit (``counted_score``)."""

    attempt_id: int
    score: int
    max_score: int


def submit(*, user_id, usage_key, credential_slug, rubric: Rubric, evidence_text,
           max_evidence_length, links=(), file_ids=(),
           evidence: EvidenceSettings | None = None, anonymous_user_id: str = "") -> AttemptData:
    """Store a new attempt with its evidence, or raise without changing anything.

    ``evidence`` says what the unit takes (text only when not given); the learner's
    pending files named in ``file_ids`` go with the attempt. ``anonymous_user_id`` is the
    learner as the course knows them, passed on to ``signals.attempt_submitted``.
    """
    evidence = evidence or EvidenceSettings(text_max_length=max_evidence_length)
    text = evidence_files.clean_text(evidence_text, evidence, evidence_limit(max_evidence_length))
    links = evidence_files.clean_links(links, evidence)
    definition = credentials.get_definition_model(credential_slug)
    if not get_user_model().objects.filter(pk=user_id).exists():
        raise AttemptNotAllowed(_("You need to be signed in to submit evidence."))
    with gates.held(user_id, usage_key):
        earlier = list(Attempt.objects.filter(user_id=user_id, usage_key=usage_key)
                       .order_by("number"))
        status = policies.retake_decision(user_id=user_id, usage_key=usage_key,
                                          definition=definition, attempts=earlier)
        if not status.may_start:
            raise AttemptNotAllowed(status.reason)
        files = evidence_files.take_for_attempt(user_id=user_id, usage_key=usage_key,
                                                file_ids=file_ids, evidence=evidence)
        evidence_files.require_some(text, links, files, evidence)
        try:
            with transaction.atomic():  # the (user, unit, number) constraint: last defence
                attempt = Attempt.objects.create(
                    user_id=user_id,
                    course_key=usage_key.course_key,
                    usage_key=usage_key,
                    definition=definition,
                    number=earlier[-1].number + 1 if earlier else 1,
                    evidence_text=text,
                    rubric=rubric.to_dict(),
                    max_score=rubric.max_points,
                    links=links,
                )
        except IntegrityError as exc:
            raise AttemptNotAllowed(
                _("Another submission of yours for this assessment arrived at the same time. "
                  "Reload the page to see it.")
            ) from exc
        evidence_files.attach(files, attempt)
        record_changes.added([attempt.pk])
        audit.record(audit.AuditAction.SUBMISSION, actor_id=user_id, learner_id=user_id,
                     subject=attempt, definition_slug=definition.slug,
                     course_key=usage_key.course_key,
                     details={"usage_key": str(usage_key), "number": attempt.number})
        signals.attempt_submitted.send(sender=Attempt, attempt=attempt,
                                       anonymous_user_id=anonymous_user_id)
    attempt.definition = definition
    return to_data(attempt, rubric=rubric, files=files)  # as stored: nothing read back


def evidence_limit(unit_limit) -> int:
    """The unit's own limit on text evidence, within the operator's ceiling."""
    ceiling = settings.CREDENTIAL_APP["MAX_EVIDENCE_TEXT_LENGTH"]
    return max(1, min(int(unit_limit), ceiling))


def retake_status(user_id, usage_key, credential_slug=None, *, earlier=None) -> RetakeStatus:
    """Whether the learner may start an attempt at this unit now, and if not, why and when.

    The same rule ``submit`` enforces (``policies.retake_decision``), read without locks.
    ``earlier``: the learner's attempts here when the caller has read them (``of_learner``).
    """
    definition = policies.definition_for_unit(usage_key, user_id, credential_slug)
    earlier = of_learner(user_id, usage_key) if earlier is None else earlier
    return policies.retake_decision(user_id=user_id, usage_key=usage_key,
                                    definition=definition, attempts=earlier)


def of_learner(user_id, usage_key) -> list[Attempt]:
    """Every attempt of the learner at this unit, reset ones too, with its definition: what
    the latest and counted attempts (``latest_and_counted``) and the retake rule
    (``retake_status``) are found among; a page reads them once for all three."""
    return list(Attempt.objects.select_related("definition", "user")
                .filter(user_id=user_id, usage_key=usage_key).order_by("number"))


def counted_for_learner(user_id, usage_key) -> AttemptData | None:
    """The assessed attempt whose result counts (latest or highest, per the policy)."""
    chosen = _counted(_with_related(_assessed(user_id, usage_key)))
    return to_data(chosen) if chosen is not None else None


def counted_score(user_id, usage_key) -> CountedScore | None:
    """The score of the result that counts, all a course score needs: read in one query
    (plus the retake policy), without the attempt's assessments and evidence files."""
    chosen = _counted(_assessed(user_id, usage_key).select_related("definition"))
    if chosen is None:
        return None
    return CountedScore(attempt_id=chosen.pk, score=chosen.score or 0,
                        max_score=chosen.max_score)


ASSESSED = (AttemptStatus.PASSED, AttemptStatus.FAILED)


def _assessed(user_id, usage_key):
    return Attempt.objects.filter(user_id=user_id, usage_key=usage_key, status__in=ASSESSED)


def _counted(assessed):
    assessed = list(assessed)
    if not assessed:
        return None
    return policies.counted_attempt(assessed, assessed[-1].definition)


def latest_for_learner(user_id, usage_key) -> AttemptData | None:
    attempt = _with_related(_latest_first(user_id, usage_key)).first()
    return to_data(attempt) if attempt else None


def latest_and_counted(attempts) -> tuple[AttemptData | None, AttemptData | None]:
    """Of the learner's attempts at a unit (``of_learner``): the latest and, once it is
    assessed, the assessed attempt whose result counts (the latest, unless the policy counts
    the highest result). Only these one or two have their assessments and files read."""
    latest = max((a for a in attempts if a.status != AttemptStatus.RESET),
                 key=lambda a: a.number, default=None)
    if latest is None:
        return None, None
    if latest.status not in ASSESSED:
        prefetch_related_objects([latest], *RELATED_READS)
        return to_data(latest), None
    counted = _counted([a for a in attempts if a.status in ASSESSED])
    prefetch_related_objects(list({latest, counted}), *RELATED_READS)
    data = to_data(latest)
    return data, data if counted is latest else to_data(counted)


def latest_id_for_learner(user_id, usage_key) -> int | None:
    return _latest_first(user_id, usage_key).values_list("pk", flat=True).first()


def _latest_first(user_id, usage_key):
    return (Attempt.objects.filter(user_id=user_id, usage_key=usage_key)
            .exclude(status=AttemptStatus.RESET)  # a reset learner starts afresh
            .order_by("-number"))


def awaiting_assessment(usage_key, assessor_id=None) -> list[AttemptData]:
    """Waiting attempts, oldest first; with ``assessor_id``, only those that assessor may
    still score (an issuance policy can keep an attempt waiting for other assessors)."""
    waiting = Attempt.objects.filter(usage_key=usage_key, status=AttemptStatus.SUBMITTED)
    if assessor_id is not None:
        waiting = waiting.exclude(assessments__assessor_id=assessor_id)
    attempts = _with_related(waiting).order_by("submitted_at", "id")
    return [to_data(attempt) for attempt in attempts]


# What showing an attempt reads beyond its row: its scores and its evidence files.
RELATED_READS = ("assessments__criterion_scores", "evidence_files")


def _with_related(queryset):
    return queryset.select_related("definition", "user").prefetch_related(*RELATED_READS)


def to_data(attempt: Attempt, scores: list[CriterionScore] | None = None, *,
            rubric: Rubric | None = None, files=None) -> AttemptData:
    """Convert a stored attempt to public data; ``scores``, ``rubric`` (the attempt's own,
    parsed) and ``files`` (its evidence files) spare reading or parsing them again."""
    rubric = Rubric.from_dict(attempt.rubric) if rubric is None else rubric
    files = attempt.evidence_files.all() if files is None else files
    result = None
    if attempt.status != AttemptStatus.SUBMITTED:
        if scores is None:
            assessments = sorted(attempt.assessments.all(), key=lambda a: (a.created, a.pk))
            scores = policies.combined_rows(
                rubric, [list(a.criterion_scores.all()) for a in assessments]
            ) if assessments else []
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
        learner_name=display_name(user) if user else "",
        links=tuple(attempt.links or ()),
        files=tuple(evidence_files.to_data(f) for f in files),
    )


def _result(attempt, rubric, scores: list[CriterionScore]) -> AttemptResult:
    return AttemptResult(
        score=attempt.score or 0,
        max_score=attempt.max_score,
        percentage=percentage(attempt.score or 0, attempt.max_score),
        passed=attempt.status == AttemptStatus.PASSED,
        criteria=rubric.results_for(scores),
        changed_by_staff=attempt.result_changed_by_staff,
    )


def percentage(score, max_score) -> Decimal:
    """Share of the points earned, rounded to two places for display."""
    return (Decimal(score * 100) / Decimal(max_score)).quantize(Decimal("0.01"))


# --- A learner's history across units ---

def all_for_learner(user_id) -> list[AttemptData]:
    """Every attempt of the learner at any unit, newest first (for the REST API)."""
    attempts = _with_related(Attempt.objects.filter(user_id=user_id)).order_by(
        "-submitted_at", "-id")
    return [to_data(attempt) for attempt in attempts]

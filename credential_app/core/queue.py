"""One assessor's queue at a unit: waiting, claimed (theirs, or locked by others), scored,
and the latest results others scored (which staff may override).

A fixed number of queries however many attempts there are (the submitted ones, those
this assessor scored, the latest results others scored, each with learner, definition,
claim and scores fetched alongside), so a growing queue costs no more queries.
"""
from django.db.models import Count, Exists, OuterRef, Q, prefetch_related_objects
from django.utils import timezone

from credential_app.core import attempts, claims, policies
from credential_app.core.models import Assessment, Attempt, CriterionScore
from credential_app.data import AssessmentQueue, AttemptStatus, QueueItem, QueueStatus, Rubric

# Most recently assessed attempts listed per list; the counts stay exact.
SCORED_SHOWN = 50


def for_assessor(usage_key, assessor_id, status=None, now=None) -> AssessmentQueue:
    """The queue as ``assessor_id`` sees it; ``status`` (a QueueStatus value) filters items."""
    now = now or timezone.now()
    if status is not None:
        status = QueueStatus(status)
    submitted = list(_related(_submitted(usage_key, assessor_id)).order_by("submitted_at", "id"))
    mine = _related(_mine(usage_key, assessor_id)).order_by("-assessed_at", "-id")
    by_others = _related(_by_others(usage_key, assessor_id)).order_by("-assessed_at", "-id")
    counts = {s.value: 0 for s in QueueStatus}
    counts[QueueStatus.SCORED] = mine.count()
    counts[QueueStatus.RESULT] = by_others.count()
    recent, others = list(mine[:SCORED_SHOWN]), list(by_others[:SCORED_SHOWN])
    shown = submitted + recent + others
    # One prefetch over every list: the same queries whichever lists are empty.
    prefetch_related_objects(shown, "evidence_files")
    assessments, scores = _assessments_of(shown)

    def assessed(attempt, state):
        own = next((a for a in assessments.get(attempt.pk, ()) if a.assessor_id == assessor_id),
                   None)
        data = attempts.to_data(attempt, scores=_result_rows(attempt, assessments, scores))
        return QueueItem(data, state, my_scores=data.rubric.results_for(
            scores.get(own.pk, [])) if own is not None else ())

    scored = [assessed(attempt, QueueStatus.SCORED) for attempt in recent]
    results = [assessed(attempt, QueueStatus.RESULT) for attempt in others]
    waiting = []
    for attempt in submitted:
        if any(a.assessor_id == assessor_id for a in assessments.get(attempt.pk, ())):
            continue  # scored by me, still waiting for another assessor: under "scored"
        claim = _live_claim(attempt, now)
        if claim is None:
            state = QueueStatus.WAITING
        elif claim.assessor_id == assessor_id:
            state = QueueStatus.CLAIMED
        else:
            state = QueueStatus.LOCKED
        counts[state] += 1
        waiting.append(QueueItem(attempts.to_data(attempt), state,
                                 claims.to_data(claim) if claim else None))
    items = waiting + scored + results
    if status is not None:
        shown = {status, QueueStatus.LOCKED} if status == QueueStatus.CLAIMED else {status}
        items = [item for item in items if item.status in shown]
    return AssessmentQueue(counts=counts, items=tuple(items))


def counts_for(usage_key, assessor_id, now=None) -> dict:
    """The queue's counts alone (what the assessor view refreshes while it is open): one
    aggregate over the waiting attempts and two counts, whatever the queue holds."""
    now = now or timezone.now()
    live = Q(claim__expires_at__gt=now)
    waiting = _submitted(usage_key, assessor_id).exclude(
        assessments__assessor_id=assessor_id).aggregate(
        waiting=Count("id", filter=~live), claimed=Count(
            "id", filter=live & Q(claim__assessor_id=assessor_id)),
        locked=Count("id", filter=live & ~Q(claim__assessor_id=assessor_id)))
    return {**{s.value: 0 for s in QueueStatus}, **waiting,
            QueueStatus.SCORED.value: _mine(usage_key, assessor_id).count(),
            QueueStatus.RESULT.value: _by_others(usage_key, assessor_id).count()}


def _submitted(usage_key, assessor_id):
    return Attempt.objects.filter(usage_key=usage_key, status=AttemptStatus.SUBMITTED).exclude(
        user_id=assessor_id)


def _mine(usage_key, assessor_id):
    return Attempt.objects.filter(usage_key=usage_key, assessments__assessor_id=assessor_id
                                  ).exclude(status=AttemptStatus.RESET)


def _by_others(usage_key, assessor_id):
    """Each learner's latest assessed attempt that others scored (staff may override it)."""
    later = Attempt.objects.filter(user_id=OuterRef("user_id"), usage_key=usage_key,
                                   number__gt=OuterRef("number")).exclude(
                                       status=AttemptStatus.RESET)
    return (Attempt.objects.filter(usage_key=usage_key,
                                   status__in=[AttemptStatus.PASSED, AttemptStatus.FAILED])
            .exclude(user_id=assessor_id).exclude(assessments__assessor_id=assessor_id)
            .exclude(Exists(later)))


def _live_claim(attempt, now):
    try:
        claim = attempt.claim
    except Attempt.claim.RelatedObjectDoesNotExist:
        return None
    return claim if claim.expires_at > now else None


def _assessments_of(attempt_list):
    """Assessments and criterion scores of these attempts, in two queries whatever the
    number (a nested prefetch would skip its query when nothing was scored yet)."""
    ids = [attempt.pk for attempt in attempt_list]
    if not ids:
        return {}, {}
    by_attempt, by_assessment = {}, {}
    for assessment in Assessment.objects.filter(attempt_id__in=ids).order_by("created", "id"):
        by_attempt.setdefault(assessment.attempt_id, []).append(assessment)
    for score in CriterionScore.objects.filter(assessment__attempt_id__in=ids):
        by_assessment.setdefault(score.assessment_id, []).append(score)
    return by_attempt, by_assessment


def _result_rows(attempt, assessments, scores):
    """The criterion scores a result shows, combined as ``attempts.to_data`` combines them."""
    done = assessments.get(attempt.pk)
    if not done:
        return []
    return policies.combined_rows(Rubric.from_dict(attempt.rubric),
                                  [scores.get(a.pk, []) for a in done])


def _related(queryset):
    return queryset.select_related("definition", "user", "claim__assessor")

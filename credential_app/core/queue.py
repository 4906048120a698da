"""One assessor's queue at a unit: waiting, claimed (theirs, or locked by others), scored,
and the latest results others scored (which staff may override).

A fixed number of queries however many attempts there are (the submitted ones, those
this assessor scored, the latest results others scored, each with learner, definition,
claim and scores fetched alongside), so a growing queue costs no more queries.
"""
from django.db.models import Case, Count, Exists, OuterRef, Q, When, prefetch_related_objects
from django.utils import timezone

from credential_app.core import attempts, claims, policies
from credential_app.core.models import Assessment, Attempt, CriterionScore
from credential_app.data import AssessmentQueue, AttemptStatus, QueueItem, QueueStatus, Rubric

# Attempts listed per list and page; the counts stay exact, and "show more" asks for the
# next page of one list (``page_of``), so the view costs the same with 10 or 10,000 waiting.
PAGE_SIZE = 25
LISTS = ("waiting", "claimed", "scored", "result")
MAX_OFFSET = 1_000_000


def for_assessor(usage_key, assessor_id, status=None, now=None) -> AssessmentQueue:
    """The queue as ``assessor_id`` sees it: exact counts and the first page of each list;
    ``status`` (a QueueStatus value) keeps only that list."""
    now = now or timezone.now()
    if status is not None:
        status = QueueStatus(status)
    counts = counts_for(usage_key, assessor_id, now=now)
    wanted = LISTS if status is None else (
        "claimed" if status in (QueueStatus.CLAIMED, QueueStatus.LOCKED) else status.value,)
    pages = {name: _page(usage_key, assessor_id, name, 0, now) for name in wanted}
    items = _items(pages, assessor_id, now)
    total = {"waiting": counts[QueueStatus.WAITING],
             "claimed": counts[QueueStatus.CLAIMED] + counts[QueueStatus.LOCKED],
             "scored": counts[QueueStatus.SCORED], "result": counts[QueueStatus.RESULT]}
    return AssessmentQueue(counts=counts, items=tuple(items),
                           more={name: total[name] > len(pages[name]) for name in pages})


def page_of(usage_key, assessor_id, list_name, offset, now=None) -> tuple[list, bool]:
    """One more page of one list (``LISTS``) from ``offset``: its items, and whether more
    follow."""
    if list_name not in LISTS:
        raise ValueError(f"No queue list {list_name!r}")
    now = now or timezone.now()
    offset = max(0, min(int(offset), MAX_OFFSET))
    rows = _page(usage_key, assessor_id, list_name, offset, now, extra=1)
    more = len(rows) > PAGE_SIZE
    return _items({list_name: rows[:PAGE_SIZE]}, assessor_id, now), more


def _page(usage_key, assessor_id, list_name, offset, now, extra=0):
    """The attempts of one list, a page from ``offset`` (plus ``extra`` to see if more
    follow), each with learner, definition and claim."""
    live = Q(claim__expires_at__gt=now)
    if list_name in ("waiting", "claimed"):
        open_ = _submitted(usage_key, assessor_id).exclude(assessments__assessor_id=assessor_id)
        if list_name == "waiting":
            ordered = open_.exclude(live).order_by("submitted_at", "id")
        else:  # the assessor's own claims first, then those others hold
            ordered = open_.filter(live).order_by(
                Case(When(claim__assessor_id=assessor_id, then=0), default=1),
                "submitted_at", "id")
    elif list_name == "scored":
        ordered = _mine(usage_key, assessor_id).order_by("-assessed_at", "-id")
    else:
        ordered = _by_others(usage_key, assessor_id).order_by("-assessed_at", "-id")
    return list(_related(ordered)[offset:offset + PAGE_SIZE + extra])


def _items(pages, assessor_id, now) -> list[QueueItem]:
    shown = [attempt for rows in pages.values() for attempt in rows]
    # One prefetch over every list: the same queries whichever lists are empty.
    prefetch_related_objects(shown, "evidence_files")
    assessments, scores = _assessments_of(shown)

    def assessed(attempt, state):
        own = next((a for a in assessments.get(attempt.pk, ()) if a.assessor_id == assessor_id),
                   None)
        data = attempts.to_data(attempt, scores=_result_rows(attempt, assessments, scores))
        return QueueItem(data, state, my_scores=data.rubric.results_for(
            scores.get(own.pk, [])) if own is not None else ())

    items = []
    for name in LISTS:
        for attempt in pages.get(name, ()):
            if name in ("scored", "result"):
                items.append(assessed(attempt, QueueStatus(name)))
                continue
            claim = _live_claim(attempt, now)
            if claim is None:
                state = QueueStatus.WAITING
            elif claim.assessor_id == assessor_id:
                state = QueueStatus.CLAIMED
            else:
                state = QueueStatus.LOCKED
            items.append(QueueItem(attempts.to_data(attempt), state,
                                   claims.to_data(claim) if claim else None))
    return items


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

"""One assessor's queue at a unit: waiting, claimed (theirs, or locked by others), scored,
and the latest results others scored (which staff may override).

A fixed number of queries however many attempts there are (the submitted ones, those
this assessor scored, the latest results others scored, each with learner, definition,
claim and scores fetched alongside), so a growing queue costs no more queries; and none
reads the waiting attempts beyond a page: their count is kept (``QueueTally``), the
claimed ones are found from the live claims (a few), and the waiting page walks the
unit's index in hand-in order.
"""
from django.db import connection
from django.db.models import Case, Exists, OuterRef, When, prefetch_related_objects
from django.utils import timezone

from credential_app.core import attempts, claims, policies, queue_tally
from credential_app.core.models import (
    Assessment,
    AssessmentClaim,
    Attempt,
    CriterionScore,
    QueueTally,
)
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
    claimed = _live_claims(usage_key, assessor_id, now)
    counts = counts_for(usage_key, assessor_id, now=now, claimed=claimed)
    wanted = LISTS if status is None else (
        "claimed" if status in (QueueStatus.CLAIMED, QueueStatus.LOCKED) else status.value,)
    pages = {name: _page(usage_key, assessor_id, name, 0, now, claimed=claimed)
             for name in wanted}
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


def _page(usage_key, assessor_id, list_name, offset, now, extra=0, claimed=None):
    """The attempts of one list, a page from ``offset`` (plus ``extra`` to see if more
    follow), each with learner, definition and claim. ``claimed``: the open attempts under
    a live claim (``_live_claims``), when already read."""
    if list_name in ("waiting", "claimed"):
        if claimed is None:
            claimed = _live_claims(usage_key, assessor_id, now)
        if list_name == "waiting":  # in the unit's index order, the few claimed left out
            ordered = (_submitted(usage_key, assessor_id)
                       .exclude(assessments__assessor_id=assessor_id)
                       .exclude(pk__in=list(claimed)).order_by("submitted_at", "id"))
            # The page's ids alone first: a walk of the unit's index that stops at the
            # page. Joined to learners and definitions at once, the database may read and
            # sort every waiting attempt instead (MariaDB did, at 10,000).
            ids = list(ordered.values_list("pk", flat=True)[offset:offset + PAGE_SIZE + extra])
            # (id 0 never exists: an empty page still costs its query, so the view's
            # query count does not depend on what the lists hold)
            found = {a.pk: a for a in _related(Attempt.objects.filter(pk__in=ids or [0]))}
            return [found[pk] for pk in ids if pk in found]
        else:  # the assessor's own claims first, then those others hold
            ordered = Attempt.objects.filter(pk__in=list(claimed)).order_by(
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


def counts_for(usage_key, assessor_id, now=None, claimed=None) -> dict:
    """The queue's counts alone (what the assessor view refreshes while it is open, and
    every claim and scoring answers with). The waiting attempts are counted from the
    unit's tally, less those this assessor handed in or scored already and those under a
    live claim: none of them is read."""
    now = now or timezone.now()
    if claimed is None:
        claimed = _live_claims(usage_key, assessor_id, now)
    unit, scored_waiting, own, scored, results = _counted(usage_key, assessor_id)
    open_ = unit - own - (scored_waiting if assessor_id != queue_tally.UNIT else 0)
    mine = sum(1 for holder in claimed.values() if holder == assessor_id)
    return {**{s.value: 0 for s in QueueStatus},
            QueueStatus.WAITING.value: max(open_ - len(claimed), 0),
            QueueStatus.CLAIMED.value: mine, QueueStatus.LOCKED.value: len(claimed) - mine,
            QueueStatus.SCORED.value: scored, QueueStatus.RESULT.value: results}


def _counted(usage_key, assessor_id) -> tuple[int, int, int, int, int]:
    """The unit's waiting tally, the tally of those this assessor scored already, the
    assessor's own waiting attempts, the count of ``_mine`` and of ``_by_others``: one
    statement. Written out in SQL (the same conditions as those querysets, which list the
    attempts; a test holds counts and lists together) because building the five queries
    through the ORM cost more than 8 ms of CPU per answer, and every claim and scoring
    answers with the counts."""
    quote = connection.ops.quote_name
    attempt, assessment, tally = (quote(model._meta.db_table)
                                  for model in (Attempt, Assessment, QueueTally))
    unit, decided = str(usage_key), (AttemptStatus.PASSED.value, AttemptStatus.FAILED.value)
    reset = AttemptStatus.RESET.value
    # Table names are the models' own; every value is a parameter.
    sql = (
        f"SELECT (SELECT SUM(waiting) FROM {tally} WHERE usage_key = %s AND assessor_id = %s), "  # noqa: S608
        f"(SELECT SUM(waiting) FROM {tally} WHERE usage_key = %s AND assessor_id = %s), "
        f"(SELECT COUNT(*) FROM {attempt} WHERE user_id = %s AND usage_key = %s "
        f"AND status = %s), "
        f"(SELECT COUNT(*) FROM {attempt} INNER JOIN {assessment} "
        f"ON {assessment}.attempt_id = {attempt}.id WHERE {attempt}.usage_key = %s "
        f"AND {assessment}.assessor_id = %s AND {attempt}.status <> %s), "
        f"(SELECT COUNT(*) FROM {attempt} decided WHERE decided.usage_key = %s "
        f"AND decided.status IN (%s, %s) AND decided.user_id <> %s "
        f"AND NOT EXISTS (SELECT 1 FROM {assessment} WHERE {assessment}.attempt_id = decided.id "
        f"AND {assessment}.assessor_id = %s) "
        f"AND NOT EXISTS (SELECT 1 FROM {attempt} later WHERE later.user_id = decided.user_id "
        f"AND later.usage_key = %s AND later.number > decided.number AND later.status <> %s))")
    params = [unit, queue_tally.UNIT, unit, assessor_id,
              assessor_id, unit, AttemptStatus.SUBMITTED.value,
              unit, assessor_id, reset,
              unit, *decided, assessor_id, assessor_id, unit, reset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return tuple(int(value or 0) for value in row)


def _live_claims(usage_key, assessor_id, now) -> dict:
    """{attempt id: claim holder} of the open attempts (waiting, not the assessor's own,
    not scored by them) under a live claim: read from the live claims, which are few
    whatever the queue holds (each lapses after ``CLAIM_MINUTES``)."""
    live = dict(AssessmentClaim.objects.filter(expires_at__gt=now).values_list(
        "attempt_id", "assessor_id"))
    if not live:
        return {}
    # The conditions of ``_submitted`` less those scored by the assessor, in SQL for the
    # reason ``_counted`` gives; the ids given keep it to the claimed attempts.
    quote = connection.ops.quote_name
    attempt, assessment = quote(Attempt._meta.db_table), quote(Assessment._meta.db_table)
    ids = sorted(live)
    sql = (
        f"SELECT id FROM {attempt} WHERE id IN ({', '.join(['%s'] * len(ids))}) "  # noqa: S608
        f"AND usage_key = %s AND status = %s AND user_id <> %s "
        f"AND NOT EXISTS (SELECT 1 FROM {assessment} WHERE {assessment}.attempt_id = "
        f"{attempt}.id AND {assessment}.assessor_id = %s)")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, str(usage_key), AttemptStatus.SUBMITTED.value, assessor_id,
                             assessor_id])
        return {pk: live[pk] for (pk,) in cursor.fetchall()}


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

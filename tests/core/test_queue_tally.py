"""The assessor queue's counts come from a kept tally, not from reading the waiting
attempts; after hand-ins, first and second assessments, claims, a reset and an assessor's
own attempt, they equal the counts read from the attempts themselves, and the kept tally
equals one rebuilt from scratch."""
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone

from credential_app import api
from credential_app.core import queue
from credential_app.data import AttemptStatus, QueueStatus
from credential_app.models import Attempt, IssuancePolicy, QueueTally
from tests.reports_helpers import FAIL, PASS, RUBRIC, UNIT_A, UNIT_B, World, scores

pytestmark = pytest.mark.django_db


def counted_from_the_attempts(usage_key, assessor_id):
    """The counts as the queue read them before the tally: one pass over the waiting."""
    now = timezone.now()
    live = Q(claim__expires_at__gt=now)
    return Attempt.objects.filter(usage_key=usage_key, status=AttemptStatus.SUBMITTED).exclude(
        user_id=assessor_id).exclude(assessments__assessor_id=assessor_id).aggregate(
        waiting=Count("id", filter=~live),
        claimed=Count("id", filter=live & Q(claim__assessor_id=assessor_id)),
        locked=Count("id", filter=live & ~Q(claim__assessor_id=assessor_id)))


def hand_in(learner, unit=UNIT_A):
    return api.submit_attempt(user_id=learner.pk, usage_key=unit,
                              credential_slug="safety" if unit == UNIT_A else "aid",
                              rubric=RUBRIC, evidence_text="Walked the site.",
                              max_evidence_length=1000).id


@pytest.fixture
def busy(db):
    """Safety needs two assessors. Of eleven attempts at unit A: some untouched, some
    scored once (waiting for a second), some settled, some claimed, one reset, and one
    handed in by an assessor (who may not score it)."""
    w = World()
    IssuancePolicy.objects.filter(definition=w.safety).update(required_assessments=2)
    first, second, third = w.assessors
    ids = [hand_in(w.learner()) for _ in range(9)]
    ids.append(hand_in(first))  # an assessor's own attempt
    ids.append(hand_in(w.learner(), UNIT_B))  # another unit
    for attempt_id in ids[:4]:  # scored once by the first assessor: still waiting
        api.record_assessment(attempt_id=attempt_id, usage_key=UNIT_A,
                              assessor_id=first.pk, scores=scores(PASS))
    for attempt_id in ids[:2]:  # and a second time: settled
        api.record_assessment(attempt_id=attempt_id, usage_key=UNIT_A,
                              assessor_id=second.pk, scores=scores(FAIL))
    api.claim_attempt(attempt_id=ids[4], usage_key=UNIT_A, assessor_id=first.pk)
    api.claim_attempt(attempt_id=ids[5], usage_key=UNIT_A, assessor_id=second.pk)
    api.claim_attempt(attempt_id=ids[3], usage_key=UNIT_A, assessor_id=third.pk)
    reset = Attempt.objects.get(pk=ids[6])
    api.reset_learner_state(user_id=reset.user_id, usage_key=UNIT_A, requested_by=w.admin.pk)
    return w


def test_counts_equal_the_attempts_for_every_assessor(busy):
    someone_new = get_user_model().objects.create_user("new-assessor", is_staff=True)
    for assessor in [*busy.assessors, someone_new]:
        counts = queue.counts_for(UNIT_A, assessor.pk)
        expected = counted_from_the_attempts(UNIT_A, assessor.pk)
        assert {k: counts[getattr(QueueStatus, k.upper()).value] for k in expected} == \
            expected, assessor.username
    # seven wait at unit A (two settled, one reset), three of them under a claim
    assert counted_from_the_attempts(UNIT_A, someone_new.pk) == {
        "waiting": 4, "claimed": 0, "locked": 3}


def test_the_view_lists_what_the_counts_say(busy):
    first = busy.assessors[0]
    view = queue.for_assessor(UNIT_A, first.pk)
    shown = {}
    for item in view.items:
        shown[item.status] = shown.get(item.status, 0) + 1
    assert shown.get(QueueStatus.WAITING, 0) == view.counts[QueueStatus.WAITING.value]
    assert shown.get(QueueStatus.CLAIMED, 0) == view.counts[QueueStatus.CLAIMED.value] == 1


def test_kept_tally_equals_a_rebuilt_one(busy):
    def tally():
        return sorted((row.usage_key, row.assessor_id, row.slot, row.waiting)
                      for row in QueueTally.objects.exclude(waiting=0))

    kept = tally()
    assert kept  # something waits
    call_command("rebuild_report_summaries", verbosity=0)
    assert tally() == kept

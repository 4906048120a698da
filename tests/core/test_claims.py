"""Claims on attempts, the assessor's queue, overrides and resets, through the app's API."""
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from opaque_keys.edx.keys import UsageKey

from credential_app import api, models
from credential_app.core import claims
from credential_app.core.audit import AuditAction
from credential_app.data import AttemptStatus, CriterionScore, QueueStatus, Rubric
from credential_app.lib.dates import human_datetime
from credential_app.models import AssessmentClaim, Attempt, AuditEntry, Credential
from tests.concurrency import race, row_locks

UNIT = UsageKey.from_string("block-v1:Org+Course+Run+type@credential_assessment+block@unit1")
RUBRIC = Rubric.from_dict({"criteria": [
    {"name": "a", "label": "A", "levels": [{"name": "no", "points": 0},
                                           {"name": "yes", "points": 3}]},
]})
PASS = [CriterionScore("a", "yes")]
FAIL = [CriterionScore("a", "no")]


@pytest.fixture
def staff2(db):
    return get_user_model().objects.create_user("staff2", first_name="Kim", last_name="Reviewer",
                                                is_staff=True)


def submit(user):
    return api.submit_attempt(user_id=user.pk, usage_key=UNIT,
                              credential_slug="workplace-safety-practitioner", rubric=RUBRIC,
                              evidence_text="evidence", max_evidence_length=100)


def claim(attempt, assessor):
    return api.claim_attempt(attempt_id=attempt.id, usage_key=UNIT, assessor_id=assessor.pk)


def score(attempt, assessor, scores=PASS):
    return api.record_assessment(attempt_id=attempt.id, usage_key=UNIT, assessor_id=assessor.pk,
                                 scores=scores)


def lapse(attempt):
    """Make the claim on ``attempt`` lapse, as if its time had run out."""
    AssessmentClaim.objects.filter(attempt_id=attempt.id).update(
        expires_at=timezone.now() - timedelta(seconds=1))


def audit_of(action):
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


# ---- claims -----------------------------------------------------------------------------

def test_a_claim_lasts_the_configured_minutes(settings, people, definition):
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "CLAIM_MINUTES": 10}
    attempt = submit(people["learner"])
    before = timezone.now()

    held = claim(attempt, people["staff"])

    assert (held.attempt_id, held.assessor_id, held.assessor_name) == (
        attempt.id, people["staff"].pk, "Sam Assessor")
    assert before + timedelta(minutes=10) <= held.expires_at <= timezone.now() + timedelta(
        minutes=10)
    [entry] = audit_of(AuditAction.CLAIM)
    assert (entry.actor_id, entry.learner_id, entry.details["event"]) == (
        people["staff"].pk, people["learner"].pk, "claimed")


def test_the_default_claim_is_thirty_minutes(people, definition):
    held = claim(submit(people["learner"]), people["staff"])
    assert timedelta(minutes=29) < held.expires_at - timezone.now() <= timedelta(minutes=30)


def test_claiming_what_someone_else_holds_says_who_and_until_when(people, definition, staff2):
    attempt = submit(people["learner"])
    held = claim(attempt, people["staff"])

    with pytest.raises(api.AssessmentNotAllowed) as refused:
        claim(attempt, staff2)

    assert "Sam Assessor is assessing this attempt" in refused.value.message
    assert human_datetime(held.expires_at) in refused.value.message
    assert AssessmentClaim.objects.get().assessor == people["staff"]


def test_a_lapsed_claim_is_taken_over_in_the_same_row(people, definition, staff2):
    attempt = submit(people["learner"])
    claim(attempt, people["staff"])
    row_id = AssessmentClaim.objects.get().pk
    lapse(attempt)

    taken = claim(attempt, staff2)

    assert taken.assessor_id == staff2.pk and taken.expires_at > timezone.now()
    assert list(AssessmentClaim.objects.values_list("pk", "assessor")) == [(row_id, staff2.pk)]
    assert audit_of(AuditAction.CLAIM)[-1].details["taken_over_from"] == people["staff"].pk


def test_expiry_can_be_judged_at_a_given_moment(people, definition, staff2):
    attempt = submit(people["learner"])
    held = claim(attempt, people["staff"])
    with pytest.raises(api.AssessmentNotAllowed):
        claims.claim(attempt_id=attempt.id, usage_key=UNIT, assessor_id=staff2.pk,
                     now=held.expires_at - timedelta(seconds=1))
    later = claims.claim(attempt_id=attempt.id, usage_key=UNIT, assessor_id=staff2.pk,
                         now=held.expires_at)
    assert later.assessor_id == staff2.pk


@pytest.mark.db_server
def test_one_claim_row_per_attempt_is_a_database_rule(people, definition, staff2):
    attempt = submit(people["learner"])
    claim(attempt, people["staff"])
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentClaim.objects.create(attempt_id=attempt.id, assessor=staff2,
                                       expires_at=timezone.now() + timedelta(minutes=5))


def test_claiming_again_renews_ones_own_claim(people, definition):
    attempt = submit(people["learner"])
    first = claims.claim(attempt_id=attempt.id, usage_key=UNIT, assessor_id=people["staff"].pk,
                         now=timezone.now() - timedelta(minutes=20))
    renewed = claim(attempt, people["staff"])
    assert renewed.expires_at > first.expires_at
    assert AssessmentClaim.objects.count() == 1


@pytest.mark.parametrize("case, message", [
    ("own", "You cannot assess your own attempt."),
    ("assessed", "no longer waiting for assessment"),
    ("other unit", "does not exist in this assessment"),
])
def test_claims_that_make_no_sense_are_refused(people, definition, case, message):
    attempt = submit(people["learner"])
    assessor = people["staff"]
    unit = UNIT
    if case == "own":
        assessor = people["learner"]
    elif case == "assessed":
        score(attempt, people["staff"])
    else:
        unit = UNIT.course_key.make_usage_key("credential_assessment", "elsewhere")
    with pytest.raises((api.AssessmentNotAllowed, api.AttemptNotFound), match=message):
        api.claim_attempt(attempt_id=attempt.id, usage_key=unit, assessor_id=assessor.pk)
    assert not AssessmentClaim.objects.exists()


def test_releasing_lets_another_assessor_claim(people, definition, staff2):
    attempt = submit(people["learner"])
    claim(attempt, people["staff"])
    with pytest.raises(api.AssessmentNotAllowed, match="You hold no claim"):
        api.release_claim(attempt_id=attempt.id, usage_key=UNIT, assessor_id=staff2.pk)

    api.release_claim(attempt_id=attempt.id, usage_key=UNIT, assessor_id=people["staff"].pk)

    assert claim(attempt, staff2).assessor_id == staff2.pk
    assert [e.details["event"] for e in audit_of(AuditAction.CLAIM)] == [
        "claimed", "released", "claimed"]


# ---- scoring under claims ---------------------------------------------------------------

def test_scoring_an_attempt_someone_else_claimed_is_refused(people, definition, staff2):
    attempt = submit(people["learner"])
    claim(attempt, people["staff"])

    with pytest.raises(api.AssessmentNotAllowed, match="Sam Assessor is assessing"):
        score(attempt, staff2)

    assert Attempt.objects.get(pk=attempt.id).status == AttemptStatus.SUBMITTED
    assert not Attempt.objects.get(pk=attempt.id).assessments.exists()


def test_scoring_after_the_claim_lapsed_is_allowed(people, definition, staff2):
    attempt = submit(people["learner"])
    claim(attempt, people["staff"])
    lapse(attempt)
    assert score(attempt, staff2).attempt.result.passed


def test_the_claim_holder_scores_and_the_claim_ends(people, definition):
    attempt = submit(people["learner"])
    claim(attempt, people["staff"])
    outcome = score(attempt, people["staff"])
    assert outcome.attempt.result.passed
    assert not AssessmentClaim.objects.exists()


# ---- the queue --------------------------------------------------------------------------

def test_queue_counts_and_filters(people, definition, staff2):
    User = get_user_model()
    learners = [people["learner"], people["learner2"],
                *(User.objects.create_user(f"l{i}") for i in range(3))]
    attempts = [submit(learner) for learner in learners]
    claim(attempts[0], people["staff"])  # mine
    claim(attempts[1], staff2)  # someone else's: locked
    score(attempts[2], people["staff"])  # scored by me
    score(attempts[3], staff2)  # scored by someone else: a result I may override
    me = people["staff"].pk

    queue = api.get_assessment_queue(UNIT, me)

    assert queue.counts == {"waiting": 1, "claimed": 1, "locked": 1, "scored": 1, "result": 1}
    by_status = {item.attempt.id: item.status for item in queue.items}
    assert by_status == {attempts[4].id: QueueStatus.WAITING, attempts[0].id: QueueStatus.CLAIMED,
                         attempts[1].id: QueueStatus.LOCKED, attempts[2].id: QueueStatus.SCORED,
                         attempts[3].id: QueueStatus.RESULT}
    locked = next(item for item in queue.items if item.status == QueueStatus.LOCKED)
    assert (locked.claim.assessor_name, locked.claim.assessor_id) == ("Kim Reviewer", staff2.pk)
    assert [i.attempt.id for i in api.get_assessment_queue(UNIT, me, "waiting").items] == [
        attempts[4].id]
    assert {i.attempt.id for i in api.get_assessment_queue(UNIT, me, "claimed").items} == {
        attempts[0].id, attempts[1].id}
    [scored] = api.get_assessment_queue(UNIT, me, "scored").items
    assert scored.attempt.result.passed and scored.attempt.result.criteria[0].level == "yes"
    with pytest.raises(ValueError):
        api.get_assessment_queue(UNIT, me, "everything")


@pytest.mark.db_server  # counted in SQL, from the tally and the live claims
def test_queue_counts_alone_match_the_queue_in_every_state(people, definition, staff2):
    User = get_user_model()
    learners = [people["learner"], people["learner2"],
                *(User.objects.create_user(f"l{i}") for i in range(4))]
    attempts = [submit(learner) for learner in learners]
    claim(attempts[0], people["staff"])
    claim(attempts[1], staff2)
    claim(attempts[5], staff2)
    lapse(attempts[5])  # a lapsed claim: waiting again
    score(attempts[2], people["staff"])
    score(attempts[3], staff2)
    for assessor in (people["staff"], staff2):
        counts = api.get_queue_counts(UNIT, assessor.pk)
        assert counts == api.get_assessment_queue(UNIT, assessor.pk).counts
    assert api.get_queue_counts(UNIT, people["staff"].pk) == {
        "waiting": 2, "claimed": 1, "locked": 1, "scored": 1, "result": 1}
    with CaptureQueriesContext(connection) as queries:
        api.get_queue_counts(UNIT, people["staff"].pk)
    # live claims, the open ones among them, then one statement for the unit's tally, the
    # assessor's own attempts waiting, scored, results: none reads the waiting attempts
    # (decision 0016)
    assert len(queries) == 3


def test_the_queue_says_what_each_assessor_scored_per_criterion(people, definition, staff2):
    attempt = submit(people["learner"])
    score(attempt, people["staff"], [CriterionScore("a", "no", "Nothing on the walkway.")])
    [mine] = api.get_assessment_queue(UNIT, people["staff"].pk, "scored").items
    assert [(r.criterion_label, r.level, r.points, r.max_points, r.comment)
            for r in mine.my_scores] == [("A", "no", 0, 3, "Nothing on the walkway.")]
    [theirs] = api.get_assessment_queue(UNIT, staff2.pk, "result").items
    assert theirs.my_scores == ()  # staff2 scored nothing


def test_a_lapsed_claim_puts_the_attempt_back_to_waiting(people, definition, staff2):
    attempt = submit(people["learner"])
    claim(attempt, staff2)
    lapse(attempt)
    assert api.get_assessment_queue(UNIT, people["staff"].pk).counts["waiting"] == 1


def test_staff_never_see_their_own_attempt_in_their_queue(people, definition):
    submit(people["staff"])
    assert api.get_assessment_queue(UNIT, people["staff"].pk).items == ()


@pytest.mark.db_server
def test_queue_queries_do_not_grow_with_the_queue(people, definition, staff2):
    User = get_user_model()
    me = people["staff"].pk

    def queries():
        with CaptureQueriesContext(connection) as captured:
            api.get_assessment_queue(UNIT, me)
        return len(captured)

    def add_learners(count, tag):
        made = []
        for i in range(count):
            made.append(submit(User.objects.create_user(f"{tag}{i}")))
        claim(made[0], people["staff"])
        claim(made[1], staff2)
        score(made[2], people["staff"], FAIL)
        score(made[3], staff2, FAIL)
        return made

    add_learners(4, "a")
    few = queries()
    add_learners(12, "b")
    assert queries() == few


# ---- overrides --------------------------------------------------------------------------

def override(attempt, staff, passed, reason="Assessor misread the evidence."):
    return api.override_result(attempt_id=attempt.id, usage_key=UNIT, staff_id=staff.pk,
                               passed=passed, reason=reason)


def test_override_fail_to_pass_issues_the_credential_and_is_audited(people, definition):
    attempt = score(submit(people["learner"]), people["staff"], FAIL).attempt

    outcome = override(attempt, people["staff"], True)

    assert outcome.attempt.status == AttemptStatus.PASSED and outcome.attempt.result.passed
    assert outcome.credential is not None
    assert Credential.objects.get().attempt_id == attempt.id
    [entry] = audit_of(AuditAction.OVERRIDE)
    assert (entry.actor_id, entry.learner_id, entry.reason) == (
        people["staff"].pk, people["learner"].pk, "Assessor misread the evidence.")
    assert entry.details["before"] == {"passed": False, "status": "failed", "score": 0,
                                       "max_score": 3}
    assert entry.details["after"] == {"passed": True, "status": "passed", "score": 0,
                                      "max_score": 3}
    assert entry.details["credential_issued"] == outcome.credential.uuid


@pytest.mark.parametrize("reason", ["", "   ", None, "x" * 2001])
def test_override_needs_a_reason_and_changes_nothing_without_one(people, definition, reason):
    attempt = score(submit(people["learner"]), people["staff"], FAIL).attempt
    with pytest.raises(api.InvalidAssessment) as refused:
        override(attempt, people["staff"], True, reason=reason)
    assert refused.value.field == "reason"
    assert Attempt.objects.get(pk=attempt.id).status == AttemptStatus.FAILED
    assert not Credential.objects.exists() and not audit_of(AuditAction.OVERRIDE)


def test_override_refuses_what_it_cannot_change(people, definition):
    waiting = submit(people["learner"])
    with pytest.raises(api.AssessmentNotAllowed, match="not assessed"):
        override(waiting, people["staff"], True)
    passed = score(waiting, people["staff"]).attempt
    with pytest.raises(api.AssessmentNotAllowed, match="already passed"):
        override(passed, people["staff"], True)
    with pytest.raises(api.AssessmentNotAllowed, match="your own attempt"):
        override(passed, people["learner"], False)
    assert not audit_of(AuditAction.OVERRIDE)


def test_only_the_latest_attempt_can_be_overridden(people, definition):
    first = score(submit(people["learner"]), people["staff"], FAIL).attempt
    submit(people["learner"])
    with pytest.raises(api.AssessmentNotAllowed, match="later attempt"):
        override(first, people["staff"], True)


def test_override_pass_to_fail_revokes_the_credential_it_issued(people, definition):
    outcome = score(submit(people["learner"]), people["staff"])
    assert outcome.credential is not None

    changed = override(outcome.attempt, people["staff"], False, reason="Plagiarised evidence.")

    assert changed.attempt.status == AttemptStatus.FAILED and changed.credential is None
    credential = Credential.objects.get()
    assert credential.status == "revoked"
    [entry] = audit_of(AuditAction.OVERRIDE)
    assert entry.details["credential_revoked"] == str(credential.uuid)
    assert entry.reason == "Plagiarised evidence."


# ---- reset ------------------------------------------------------------------------------

def test_reset_marks_attempts_reset_drops_claims_and_is_audited(people, definition, staff2):
    score(submit(people["learner"]), people["staff"], FAIL)
    second = submit(people["learner"])
    claim(second, staff2)

    reset_ids = api.reset_learner_state(user_id=people["learner"].pk, usage_key=UNIT,
                                        requested_by=people["staff"].pk)

    assert len(reset_ids) == 2
    assert set(Attempt.objects.values_list("status", flat=True)) == {AttemptStatus.RESET}
    assert not AssessmentClaim.objects.exists()
    [entry] = audit_of(AuditAction.RESET)
    assert (entry.actor_id, entry.learner_id) == (people["staff"].pk, people["learner"].pk)
    assert entry.details["attempt_ids"] == reset_ids
    status = api.get_retake_status(people["learner"].pk, UNIT)
    assert status.may_start and status.attempts_used == 0
    assert api.get_latest_attempt(people["learner"].pk, UNIT) is None
    assert api.get_assessment_queue(UNIT, people["staff"].pk).items == ()
    assert submit(people["learner"]).number == 3  # numbers go on; the reset ones stay on record


def test_reset_touches_only_that_learner_and_unit(people, definition):
    other = submit(people["learner2"])
    api.reset_learner_state(user_id=people["learner"].pk, usage_key=UNIT, requested_by=None)
    assert Attempt.objects.get(pk=other.id).status == AttemptStatus.SUBMITTED


# ---- concurrency on MariaDB/MySQL -------------------------------------------------------

@row_locks
def test_two_assessors_claiming_at_once_get_one_claim(people, definition, staff2):
    attempt = submit(people["learner"])
    assessors = (people["staff"], staff2)

    outcomes = race(2, lambda i: claim(attempt, assessors[i]))

    won = [value for kind, value in outcomes if kind == "ok"]
    lost = [value for kind, value in outcomes if kind == "error"]
    assert len(won) == 1 and len(lost) == 1 and isinstance(lost[0], api.AssessmentNotAllowed)
    assert AssessmentClaim.objects.get().assessor_id == won[0].assessor_id


def test_an_overridden_pass_waits_for_approval_when_the_definition_asks(people, definition):
    models.IssuancePolicy.objects.create(definition=definition, requires_approval=True)
    attempt = score(submit(people["learner"]), people["staff"], FAIL).attempt

    outcome = override(attempt, people["staff"], True)

    assert outcome.credential.status == "pending_approval"


def test_results_list_only_each_learners_latest_result(people, definition, staff2):
    first = score(submit(people["learner"]), staff2, FAIL).attempt
    assert [i.attempt.id for i in api.get_assessment_queue(UNIT, people["staff"].pk,
                                                           "result").items] == [first.id]
    second = submit(people["learner"])
    queue = api.get_assessment_queue(UNIT, people["staff"].pk)
    assert queue.counts["result"] == 0
    assert [i.attempt.id for i in queue.items] == [second.id]
    score(second, staff2, PASS)
    [latest] = api.get_assessment_queue(UNIT, people["staff"].pk, "result").items
    assert latest.attempt.id == second.id and latest.attempt.result.passed


@row_locks
def test_a_claim_and_a_claimless_scoring_racing_never_both_succeed(people, definition, staff2):
    attempt = submit(people["learner"])
    actions = {"claim": lambda: claim(attempt, staff2),
               "score": lambda: score(attempt, people["staff"])}

    outcomes = race(2, lambda i: list(actions.values())[i]())

    results = dict(zip(actions, (value for _kind, value in outcomes), strict=True))
    assert all(kind == "ok" or isinstance(value, api.AssessmentNotAllowed)
               for kind, value in outcomes), outcomes
    refused = [name for name, r in results.items() if isinstance(r, Exception)]
    assert len(refused) == 1, results
    stored = Attempt.objects.get(pk=attempt.id)
    if refused == ["score"]:
        assert stored.status == AttemptStatus.SUBMITTED and AssessmentClaim.objects.exists()
    else:
        assert stored.status == AttemptStatus.PASSED and not AssessmentClaim.objects.exists()

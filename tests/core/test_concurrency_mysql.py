"""Policies hold under concurrency: real threads, real connections, one database.

Runs on MariaDB/MySQL (``CREDENTIAL_DB=mysql``), where row locks are real. SQLite
has no row locks (a writer locks the whole file, and the in-memory test database
refuses a second writer outright instead of waiting), so there these tests would
prove nothing about our locking: they are skipped with that reason, and CI runs the
suite on MariaDB too.
"""
from datetime import timedelta

from django.contrib.auth import get_user_model

from credential_app import api
from credential_app.data import AttemptStatus, CriterionScore
from credential_app.models import (
    Assessment,
    Attempt,
    AttemptGate,
    Credential,
    IssuancePolicy,
    RetakePolicy,
)
from tests.concurrency import ROW_LOCKS, race
from tests.core.test_api import RUBRIC, UNIT

pytestmark = ROW_LOCKS

THREADS = 50


def submit(user_id, slug, text="evidence"):
    return api.submit_attempt(user_id=user_id, usage_key=UNIT, credential_slug=slug,
                              rubric=RUBRIC, evidence_text=text, max_evidence_length=100)


def assess(attempt_id, assessor_id, b="yes"):
    return api.record_assessment(attempt_id=attempt_id, usage_key=UNIT, assessor_id=assessor_id,
                                 scores=[CriterionScore("a", "yes"), CriterionScore("b", b)])


def split(outcomes):
    admitted = [value for kind, value in outcomes if kind == "ok"]
    errors = [value for kind, value in outcomes if kind == "error"]
    return admitted, errors


def test_fifty_submissions_for_the_last_allowed_attempt_admit_exactly_one(people, definition):
    RetakePolicy.objects.create(definition=definition, max_attempts=2)
    learner, staff = people["learner"], people["staff"]
    first = submit(learner.pk, definition.slug)
    assess(first.id, staff.pk, b="no")  # 3 of 5: failed; one attempt left

    admitted, errors = split(race(THREADS, lambda i: submit(learner.pk, definition.slug,
                                                            text=f"try {i}")))

    assert len(admitted) == 1 and admitted[0].number == 2
    assert len(errors) == THREADS - 1
    assert all(isinstance(e, api.AttemptNotAllowed) for e in errors), errors
    assert Attempt.objects.filter(user=learner, usage_key=UNIT).count() == 2
    status = api.get_retake_status(learner.pk, UNIT)
    assert status.waiting_for_assessment
    # Each refusal was decided by the policy under the lock (the same answer the page
    # shows), not by the unique constraint catching a race afterwards.
    assert {e.message for e in errors} == {status.reason}


def test_fifty_first_submissions_admit_exactly_one(people, definition):
    """Before the first attempt there is no attempt row to lock: the gate row is created."""
    learner = people["learner"]

    admitted, errors = split(race(THREADS, lambda i: submit(learner.pk, definition.slug)))

    assert len(admitted) == 1 and admitted[0].number == 1
    assert {e.message for e in errors} == {api.get_retake_status(learner.pk, UNIT).reason}
    assert Attempt.objects.filter(user=learner).count() == 1
    assert AttemptGate.objects.filter(user=learner).count() == 1


def test_concurrent_final_assessments_issue_exactly_one_credential(people, definition):
    User = get_user_model()
    assessors = [User.objects.create_user(f"assessor{i}", is_staff=True).pk for i in range(10)]
    attempt = submit(people["learner"].pk, definition.slug)

    admitted, errors = split(race(len(assessors), lambda i: assess(attempt.id, assessors[i])))

    assert len(admitted) == 1 and admitted[0].credential is not None
    assert all(isinstance(e, api.AssessmentNotAllowed) for e in errors), errors
    assert Credential.objects.count() == 1 and Assessment.objects.count() == 1
    assert Attempt.objects.get(pk=attempt.id).status == AttemptStatus.PASSED


def test_one_assessor_submitting_twice_at_once_counts_once(people, definition):
    IssuancePolicy.objects.create(definition=definition, required_assessments=2)
    attempt = submit(people["learner"].pk, definition.slug)
    staff = people["staff"].pk

    admitted, errors = split(race(8, lambda i: assess(attempt.id, staff)))

    assert len(admitted) == 1 and admitted[0].attempt.status == AttemptStatus.SUBMITTED
    assert all(isinstance(e, api.AssessmentNotAllowed) for e in errors), errors
    assert Assessment.objects.filter(attempt_id=attempt.id).count() == 1
    assert not Credential.objects.exists()


def test_concurrent_grants_all_count(people, definition):
    """Grants are rows, not a counter: simultaneous grants never overwrite each other."""
    RetakePolicy.objects.create(definition=definition, max_attempts=1,
                                delay_after_first_failure=timedelta(0))
    learner, staff = people["learner"].pk, people["staff"].pk

    admitted, errors = split(race(10, lambda i: api.grant_extra_attempts(
        user_id=learner, usage_key=UNIT, count=1, granted_by=staff, reason=f"grant {i}")))

    assert not errors
    assert api.get_retake_status(learner, UNIT, definition.slug).attempts_allowed == 11


def test_concurrent_assessors_fill_the_required_number_and_no_more(people, definition):
    """Two independent assessments required, five assessors at once: two are recorded,
    the second settles the result, the rest find it assessed; one credential."""
    IssuancePolicy.objects.create(definition=definition, required_assessments=2)
    User = get_user_model()
    assessors = [User.objects.create_user(f"assessor{i}", is_staff=True).pk for i in range(5)]
    attempt = submit(people["learner"].pk, definition.slug)

    admitted, errors = split(race(len(assessors), lambda i: assess(attempt.id, assessors[i])))

    assert len(admitted) == 2
    assert sorted(o.attempt.status for o in admitted) == [AttemptStatus.PASSED,
                                                          AttemptStatus.SUBMITTED]
    assert [o.credential is not None for o in admitted].count(True) == 1
    assert all(isinstance(e, api.AssessmentNotAllowed) for e in errors), errors
    assert Assessment.objects.filter(attempt_id=attempt.id).count() == 2
    assert Credential.objects.count() == 1

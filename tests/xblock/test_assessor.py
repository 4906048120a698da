"""The assessor side of the block in the workbench: queue, claims, override, grades, reset."""

import pytest
from django.contrib.auth import get_user_model
from workbench.runtime import WorkbenchRuntime
from xblock.field_data import ReadOnlyFieldData

from credential_app import api, models
from credential_app.core.audit import AuditAction
from credential_app.data import AttemptStatus
from credential_app.models import AssessmentClaim, Attempt, AuditEntry, Credential
from tests.helpers import FAILING_SCORES, PASSING_SCORES


@pytest.fixture
def staff2(db):
    return get_user_model().objects.create_user("staff2", first_name="Kim", last_name="Reviewer",
                                                is_staff=True)


@pytest.fixture
def attempt_id(workbench, people):
    status, body = workbench.sign_in(people["learner"]).post(
        "submit_evidence", {"text": "Forklift route crosses the walkway."})
    assert status == 200, body
    workbench.sign_in(people["staff"])
    return body["attempt_id"]


def block_for(scenario, username):
    """The block as the workbench binds it to one person (their user state, their user)."""
    return WorkbenchRuntime(username).get_block(scenario.usage_id)


# ---- queue and claims -------------------------------------------------------------------

def test_staff_see_counts_and_filters_and_can_claim(workbench, people, attempt_id):
    page = workbench.page()
    assert "Assessment queue: 1 attempt waiting" in page
    for label in ("Waiting (1)", "Claimed (0 by you, 0 by others)", "Scored by you (0)"):
        assert label in page
    assert 'aria-pressed="true"' in page and "Not claimed" in page

    status, body = workbench.post("claim_attempt", {"attempt_id": attempt_id})

    assert status == 200, body
    assert body["message"].startswith("Claimed until ")
    page = workbench.page()
    assert "Claimed (1 by you, 0 by others)" in page and "Claimed by you until" in page
    assert "Release claim" in page


def test_another_assessor_sees_the_claim_and_cannot_score(workbench, people, attempt_id,
                                                          staff2, course_scores):
    workbench.post("claim_attempt", {"attempt_id": attempt_id})

    workbench.sign_in(staff2)
    page = workbench.page()
    assert "Claimed (0 by you, 1 by others)" in page
    assert "being assessed by Sam Assessor (claimed until" in page
    status, body = workbench.post("claim_attempt", {"attempt_id": attempt_id})
    assert status == 409 and "Sam Assessor is assessing this attempt" in body["error"]
    status, body = workbench.post("submit_assessment",
                                  {"attempt_id": attempt_id, "scores": PASSING_SCORES})
    assert status == 409 and "Sam Assessor is assessing this attempt" in body["error"]
    assert course_scores() == [] and not Credential.objects.exists()


def test_claim_score_submit_ends_the_claim(workbench, people, attempt_id, course_scores):
    workbench.post("claim_attempt", {"attempt_id": attempt_id})
    status, body = workbench.post("submit_assessment",
                                  {"attempt_id": attempt_id, "scores": PASSING_SCORES})
    assert status == 200 and body["passed"], body
    assert not AssessmentClaim.objects.exists()
    assert course_scores() == [("learner", 8, 10)]
    page = workbench.page()
    assert "Scored by you (1)" in page and "Passed: 8 of 10 points." in page


def test_release_gives_the_attempt_back(workbench, people, attempt_id, staff2):
    workbench.post("claim_attempt", {"attempt_id": attempt_id})
    status, body = workbench.post("release_claim", {"attempt_id": attempt_id})
    assert status == 200 and body["message"] == "Claim released."
    status, _body = workbench.sign_in(staff2).post("claim_attempt", {"attempt_id": attempt_id})
    assert status == 200


@pytest.mark.parametrize("handler, payload", [
    ("claim_attempt", {"attempt_id": 1}),
    ("release_claim", {"attempt_id": 1}),
    ("override_result", {"attempt_id": 1, "passed": True, "reason": "because"}),
])
def test_learners_cannot_claim_release_or_override(workbench, people, attempt_id, handler,
                                                   payload):
    status, body = workbench.sign_in(people["learner2"]).post(handler, payload)
    assert status == 403 and body["error"].startswith("Only course staff")


@pytest.mark.parametrize("payload, field", [
    ({}, "attempt_id"), ({"attempt_id": "1"}, "attempt_id"), ({"attempt_id": True}, "attempt_id"),
])
def test_claims_of_no_attempt_are_refused(workbench, people, attempt_id, payload, field):
    status, body = workbench.post("claim_attempt", payload)
    assert status == 400 and body["field"] == field
    assert not AssessmentClaim.objects.exists()


# ---- override and grades ----------------------------------------------------------------

def test_override_fail_to_pass_republishes_the_grade_once_and_issues(workbench, people,
                                                                     attempt_id, course_scores):
    workbench.post("submit_assessment", {"attempt_id": attempt_id, "scores": FAILING_SCORES})
    page = workbench.page()
    assert "Reason for changing the result to passed (required)" in page
    assert "Change result to passed" in page

    status, body = workbench.post("override_result", {
        "attempt_id": attempt_id, "passed": True, "reason": "Hazards <b>were</b> all found."})

    assert status == 200, body
    assert body["passed"] and body["credential_uuid"] == str(Credential.objects.get().uuid)
    assert body["message"] == "Result changed to passed (4 of 10 points)."
    # the failed result's score, then the same score again for the overridden result
    assert course_scores() == [("learner", 4, 10), ("learner", 4, 10)]
    entry = AuditEntry.objects.get(action=AuditAction.OVERRIDE)
    assert entry.reason == "Hazards <b>were</b> all found." and entry.actor == people["staff"]
    learner_page = workbench.sign_in(people["learner"]).page()
    assert "Attempt 1 passed: 4 of 10 points." in learner_page


@pytest.mark.parametrize("payload, field", [
    ({"passed": True}, "reason"),
    ({"passed": True, "reason": "  "}, "reason"),
    ({"passed": "yes", "reason": "x"}, "passed"),
])
def test_override_without_reason_changes_nothing(workbench, people, attempt_id, course_scores,
                                                 payload, field):
    workbench.post("submit_assessment", {"attempt_id": attempt_id, "scores": FAILING_SCORES})
    status, body = workbench.post("override_result", {"attempt_id": attempt_id, **payload})
    assert status == 400 and body["field"] == field
    assert len(course_scores()) == 1
    assert Attempt.objects.get().status == AttemptStatus.FAILED
    assert not AuditEntry.objects.filter(action=AuditAction.OVERRIDE).exists()


def test_the_course_score_is_scaled_to_the_weight_an_author_saved(workbench, people, scenario,
                                                                 attempt_id, course_scores):
    """The LMS takes submission scores as they are (no weight applied), so the app scales
    them to the unit's weight: 8 of 10 rubric points in a unit worth 5 is 4 of 5."""
    block = block_for(scenario, "staff")
    block.weight = 5
    block.save()
    block.register_with_app()  # as saving in Studio does
    assert block_for(scenario, "staff").max_score() == 10

    workbench.post("submit_assessment", {"attempt_id": attempt_id, "scores": PASSING_SCORES})

    assert course_scores() == [("learner", 4, 5)]


# ---- instructor reset -------------------------------------------------------------------

def test_instructor_reset_clears_the_learners_state(workbench, people, scenario, attempt_id,
                                                    staff2, course_scores):
    workbench.post("submit_assessment", {"attempt_id": attempt_id, "scores": FAILING_SCORES})
    status, second = workbench.sign_in(people["learner"]).post("submit_evidence",
                                                               {"text": "Second try."})
    assert status == 200, second
    workbench.sign_in(staff2).post("claim_attempt", {"attempt_id": second["attempt_id"]})
    learners_block = block_for(scenario, "learner")
    learners_block.draft = {"text": "half-written"}
    learners_block.save()
    assert block_for(scenario, "learner").draft == {"text": "half-written"}

    # As the LMS calls it: anonymous ids of the learner and of the staff member asking.
    learners_block.clear_student_state(user_id="learner", course_id="course-v1:Workbench+Demo+2026",
                                       item_id=str(scenario.usage_id), requesting_user_id="staff")

    assert set(Attempt.objects.values_list("status", flat=True)) == {AttemptStatus.RESET}
    assert not AssessmentClaim.objects.exists()
    entry = AuditEntry.objects.get(action=AuditAction.RESET)
    assert (entry.actor, entry.learner) == (people["staff"], people["learner"])
    assert block_for(scenario, "learner").draft == {}
    # The failed result's course score, then the reset the LMS grades app recomputes from.
    assert course_scores() == [("learner", 4, 10), ("learner", None, None)]
    assert api.get_course_score(people["learner"].pk, _unit_key(scenario)) is None
    page = workbench.sign_in(people["learner"]).page()
    assert "Describe what you did" in page and "Attempt 2" not in page
    status, third = workbench.post("submit_evidence", {"text": "Fresh start."})
    assert status == 200 and third["number"] == 3
    assert "Assessment queue: 1 attempt waiting" in workbench.sign_in(staff2).page()


def test_reset_of_someone_unknown_changes_nothing(workbench, people, scenario, attempt_id):
    block_for(scenario, "staff").clear_student_state(
        user_id="nobody-has-this-id", course_id="c", item_id="i", requesting_user_id="staff")
    assert Attempt.objects.get().status == AttemptStatus.SUBMITTED
    assert not AuditEntry.objects.filter(action=AuditAction.RESET).exists()


def test_reset_of_a_block_loaded_without_learner_state_still_resets(workbench, people, scenario,
                                                                   attempt_id, course_scores):
    """The LMS's "delete learner state" loads the block without writable learner state
    (then deletes that state itself): the reset must not fail on the draft."""
    workbench.post("submit_assessment", {"attempt_id": attempt_id, "scores": FAILING_SCORES})
    block = block_for(scenario, "learner")
    block._field_data = ReadOnlyFieldData(block._field_data)

    block.clear_student_state(user_id="learner", course_id="c", item_id="i",
                              requesting_user_id="staff")

    assert Attempt.objects.get().status == AttemptStatus.RESET
    assert course_scores()[-1] == ("learner", None, None)


def test_handing_in_leaves_learner_state_the_lms_tools_can_find(workbench, people, scenario):
    """The LMS's instructor tools (reset attempts, delete state) act on the learner's
    StudentModule, which exists only once the block wrote learner state for them."""
    status, body = workbench.sign_in(people["learner"]).post("submit_evidence",
                                                             {"text": "A first try."})
    assert status == 200, body
    assert block_for(scenario, "learner").handed_in == 1


def test_override_pass_to_fail_revokes_and_republishes(workbench, people, attempt_id,
                                                       course_scores):
    workbench.post("submit_assessment", {"attempt_id": attempt_id, "scores": PASSING_SCORES})
    assert "Change result to not passed" in workbench.page()

    status, body = workbench.post("override_result", {
        "attempt_id": attempt_id, "passed": False, "reason": "Evidence copied from a colleague."})

    assert status == 200, body
    assert body["message"] == "Result changed to not passed (8 of 10 points)."
    assert Credential.objects.get().status == "revoked"
    assert len(course_scores()) == 2
    learner_page = workbench.sign_in(people["learner"]).page()
    assert "Attempt 1 did not pass: 8 of 10 points." in learner_page


def test_two_required_assessments_publish_one_grade_when_the_second_settles_it(
        workbench, people, definition, attempt_id, staff2, course_scores):
    """With two independent assessments required, the first gives no result and no grade."""
    models.IssuancePolicy.objects.create(definition=definition, required_assessments=2)

    status, first = workbench.post("submit_assessment",
                                   {"attempt_id": attempt_id, "scores": PASSING_SCORES})
    assert status == 200 and first["passed"] is None, first
    assert "other assessments" in first["message"]
    assert course_scores() == []  # no result yet, so no grade
    page = workbench.page()
    assert "Scored by you (1)" in page and "Waiting for the other assessments" in page
    assert "Assessment queue: 1 attempt waiting" in workbench.sign_in(staff2).page()

    status, second = workbench.post("submit_assessment",
                                    {"attempt_id": attempt_id, "scores": PASSING_SCORES})

    assert status == 200 and second["passed"] is True, second
    assert course_scores() == [("learner", 8, 10)]


def test_the_grade_is_the_result_that_counts(workbench, people, definition, course_scores):
    """Under "highest counts", a weaker later attempt publishes the better earlier grade."""
    models.RetakePolicy.objects.create(definition=definition, counted_result="highest")
    nothing_shown = [{"criterion": c, "level": "missing", "comment": ""}
                     for c in ("hazards", "controls", "communication")]
    for scores in (FAILING_SCORES, nothing_shown):
        status, body = workbench.sign_in(people["learner"]).post("submit_evidence",
                                                                 {"text": "A try."})
        assert status == 200, body
        status, result = workbench.sign_in(people["staff"]).post(
            "submit_assessment", {"attempt_id": body["attempt_id"], "scores": scores})
        assert status == 200, result

    assert [earned for _learner, earned, _possible in course_scores()] == [4, 4]


def test_a_pass_awaiting_approval_says_so(workbench, people, definition, attempt_id):
    models.IssuancePolicy.objects.create(definition=definition, requires_approval=True)
    status, body = workbench.post("submit_assessment",
                                  {"attempt_id": attempt_id, "scores": PASSING_SCORES})
    assert status == 200 and body["message"] == (
        "Passed: 8 of 10 points. The credential waits for approval.")


# ---- evidence files and links in the queue; pending uploads on reset ----------------------

def test_assessor_sees_and_opens_the_files_and_links_handed_in(client, hygiene_unit, people,
                                                               definition, media):
    from tests.learner_helpers import PDF, UnitBench, upload

    bench = UnitBench(client, hygiene_unit).sign_in(people["learner"])
    file_id = upload(bench, "check<list>.pdf", PDF)[1]["file"]["id"]
    status, body = bench.post("submit_evidence", {
        "text": "Audit done.", "links": ["https://video.example/walk?a=1&b=2"],
        "files": [file_id]})
    assert status == 200, body

    page = bench.sign_in(people["staff"]).page()
    assert 'href="https://video.example/walk?a=1&amp;b=2"' in page
    assert "check&lt;list&gt;.pdf" in page and "check<list>" not in page
    url = f"/handler/{hygiene_unit.usage_id}/evidence_file/{file_id}"
    assert url in page
    assert bench.client.get(url).content == PDF

    status, _body = bench.post("submit_assessment", {"attempt_id": body["attempt_id"], "scores": [
        {"criterion": c.name, "level": c.levels[-1].name}
        for c in api.get_latest_attempt(people["learner"].pk, _unit_key(hygiene_unit))
        .rubric.criteria]})
    assert status == 200
    scored = bench.page()
    assert scored.count(url) == 1  # under "Scored by you", with the evidence handed in


def test_reset_removes_uploads_not_yet_handed_in(client, hygiene_unit, people, definition,
                                                 media, django_capture_on_commit_callbacks):
    from credential_app.models import EvidenceFile
    from tests.learner_helpers import PDF, UnitBench, upload

    bench = UnitBench(client, hygiene_unit).sign_in(people["learner"])
    status, _body = upload(bench, "draft.pdf", PDF)
    assert status == 200 and EvidenceFile.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        block_for(hygiene_unit, "learner").clear_student_state(
            user_id="learner", course_id="c", item_id="i", requesting_user_id="staff")

    assert not EvidenceFile.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]
    entry = AuditEntry.objects.get(action=AuditAction.RESET)
    assert entry.details["pending_files_removed"] == 1


def _unit_key(scenario):
    from credential_xblock.keys import usage_key_of

    return usage_key_of(block_for(scenario, "staff"))


@pytest.mark.db_server
def test_assessor_page_queries_do_not_grow_with_the_queue(workbench, people, definition,
                                                          staff2):
    """Waiting, claimed, locked and scored attempts: the page costs the same queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    User = get_user_model()

    def add(count, tag):
        ids = []
        for i in range(count):
            workbench.sign_in(User.objects.create_user(f"{tag}{i}"))
            status, body = workbench.post("submit_evidence", {"text": f"Try {tag}{i}."})
            assert status == 200, body
            ids.append(body["attempt_id"])
        workbench.sign_in(staff2).post("claim_attempt", {"attempt_id": ids[0]})
        workbench.post("submit_assessment", {"attempt_id": ids[3], "scores": PASSING_SCORES})
        workbench.sign_in(people["staff"])
        workbench.post("claim_attempt", {"attempt_id": ids[1]})
        workbench.post("submit_assessment", {"attempt_id": ids[2], "scores": FAILING_SCORES})

    def queries():
        with CaptureQueriesContext(connection) as captured:
            workbench.page()
        return len(captured)

    add(4, "a")
    queries()  # the first view stores the workbench's state row for this viewer (3 queries)
    few = queries()
    add(16, "b")
    assert queries() == few
    add(30, "c")  # more than a page waits: still the same queries
    assert queries() == few


def test_a_long_queue_shows_a_page_and_show_more_brings_the_rest_once(workbench, people,
                                                                       definition,
                                                                       monkeypatch):
    """The view lists a page of each list (here 3), with exact counts; "Show more" (the
    queue_page handler) gives the next page from where the view stopped, each attempt once,
    until nothing more follows."""
    from credential_app.core import queue

    monkeypatch.setattr(queue, "PAGE_SIZE", 3)
    User = get_user_model()
    for i in range(7):
        workbench.sign_in(User.objects.create_user(f"q{i}", first_name=f"Queued{i}"))
        status, body = workbench.post("submit_evidence", {"text": f"Try number {i}."})
        assert status == 200, body
    page = workbench.sign_in(people["staff"]).page()
    assert "Waiting (7)" in page
    assert [f"Queued{i}" in page for i in range(7)] == [True] * 3 + [False] * 4
    assert 'class="ca-button ca-more" data-list="waiting" data-offset="3"' in page

    shown, offset, more = [], 3, True
    while more:
        status, body = workbench.post("queue_page", {"list": "waiting", "offset": offset})
        assert status == 200, body
        shown += [i for i in range(7) if f"Queued{i}" in body["html"]]
        assert 'class="ca-assess-form"' in body["html"]  # scorable rows, as the view renders
        offset, more = offset + body["shown"], body["more"]
    assert shown == [3, 4, 5, 6]


@pytest.mark.parametrize("payload", [{}, {"list": "everything", "offset": 0},
                                     {"list": "waiting", "offset": -1},
                                     {"list": "waiting", "offset": "3"},
                                     {"list": "waiting", "offset": 10**9}])
def test_show_more_refuses_what_it_cannot_page(workbench, people, payload):
    status, body = workbench.sign_in(people["staff"]).post("queue_page", payload)
    assert status == 400 and "Say which list" in body["error"]


def test_show_more_is_for_course_staff(workbench, people):
    status, _body = workbench.sign_in(people["learner"]).post(
        "queue_page", {"list": "waiting", "offset": 0})
    assert status == 403


def test_staff_who_did_not_score_can_override_from_the_results_list(workbench, people,
                                                                    attempt_id, staff2,
                                                                    course_scores):
    workbench.post("submit_assessment", {"attempt_id": attempt_id, "scores": FAILING_SCORES})

    page = workbench.sign_in(staff2).page()
    assert "Scored by others (1)" in page and "Change result to passed" in page
    status, body = workbench.post("override_result", {
        "attempt_id": attempt_id, "passed": True, "reason": "Second opinion: all hazards."})

    assert status == 200, body
    assert AuditEntry.objects.get(action=AuditAction.OVERRIDE).actor == staff2
    assert len(course_scores()) == 2

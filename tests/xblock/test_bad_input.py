"""Bad input gets a clear JSON error and changes nothing."""
import json

import pytest
from webob import Request
from workbench.runtime import WorkbenchRuntime

from credential_app.models import Assessment, Attempt, CriterionScore
from tests.helpers import PASSING_SCORES


def snapshot():
    """Everything an assessment flow writes, to prove a refusal changed nothing."""
    return (
        list(Attempt.objects.values_list("id", "status", "score", "evidence_text")),
        Assessment.objects.count(),
        CriterionScore.objects.count(),
    )


@pytest.fixture
def waiting_attempt(workbench, people):
    status, body = workbench.sign_in(people["learner"]).post(
        "submit_evidence", {"text": "Hazards found: wet floor by the sink."})
    assert status == 200, body
    workbench.sign_in(people["staff"])
    return body["attempt_id"]


@pytest.mark.parametrize("payload, message", [
    ({"text": ""}, "Write your evidence before submitting."),
    ({"text": "   \n\t "}, "Write your evidence before submitting."),
    ({"text": "x" * 5001}, "Your evidence is 5001 characters long; the limit is 5000."),
    ({"text": 42}, "Send your evidence as text."),
    ({}, "Send your evidence as text."),
])
def test_bad_evidence_is_refused_with_a_clear_message(workbench, people, payload, message):
    workbench.sign_in(people["learner"])
    before = snapshot()

    status, body = workbench.post("submit_evidence", payload)

    assert status == 400
    assert message in body["error"] and body["field"] == "text"
    assert snapshot() == before


def test_evidence_at_the_limit_is_accepted(workbench, people):
    status, body = workbench.sign_in(people["learner"]).post("submit_evidence",
                                                             {"text": "x" * 5000})
    assert status == 200, body


@pytest.mark.parametrize("raw, message", [
    ("not json", "The request is not valid JSON."),
    ("[1, 2]", "The request must be a JSON object."),
    (b"\xff\xfe", "The request is not valid JSON."),
])
def test_malformed_request_is_refused(workbench, people, raw, message):
    workbench.sign_in(people["learner"])
    status, body = workbench.post("submit_evidence", raw=raw)
    assert (status, body["error"]) == (400, message)
    assert not Attempt.objects.exists()


def test_second_submission_while_one_waits_is_refused(workbench, people, waiting_attempt):
    workbench.sign_in(people["learner"])
    before = snapshot()

    status, body = workbench.post("submit_evidence", {"text": "Another go"})

    assert status == 409
    assert "Your attempt 1 is waiting for assessment" in body["error"]
    assert snapshot() == before


def scores_with(criterion, **change):
    return [dict(score, **change) if score["criterion"] == criterion else score
            for score in PASSING_SCORES]


@pytest.mark.parametrize("scores, message", [
    (PASSING_SCORES + [{"criterion": "speed", "level": "fast"}],
     "The rubric has no criterion “speed”."),
    (scores_with("controls", level="perfect"),
     "Criterion “Control measures” has no level “perfect”."),
    (PASSING_SCORES[:2], "still missing: Communication"),
    (scores_with("controls", level=""), "still missing: Control measures"),
    (scores_with("controls", level="") + PASSING_SCORES[1:2], "“Control measures” was scored"
                                                              " more than once."),
    (PASSING_SCORES + PASSING_SCORES[:1], "“Hazard identification” was scored more than once."),
    (scores_with("hazards", comment="c" * 5001), "longer than 5000 characters"),
    ([{"criterion": "hazards"}], "Send one level (and an optional comment) per criterion."),
    ("hazards=complete", "Send one level (and an optional comment) per criterion."),
])
def test_scores_that_do_not_fit_the_rubric_are_refused(workbench, waiting_attempt, course_scores,
                                                       scores, message):
    before = snapshot()

    status, body = workbench.post("submit_assessment",
                                  {"attempt_id": waiting_attempt, "scores": scores})

    assert status == 400
    assert message in body["error"] and body["field"] == "scores"
    assert snapshot() == before and course_scores() == []


def test_unknown_attempt_is_refused(workbench, people, waiting_attempt):
    status, body = workbench.post("submit_assessment",
                                  {"attempt_id": waiting_attempt + 1000, "scores": PASSING_SCORES})
    assert status == 404 and body["field"] == "attempt_id"


def test_learner_calling_the_staff_handler_is_refused(workbench, people, waiting_attempt,
                                                      course_scores):
    workbench.sign_in(people["learner2"])
    before = snapshot()

    status, body = workbench.post("submit_assessment",
                                  {"attempt_id": waiting_attempt, "scores": PASSING_SCORES})

    assert (status, body["error"]) == (403, "Only course staff can assess attempts.")
    assert snapshot() == before and course_scores() == []


def test_staff_cannot_assess_their_own_attempt(workbench, people):
    workbench.sign_in(people["staff"])
    status, body = workbench.post("submit_evidence", {"text": "Staff trying the task"})
    assert status == 200
    before = snapshot()

    status, body = workbench.post("submit_assessment",
                                  {"attempt_id": body["attempt_id"], "scores": PASSING_SCORES})

    assert (status, body["error"]) == (409, "You cannot assess your own attempt.")
    assert snapshot() == before


def test_handlers_only_accept_post(workbench, people):
    workbench.sign_in(people["learner"])
    response = workbench.client.get(f"/handler/{workbench.scenario.usage_id}/submit_evidence/")
    assert response.status_code == 405


def test_block_refuses_a_caller_the_runtime_cannot_identify(scenario, people, definition):
    """Without the demo's sign-in in front, the block itself still checks who is asking."""
    runtime = WorkbenchRuntime("somebody-unknown")
    block = runtime.get_block(scenario.usage_id)
    request = Request.blank("/", method="POST", body=json.dumps({"text": "hi"}).encode())

    response = runtime.handle(block, "submit_evidence", request)

    assert response.status_code == 403
    assert json.loads(response.body)["error"] == "Sign in to hand in evidence."
    assert not Attempt.objects.exists()


def test_anonymous_visitor_is_sent_to_sign_in(client, scenario):
    response = client.get("/scenario/credential_assessment.0/")
    assert response.status_code == 302 and response["Location"].startswith("/demo/sign-in/")
    response = client.post(f"/handler/{scenario.usage_id}/submit_evidence/", "{}",
                           content_type="application/json")
    assert response.status_code == 403


def test_student_query_parameter_cannot_impersonate(workbench, people):
    """The workbench trusts ?student=; the demo binds it to the signed-in user."""
    workbench.sign_in(people["learner"])
    response = workbench.client.post(
        f"/handler/{workbench.scenario.usage_id}/submit_evidence/?student=staff",
        json.dumps({"text": "mine"}), content_type="application/json")
    assert response.status_code == 200
    assert Attempt.objects.get().user == people["learner"]


def test_unlinked_assessment_tells_the_learner_why(workbench, people, definition):
    definition.delete()
    status, body = workbench.sign_in(people["learner"]).post("submit_evidence", {"text": "ok"})
    assert status == 409 and body["field"] == "credential"
    assert "No credential “workplace-safety-practitioner” is defined" in body["error"]

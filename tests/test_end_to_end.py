"""One assessed attempt, end to end, in the real XBlock SDK workbench runtime."""
import html

from django.urls import reverse

from credential_app import api
from credential_app.models import Assessment, Attempt, Credential
from credential_xblock.demo_scenarios import DEMO_CREDENTIAL_SLUG
from tests.helpers import FAILING_SCORES, PASSING_SCORES

EVIDENCE = "The forklift route crosses the walkway <script>alert(1)</script> by the loading bay."


def submit_as_learner(workbench, people, text=EVIDENCE):
    status, body = workbench.sign_in(people["learner"]).post("submit_evidence", {"text": text})
    assert status == 200, body
    return body


def waiting_attempt_id(workbench, people):
    workbench.sign_in(people["staff"])
    return Attempt.objects.get(user=people["learner"], status="submitted").pk


def test_learner_sees_prompt_and_rubric_before_starting(workbench, people):
    page = workbench.sign_in(people["learner"]).page()

    assert "Walk through a real workspace" in page
    for label in ("Hazard identification", "Control measures", "Communication"):
        assert label in page
    assert "Total available: 10 points." in page
    assert 'class="ca-submit-form"' in page
    assert "Assessment queue" not in page  # learners never see the assessor panel


def test_passing_attempt_publishes_grade_and_issues_credential(workbench, people, course_scores):
    body = submit_as_learner(workbench, people)
    assert body["number"] == 1 and body["status"] == "submitted"
    waiting_page = workbench.page()
    assert "Attempt 1 is waiting for an assessor." in waiting_page
    assert 'class="ca-submit-form"' not in waiting_page  # the app's rule: one waiting at a time

    staff_page = workbench.sign_in(people["staff"]).page()
    assert "Assessment queue: 1 attempt waiting" in staff_page
    assert html.escape(EVIDENCE).split("&lt;script")[0] in staff_page
    assert "<script>alert(1)</script>" not in staff_page  # learner text is escaped

    attempt_id = waiting_attempt_id(workbench, people)
    status, result = workbench.post("submit_assessment",
                                     {"attempt_id": attempt_id, "scores": PASSING_SCORES})
    assert status == 200, result
    assert (result["score"], result["max_score"], result["passed"]) == (8, 10, True)

    assert course_scores() == [("learner", 8, 10)]
    credential = api.get_learner_credential(people["learner"].pk, DEMO_CREDENTIAL_SLUG)
    assert credential is not None and credential.uuid == result["credential_uuid"]
    assert credential.attempt_id == attempt_id

    learner_page = workbench.sign_in(people["learner"]).page()
    assert "Attempt 1 passed: 8 of 10 points." in learner_page
    assert "In the course grade: 8 of 10 points." in learner_page  # read from edx-submissions
    assert "You earned the credential “Workplace Safety Practitioner”." in learner_page
    assert "Say how you brief the team." in learner_page
    assert "All &lt;b&gt;serious&lt;/b&gt; hazards." in learner_page
    assert 'class="ca-submit-form"' not in learner_page  # nothing more to hand in

    mine = workbench.client.get(reverse("credential_app:my-credentials")).json()["results"]
    assert [(c["credential"], c["status"]) for c in mine] == [(DEMO_CREDENTIAL_SLUG, "active")]


def test_failing_attempt_publishes_grade_and_gives_no_credential(workbench, people, course_scores):
    submit_as_learner(workbench, people)
    attempt_id = waiting_attempt_id(workbench, people)

    status, result = workbench.post("submit_assessment",
                                    {"attempt_id": attempt_id, "scores": FAILING_SCORES})

    assert status == 200, result
    assert (result["score"], result["passed"], result["credential_uuid"]) == (4, False, None)
    assert course_scores() == [("learner", 4, 10)]
    assert not Credential.objects.exists()
    learner_page = workbench.sign_in(people["learner"]).page()
    assert "Attempt 1 did not pass: 4 of 10 points." in learner_page
    assert "Evidence for your next attempt" in learner_page


def test_learner_can_try_again_after_failing_and_pass(workbench, people, course_scores):
    submit_as_learner(workbench, people)
    workbench.post("submit_assessment", {"attempt_id": waiting_attempt_id(workbench, people),
                                         "scores": FAILING_SCORES})
    second = submit_as_learner(workbench, people, text="Second try: hazards, controls, briefing.")
    assert second["number"] == 2

    workbench.post("submit_assessment", {"attempt_id": waiting_attempt_id(workbench, people),
                                         "scores": PASSING_SCORES})

    assert course_scores() == [("learner", 4, 10), ("learner", 8, 10)]
    assert Credential.objects.get().attempt.number == 2


def test_grade_is_published_once_per_result(workbench, people, course_scores):
    submit_as_learner(workbench, people)
    attempt_id = waiting_attempt_id(workbench, people)
    workbench.post("submit_assessment", {"attempt_id": attempt_id, "scores": PASSING_SCORES})

    status, body = workbench.post("submit_assessment",
                                  {"attempt_id": attempt_id, "scores": FAILING_SCORES})

    assert status == 409 and "already been assessed" in body["error"]
    assert len(course_scores()) == 1
    assert Assessment.objects.count() == 1 and Credential.objects.count() == 1

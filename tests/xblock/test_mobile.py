"""``student_view_data`` gives a mobile app the prompt, the rubric and the learner's standing."""
import json

from workbench.runtime import WorkbenchRuntime

from tests.helpers import PASSING_SCORES


def view_data(scenario, username):
    data = WorkbenchRuntime(username).get_block(scenario.usage_id).student_view_data()
    return json.loads(json.dumps(data))  # what the Course Blocks API sends is plain JSON


def test_before_handing_in_the_learner_gets_prompt_rubric_evidence_rules_and_may_hand_in(
        scenario, people, definition):
    data = view_data(scenario, "learner")
    assert data["display_name"] and "<p>" in data["prompt_html"]
    criteria = data["rubric"]["criteria"]
    assert [c["name"] for c in criteria] == ["hazards", "controls", "communication"]
    assert data["max_score"] == 10
    assert data["evidence"]["text"] is True and data["evidence"]["text_min_length"] >= 0
    learner = data["learner"]
    assert learner["may_hand_in"] is True and learner["latest_attempt"] is None
    assert learner["course_score"] is None and learner["attempts_used"] == 0


def test_after_a_result_the_learner_gets_levels_points_and_their_course_score(
        workbench, scenario, people, definition):
    status, body = workbench.sign_in(people["learner"]).post(
        "submit_evidence", {"text": "Walked the site, found three hazards and fixed them."})
    assert status == 200, body
    workbench.sign_in(people["staff"]).post(
        "submit_assessment", {"attempt_id": body["attempt_id"], "scores": PASSING_SCORES})

    learner = view_data(scenario, "learner")["learner"]

    result = learner["latest_attempt"]["result"]
    assert (result["score"], result["max_score"], result["passed"]) == (8, 10, True)
    assert {c["criterion"] for c in result["criteria"]} == {"hazards", "controls",
                                                            "communication"}
    assert learner["counted_attempt"]["number"] == 1
    assert learner["course_score"] == {"earned": 8, "possible": 10}


def test_someone_not_signed_in_gets_the_unit_but_no_standing(scenario, people, definition):
    assert view_data(scenario, "somebody-unknown")["learner"] is None

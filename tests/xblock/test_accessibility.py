"""axe-core in Debian's Chromium finds no serious or critical problem in the block's views.

Each view is checked in the state a person meets it: the learner before and after
assessment, the assessor with a queue to work.
"""
import pytest
from playwright.sync_api import expect

from tests.helpers import PASSING_SCORES, blocking_violations, open_assessment_as

pytestmark = pytest.mark.browser


def hand_in(workbench, people):
    """The learner hands in evidence through the block's own handler; returns the attempt id."""
    status, body = workbench.sign_in(people["learner"]).post(
        "submit_evidence", {"text": "Forklift route crosses the walkway."})
    assert status == 200, body
    return body["attempt_id"]


def test_learner_view_before_starting(page):
    open_assessment_as(page, "Lee Learner")
    expect(page.get_by_role("button", name="Submit evidence")).to_be_visible()
    assert blocking_violations(page) == []


def test_assessor_view_with_a_queue(page, workbench, people):
    hand_in(workbench, people)
    open_assessment_as(page, "Sam Assessor")
    expect(page.get_by_role("button", name="Submit assessment")).to_be_visible()
    assert blocking_violations(page) == []


def test_learner_view_with_a_result(page, workbench, people):
    attempt_id = hand_in(workbench, people)
    status, body = workbench.sign_in(people["staff"]).post(
        "submit_assessment", {"attempt_id": attempt_id, "scores": PASSING_SCORES})
    assert status == 200, body
    open_assessment_as(page, "Lee Learner")
    expect(page.get_by_text("You earned the credential")).to_be_visible()
    assert blocking_violations(page) == []


def test_the_check_can_fail(page, live_server):
    page.goto(live_server.url + "/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend',"
                  " '<button></button><input type=text>')")
    assert any(line.startswith(("button-name", "label")) for line in blocking_violations(page))

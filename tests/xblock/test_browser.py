"""A person's walk through the demo in real Chromium: learner hands in, staff scores, learner sees.

The server is the demo workbench (pytest-django's live server); the browser is
Debian's Chromium driven by Playwright, so the block's JavaScript, the runtime's
handler URLs and CSRF all take part.
"""

import pytest
from playwright.sync_api import expect

from credential_app.models import Attempt, Credential
from tests.helpers import add_level, open_assessment_as, open_studio_view

pytestmark = pytest.mark.browser


def test_learner_submits_staff_scores_learner_sees_credential(page, people, course_scores):
    open_assessment_as(page, "Lee Learner")
    expect(page.get_by_role("heading", name="How your work is scored")).to_be_visible()
    page.get_by_label("Describe what you did").fill("Aisle 3: forklift route crosses the walkway.")
    page.get_by_role("button", name="Submit evidence").click()
    expect(page.get_by_role("status")).to_contain_text("Attempt 1 received.")
    assert Attempt.objects.get().user == people["learner"]

    open_assessment_as(page, "Sam Assessor")
    expect(page.get_by_role("heading", name="Assessment queue: 1 attempt waiting")).to_be_visible()
    page.get_by_role("group", name="Hazard identification").get_by_label("Complete").check()
    page.get_by_role("group", name="Control measures").get_by_label("Matched").check()
    page.get_by_role("group", name="Communication").get_by_label("Not shown").check()
    page.get_by_label("Comment on Communication").fill("Brief the night shift too.")
    page.get_by_role("button", name="Submit assessment").click()
    expect(page.locator(".ca-assess-form .ca-status")).to_have_text(
        "Passed: 8 of 10 points. Credential issued.")
    assert course_scores() == [("learner", 8, 10)]
    assert Credential.objects.get().user == people["learner"]

    open_assessment_as(page, "Lee Learner")
    expect(page.get_by_text("Attempt 1 passed: 8 of 10 points.")).to_be_visible()
    expect(page.get_by_text("Brief the night shift too.")).to_be_visible()
    expect(page.get_by_text("You earned the credential")).to_be_visible()


def test_refusal_is_shown_to_the_assessor_and_keeps_their_choices(page, people):
    open_assessment_as(page, "Lee Learner")
    page.get_by_label("Describe what you did").fill("Wet floor by the sink.")
    page.get_by_role("button", name="Submit evidence").click()
    expect(page.get_by_role("status")).to_contain_text("received")

    open_assessment_as(page, "Sam Assessor")
    page.get_by_role("group", name="Hazard identification").get_by_label("Partial").check()
    page.get_by_role("button", name="Submit assessment").click()

    status = page.locator(".ca-assess-form .ca-status")
    expect(status).to_contain_text("Choose a level for every criterion; still missing:")
    expect(page.get_by_role("group", name="Hazard identification").get_by_label("Partial")
           ).to_be_checked()
    expect(page.get_by_role("button", name="Submit assessment")).to_be_enabled()
    assert Attempt.objects.get().status == "submitted"


def test_author_then_learner_then_assessor_then_learner_sees_result(page, people, course_scores):
    """The whole product in one walk: a rubric authored in the studio view is the one the
    learner reads, the assessor scores and the learner's result reports."""
    open_studio_view(page)
    page.get_by_role("button", name="Add criterion").click()
    page.keyboard.type("Teamwork")
    add_level(page, "Teamwork", "Alone", "0")
    add_level(page, "Teamwork", "Together", "2")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")

    open_assessment_as(page, "Lee Learner")
    rubric = page.get_by_role("table", name="Rubric: criteria, levels and points")
    expect(rubric).to_contain_text("Teamwork")
    page.get_by_label("Describe what you did").fill("Briefed the night shift on the walkway.")
    page.get_by_role("button", name="Submit evidence").click()
    expect(page.get_by_role("status")).to_contain_text("Attempt 1 received.")

    open_assessment_as(page, "Sam Assessor")
    for group, level in (("Hazard identification", "Complete"), ("Control measures", "Matched"),
                         ("Teamwork", "Together"), ("Communication", "Not shown")):
        page.get_by_role("group", name=group).get_by_label(level).check()
    page.get_by_label("Comment on Teamwork").fill("Good handover.")
    page.get_by_role("button", name="Submit assessment").click()
    expect(page.locator(".ca-assess-form .ca-status")).to_have_text(
        "Passed: 10 of 12 points. Credential issued.")
    assert course_scores() == [("learner", 10, 12)]

    open_assessment_as(page, "Lee Learner")
    expect(page.get_by_text("Attempt 1 passed: 10 of 12 points.")).to_be_visible()
    expect(page.get_by_text("Good handover.")).to_be_visible()
    page.get_by_role("link", name="See your credentials").click()
    credentials = page.get_by_role("table", name="You hold 1 valid credential.")
    expect(credentials).to_contain_text("Workplace Safety Practitioner")
    expect(credentials).to_contain_text("Active")

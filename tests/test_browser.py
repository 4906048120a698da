"""A person's walk through the demo in real Chromium: learner hands in, staff scores, learner sees.

The server is the demo workbench (pytest-django's live server); the browser is
Debian's Chromium driven by Playwright, so the block's JavaScript, the runtime's
handler URLs and CSRF all take part.
"""

import pytest
from playwright.sync_api import expect

from credential_app.models import Attempt, Credential

from .helpers import open_assessment_as

pytestmark = pytest.mark.browser


def test_learner_submits_staff_scores_learner_sees_credential(page, people, grade_events):
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
    assert grade_events() == [{"value": 8, "max_value": 10, "user_id": people["learner"].pk}]
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

"""At a phone's width (390 CSS pixels) every page a person meets fits: no sideways scrolling.

The public badge page is what an employer opens from a LinkedIn profile, on a phone as often
as not; learners hand in from phones too. Each page is loaded in the state a person meets
it, in a 390 × 844 viewport, and the document must be no wider than the viewport.
"""
import json

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from credential_app import api
from tests.badge_helpers import earn, fresh_rate_counts  # noqa: F401 (autouse fixture)
from tests.helpers import PASSING_SCORES, open_assessment_as

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


@pytest.fixture
def credential(people, definition, issuer):
    definition.issuer = issuer
    definition.save()
    return earn(people["learner"], people["staff"])


def overflow(page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def wider_elements(page) -> list[str]:
    """What sticks out past the right edge, to name in a failure."""
    return page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))""")


def assert_fits(page):
    assert overflow(page) <= 0, f"{overflow(page)} px too wide: {wider_elements(page)}"


def test_the_learner_view_fits(phone):
    open_assessment_as(phone, "Lee Learner")
    expect(phone.get_by_role("button", name="Submit evidence")).to_be_visible()
    assert_fits(phone)


def test_the_learner_view_with_a_result_fits(phone, workbench, people):
    status, body = workbench.sign_in(people["learner"]).post(
        "submit_evidence", {"text": "Forklift route crosses the walkway."})
    assert status == 200, body
    status, body = workbench.sign_in(people["staff"]).post(
        "submit_assessment", {"attempt_id": body["attempt_id"], "scores": PASSING_SCORES})
    assert status == 200, body
    open_assessment_as(phone, "Lee Learner")
    expect(phone.get_by_text("You earned the credential")).to_be_visible()
    assert_fits(phone)


def test_the_assessor_view_with_a_queue_fits(phone, workbench, people):
    status, body = workbench.sign_in(people["learner"]).post(
        "submit_evidence", {"text": "Forklift route crosses the walkway."})
    assert status == 200, body
    open_assessment_as(phone, "Sam Assessor")
    expect(phone.get_by_role("button", name="Submit assessment")).to_be_visible()
    assert_fits(phone)


def test_my_credentials_fits(phone, credential):
    phone.goto(reverse("credential_app:learner-credentials"))
    phone.get_by_role("button", name="Sign in as Lee Learner").click()
    expect(phone.get_by_role("heading", name="My credentials")).to_be_visible()
    assert_fits(phone)


def test_the_public_badge_page_fits(phone, credential):
    phone.goto(reverse("credential_app:badge_page", args=[credential.uuid]))
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    assert_fits(phone)


def test_the_verify_page_with_a_result_fits(phone, credential):
    phone.goto(reverse("credential_app:badge_verify"))
    phone.get_by_label("Credential (JSON or JWT)").fill(
        json.dumps(api.get_open_badge(credential.uuid)))
    phone.get_by_role("button", name="Verify").click()
    expect(phone.get_by_role("heading", name="Valid credential")).to_be_visible()
    assert_fits(phone)


def test_the_check_can_fail(phone, live_server):
    phone.goto(live_server.url + "/")
    phone.evaluate("document.body.insertAdjacentHTML('beforeend',"
                   " '<table><tr><td style=\"white-space:nowrap\">' + 'x'.repeat(200)"
                   " + '</td></tr></table>')")
    assert overflow(phone) > 0

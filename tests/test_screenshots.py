"""The README's pictures, taken from the demo as `make demo` loads it: the learner's result,
the assessor's queue (with another assessor's claim), a public badge and a report.

A browser test like the others (each page is checked for what it must show); with
``CREDENTIAL_SCREENSHOTS=<folder>`` (``make screenshots``) it also saves each page, at
1280 x 800, as an optimised PNG in that folder (docs/screenshots/ for the README)."""
import io
import os
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from credential_app import api
from credential_app.models import Attempt
from demo.management.commands.load_demo import SAMPLE_BADGE_SLUG
from tests.conftest import Workbench
from tests.helpers import PASSING_SCORES, browser_tab, open_assessment_as

pytestmark = pytest.mark.browser

FOLDER = os.environ.get("CREDENTIAL_SCREENSHOTS")
SIZE = {"width": 1280, "height": 800}


def save(page, name):
    """The page as it is on screen, in at most 256 colours (a fraction of the bytes)."""
    if not FOLDER:
        return
    picture = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    Path(FOLDER).mkdir(parents=True, exist_ok=True)
    picture.quantize(colors=256).save(Path(FOLDER) / f"{name}.png", optimize=True)


@pytest.fixture
def demo(scenario, client, tmp_path):
    call_command("load_demo", "--hris-tls-dir", str(tmp_path), stdout=StringIO())
    people = {user.username: user for user in get_user_model().objects.all()}
    workbench = Workbench(client, scenario)
    _status, body = workbench.sign_in(people["learner"]).post("submit_evidence", {
        "text": "In our workshop the grinder has no guard, oil collects by the press and the "
                "fire exit is blocked by pallets. I would fit a guard, clean and mark the "
                "floor, clear the exit, and brief the team at Monday's meeting."})
    workbench.sign_in(people["staff"]).post("submit_assessment", {
        "attempt_id": body["attempt_id"], "scores": PASSING_SCORES})
    return people


@pytest.fixture
def screen(browser, live_server):
    with browser_tab(browser, live_server.url, viewport=SIZE) as page:
        yield page


def signed_in_as(page, live_server, client, user):
    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                               "url": live_server.url}])


def test_learner_sees_their_result(screen, demo):
    open_assessment_as(screen, "Lee Learner")
    result = screen.get_by_text("Passed: 8 of 10 points")
    expect(result.first).to_be_visible()
    # from the progress steps down: the result per criterion and the credential earned
    screen.locator(".ca-steps").evaluate(
        "e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 16)")
    save(screen, "learner")


def test_assessor_sees_the_queue_and_a_colleagues_claim(screen, demo):
    open_assessment_as(screen, "Sam Assessor")
    expect(screen.get_by_role("heading", name="Assessment queue: 2 attempts waiting")
           ).to_be_visible()
    screen.get_by_role("button", name="Claimed (0 by you, 1 by others)").click()
    expect(screen.get_by_text("being assessed by Ana Reviewer")).to_be_visible()
    screen.get_by_role("button", name="Waiting (2)").click()
    screen.locator(".ca-assessor").evaluate("e => e.scrollIntoView({block: 'start'})")
    save(screen, "assessor")


def test_anyone_sees_a_public_badge(screen, demo):
    held = api.get_learner_credential(demo["learner"].pk, SAMPLE_BADGE_SLUG)
    screen.goto(reverse("credential_app:badge_page", kwargs={"uuid": held.uuid}))
    expect(screen.get_by_role("heading", name="First Aid at Work")).to_be_visible()
    save(screen, "badge")


def test_staff_see_assessor_reliability(screen, demo, live_server, client):
    signed_in_as(screen, live_server, client, demo["staff"])
    screen.goto(reverse("credential_app:report", kwargs={"slug": "reliability"}))
    expect(screen.get_by_role("table", name="Agreement per pair of assessors")
           .get_by_role("cell", name="Ana Reviewer")).to_be_visible()
    assert Attempt.objects.filter(assessments__assessor=demo["assessor2"]).exists()
    save(screen, "report")

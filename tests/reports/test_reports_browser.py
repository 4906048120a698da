"""Report and calibration pages in Chromium: no serious axe finding, every control reached
with Tab and named, filters and calibration scoring worked from the keyboard alone."""
import re

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from credential_app.models import (
    Attempt,
    CalibrationAssignment,
    CalibrationItem,
    CalibrationScore,
    CalibrationSet,
)
from tests.helpers import blocking_violations
from tests.reports_helpers import FAIL, PASS, UNIT_A, UNIT_B, World
from tests.xblock import test_keyboard

pytestmark = pytest.mark.browser


def assert_every_control_reached_and_named(page, root_selector):
    """As test_keyboard's walk, with room for date fields (three Tab stops each)."""
    root = page.locator(root_selector)
    controls = root.evaluate(test_keyboard.COLLECT)
    key_of = {str(c["n"]): c["key"] for c in controls}
    root.evaluate(test_keyboard.START)
    reached = set()
    for _ in range(4 * len(controls) + 10):
        page.keyboard.press("Tab")
        if not root.evaluate("root => root.contains(document.activeElement)"):
            break
        where = root.evaluate(test_keyboard.WHERE)
        if where is not None:
            reached.add(key_of[where])
    assert [c["what"] for c in controls if c["key"] not in reached] == []
    for control in controls:
        expect(page.locator(f'[data-kb="{control['n']}"]')).to_have_accessible_name(
            re.compile(r"\S"), timeout=500)


@pytest.fixture
def world(transactional_db):
    w = World()
    w.attempt(w.learner(), UNIT_A, PASS, FAIL)
    w.attempt(w.learner(), UNIT_A, PASS, PASS)
    w.assessors = w.assessors[2:] + w.assessors[:2]
    w.attempt(w.learner(), UNIT_B, FAIL)
    return w


@pytest.fixture
def signed_in(browser, live_server, client):
    """A browser tab signed in as a given user (the session cookie of a real sign-in)."""
    contexts = []

    def open_as(user):
        client.force_login(user)
        context = browser.new_context(base_url=live_server.url)
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                              "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                              "url": live_server.url}])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.mark.parametrize("slug", ["overview", "reliability", "over-time"])
def test_report_pages_have_no_blocking_accessibility_problem(signed_in, world, slug):
    page = signed_in(world.admin)
    page.goto(reverse("credential_app:report", kwargs={"slug": slug}))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Reports")
    assert blocking_violations(page) == []


def test_a_chart_is_a_named_picture_with_its_table(signed_in, world):
    page = signed_in(world.admin)
    page.goto(reverse("credential_app:report", kwargs={"slug": "overview"}))
    chart = page.get_by_role("img", name="Pass rate")
    expect(chart).to_be_visible()
    expect(page.get_by_role("table", name="Submissions and pass rate")).to_be_visible()


def test_filters_work_from_the_keyboard(signed_in, world):
    page = signed_in(world.admin)
    page.goto(reverse("credential_app:report", kwargs={"slug": "overview"}))
    assert_every_control_reached_and_named(page, ".ca-reports")
    page.get_by_label("Credential").focus()
    page.keyboard.press("ArrowDown")  # from "All credentials" to the first credential
    page.get_by_role("button", name="Show").focus()
    page.keyboard.press("Enter")
    table = page.get_by_role("table", name="Submissions and pass rate")
    expect(table.get_by_role("rowheader")).to_have_count(1)
    expect(table.get_by_role("rowheader")).to_have_text("First aid")
    link = page.get_by_role("link", name="Download “Submissions and pass rate” as CSV")
    with page.expect_download() as download:
        link.focus()
        page.keyboard.press("Enter")
    assert "First aid" in open(download.value.path(), encoding="utf-8").read()


def test_an_assessor_scores_a_calibration_set_by_keyboard(signed_in, world):
    cset = CalibrationSet.objects.create(name="Spring panel", definition=world.safety)
    attempt = Attempt.objects.filter(definition=world.safety).first()
    item = CalibrationItem.objects.create(calibration_set=cset, attempt=attempt,
                                          agreed_levels=PASS)
    assignment = CalibrationAssignment.objects.create(calibration_set=cset,
                                                      assessor=world.assessors[0])
    page = signed_in(world.assessors[0])
    page.goto(reverse("credential_app:my-calibrations"))
    page.get_by_role("link", name="Spring panel").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Calibration: Spring panel")).to_be_visible()
    assert blocking_violations(page) == []
    assert_every_control_reached_and_named(page, ".ca-reports")
    for criterion, steps in (("Hazards", 2), ("Controls", 1), ("Communication", 1)):
        group = page.get_by_role("group", name=criterion)
        group.get_by_role("radio").first.focus()
        page.keyboard.press("Space")
        for _ in range(steps):
            page.keyboard.press("ArrowDown")
    page.get_by_role("button", name="Save calibration scores").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Your scores are saved")
    chosen = dict(CalibrationScore.objects.filter(assignment=assignment, item=item)
                  .values_list("criterion", "level"))
    assert chosen == {"hazards": "complete", "controls": "matched",
                      "communication": "present"}

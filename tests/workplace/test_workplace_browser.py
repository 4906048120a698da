"""The workplace pages in Chromium: no serious axe finding, every control reached with Tab
and named, a review marked from the keyboard alone."""
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from credential_app.models import IndicatorReview, RoiAssumptions
from credential_app.workplace import indicators
from tests.helpers import blocking_violations
from tests.reports.test_reports_browser import assert_every_control_reached_and_named
from tests.workplace.outcome_world import TODAY, standard

pytestmark = pytest.mark.browser


@pytest.fixture
def figures(transactional_db):
    force = standard()
    force.store()
    indicators.refresh(TODAY)
    RoiAssumptions.objects.create(definition=force.world.aid, currency="EUR", cost_per_hire=5000)
    return get_user_model().objects.create_user("hr-lead", is_staff=True)


@pytest.mark.parametrize("name", ["workplace-indicators", "workplace-roi",
                                  "workplace-governance"])
def test_workplace_pages_have_no_blocking_accessibility_problem(signed_in, figures, name):
    page = signed_in(figures)
    page.goto(reverse(f"credential_app:{name}"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Workplace outcomes")
    assert blocking_violations(page) == []
    assert_every_control_reached_and_named(page, ".ca-reports")


def test_a_review_is_marked_from_the_keyboard(signed_in, figures):
    page = signed_in(figures)
    page.goto(reverse("credential_app:workplace-governance"))
    page.get_by_label("Note on Retention at 180 days (optional)").focus()
    page.keyboard.type("Board pack")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("The review was recorded.")
    assert IndicatorReview.objects.get().note == "Board pack"

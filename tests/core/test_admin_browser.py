"""The admin in Chromium: the credential definition page fits a 1280-pixel screen, and a
learner and a unit are chosen by typing their names."""
import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from credential_app.models import ExtraAttemptGrant, Issuer
from tests.helpers import browser_tab
from tests.reports_helpers import FAIL, UNIT_A, World

pytestmark = pytest.mark.browser

HORIZONTAL_OVERFLOW = """() => {
  const page = document.scrollingElement;
  return {scroll: page.scrollWidth, client: page.clientWidth,
          wide: [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > page.clientWidth + 1)
            .slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id)};
}"""


@pytest.fixture
def world(transactional_db):
    w = World()
    lee = w.learner()
    lee.first_name, lee.last_name = "Lee", "Learner"
    lee.save()
    w.attempt(lee, UNIT_A, FAIL, FAIL)
    w.admin.is_superuser = True
    w.admin.save()
    w.safety.issuer = Issuer.objects.create(name="Demo Safety Academy",
                                            url="https://academy.example.org")
    w.safety.save()
    w.lee = lee
    return w


@pytest.fixture
def admin_page(browser, live_server, client, world):
    client.force_login(world.admin)
    with browser_tab(browser, live_server.url, viewport={"width": 1280, "height": 800}) as page:
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                                   "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                                   "url": live_server.url}])
        yield page


def test_the_definition_page_fits_1280_pixels(admin_page, world):
    admin_page.goto(reverse("admin:credential_app_credentialdefinition_change",
                            args=[world.safety.pk]))
    expect(admin_page.locator("#id_issuance_policy-0-criterion_minimums_0")).to_have_accessible_name(
        "Hazards")  # a minimum level, chosen from the rubric
    measured = admin_page.evaluate(HORIZONTAL_OVERFLOW)
    assert measured["scroll"] <= measured["client"], measured


def test_a_grant_is_made_by_typing_names(admin_page, world):
    admin_page.goto(reverse("admin:credential_app_extraattemptgrant_add"))
    admin_page.locator(".field-user .select2-selection").click()
    admin_page.locator(".select2-search__field").fill("lee")
    admin_page.get_by_role("option", name="Lee Learner (learner0)").click()
    admin_page.locator(".field-usage_key .select2-selection").click()
    admin_page.locator(".select2-search__field").fill("safe")
    admin_page.get_by_role("option", name="safety (course-v1:Acme+Safety+2026), for Site "
                                           "safety").click()
    admin_page.get_by_label("Extra attempts").fill("1")
    admin_page.get_by_label("Reason").fill("Appeal upheld")
    admin_page.get_by_role("button", name="Save", exact=True).click()
    expect(admin_page.get_by_role("cell", name="Lee Learner (learner0)")).to_be_visible()
    grant = ExtraAttemptGrant.objects.get()
    assert (grant.user, grant.usage_key) == (world.lee, str(UNIT_A))


"""The catalogue, pathway progress and the managers' page in Chromium: used by keyboard,
no sign-in for the catalogue, and axe finds nothing serious on any of them."""
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from credential_app.catalogue.models import JobRole, JobTask, TaskMapping
from credential_app.models import CredentialDefinition, EmployerManager
from tests.helpers import blocking_violations
from tests.hris_people_helpers import link, webhook_destination
from tests.pathway_helpers import earn, make_pathway

pytestmark = pytest.mark.browser


@pytest.fixture
def catalogue(people):
    make_pathway()
    task = JobTask.objects.create(
        role=JobRole.objects.create(name="Site supervisor", framework="O*NET-SOC",
                                    code="47-1011.00"),
        statement="Inspects the site for hazards each day")
    TaskMapping.objects.create(definition=CredentialDefinition.objects.get(
        slug="hazard-spotting"), task=task, level=2)


def sign_in(page, url, full_name):
    page.goto(url)
    page.get_by_role("button", name=f"Sign in as {full_name}").click()


def test_a_stranger_searches_the_catalogue_by_keyboard(page, catalogue):
    page.goto(reverse("credential_app:catalogue"))  # no sign-in
    expect(page.get_by_role("heading", level=1)).to_have_text("Credential catalogue")
    assert blocking_violations(page) == []
    page.get_by_role("searchbox", name="Search").focus()
    page.keyboard.type("47-1011.00")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("1 entry found.")
    page.get_by_role("link", name="Hazard Spotting").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hazard Spotting")
    expect(page.get_by_role("cell", name="Practitioner: does it on their own")).to_be_visible()
    assert blocking_violations(page) == []
    page.get_by_role("link", name="Site Safety Lead").click()
    expect(page.get_by_role("heading", name="Credentials it stacks")).to_be_visible()
    assert blocking_violations(page) == []


def test_a_learner_follows_their_pathway_on_their_credentials_page(page, people, catalogue):
    earn(people, "hazard-spotting")
    sign_in(page, reverse("credential_app:learner-credentials"), "Lee Learner")
    section = page.locator("#pathways")
    expect(section.get_by_text("1 of 2 done.")).to_be_visible()
    expect(section.get_by_role("link", name="Next: Safe Lifting")).to_be_visible()
    assert blocking_violations(page) == []


def test_a_manager_searches_by_keyboard(page, people, catalogue):
    earn(people, "hazard-spotting")
    earn(people, "safe-lifting")
    employer = webhook_destination("https://hr.acme.example/hook", name="Acme HR")
    link(employer, people["learner"], "A-1")
    EmployerManager.objects.create(destination=employer, user=people["staff"])
    sign_in(page, reverse("credential_app:employee-search"), "Sam Assessor")
    choice = page.get_by_role("combobox", name="Credential or pathway")
    choice.focus()
    page.keyboard.type("Site Safety")  # a select picks the option its typed name starts
    page.keyboard.press("Tab")  # to the job task
    page.keyboard.press("Tab")  # to Search
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("1 employee found.")
    expect(page.get_by_role("rowheader", name="Lee Learner")).to_be_visible()
    assert blocking_violations(page) == []

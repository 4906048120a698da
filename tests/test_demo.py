"""``make demo``'s data step: people, the credential and the course's units, safe to repeat."""
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command

from credential_app import api
from credential_xblock.demo_scenarios import DEMO_CREDENTIAL_SLUG


def test_load_demo_creates_people_credential_and_registers_units(scenario):
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())  # a second run changes nothing
    assert set(get_user_model().objects.values_list("username", flat=True)) == {
        "learner", "learner2", "staff"}
    definition = api.get_credential_definition(DEMO_CREDENTIAL_SLUG)
    assert definition.issuer.name == "Demo Safety Academy"
    units = api.list_assessment_units(DEMO_CREDENTIAL_SLUG)
    assert sorted(unit.display_name for unit in units) == [
        "Kitchen hygiene audit", "Workplace safety walkthrough"]
    assert all(unit.rubric.criteria for unit in units)


# --- badge pages ---

def test_the_demo_learner_already_holds_a_badge(scenario):
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())  # still one
    learner = get_user_model().objects.get(username="learner")
    held = api.get_learner_credentials(learner.pk)
    assert [c.definition.name for c in held] == ["First Aid at Work"]
    assert held[0].is_valid
    # and it leaves the demo course's own credential to be earned
    assert api.get_learner_credential(learner.pk, DEMO_CREDENTIAL_SLUG) is None


# --- the demo's pages ---

def test_a_learner_meets_a_styled_403_and_no_staff_instructions(client, scenario, people):
    client.force_login(people["learner"])
    home = client.get("/").content.decode()
    assert "Edit this unit (Studio view)" not in home
    assert "then hand in your evidence" in home
    refused = client.get("/reports/")
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "You are not allowed to see this page" in page and "Lee Learner" in page
    assert 'rel="icon" href="data:image/svg+xml' in page  # no favicon request to 404


def test_staff_see_how_to_author(client, scenario, people):
    client.force_login(people["staff"])
    assert "Edit this unit (Studio view)" in client.get("/").content.decode()

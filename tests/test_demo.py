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

"""Managers find employees by credential, pathway or job task: only an employer's authorised
managers, only that employer's employees, only those who share with it; every search
audited; the same as a REST endpoint described in the OpenAPI schema."""
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from credential_app import api
from credential_app.catalogue.models import JobRole, JobTask, TaskMapping
from credential_app.core.audit import AuditAction
from credential_app.models import (
    AuditEntry,
    Credential,
    CredentialDefinition,
    EmployerManager,
    Pathway,
)
from tests.hris_people_helpers import link, webhook_destination
from tests.pathway_helpers import PATHWAY, earn, make_pathway

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(people):
    """Acme employs Lee (shares), Kim (does not share) and Max (shares, holds nothing);
    Globex employs Ola, who holds everything. Mia manages Acme."""
    User = get_user_model()
    people.update({name: User.objects.create_user(name, first_name=name.title())
                   for name in ("max", "ola", "mia")})
    make_pathway()
    task = JobTask.objects.create(role=JobRole.objects.create(name="Site supervisor"),
                                  statement="Lifts loads safely")
    TaskMapping.objects.create(definition=CredentialDefinition.objects.get(slug="safe-lifting"),
                               task=task, level=2)
    for learner in ("learner", "learner2", "ola"):
        earn(people, "hazard-spotting", learner=learner)
        earn(people, "safe-lifting", learner=learner)
    acme = webhook_destination("https://hr.acme.example/hook", name="Acme HR")
    globex = webhook_destination("https://hr.globex.example/hook", name="Globex HR")
    link(acme, people["learner"], "A-1")
    link(acme, people["learner2"], "A-2", consent=False)
    link(acme, people["max"], "A-3")
    link(globex, people["ola"], "G-1")
    EmployerManager.objects.create(destination=acme, user=people["mia"])
    return {"people": people, "task": task}


def found(client, **params):
    response = client.get(reverse("credential_app:rest-employee-search"), params)
    assert response.status_code == 200, response.content
    return [(m["employee_id"], sorted(c["slug"] for c in m["credentials"]))
            for m in response.json()["results"]]


def test_a_manager_finds_only_their_employers_consenting_holders(client, world):
    client.force_login(world["people"]["mia"])
    # not Kim (no consent), not Max (holds none), not Ola (Globex); with what matched
    assert found(client, credential=PATHWAY) == [("A-1", [PATHWAY])]
    assert found(client, task=world["task"].pk) == [("A-1", ["safe-lifting"])]
    assert found(client, credential="hazard-spotting", task=world["task"].pk) == [
        ("A-1", ["hazard-spotting", "safe-lifting"])]
    assert found(client, credential="no-such-credential") == []


def test_every_search_is_audited(client, world):
    client.force_login(world["people"]["mia"])
    found(client, credential=PATHWAY)
    found(client, task=world["task"].pk)
    entries = AuditEntry.objects.filter(action=AuditAction.EMPLOYEE_SEARCH).order_by("id")
    assert [(e.actor_id, e.details["credential"], e.details["task"], e.details["found"])
            for e in entries] == [(world["people"]["mia"].pk, PATHWAY, None, 1),
                                  (world["people"]["mia"].pk, None, world["task"].pk, 1)]


def test_the_managers_page_lists_the_same_people(client, world):
    client.force_login(world["people"]["mia"])
    html = client.get(reverse("credential_app:employee-search"),
                      {"credential": PATHWAY}).content.decode()
    assert "1 employee found." in html and "A-1" in html and "Lee Learner" in html
    assert "A-2" not in html and "G-1" not in html


@pytest.mark.parametrize("who", ["learner", "staff", "ola"])
def test_anyone_else_is_refused_and_nothing_is_audited(client, world, who):
    client.force_login(world["people"][who])
    assert client.get(reverse("credential_app:employee-search"),
                      {"credential": PATHWAY}).status_code == 403
    assert client.get(reverse("credential_app:rest-employee-search"),
                      {"credential": PATHWAY}).status_code == 403
    assert not AuditEntry.objects.filter(action=AuditAction.EMPLOYEE_SEARCH).exists()


def test_bad_queries_get_a_clear_refusal(client, world):
    client.force_login(world["people"]["mia"])
    response = client.get(reverse("credential_app:rest-employee-search"), {"task": "lots"})
    assert response.status_code == 400


def test_the_endpoint_is_in_the_openapi_schema(client):
    schema = client.get(reverse("credential_app:rest-schema"), {"format": "json"}).json()
    operation = schema["paths"]["/credential-app/api/v1/employees/"]["get"]
    assert operation["operationId"] == "employees_search"
    assert {p["name"] for p in operation["parameters"]} >= {"credential", "task"}


def test_a_suspended_pathway_credential_is_not_found_until_it_is_reinstated(client, world):
    people = world["people"]
    Pathway.objects.filter(definition__slug=PATHWAY).update(when_requirement_lost="suspend")
    hazard = Credential.objects.get(user=people["learner"], definition__slug="hazard-spotting")
    api.revoke_credential(credential_uuid=str(hazard.uuid), revoked_by=people["staff"].pk,
                          reason="Copied.")
    client.force_login(people["mia"])
    assert found(client, credential=PATHWAY) == []
    earn(people, "hazard-spotting")
    assert found(client, credential=PATHWAY) == [("A-1", [PATHWAY])]

"""The catalogue hiring managers read: credentials and pathways in plain language, with how
they are assessed, validity, job tasks and levels; searchable and filterable; each
credential's page names its pathways; a learner sees where they stand on a pathway. Job
tasks also appear on the public badge page and in what HR systems receive."""
import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from credential_app import api
from credential_app.catalogue.models import JobRole, JobTask, TaskMapping
from credential_app.models import Credential, CredentialDefinition, OutboxMessage
from tests.hris_helpers import make_destination
from tests.pathway_helpers import PATHWAY, component, earn, hand_in, make_pathway

pytestmark = pytest.mark.django_db


@pytest.fixture
def mapped(people):
    """A pathway of two credentials; Hazard Spotting maps to a supervisor's task."""
    pathway = make_pathway()
    role = JobRole.objects.create(name="Site supervisor", framework="O*NET-SOC",
                                  code="47-1011.00",
                                  framework_url="https://www.onetonline.org/link/summary/47-1011.00")
    task = JobTask.objects.create(role=role, statement="Inspects the site for hazards each day",
                                  framework="ESCO", code="S1.2.1",
                                  framework_url="https://esco.example.org/s1-2-1")
    TaskMapping.objects.create(definition=CredentialDefinition.objects.get(
        slug="hazard-spotting"), task=task, level=2)
    return pathway, role


def search(client, **params):
    response = client.get(reverse("credential_app:catalogue"), params)
    assert response.status_code == 200
    return [entry.definition.slug for entry in response.context["found"].entries]


def test_the_catalogue_lists_credentials_and_pathways_with_their_tasks(client, mapped):
    response = client.get(reverse("credential_app:catalogue"))
    html = response.content.decode()
    assert search(client) == ["hazard-spotting", "safe-lifting", PATHWAY]
    assert "Inspects the site for hazards each day (Practitioner: does it on their own)" in html
    assert "Part of:" in html and "Site Safety Lead" in html


@pytest.mark.parametrize("params, found", [
    ({"q": "hazards daily"}, []),  # every word must match
    ({"q": "inspects site"}, ["hazard-spotting"]),  # a task's words
    ({"q": "47-1011.00"}, ["hazard-spotting"]),  # an O*NET code
    ({"q": "S1.2.1"}, ["hazard-spotting"]),  # an ESCO code
    ({"kind": "pathways"}, [PATHWAY]),
    ({"kind": "credentials"}, ["hazard-spotting", "safe-lifting"]),
    ({"level": "2"}, ["hazard-spotting"]),
    ({"level": "4"}, []),
    ({"level": "99", "kind": "nonsense"}, ["hazard-spotting", "safe-lifting", PATHWAY]),
])
def test_search_and_filters(client, mapped, params, found):
    assert search(client, **params) == found


def test_search_by_role(client, mapped):
    _pathway, role = mapped
    assert search(client, role=str(role.pk)) == ["hazard-spotting"]


def test_a_credentials_page_says_how_it_is_assessed_and_which_pathways_it_belongs_to(
        client, mapped):
    CredentialDefinition.objects.filter(slug="hazard-spotting").update(validity_days=365,
                                                                       renewal_window_days=30)
    html = client.get(reverse("credential_app:catalogue-entry",
                              args=["hazard-spotting"])).content.decode()
    assert "a written account" in html  # the evidence its unit takes
    assert "<li><strong>A</strong></li>" in html and "<li><strong>B</strong></li>" in html
    assert "At least 60% of the rubric's points are needed." in html
    assert "Valid for 365 days after it is issued." in html
    assert "from 30 days before it expires" in html
    assert "Inspects the site for hazards each day" in html and "47-1011.00" in html
    assert f'href="{reverse("credential_app:catalogue-entry", args=[PATHWAY])}"' in html


def test_a_pathways_page_lists_what_it_stacks(client, mapped):
    html = client.get(reverse("credential_app:catalogue-entry", args=[PATHWAY])).content.decode()
    assert "Hold all of these credentials; the pathway credential is then issued " \
           "automatically." in html
    assert "Hazard Spotting" in html and "Safe Lifting" in html


def test_the_catalogue_can_be_for_signed_in_people_only(client, settings, mapped, people):
    with override_settings(CREDENTIAL_APP={**settings.CREDENTIAL_APP,
                                           "CATALOGUE_ACCESS": "signed_in"}):
        for url in (reverse("credential_app:catalogue"),
                    reverse("credential_app:catalogue-entry", args=[PATHWAY])):
            assert client.get(url).status_code == 302
        client.force_login(people["learner2"])
        assert client.get(reverse("credential_app:catalogue")).status_code == 200


def test_unknown_entries_and_long_terms_are_handled(client, mapped):
    assert client.get(reverse("credential_app:catalogue-entry",
                              args=["no-such-thing"])).status_code == 404
    response = client.get(reverse("credential_app:catalogue"), {"q": "x" * 10_000,
                                                               "page": "-5"})
    assert response.status_code == 200
    assert response.context["chosen"]["term"] == "x" * 100


@pytest.fixture
def lms_unit_urls(settings):
    """The plugin's default: units open in the LMS courseware (the demo opens its list)."""
    settings.LMS_ROOT_URL = "https://lms.example.org"
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP,
                               "UNIT_URL": "{lms_root}/courses/{course_key}/jump_to/{usage_key}"}


def test_a_learner_sees_done_in_progress_and_the_next_unit(client, people, mapped,
                                                           lms_unit_urls):
    make_pathway(("hazard-spotting", "safe-lifting", "first-response"), slug="site-manager",
                 name="Site Manager", required_count=3)
    earn(people, "hazard-spotting")
    hand_in(people["learner"], "safe-lifting")  # waiting for an assessor
    [manager, lead] = api.get_pathway_progress(people["learner"].pk)  # by name
    assert (lead.slug, manager.slug) == (PATHWAY, "site-manager")
    assert [c.state for c in manager.components] == ["done", "in_progress", "todo"]
    assert manager.done == 1 and manager.needed == 3
    assert manager.next_component.slug == "safe-lifting"
    assert manager.next_component.unit_url == (
        "https://lms.example.org/courses/course-v1:Org+Course+Run/jump_to/"
        "block-v1:Org+Course+Run+type@credential_assessment+block@safe-lifting")
    client.force_login(people["learner"])
    html = client.get(reverse("credential_app:learner-credentials")).content.decode()
    assert "My pathways" in html and "1 of 3 done." in html
    assert f'href="{manager.next_component.unit_url}">Next: Safe Lifting</a>' in html


def test_a_completed_pathway_shows_as_complete(client, people, mapped):
    earn(people, "hazard-spotting")
    earn(people, "safe-lifting")
    [lead] = api.get_pathway_progress(people["learner"].pk)
    assert lead.credential_uuid and lead.next_component is None
    client.force_login(people["learner"])
    html = client.get(reverse("credential_app:learner-credentials")).content.decode()
    assert "Complete: you hold this pathway credential." in html


def test_the_badge_pages_show_job_tasks_and_a_pathways_components(client, people, mapped):
    hazard = earn(people, "hazard-spotting")
    earn(people, "safe-lifting")
    html = client.get(reverse("credential_app:badge_page", args=[hazard.uuid])).content.decode()
    assert "Inspects the site for hazards each day" in html and "O*NET-SOC 47-1011.00" in html
    held = Credential.objects.get(definition__slug=PATHWAY)
    html = client.get(reverse("credential_app:badge_page", args=[held.uuid])).content.decode()
    assert "Credentials it stacks" in html
    assert f'href="{reverse("credential_app:badge_page", args=[hazard.uuid])}">Hazard ' \
           f'Spotting</a>' in html
    assert "Level achieved" not in html  # nothing was scored for the pathway itself


def test_hr_systems_receive_the_job_tasks_and_the_pathways_components(people, mapped):
    make_destination("https://hr.example.org/hook")
    hazard = earn(people, "hazard-spotting")
    earn(people, "safe-lifting")
    row = OutboxMessage.objects.get(credential__uuid=hazard.uuid)
    assert row.payload["credential"]["job_tasks"] == [{
        "role": "Site supervisor", "task": "Inspects the site for hazards each day",
        "level": 2, "level_label": "Practitioner: does it on their own",
        "role_code": {"framework": "O*NET-SOC", "code": "47-1011.00",
                      "url": "https://www.onetonline.org/link/summary/47-1011.00"},
        "task_code": {"framework": "ESCO", "code": "S1.2.1",
                      "url": "https://esco.example.org/s1-2-1"}}]
    pathway_row = OutboxMessage.objects.get(credential__definition__slug=PATHWAY)
    record = pathway_row.payload["credential"]["pathway"]
    assert record["components"] == ["hazard-spotting", "safe-lifting"]
    assert len(record["held"]) == 2 and record["needed"] == 2


def test_the_catalogue_pages_cost_as_many_queries_however_many_credentials_they_list(
        client, mapped):
    """Entries, their tasks, units, alignments and pathways are read in bulk: listing more
    credentials (with units, task mappings and a pathway of their own) adds no query."""
    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    pages = [reverse("credential_app:catalogue"),
             reverse("credential_app:catalogue") + "?kind=pathways",
             reverse("credential_app:catalogue") + "?q=site"]
    before = [queries(url) for url in pages]
    _pathway, role = mapped
    slugs = [f"extra-{n}" for n in range(4)]
    for slug in slugs:
        definition = component(slug, f"Extra site unit {slug}")
        task = JobTask.objects.create(role=role, statement=f"Site task of {slug}")
        TaskMapping.objects.create(definition=definition, task=task, level=3)
    make_pathway(tuple(slugs[:2]), slug="extra-lead", name="Extra site lead")
    assert len(search(client)) == 3 + 5
    assert [queries(url) for url in pages] == before

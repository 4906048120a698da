"""``make demo``'s data step: people, the credential and the course's units, safe to repeat."""
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from credential_app import api
from credential_app.data import CriterionScore, QueueStatus
from credential_app.models import CalibrationSet
from credential_app.reports.filters import ReportFilterForm
from credential_app.reports.pages import PAGES
from credential_xblock.demo_scenarios import DEMO_CREDENTIAL_SLUG
from demo.history import HISTORY_LEARNERS
from demo.workplace_history import workforce


def test_load_demo_creates_people_credential_and_registers_units(scenario):
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())  # a second run changes nothing
    assert set(get_user_model().objects.values_list("username", flat=True)) == {
        "learner", "learner2", "staff", "assessor2",
        *(person.username for person in HISTORY_LEARNERS),
        *(person.username for person in workforce(timezone.now().date()))}
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
    refused = client.get(reverse("credential_app:reports"))
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "You are not allowed to see this page" in page and "Lee Learner" in page
    assert 'rel="icon" href="data:image/svg+xml' in page  # no favicon request to 404


def test_staff_see_how_to_author(client, scenario, people):
    client.force_login(people["staff"])
    assert "Edit this unit (Studio view)" in client.get("/").content.decode()


# --- no shared secrets, no stored file outside its checked handler ---

def test_the_demo_jwt_secret_is_random_per_installation(tmp_path, settings):
    from demo import jwt_keys

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = jwt_keys.load_or_create_secret(tmp_path / "a")
    again = jwt_keys.load_or_create_secret(tmp_path / "a")
    other = jwt_keys.load_or_create_secret(tmp_path / "b")
    assert first == again and first != other and len(first) >= 48
    assert oct((tmp_path / "a" / jwt_keys.SECRET_FILE).stat().st_mode & 0o777) == "0o600"
    assert settings.JWT_SECRET != "demo-lms-secret-only-for-local-tests"  # the old fixed one
    assert settings.JWT_AUTH["JWT_SECRET_KEY"] == settings.JWT_SECRET


def test_the_demo_makes_its_own_signing_keys_ed25519_for_proofs_rsa_for_jwts(tmp_path,
                                                                             settings):
    from credential_app.openbadges import keys
    from demo import badge_keys

    path = badge_keys.load_or_create(tmp_path)
    assert badge_keys.load_or_create(tmp_path) == path  # made once
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "SIGNING_KEYS": None,
                               "SIGNING_KEYS_FILE": path}
    assert (keys.current().algorithm, keys.current_for_jwt().algorithm) == ("EdDSA", "RS256")
    assert oct(Path(path).stat().st_mode & 0o777) == "0o600"


def test_stored_evidence_is_not_served_as_media(client, people, settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("evidence/secret-plan.pdf", ContentFile(b"%PDF-1.4"))
    client.force_login(people["learner2"])  # signed in, but not the owner
    response = client.get(f"/media/{name}")
    assert response.status_code == 404
    # ...whatever DEBUG says (the workbench serves MEDIA_ROOT when it is on): the demo's
    # own route answers first
    from django.urls import resolve

    from demo import views
    assert resolve(f"/media/{name}").func is views.not_served
    default_storage.delete(name)


# --- a demo with history: every report page shows something ---

@pytest.fixture
def loaded_demo(scenario, tmp_path):
    call_command("load_demo", "--hris-tls-dir", str(tmp_path), stdout=StringIO())
    call_command("load_demo", "--hris-tls-dir", str(tmp_path), stdout=StringIO())  # made once
    return {user.username: user for user in get_user_model().objects.all()}


def test_every_report_page_shows_data_after_load_demo(client, loaded_demo):
    client.force_login(loaded_demo["staff"])
    for slug, page in PAGES.items():
        html = client.get(reverse("credential_app:report", kwargs={"slug": slug})).content
        html = html.decode()
        assert "Nothing to show for these filters." not in html, slug
        for table in page.build(ReportFilterForm().scope()).tables:
            assert table.rows, (slug, table.key)
    calibration_set = CalibrationSet.objects.get()
    results = client.get(reverse("credential_app:calibration-results",
                                 kwargs={"set_id": calibration_set.pk})).content.decode()
    assert "Nothing to show" not in results and "Ana Reviewer" in results


def test_the_demo_history_has_two_assessors_agreeing_and_a_claim_lock(loaded_demo):
    reliability = PAGES["reliability"].build(ReportFilterForm().scope())
    pairs = reliability.tables[2].rows
    assert {(row["first"], row["second"]) for row in pairs} >= {("Sam Assessor", "Ana Reviewer")}
    over_time = PAGES["over-time"].build(ReportFilterForm().scope()).tables[0].rows
    assert len(over_time) >= 4  # a few months
    assert sum(r["revoked"] for r in over_time) == 1 and sum(r["expired"] for r in over_time) == 1
    # Sam's queue on the walkthrough: attempts waiting, one locked by Ana
    unit = next(u for u in api.list_assessment_units(DEMO_CREDENTIAL_SLUG)
                if u.display_name == "Workplace safety walkthrough")
    queue = api.get_assessment_queue(unit.usage_key, loaded_demo["staff"].pk)
    assert queue.counts["waiting"] == 2 and queue.counts["locked"] == 1
    locked = queue.of(QueueStatus.LOCKED)[0]
    assert locked.claim.assessor_name == "Ana Reviewer"
    # and the learners of the walkthrough have none of it: their units are untouched
    for name in ("learner", "learner2"):
        assert api.get_latest_attempt(loaded_demo[name].pk, unit.usage_key) is None


# --- pathways and the catalogue ---

def test_the_demo_has_a_pathway_lee_completes_by_passing_the_walkthrough(client, loaded_demo):
    html = client.get(reverse("credential_app:catalogue")).content.decode()
    assert "Site Safety Lead" in html and "Site supervisor" in html
    lee = loaded_demo["learner"]
    [progress] = api.get_pathway_progress(lee.pk)
    assert (progress.name, progress.done, progress.needed) == ("Site Safety Lead", 1, 2)
    assert progress.next_component.name == "Workplace Safety Practitioner"
    unit = next(u for u in api.list_assessment_units(DEMO_CREDENTIAL_SLUG)
                if u.display_name == "Workplace safety walkthrough")
    attempt = api.submit_attempt(user_id=lee.pk, usage_key=unit.usage_key,
                                 credential_slug=DEMO_CREDENTIAL_SLUG, rubric=unit.rubric,
                                 evidence_text="Hazards, controls and a briefing.",
                                 max_evidence_length=5000)
    best = [CriterionScore(c.name, c.levels[-1].name) for c in unit.rubric.criteria]
    api.record_assessment(attempt_id=attempt.id, usage_key=unit.usage_key,
                          assessor_id=loaded_demo["staff"].pk, scores=best)
    held = {c.definition.name: c.status for c in api.get_learner_credentials(lee.pk)}
    assert held == {"First Aid at Work": "active", "Workplace Safety Practitioner": "active",
                    "Site Safety Lead": "active"}
    # its rule is "suspend": revoking the walkthrough's credential suspends it, and passing
    # the walkthrough again reinstates the same pathway credential
    earned = api.get_learner_credential(lee.pk, DEMO_CREDENTIAL_SLUG)
    [lead] = [c for c in api.get_learner_credentials(lee.pk) if c.through_pathway]
    api.revoke_credential(credential_uuid=earned.uuid, revoked_by=loaded_demo["staff"].pk,
                          reason="Walkthrough filmed at another site.")
    assert api.get_credential(lead.uuid).status == "suspended"
    again = api.submit_attempt(user_id=lee.pk, usage_key=unit.usage_key,
                               credential_slug=DEMO_CREDENTIAL_SLUG, rubric=unit.rubric,
                               evidence_text="Hazards, controls and a briefing, on site.",
                               max_evidence_length=5000)
    api.record_assessment(attempt_id=again.id, usage_key=unit.usage_key,
                          assessor_id=loaded_demo["staff"].pk, scores=best)
    assert api.get_credential(lead.uuid).status == "active"
    assert [c.uuid for c in api.get_learner_credentials(lee.pk) if c.through_pathway] == [
        lead.uuid]

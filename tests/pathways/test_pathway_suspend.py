"""The pathway rule "suspend": when a requirement is lost the pathway credential is
suspended (not valid, reversible), and when the learner holds the requirements again the
same credential is reinstated. HR systems, Open Badges (a suspension status list) and
verifiers, ours and an independent one, follow (docs/decisions/0014)."""
# ruff: noqa: F811 (pytest fixtures imported from tests.openbadge_helpers)
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from credential_app import api
from credential_app.core.audit import AuditAction
from credential_app.data import CredentialStatus
from credential_app.hris.connectors import xapi_statements
from credential_app.hris.connectors.base import OutgoingRecord
from credential_app.models import (
    AuditEntry,
    Credential,
    CredentialDefinition,
    OutboxMessage,
)
from credential_app.openbadges import status_list
from credential_app.reports.models import CredentialSummary
from tests import independent
from tests.hris_helpers import make_destination
from tests.openbadge_helpers import (  # noqa: F401 (fixtures)
    BASE_URL,
    assert_valid_ob3,
    keys,
    new_key,
)
from tests.openbadges.test_independent_verification import fetch, world_of
from tests.pathway_helpers import PATHWAY, earn, make_pathway
from tests.reports.test_report_summaries import summaries
from tests.xapi_helpers import make_lrs_destination

pytestmark = pytest.mark.django_db


def pathway_credentials(user, slug=PATHWAY):
    return list(Credential.objects.filter(user=user, definition__slug=slug).order_by("id"))


def hold_pathway(people):
    """A "suspend" pathway the learner holds: (its first requirement, the pathway's credential)."""
    make_pathway(rule="suspend")
    first = earn(people, "hazard-spotting")
    earn(people, "safe-lifting")
    [held] = pathway_credentials(people["learner"])
    return first, held


def revoke(people, credential, reason="Evidence was copied."):
    api.revoke_credential(credential_uuid=credential.uuid, revoked_by=people["staff"].pk,
                          reason=reason)


def audited(action, credential):
    return list(AuditEntry.objects.filter(action=action, subject_id=str(credential.pk))
                .values_list("reason", flat=True))


def test_a_lost_requirement_suspends_and_regaining_it_reinstates_the_same_credential(people):
    first, held = hold_pathway(people)
    revoke(people, first)
    [suspended] = pathway_credentials(people["learner"])
    assert (suspended.pk, suspended.status) == (held.pk, CredentialStatus.SUSPENDED)
    assert suspended.ended_at is not None and suspended.revoked_reason == ""
    assert audited(AuditAction.SUSPENSION, held) == [
        "“Hazard Spotting”, which this pathway requires, was revoked."]
    assert not api.get_credential(str(held.uuid)).is_valid
    earn(people, "hazard-spotting")  # holds both again
    [reinstated] = pathway_credentials(people["learner"])
    assert (reinstated.pk, reinstated.uuid, reinstated.status) == (
        held.pk, held.uuid, CredentialStatus.ACTIVE)
    assert reinstated.ended_at is None and reinstated.issued_at == held.issued_at
    assert audited(AuditAction.REINSTATEMENT, held) == [
        "The learner holds the credentials this pathway requires again."]
    assert len(audited(AuditAction.ISSUANCE, held)) == 1  # issued once, never again


def test_open_edx_hears_the_badge_revoked_then_awarded_again(
        people, announced, django_capture_on_commit_callbacks):
    first, held = hold_pathway(people)
    with django_capture_on_commit_callbacks(execute=True):
        revoke(people, first)
    with django_capture_on_commit_callbacks(execute=True):
        earn(people, "hazard-spotting")
    mine = [(name, payload.uuid) for name, payload in announced.sent
            if payload.uuid == str(held.uuid)]
    assert mine == [("suspended", str(held.uuid)), ("BADGE_REVOKED", str(held.uuid)),
                    ("reinstated", str(held.uuid)), ("BADGE_AWARDED", str(held.uuid))]


def test_hr_systems_hear_each_suspension_and_reinstatement_as_an_event_of_its_own(people):
    destination = make_destination("https://hr.example.org/hook")
    first, held = hold_pathway(people)
    revoke(people, first)
    again = earn(people, "hazard-spotting")
    revoke(people, again, reason="Copied again.")
    earn(people, "hazard-spotting")
    rows = OutboxMessage.objects.filter(destination=destination, credential=held).order_by("id")
    assert [(r.event_type, r.payload["credential"]["status"], r.payload["event_key"])
            for r in rows] == [
        ("credential.issued", "active", f"credential:{held.uuid}:earned"),
        ("credential.suspended", "suspended", f"credential:{held.uuid}:suspended:1"),
        ("credential.reinstated", "active", f"credential:{held.uuid}:reinstated:1"),
        ("credential.suspended", "suspended", f"credential:{held.uuid}:suspended:2"),
        ("credential.reinstated", "active", f"credential:{held.uuid}:reinstated:2")]


def test_an_employer_first_told_while_it_was_suspended_hears_of_its_reinstatement(people):
    first, held = hold_pathway(people)
    revoke(people, first)
    destination = make_destination("https://hr.example.org/hook")  # the learner shares now
    earn(people, "hazard-spotting")
    rows = OutboxMessage.objects.filter(destination=destination, credential=held)
    assert [(r.event_type, r.payload["credential"]["status"]) for r in rows] == [
        ("credential.reinstated", "active")]


def test_a_learning_record_store_is_told_suspended_then_reinstated(settings, people):
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "HRIS_ALLOW_HTTP": True,
                               "HRIS_ALLOW_PRIVATE_ADDRESSES": True}
    destination = make_lrs_destination("http://127.0.0.1:9/xAPI/")
    first, held = hold_pathway(people)
    revoke(people, first)
    earn(people, "hazard-spotting")
    rows = OutboxMessage.objects.filter(destination=destination, credential=held,
                                        event_type__startswith="credential.").order_by("id")
    said = [xapi_statements.statements(
        OutgoingRecord(message_id=r.message_id, event_type=r.event_type,
                       occurred_at=r.occurred_at, employee_id=r.employee_id,
                       payload=r.payload),
        destination_id=destination.pk, version="1.0.3", identify_by="account",
        home_page="https://hr.example.org") for r in rows]
    assert [[s["verb"]["id"].rsplit("/", 1)[1] for s in statements] for statements in said] \
        == [["earned"], ["suspended"], ["reinstated"]]
    assert said[1][0]["verb"]["id"] == xapi_statements.verb_suspended()


def test_a_suspended_pathway_credential_meets_no_other_pathways_requirement(people):
    make_pathway(rule="suspend")  # site-safety-lead = hazard-spotting + safe-lifting
    make_pathway((PATHWAY, "first-response"), slug="site-manager", name="Site Manager",
                 rule="suspend")
    earn(people, "first-response")
    first = earn(people, "hazard-spotting")
    earn(people, "safe-lifting")
    revoke(people, first)
    statuses = dict(Credential.objects.filter(through_pathway=True)
                    .values_list("definition__slug", "status"))
    assert statuses == {PATHWAY: "suspended", "site-manager": "suspended"}
    earn(people, "hazard-spotting")
    statuses = list(Credential.objects.filter(through_pathway=True)
                    .values_list("definition__slug", "status"))
    assert dict(statuses) == {PATHWAY: "active", "site-manager": "active"}
    assert len(statuses) == 2  # reinstated, both: no new issuance


def test_revoking_a_suspended_credential_ends_it_and_a_new_one_is_issued_later(people):
    first, held = hold_pathway(people)
    revoke(people, first)
    revoke(people, held, reason="Misconduct on site.")
    held.refresh_from_db()
    assert (held.status, held.revoked_reason) == (CredentialStatus.REVOKED,
                                                  "Misconduct on site.")
    earn(people, "hazard-spotting")
    assert [c.status for c in pathway_credentials(people["learner"])] == ["revoked", "active"]


def test_a_suspended_credential_past_its_end_date_expires_and_is_not_reinstated(people):
    make_pathway(rule="suspend")
    CredentialDefinition.objects.filter(slug=PATHWAY).update(validity_days=30)
    first = earn(people, "hazard-spotting")
    earn(people, "safe-lifting")
    [held] = pathway_credentials(people["learner"])
    revoke(people, first)
    assert api.expire_due_credentials(now=held.expires_at + timedelta(seconds=1)) == 1
    earn(people, "hazard-spotting")
    assert [c.status for c in pathway_credentials(people["learner"])] == ["expired", "active"]


def test_a_pathway_credential_waiting_for_approval_is_revoked_not_suspended(people):
    make_pathway(rule="suspend", approval=True)
    first = earn(people, "hazard-spotting")
    earn(people, "safe-lifting")
    revoke(people, first)  # nothing was ever valid to suspend: the approval request ends
    assert [c.status for c in pathway_credentials(people["learner"])] == ["revoked"]


def test_the_learner_sees_it_suspended_and_why_it_comes_back(client, people):
    make_pathway(rule="suspend")
    first = earn(people, "hazard-spotting")
    earn(people, "safe-lifting")
    revoke(people, first)
    client.force_login(people["learner"])
    page = client.get(reverse("credential_app:learner-credentials")).content.decode()
    assert "Suspended: your pathway credential is not valid while you hold 1 of the 2 " \
           "credentials it requires." in page
    assert "Not valid until reinstated" in page


# --- Open Badges: the suspension list ---

@pytest.fixture
def suspended_badge(people, keys):
    make_pathway(rule="suspend")
    people["learner"].email = "lee@example.com"
    people["learner"].save()
    first = earn(people, "hazard-spotting")
    earn(people, "safe-lifting")
    [held] = pathway_credentials(people["learner"])
    badge = api.get_open_badge(str(held.uuid))  # signed while active, as in life
    return held, first, badge


def published_bit(client, badge) -> bool:
    entry = badge["credentialStatus"]
    document = client.get(entry["statusListCredential"].removeprefix(BASE_URL)).json()
    assert document["credentialSubject"]["statusPurpose"] == entry["statusPurpose"]
    return status_list.bit(status_list.decode(document["credentialSubject"]["encodedList"]),
                           int(entry["statusListIndex"]))


def test_its_badge_takes_a_bit_on_a_suspension_list_set_only_while_suspended(
        client, people, suspended_badge):
    held, first, badge = suspended_badge
    assert_valid_ob3(badge)
    assert badge["credentialStatus"]["statusPurpose"] == "suspension"
    component = api.get_open_badge(first.uuid)
    assert component["credentialStatus"]["statusPurpose"] == "revocation"  # unchanged
    assert component["credentialStatus"]["statusListCredential"] != \
        badge["credentialStatus"]["statusListCredential"]
    assert not published_bit(client, badge)
    revoke(people, first)
    assert published_bit(client, badge)
    # the status entry stands (copies out in the world point to it)
    assert api.get_open_badge(str(held.uuid))["credentialStatus"] == badge["credentialStatus"]
    assert api.verify_open_badge(badge).status == "suspended"
    earn(people, "hazard-spotting")
    assert not published_bit(client, badge)
    assert api.verify_open_badge(badge).status == "valid"


def test_a_revoked_suspension_list_badge_keeps_its_bit_and_we_say_revoked(
        client, people, suspended_badge):
    held, first, badge = suspended_badge
    revoke(people, first)
    revoke(people, held, reason="Misconduct on site.")
    assert published_bit(client, badge)
    earn(people, "hazard-spotting")  # a new pathway credential; this one stays revoked
    assert published_bit(client, badge)
    result = api.verify_open_badge(badge)
    assert result.status == "revoked"
    assert "Misconduct on site." in " ".join(result.reasons)


def test_the_badge_page_says_suspended(client, people, suspended_badge):
    held, first, _badge = suspended_badge
    revoke(people, first)
    page = client.get(reverse("credential_app:badge_page", args=[held.uuid])).content.decode()
    assert "Status: Suspended" in page
    assert "The issuer has suspended this credential" in page


def test_an_independent_verifier_finds_it_suspended_then_valid_again(
        client, people, suspended_badge):
    held, first, _badge = suspended_badge
    url = reverse("credential_app:badge_json", args=[str(held.uuid)])
    as_json = json.loads(fetch(client, url))
    revoke(people, first)
    said = independent.run(credentials=[as_json], **world_of(client, as_json))
    assert [(r["suspended"], r["revoked"]) for r in said["credentials"]] == [(True, None)]
    earn(people, "hazard-spotting")
    said = independent.run(credentials=[as_json], **world_of(client, as_json))
    assert [(r["verified"], r["suspended"], r["errors"]) for r in said["credentials"]] == [
        (True, False, [])]


@pytest.mark.parametrize("rule", ["suspend", "revoke", "keep"])
def test_retiring_a_pathway_holder_revokes_everything_they_held(people, rule):
    """Retirement revokes the live credentials one by one; the pathway's rule may have
    ended the pathway credential on the way, which is then skipped, not an error."""
    make_pathway(rule=rule)
    earn(people, "hazard-spotting")
    earn(people, "safe-lifting")
    api.retire_user(people["learner"].pk)
    assert set(Credential.objects.filter(user=people["learner"]).values_list(
        "status", flat=True)) == {CredentialStatus.REVOKED}


def test_a_badge_issued_under_revoke_stays_on_its_revocation_list_but_we_say_suspended(
        client, people, keys):
    pathway = make_pathway(rule="revoke")
    first = earn(people, "hazard-spotting")
    earn(people, "safe-lifting")
    [held] = pathway_credentials(people["learner"])
    badge = api.get_open_badge(str(held.uuid))
    pathway.when_requirement_lost = "suspend"  # the admin changes the rule afterwards
    pathway.save()
    revoke(people, first)
    assert badge["credentialStatus"]["statusPurpose"] == "revocation"  # copies point there
    assert not published_bit(client, badge)  # other verifiers cannot be told
    assert api.verify_open_badge(badge).status == "suspended"  # this site knows
    page = client.get(reverse("credential_app:badge_page", args=[held.uuid])).content.decode()
    assert "Status: Suspended" in page


def test_report_summaries_follow_a_suspension_and_a_reinstatement(people):
    """The kept summaries equal the rebuilt ones after each change (a suspended credential
    was still issued; it neither ended nor is issued again when reinstated)."""
    make_pathway(rule="suspend")
    first = earn(people, "hazard-spotting")
    earn(people, "safe-lifting")
    pathway_lines = CredentialSummary.objects.filter(
        definition_id=CredentialDefinition.objects.get(slug=PATHWAY).pk).values_list(
        "cohort_id", "kind", "credentials")
    issued = sorted(pathway_lines)
    assert issued and {kind for _cohort, kind, _n in issued} == {"issued"}
    revoke(people, first)
    kept = summaries()
    call_command("rebuild_report_summaries", verbosity=0)
    assert summaries() == kept
    earn(people, "hazard-spotting")
    kept = summaries()
    call_command("rebuild_report_summaries", verbosity=0)
    assert summaries() == kept
    assert sorted(pathway_lines) == issued

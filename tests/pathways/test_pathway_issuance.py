"""Stackable credentials: a pathway credential is issued when its last requirement becomes
active, once, under its own issuance policy, and follows the admin's rule when a
requirement is revoked or expires; HR systems hear of it like any credential."""
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from credential_app import api
from credential_app.core.audit import AuditAction
from credential_app.data import CredentialStatus
from credential_app.models import (
    AuditEntry,
    Credential,
    CredentialDefinition,
    IssuancePolicy,
    OutboxMessage,
    Pathway,
    PathwayRequirement,
)
from credential_app.pathways import issuance
from tests.core.test_api import RUBRIC
from tests.hris_helpers import make_destination
from tests.pathway_helpers import PATHWAY, component, earn, make_pathway, renew, unit_of
from tests.reports.test_report_summaries import summaries

pytestmark = pytest.mark.django_db


def pathway_credentials(user):
    return list(Credential.objects.filter(user=user, definition__slug=PATHWAY)
                .order_by("id"))


def test_the_pathway_is_issued_when_the_last_requirement_becomes_active(people):
    make_pathway()
    first = earn(people, "hazard-spotting")
    assert pathway_credentials(people["learner"]) == []
    second = earn(people, "safe-lifting")
    [held] = pathway_credentials(people["learner"])
    assert held.status == CredentialStatus.ACTIVE and held.through_pathway
    assert held.attempt_id == second.attempt_id  # the pass that completed it
    entry = AuditEntry.objects.get(action=AuditAction.ISSUANCE, subject_id=str(held.pk),
                                   subject_type="Credential")
    assert entry.details["pathway"] is True
    assert sorted(entry.details["requirements"]) == sorted([first.uuid, second.uuid])
    assert entry.details["completed_by"] == second.uuid
    # the learner's list shows it beside its components
    assert {c.definition.slug for c in api.get_learner_credentials(people["learner"].pk)} \
        == {"hazard-spotting", "safe-lifting", PATHWAY}


def test_earning_a_requirement_again_issues_no_second_pathway_credential(people):
    make_pathway()
    for slug in ("hazard-spotting", "safe-lifting"):
        earn(people, slug)
    renew(people, "hazard-spotting")
    assert len(pathway_credentials(people["learner"])) == 1
    assert Credential.objects.filter(definition__slug="hazard-spotting",
                                     status=CredentialStatus.SUPERSEDED).count() == 1


def test_n_of_a_set_is_enough(people):
    make_pathway(("hazard-spotting", "safe-lifting", "first-response"), required_count=2)
    earn(people, "first-response")
    assert pathway_credentials(people["learner"]) == []
    earn(people, "safe-lifting")
    assert [c.status for c in pathway_credentials(people["learner"])] == ["active"]


def test_only_a_learners_own_credentials_count(people):
    make_pathway()
    earn(people, "hazard-spotting", learner="learner")
    earn(people, "safe-lifting", learner="learner2")
    assert not Credential.objects.filter(definition__slug=PATHWAY).exists()


def test_a_requirement_at_a_minimum_version_refuses_older_versions(people):
    pathway = make_pathway()
    PathwayRequirement.objects.filter(pathway=pathway, definition__slug="safe-lifting").update(
        minimum_version=2)
    earn(people, "hazard-spotting")
    earn(people, "safe-lifting")  # version 1: does not count
    assert pathway_credentials(people["learner"]) == []


def test_a_pathway_needing_approval_waits_for_it_then_becomes_active(people):
    make_pathway(approval=True)
    earn(people, "hazard-spotting")
    earn(people, "safe-lifting")
    [held] = pathway_credentials(people["learner"])
    assert held.status == CredentialStatus.PENDING_APPROVAL
    assert not OutboxMessage.objects.filter(credential=held).exists()
    api.approve_credential(credential_uuid=held.uuid, approver_id=people["staff"].pk)
    held.refresh_from_db()
    assert held.status == CredentialStatus.ACTIVE


def test_revoking_a_requirement_revokes_the_pathway_under_the_revoke_rule(people):
    make_pathway(rule="revoke")
    first = earn(people, "hazard-spotting")
    earn(people, "safe-lifting")
    api.revoke_credential(credential_uuid=first.uuid, revoked_by=people["staff"].pk,
                          reason="Evidence was copied.")
    [held] = pathway_credentials(people["learner"])
    assert held.status == CredentialStatus.REVOKED
    assert "Hazard Spotting" in held.revoked_reason and "revoked" in held.revoked_reason
    assert AuditEntry.objects.filter(action=AuditAction.REVOCATION,
                                     subject_id=str(held.pk)).exists()
    # earning it again completes the pathway again: a new credential
    earn(people, "hazard-spotting")
    assert [c.status for c in pathway_credentials(people["learner"])] == ["revoked", "active"]


def test_under_the_keep_rule_the_pathway_stays_and_the_decision_is_audited(people):
    make_pathway(rule="keep")
    first = earn(people, "hazard-spotting")
    earn(people, "safe-lifting")
    api.revoke_credential(credential_uuid=first.uuid, revoked_by=people["staff"].pk,
                          reason="Evidence was copied.")
    [held] = pathway_credentials(people["learner"])
    assert held.status == CredentialStatus.ACTIVE
    kept = AuditEntry.objects.get(action=AuditAction.PATHWAY_KEPT)
    assert kept.details == {"uuid": str(held.uuid), "requirement": first.uuid, "rule": "keep"}


def test_a_spare_requirement_keeps_an_n_of_m_pathway_complete(people):
    make_pathway(("hazard-spotting", "safe-lifting", "first-response"), required_count=2)
    first = earn(people, "hazard-spotting")
    earn(people, "safe-lifting")
    earn(people, "first-response")
    api.revoke_credential(credential_uuid=first.uuid, revoked_by=people["staff"].pk,
                          reason="Evidence was copied.")
    assert [c.status for c in pathway_credentials(people["learner"])] == ["active"]


def test_an_expired_requirement_applies_the_rule(people):
    make_pathway(rule="revoke")
    CredentialDefinition.objects.filter(slug="safe-lifting").update(validity_days=30)
    earn(people, "hazard-spotting")
    lifting = earn(people, "safe-lifting")
    api.expire_due_credentials(now=lifting.expires_at + timedelta(seconds=1))
    [held] = pathway_credentials(people["learner"])
    assert held.status == CredentialStatus.REVOKED
    assert "has expired" in held.revoked_reason


def test_a_pathway_inside_a_pathway_follows_in_turn(people):
    make_pathway()  # site-safety-lead = hazard-spotting + safe-lifting
    make_pathway((PATHWAY, "first-response"), slug="site-manager", name="Site Manager")
    earn(people, "first-response")
    earn(people, "hazard-spotting")
    first = earn(people, "safe-lifting")
    statuses = dict(Credential.objects.filter(through_pathway=True)
                    .values_list("definition__slug", "status"))
    assert statuses == {PATHWAY: "active", "site-manager": "active"}
    api.revoke_credential(credential_uuid=first.uuid, revoked_by=people["staff"].pk,
                          reason="Evidence was copied.")
    statuses = dict(Credential.objects.filter(through_pathway=True)
                    .values_list("definition__slug", "status"))
    assert statuses == {PATHWAY: "revoked", "site-manager": "revoked"}


def test_hr_systems_hear_of_the_pathway_credential_and_its_revocation(people):
    destination = make_destination("https://hr.example.org/hook")
    make_pathway()
    first = earn(people, "hazard-spotting")
    earn(people, "safe-lifting")
    [held] = pathway_credentials(people["learner"])
    rows = OutboxMessage.objects.filter(destination=destination).order_by("id")
    assert [(r.credential.definition.slug, r.event_type) for r in rows] == [
        ("hazard-spotting", "credential.issued"), ("safe-lifting", "credential.issued"),
        (PATHWAY, "credential.issued")]
    api.revoke_credential(credential_uuid=first.uuid, revoked_by=people["staff"].pk,
                          reason="Evidence was copied.")
    last = OutboxMessage.objects.filter(destination=destination).order_by("-id")[:2]
    assert [(r.credential_id, r.event_type) for r in reversed(last)] == [
        (Credential.objects.get(uuid=first.uuid).pk, "credential.revoked"),
        (held.pk, "credential.revoked")]


def test_a_staff_override_of_the_completing_attempt_revokes_only_through_the_rule(people):
    make_pathway(rule="keep")
    earn(people, "hazard-spotting")
    second = earn(people, "safe-lifting")
    api.override_result(attempt_id=second.attempt_id, usage_key=unit_of("safe-lifting"),
                        staff_id=people["staff"].pk, passed=False, reason="Copied work.")
    assert Credential.objects.get(uuid=second.uuid).status == CredentialStatus.REVOKED
    assert [c.status for c in pathway_credentials(people["learner"])] == ["active"]


def test_a_pathway_cannot_require_itself_through_another(people):
    outer = make_pathway()
    inner = make_pathway((PATHWAY, "first-response"), slug="site-manager", name="Site Manager")
    circle = PathwayRequirement(pathway=outer, definition=inner.definition)
    with pytest.raises(ValidationError, match="circle"):
        circle.full_clean()
    itself = PathwayRequirement(pathway=outer, definition=outer.definition)
    with pytest.raises(ValidationError, match="its own credential"):
        itself.full_clean()


def test_a_credential_with_units_cannot_be_a_pathway(people):
    with pytest.raises(ValidationError, match="earned in assessment units"):
        Pathway(definition=component("hazard-spotting")).full_clean()


def test_a_pathway_created_later_is_issued_to_current_holders_by_the_admin_action(
        client, people):
    component("hazard-spotting")
    component("safe-lifting")
    for learner in ("learner", "learner2"):
        for slug in ("hazard-spotting", "safe-lifting"):
            earn(people, slug, learner=learner)
    pathway = make_pathway()  # created after they earned both
    assert not Credential.objects.filter(definition__slug=PATHWAY).exists()
    admin = get_user_model().objects.create_user("admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    changelist = reverse("admin:credential_app_pathway_changelist")
    act = {"action": "issue_to_current_holders", "_selected_action": [pathway.pk]}
    response = client.post(changelist, act, follow=True)
    assert "2 pathway credentials issued." in response.content.decode()
    assert issuance.complete_for_current_holders(pathway) == 0  # once only
    assert Credential.objects.filter(definition__slug=PATHWAY, status="active").count() == 2


def test_authors_cannot_link_a_unit_to_a_pathway(people):
    make_pathway()
    assert PATHWAY not in {d.slug for d in api.list_credential_definitions()}
    with pytest.raises(api.UnknownCredential, match="is a pathway") as refused:
        api.register_assessment_unit(usage_key=unit_of("lead"), credential_slug=PATHWAY,
                                     display_name="Lead", rubric=RUBRIC,
                                     evidence=api.EvidenceSettings())
    assert refused.value.field == "credential"


def test_report_summaries_follow_pathway_credentials_as_they_come_and_go(people):
    """A pathway credential names its completing attempt: the reports' kept summaries count
    it as the rebuilt ones would, when it is issued and when the rule revokes it."""
    make_pathway(rule="revoke")
    IssuancePolicy.objects.create(definition=CredentialDefinition.objects.get(slug="safe-lifting"),
                                  requires_approval=True)
    first = earn(people, "hazard-spotting")
    waiting = earn(people, "safe-lifting")
    assert pathway_credentials(people["learner"]) == []
    # its approval completes the pathway, outside the pass that earned it
    api.approve_credential(credential_uuid=waiting.uuid, approver_id=people["staff"].pk)
    api.revoke_credential(credential_uuid=first.uuid, revoked_by=people["staff"].pk,
                          reason="Evidence was copied.")
    earn(people, "hazard-spotting")  # completes the pathway again
    assert [c.status for c in pathway_credentials(people["learner"])] == ["revoked", "active"]
    kept = summaries()
    call_command("rebuild_report_summaries", verbosity=0)
    assert summaries() == kept


def test_a_new_version_of_the_pathway_credential_keeps_the_pathway_and_its_requirements(
        people):
    pathway = make_pathway(("hazard-spotting", "safe-lifting"), rule="suspend")
    old = pathway.definition
    CredentialDefinition.objects.create(slug=f"{PATHWAY}-v2", name="Site Safety Lead",
                                        previous_version=old, issuer=old.issuer)
    api.publish_new_version(slug=f"{PATHWAY}-v2", actor_id=people["staff"].pk)
    new = Pathway.objects.get(definition__slug=f"{PATHWAY}-v2")
    assert new.when_requirement_lost == "suspend"
    assert [(r.definition.slug, r.position) for r in new.requirements.all()] == [
        ("hazard-spotting", 0), ("safe-lifting", 1)]
    earn(people, "hazard-spotting")
    earn(people, "safe-lifting")  # completes the version in force
    assert [c.definition.slug for c in pathway_credentials(people["learner"])] == []
    assert list(Credential.objects.filter(through_pathway=True).values_list(
        "definition__slug", flat=True)) == [f"{PATHWAY}-v2"]

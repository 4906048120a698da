"""Credential lifecycle: issuance, approval, revocation, renewal, with audit and announcements."""
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils.timezone import now
from openedx_events.learning.data import BadgeData, BadgeTemplateData, UserData

from credential_app import api
from credential_app.core import credentials
from credential_app.core.audit import AuditAction
from credential_app.data import CredentialStatus
from credential_app.models import AuditEntry, Credential
from tests.lifecycle_helpers import OTHER_UNIT, UNIT, assess, passed_attempt, submit


def actions():
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


def test_issuing_twice_for_one_attempt_gives_the_same_credential(people, definition):
    attempt = passed_attempt(people["learner"])
    first = credentials.issue_for_attempt(attempt)
    again = credentials.issue_for_attempt(attempt)
    assert first.uuid == again.uuid and Credential.objects.count() == 1
    assert actions().count(AuditAction.ISSUANCE) == 1


@pytest.mark.db_server
def test_database_refuses_a_second_credential_for_one_attempt(people, definition):
    attempt = passed_attempt(people["learner"])
    credentials.issue_for_attempt(attempt)
    with pytest.raises(IntegrityError), transaction.atomic():  # not live: only the attempt
        Credential.objects.create(user=people["learner2"], definition=definition,
                                  attempt=attempt, status=CredentialStatus.EXPIRED)


def test_a_revoked_credential_no_longer_stands_for_its_attempt(people, definition):
    """Staff overriding a withdrawn pass back to a pass get a fresh credential, once."""
    attempt = passed_attempt(people["learner"])
    first = credentials.issue_for_attempt(attempt)
    api.revoke_credential(credential_uuid=first.uuid, revoked_by=people["staff"].pk,
                          reason="Result overridden to a fail")
    again = credentials.issue_for_attempt(attempt)
    assert again.uuid != first.uuid and again.status == CredentialStatus.ACTIVE
    assert credentials.issue_for_attempt(attempt).uuid == again.uuid
    assert Credential.objects.filter(attempt_id=attempt.pk).count() == 2


@pytest.mark.db_server
def test_database_refuses_two_active_credentials_of_one_learner_and_definition(people,
                                                                               definition):
    first = passed_attempt(people["learner"])
    other = passed_attempt(people["learner"], unit=OTHER_UNIT)
    credentials.issue_for_attempt(first)
    with pytest.raises(IntegrityError), transaction.atomic():
        Credential.objects.create(user=people["learner"], definition=definition, attempt=other)
    # ended credentials never count as live: any number of them may sit beside one
    Credential.objects.create(user=people["learner"], definition=definition, attempt=other,
                              status=CredentialStatus.REVOKED)


def test_issued_credential_is_announced_after_commit_with_real_badge_data(
        people, definition, announced, django_capture_on_commit_callbacks):
    definition.validity_days = 365
    definition.save()
    with django_capture_on_commit_callbacks(execute=False) as pending:
        outcome = assess(submit(people["learner"]), people["staff"], "yes")
        assert announced.sent == []  # nothing before the transaction commits
    for callback in pending:
        callback()

    assert announced.names() == ["issued", "BADGE_AWARDED"]
    (badge,) = announced.payloads("BADGE_AWARDED")
    assert isinstance(badge, BadgeData) and isinstance(badge.user, UserData)
    assert isinstance(badge.template, BadgeTemplateData)
    assert badge.uuid == outcome.credential.uuid
    assert (badge.user.id, badge.user.pii.username, badge.user.pii.name) == (
        people["learner"].pk, "learner", "Lee Learner")
    assert badge.template.name == definition.name
    credential = outcome.credential
    assert credential.status == CredentialStatus.ACTIVE and credential.is_valid
    assert credential.expires_at - credential.issued_at == timedelta(days=365)


def test_rolled_back_issuance_announces_nothing(people, definition, announced,
                                                django_capture_on_commit_callbacks):
    attempt = passed_attempt(people["learner"])
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            credentials.issue_for_attempt(attempt)
            raise RuntimeError("the assessment failed after issuing")
    assert announced.sent == [] and Credential.objects.count() == 0


def test_credential_needing_approval_waits_then_becomes_active(
        people, definition, announced, django_capture_on_commit_callbacks):
    definition.validity_days = 30
    definition.save()
    with django_capture_on_commit_callbacks(execute=True):
        pending = credentials.issue_for_attempt(passed_attempt(people["learner"]),
                                                needs_approval=True)
    assert pending.status == CredentialStatus.PENDING_APPROVAL and not pending.is_valid
    assert pending.expires_at is None  # validity runs from approval
    assert announced.names() == ["issued"]  # no badge awarded yet

    with django_capture_on_commit_callbacks(execute=True):
        approved = api.approve_credential(credential_uuid=pending.uuid,
                                          approver_id=people["staff"].pk, reason="Checked ID")
    assert approved.status == CredentialStatus.ACTIVE and approved.approved_at is not None
    assert approved.expires_at == approved.approved_at + timedelta(days=30)
    assert announced.names() == ["issued", "approved", "BADGE_AWARDED"]
    approval = AuditEntry.objects.get(action=AuditAction.APPROVAL)
    assert (approval.actor, approval.reason) == (people["staff"], "Checked ID")


def test_approval_is_refused_for_the_learner_and_for_an_active_credential(people,
                                                                          definition):
    pending = credentials.issue_for_attempt(passed_attempt(people["learner"]),
                                            needs_approval=True)
    with pytest.raises(api.CredentialChangeNotAllowed) as own:
        api.approve_credential(credential_uuid=pending.uuid, approver_id=people["learner"].pk)
    assert own.value.field == "approver_id"
    api.approve_credential(credential_uuid=pending.uuid, approver_id=people["staff"].pk)
    with pytest.raises(api.CredentialChangeNotAllowed, match="is active") as twice:
        api.approve_credential(credential_uuid=pending.uuid, approver_id=people["staff"].pk)
    assert twice.value.field == "credential_uuid"
    assert actions().count(AuditAction.APPROVAL) == 1


def test_unknown_credential_is_reported_on_its_field(db):
    for bad in ("not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        with pytest.raises(api.CredentialNotFound) as error:
            api.get_credential(bad)
        assert error.value.field == "credential_uuid"


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_revoking_needs_a_reason(people, definition, reason):
    credential = assess(submit(people["learner"]), people["staff"], "yes").credential
    with pytest.raises(api.CredentialChangeNotAllowed) as error:
        api.revoke_credential(credential_uuid=credential.uuid, revoked_by=people["staff"].pk,
                              reason=reason)
    assert error.value.field == "reason"
    assert api.get_credential(credential.uuid).status == CredentialStatus.ACTIVE
    assert AuditAction.REVOCATION not in actions()


def test_revoked_credential_is_announced_and_can_be_earned_again(
        people, definition, announced, django_capture_on_commit_callbacks):
    learner = people["learner"]
    credential = assess(submit(learner), people["staff"], "yes").credential
    with django_capture_on_commit_callbacks(execute=True):
        revoked = api.revoke_credential(credential_uuid=credential.uuid,
                                        revoked_by=people["staff"].pk,
                                        reason="Evidence was copied")
    assert (revoked.status, revoked.revoked_reason) == (CredentialStatus.REVOKED,
                                                        "Evidence was copied")
    assert revoked.ended_at is not None and not revoked.is_valid
    assert announced.names() == ["revoked", "BADGE_REVOKED"]
    assert isinstance(announced.payloads("BADGE_REVOKED")[0], BadgeData)
    entry = AuditEntry.objects.get(action=AuditAction.REVOCATION)
    assert (entry.actor, entry.reason) == (people["staff"], "Evidence was copied")
    with pytest.raises(api.CredentialChangeNotAllowed, match="already revoked"):
        api.revoke_credential(credential_uuid=credential.uuid, revoked_by=people["staff"].pk,
                              reason="again")

    assert api.get_retake_status(learner.pk, UNIT).may_start
    again = assess(submit(learner), people["staff"], "yes").credential
    assert again.status == CredentialStatus.ACTIVE and again.uuid != credential.uuid
    assert api.get_learner_credential(learner.pk, definition.slug).uuid == again.uuid


def test_active_credential_blocks_a_new_attempt_until_its_renewal_window(people, definition):
    definition.validity_days, definition.renewal_window_days = 365, 60
    definition.save()
    learner = people["learner"]
    credential = assess(submit(learner), people["staff"], "yes").credential

    reason = credentials.live_credential_blocks_attempt(learner.pk, definition.pk)
    assert reason and "renew it from" in reason
    block = credentials.live_credential_block(learner.pk, definition.pk)
    assert block.opens_at == api.get_credential(credential.uuid).expires_at - timedelta(days=60)
    status = api.get_retake_status(learner.pk, UNIT)
    assert not status.may_start and status.opens_at == block.opens_at

    Credential.objects.filter(uuid=credential.uuid).update(
        expires_at=now() + timedelta(days=59))  # the renewal window has opened
    assert credentials.live_credential_blocks_attempt(learner.pk, definition.pk) is None
    assert api.get_retake_status(learner.pk, UNIT).may_start
    assert credentials.live_credential_blocks_attempt(people["learner2"].pk,
                                                      definition.pk) is None


def test_credential_that_never_expires_always_blocks(people, definition):
    assess(submit(people["learner"]), people["staff"], "yes")
    reason = credentials.live_credential_blocks_attempt(people["learner"].pk, definition.pk)
    assert "does not expire" in reason


def test_pending_credential_blocks_until_decided(people, definition):
    pending = credentials.issue_for_attempt(passed_attempt(people["learner"]),
                                            needs_approval=True)
    assert "waiting for approval" in credentials.live_credential_blocks_attempt(
        people["learner"].pk, definition.pk)
    api.revoke_credential(credential_uuid=pending.uuid, revoked_by=people["staff"].pk,
                          reason="Not approved: identity not confirmed")
    assert credentials.live_credential_blocks_attempt(people["learner"].pk,
                                                      definition.pk) is None


def test_renewal_supersedes_the_old_credential(people, definition, announced,
                                              django_capture_on_commit_callbacks):
    definition.validity_days = 365
    definition.save()
    learner = people["learner"]
    old = assess(submit(learner), people["staff"], "yes").credential
    Credential.objects.filter(uuid=old.uuid).update(expires_at=now() + timedelta(days=10))

    with django_capture_on_commit_callbacks(execute=True):
        new = assess(submit(learner), people["staff"], "yes").credential

    old_now = api.get_credential(old.uuid)
    assert (old_now.status, old_now.superseded_by) == (CredentialStatus.SUPERSEDED, new.uuid)
    assert new.status == CredentialStatus.ACTIVE
    assert new.expires_at - new.issued_at == timedelta(days=365)
    assert actions()[-2:] == [AuditAction.SUPERSEDED, AuditAction.RENEWAL]
    assert announced.names() == ["superseded", "issued", "BADGE_AWARDED"]
    assert [c.uuid for c in api.get_learner_credentials(learner.pk)] == [new.uuid, old.uuid]


def test_renewal_needing_approval_keeps_the_old_credential_until_approved(people,
                                                                          definition):
    definition.validity_days = 365
    definition.save()
    learner = people["learner"]
    first, second = passed_attempt(learner), passed_attempt(learner)
    old = credentials.issue_for_attempt(first)
    renewal = credentials.issue_for_attempt(second, needs_approval=True)

    assert api.get_credential(old.uuid).status == CredentialStatus.ACTIVE
    assert renewal.status == CredentialStatus.PENDING_APPROVAL
    api.approve_credential(credential_uuid=renewal.uuid, approver_id=people["staff"].pk)
    assert api.get_credential(old.uuid).status == CredentialStatus.SUPERSEDED
    assert api.get_credential(old.uuid).superseded_by == renewal.uuid
    assert api.get_credential(renewal.uuid).status == CredentialStatus.ACTIVE


def test_credential_data_carries_the_definition_as_shown_to_verifiers(people, definition,
                                                                       issuer):
    definition.issuer = issuer
    definition.criteria_narrative = "Identified hazards and matched controls on site."
    definition.save()
    definition.alignments.create(framework="ESCO", code="S6.1", name="Apply safety rules",
                                 url="https://esco.example.org/s6.1")
    credential = assess(submit(people["learner"]), people["staff"], "yes").credential
    shown = api.get_credential(credential.uuid).definition
    assert shown.issuer.name == "Acme Safety Board"
    assert shown.criteria_narrative.startswith("Identified hazards")
    assert [(a.framework, a.code, a.name) for a in shown.alignments] == [
        ("ESCO", "S6.1", "Apply safety rules")]
    assert shown.version == 1 and shown.validity_days is None


def test_a_failing_listener_does_not_undo_or_break_the_decision(
        people, definition, announced, django_capture_on_commit_callbacks, caplog):
    from credential_app.core import signals

    def broken(sender, **kwargs):
        raise RuntimeError("listener down")

    signals.credential_issued.connect(broken, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            outcome = assess(submit(people["learner"]), people["staff"], "yes")
    finally:
        signals.credential_issued.disconnect(broken)
    assert api.get_credential(outcome.credential.uuid).status == CredentialStatus.ACTIVE
    assert "BADGE_AWARDED" in announced.names()  # later listeners still heard it
    assert "listener down" in caplog.text


def test_a_newer_pass_replaces_a_credential_still_waiting_for_approval(people, definition):
    learner = people["learner"]
    later = passed_attempt(learner)
    waiting = credentials.issue_for_attempt(passed_attempt(learner), needs_approval=True)
    newer = credentials.issue_for_attempt(later, needs_approval=True)
    replaced = api.get_credential(waiting.uuid)
    assert (replaced.status, replaced.superseded_by) == (CredentialStatus.SUPERSEDED,
                                                         newer.uuid)
    assert newer.status == CredentialStatus.PENDING_APPROVAL
    assert Credential.objects.filter(live_state__isnull=False).count() == 1


@pytest.mark.db_server
def test_a_learners_credentials_are_read_in_a_fixed_number_of_queries(
        people, definition, issuer, django_assert_max_num_queries):
    definition.issuer = issuer
    definition.save()
    definition.alignments.create(name="Hazards", url="https://example.org/h")
    learner = people["learner"]
    attempts = [passed_attempt(learner) for _ in range(4)]
    for attempt in attempts:
        credentials.issue_for_attempt(attempt)  # each renews the one before
    with django_assert_max_num_queries(3):
        held = api.get_learner_credentials(learner.pk)
    assert len(held) == 4 and held[0].definition.alignments[0].name == "Hazards"
    assert [c.superseded_by for c in held[1:]] == [c.uuid for c in held[:-1]]


def test_overriding_a_withdrawn_pass_back_issues_a_valid_credential(people, definition):
    attempt = submit(people["learner"])
    passed = assess(attempt, people["staff"], "yes").credential
    api.override_result(attempt_id=attempt.id, usage_key=UNIT, staff_id=people["staff"].pk,
                        passed=False, reason="Evidence was copied")
    assert api.get_credential(passed.uuid).status == CredentialStatus.REVOKED
    again = api.override_result(attempt_id=attempt.id, usage_key=UNIT,
                                staff_id=people["staff"].pk, passed=True,
                                reason="Copy claim withdrawn")
    assert again.credential.status == CredentialStatus.ACTIVE
    assert again.credential.uuid != passed.uuid


def test_badge_image_address_is_absolute_in_open_edx(settings):
    from credential_app.core.events import absolute_url

    assert absolute_url("/media/b.png") == "/media/b.png"
    settings.LMS_ROOT_URL = "https://lms.example.org/"
    assert absolute_url("/media/b.png") == "https://lms.example.org/media/b.png"
    assert absolute_url("https://cdn.example.org/b.png") == "https://cdn.example.org/b.png"


def test_a_pass_without_approval_replaces_both_an_active_and_a_pending_credential(
        people, definition):
    learner = people["learner"]
    first, second, third = (passed_attempt(learner) for _ in range(3))
    active = credentials.issue_for_attempt(first)
    pending = credentials.issue_for_attempt(second, needs_approval=True)
    newest = credentials.issue_for_attempt(third)
    for old in (active, pending):
        replaced = api.get_credential(old.uuid)
        assert (replaced.status, replaced.superseded_by) == (CredentialStatus.SUPERSEDED,
                                                             newest.uuid)
    assert Credential.objects.filter(live_state__isnull=False).count() == 1

"""Credential lifecycle under concurrency: real threads and connections on MariaDB/MySQL.

Skipped on SQLite, which has no row locks (a writer locks the whole file), so these
tests would prove nothing there; run with ``CREDENTIAL_DB=mysql``.
"""
from datetime import timedelta

from django.db import transaction

from credential_app import api
from credential_app.core import credentials
from credential_app.core.audit import AuditAction
from credential_app.data import CredentialStatus
from credential_app.models import Attempt, AuditEntry, Credential
from tests.concurrency import ROW_LOCKS, race
from tests.lifecycle_helpers import passed_attempt

pytestmark = ROW_LOCKS

THREADS = 20


def issue(attempt, **kwargs):
    with transaction.atomic():
        return credentials.issue_for_attempt(
            Attempt.objects.select_related("definition").get(pk=attempt.pk), **kwargs)


def test_concurrent_issuance_for_one_attempt_issues_one_credential(people, definition):
    attempt = passed_attempt(people["learner"])
    outcomes = race(THREADS, lambda i: issue(attempt))
    assert {kind for kind, _value in outcomes} == {"ok"}, outcomes
    assert len({value.uuid for _kind, value in outcomes}) == 1
    assert Credential.objects.count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.ISSUANCE).count() == 1


def test_concurrent_passes_of_different_attempts_leave_one_active_credential(people,
                                                                            definition):
    learner = people["learner"]
    attempts = []
    for _ in range(THREADS):
        attempts.append(passed_attempt(learner))  # each a later attempt at the unit
    outcomes = race(THREADS, lambda i: issue(attempts[i]))
    assert {kind for kind, _value in outcomes} == {"ok"}, outcomes
    statuses = list(Credential.objects.values_list("status", flat=True))
    assert len(statuses) == THREADS
    assert statuses.count(CredentialStatus.ACTIVE) == 1
    assert statuses.count(CredentialStatus.SUPERSEDED) == THREADS - 1
    assert AuditEntry.objects.filter(action=AuditAction.SUPERSEDED).count() == THREADS - 1


def test_concurrent_expiry_sweeps_expire_each_credential_once(people, definition):
    definition.validity_days = 10
    definition.save()
    for name in ("learner", "learner2"):
        issue(passed_attempt(people[name]))
    later = Credential.objects.first().expires_at + timedelta(days=1)
    outcomes = race(8, lambda i: api.expire_due_credentials(now=later))
    assert {kind for kind, _value in outcomes} == {"ok"}, outcomes
    assert sum(value for _kind, value in outcomes) == 2
    assert AuditEntry.objects.filter(action=AuditAction.EXPIRY).count() == 2


def test_approval_racing_a_renewal_keeps_one_active_credential(people, definition):
    learner = people["learner"]
    renewal = passed_attempt(learner)  # passed, its credential not issued yet
    pending = issue(passed_attempt(learner), needs_approval=True)

    def act(i):
        if i == 0:
            return api.approve_credential(credential_uuid=pending.uuid,
                                          approver_id=people["staff"].pk)
        return issue(renewal)

    outcomes = race(2, act)
    (approval_kind, approval), (renewal_kind, renewed) = outcomes
    # the renewal always goes through: it replaces whatever stands, approved or not
    assert renewal_kind == "ok", outcomes
    if approval_kind == "error":
        # the renewal went first and superseded the pending one: approving that is refused
        assert isinstance(approval, api.CredentialChangeNotAllowed), outcomes
        assert "superseded" in approval.message
    else:
        # the approval went first; the renewal then superseded the approved credential
        assert approval_kind == "ok" and approval.status == CredentialStatus.ACTIVE, outcomes
    statuses = {str(uuid): status for uuid, status in
                Credential.objects.values_list("uuid", "status")}
    assert statuses == {pending.uuid: CredentialStatus.SUPERSEDED,
                        renewed.uuid: CredentialStatus.ACTIVE}

"""Expiry: active (or suspended) credentials past their validity become expired, with
nobody watching.

Run by the Celery beat task ``tasks.expire_credentials`` and by the management
command ``expire_credentials`` (for operators without beat). Each credential is
expired in its own short transaction under a row lock and re-checked there, so
concurrent sweeps never expire one twice and one failure loses no other.
"""
from django.db import transaction
from django.utils.timezone import now as current_time

from credential_app.core import audit, events, record_changes, signals
from credential_app.core.credentials import (
    announce_change,
    credential_to_data,
    serialise_learner,
)
from credential_app.core.models import Credential
from credential_app.data import CredentialStatus


def due(at):
    """A suspended credential reaches its end date too: it is not reinstated after it."""
    return Credential.objects.filter(
        status__in=[CredentialStatus.ACTIVE, CredentialStatus.SUSPENDED], expires_at__lte=at)


def expire_due(now=None) -> int:
    """Expire every active or suspended credential whose expiry is at or before ``now``;
    return how many."""
    at = now or current_time()
    expired = 0
    for pk, holder in due(at).order_by("expires_at", "pk").values_list("pk", "user_id"):
        with transaction.atomic():
            serialise_learner(holder)  # the learner first, as issuance and revocation do
            credential = due(at).select_for_update().select_related("definition").filter(
                pk=pk).first()
            if credential is None:
                continue  # another sweep, a renewal or a revocation got there first
            was_active = credential.status == CredentialStatus.ACTIVE
            with record_changes.changing([credential.attempt_id]):
                credential.status = CredentialStatus.EXPIRED
                credential.ended_at = credential.expires_at
                credential.save(update_fields=["status", "ended_at"])
            audit.record(audit.AuditAction.EXPIRY, actor_id=None, learner_id=credential.user_id,
                         subject=credential, definition_slug=credential.definition.slug,
                         details={"uuid": str(credential.uuid),
                                  "expires_at": credential.expires_at.isoformat()})
            announce_change(credential, signals.EXPIRED)
            if was_active:
                events.revoked(credential_to_data(credential), signal=signals.credential_expired)
            else:  # Open edX heard BADGE_REVOKED when it was suspended
                events.announce(signals.credential_expired, credential_to_data(credential))
        expired += 1
    return expired

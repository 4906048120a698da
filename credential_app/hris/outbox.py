"""Writing the HRIS outbox: one row per (credential event × destination), in the event's
own database transaction, so a committed event always has its rows and a rolled-back one
never does. Delivery starts after commit (``dispatch.after_commit``); if that start is
lost (broker down, process killed), the periodic sweep finds the rows anyway.

Called when the core announces a change inside its transaction (``handlers``, listening to
``core.signals.credential_changing``: issue, approve, renew, revoke, expire; and to
``attempt_submitted``/``attempt_assessed`` for connectors that take attempt events). An
ending event (expired, revoked) and a suspension go only to destinations that were told
of the credential in the first place. A destination hears only of the
events its connector takes (``Connector.event_types``).
"""
import uuid

from django.db import transaction
from django.utils.timezone import now

from credential_app.core.models import Attempt, Credential
from credential_app.hris import connectors, dispatch, employees, payloads
from credential_app.hris.models import OutboxMessage


def ordering_key(credential: Credential) -> str:
    """Events sharing this key reach a destination in the order they happened: one learner,
    one credential (all its versions and renewals)."""
    return f"{credential.user_id}:{credential.family_id}"


def new_message_id() -> str:
    return "msg_" + uuid.uuid4().hex


def record_event(credential: Credential, event_type: str, *,
                 replaces: Credential | None = None,
                 only_destination_id: int | None = None) -> list[OutboxMessage]:
    """Write the outbox rows for this event; must run inside the event's transaction.
    ``only_destination_id`` limits it to one destination (a learner starting to share)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("HRIS outbox rows must be written in the event's transaction.")
    recipients = _taking(employees.recipients_for(credential), event_type)
    if only_destination_id is not None:
        recipients = [(d, employee) for d, employee in recipients if d.pk == only_destination_id]
    if event_type in payloads.TOLD_ONLY:
        told = set(OutboxMessage.objects.filter(credential=credential).values_list(
            "destination_id", flat=True))
        recipients = [(d, employee) for d, employee in recipients if d.pk in told]
    return _write([
        OutboxMessage(message_id=new_message_id(), destination=destination,
                      credential=credential, attempt_id=credential.attempt_id,
                      event_type=event_type, employee_id=employee_id,
                      ordering_key=ordering_key(credential),
                      payload=payloads.build(credential, event_type, employee_id=employee_id,
                                             replaces=replaces, destination=destination))
        for destination, employee_id in recipients])


def record_attempt_event(attempt: Attempt, event_type: str, *,
                         overridden: bool = False) -> list[OutboxMessage]:
    """Write the outbox rows of an attempt event (submitted, assessed) for the destinations
    whose connector takes it; must run inside the event's transaction. Its ordering key is
    the credential's, so an attempt's result reaches an LRS before the credential it earns."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("HRIS outbox rows must be written in the event's transaction.")
    taking = [name for name, cls in connectors.available().items()
              if event_type in cls.event_types]
    if not taking:
        return []
    recipients = employees.recipients_for_attempt(attempt, taking)
    at = now()
    return _write([
        OutboxMessage(message_id=new_message_id(), destination=destination, attempt=attempt,
                      event_type=event_type, employee_id=employee_id, occurred_at=at,
                      ordering_key=f"{attempt.user_id}:{attempt.definition.family_root().pk}",
                      payload=payloads.build_for_attempt(
                          attempt, event_type, employee_id=employee_id,
                          destination=destination, overridden=overridden, at=at))
        for destination, employee_id in recipients])


def _taking(recipients, event_type):
    """Only the destinations whose connector takes this kind of event."""
    return [(destination, employee_id) for destination, employee_id in recipients
            if event_type in payloads.connector_of(destination).event_types]


def _write(rows) -> list[OutboxMessage]:
    if not rows:
        return []
    rows = OutboxMessage.objects.bulk_create(rows)
    dispatch.start_after_commit(sorted({row.destination_id for row in rows}))
    return rows

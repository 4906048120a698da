"""Writing the HRIS outbox: one row per (credential event × destination), in the event's
own database transaction, so a committed event always has its rows and a rolled-back one
never does. Delivery starts after commit (``dispatch.after_commit``); if that start is
lost (broker down, process killed), the periodic sweep finds the rows anyway.

Called when the core announces a change inside its transaction (``handlers``, listening to
``core.signals.credential_changing``: issue, approve, renew, revoke, expire). An ending
event (expired, revoked) goes only to destinations that were told of the credential in the
first place.
"""
import uuid

from django.db import transaction

from credential_app.core.models import Credential
from credential_app.hris import dispatch, employees, payloads
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
    recipients = employees.recipients_for(credential)
    if only_destination_id is not None:
        recipients = [(d, employee) for d, employee in recipients if d.pk == only_destination_id]
    if event_type in (payloads.EXPIRED, payloads.REVOKED):
        told = set(OutboxMessage.objects.filter(credential=credential).values_list(
            "destination_id", flat=True))
        recipients = [(d, employee) for d, employee in recipients if d.pk in told]
    if not recipients:
        return []
    key = ordering_key(credential)
    rows = OutboxMessage.objects.bulk_create([
        OutboxMessage(message_id=new_message_id(), destination=destination,
                      credential=credential, event_type=event_type, employee_id=employee_id,
                      ordering_key=key,
                      payload=payloads.build(credential, event_type, employee_id=employee_id,
                                             replaces=replaces, destination=destination))
        for destination, employee_id in recipients
    ])
    destination_ids = sorted({row.destination_id for row in rows})
    dispatch.start_after_commit(destination_ids)
    return rows

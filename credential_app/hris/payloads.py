"""The record an HRIS destination receives for one credential event: built here only.

Built inside the event's transaction and stored on the outbox row, so every retry sends
the same bytes (the receiver de-duplicates by message id, and a signature over identical
content stays checkable). ``credential`` is the plain record below; ``open_badge`` the
signed Open Badges 3.0 ``OpenBadgeCredential``, for connectors that take it. Signing is
kept off the event's request: the row first holds ``BADGE_PENDING`` there, and the
delivery worker signs (or takes the already signed badge) and stores it on the row before
the first try (``complete``), so retries still send the same bytes.
"""
import json
import logging

from credential_app.core.models import Credential
from credential_app.core.signals import CHANGE_EVENTS, EXPIRED, ISSUED, RENEWED, REVOKED  # noqa: F401 (this module's event vocabulary)
from credential_app.hris import connectors
from credential_app.openbadges import store

log = logging.getLogger(__name__)

EVENT_TYPES = CHANGE_EVENTS
BADGE_PENDING = "to be signed before delivery"


def build(credential: Credential, event_type: str, *, employee_id: str,
          replaces: Credential | None = None, destination=None) -> dict:
    """What the destination is told: the event, who (employee id only), and the credential;
    with ``destination``, only the part its connector needs (``Connector.minimise``). The
    signed badge is put in by ``complete``, at delivery."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"Unknown HRIS event type {event_type!r}")
    payload = {
        "event": event_type,
        "employee_id": employee_id,
        "credential": credential_record(credential),
    }
    if replaces is not None:
        payload["replaces"] = f"urn:uuid:{replaces.uuid}"
    connector = _connector_of(destination)
    if connector is None or "open_badge" in connector.payload_members:
        payload["open_badge"] = BADGE_PENDING
    return payload if connector is None else connector.minimise(payload)


def complete(rows) -> None:
    """Put the signed badge into the rows about to be sent that still wait for it, and
    store it on them: signed once per credential, however many rows and destinations."""
    badges = {}
    for row in rows:
        if row.payload.get("open_badge") != BADGE_PENDING:
            continue
        if row.credential_id not in badges:
            badges[row.credential_id] = open_badge_for(row.credential)
        badge = badges[row.credential_id]
        payload = {key: value for key, value in row.payload.items() if key != "open_badge"}
        if badge is not None:
            payload["open_badge"] = badge
        row.payload = payload
        row.save(update_fields=["payload"])


def _connector_of(destination):
    if destination is None:
        return None

    try:
        return connectors.get(destination.connector)
    except connectors.UnknownConnector:  # delivery reports it; the event must not fail
        return connectors.Connector


def credential_record(credential: Credential) -> dict:
    """The credential as a plain record: what it certifies, who vouches, when it holds."""
    definition = credential.definition
    issuer = definition.issuer
    return {
        "id": f"urn:uuid:{credential.uuid}",
        "achievement": {
            "slug": definition.slug,
            "name": definition.name,
            "description": definition.description,
            "version": definition.version,
        },
        "issuer": {"name": issuer.name, "url": issuer.url} if issuer else None,
        "status": credential.status,
        "issued_at": _iso(credential.approved_at or credential.issued_at),
        "expires_at": _iso(credential.expires_at),
        "ended_at": _iso(credential.ended_at),
    }


def open_badge_for(credential: Credential) -> dict | None:
    """The signed Open Badges 3.0 credential (signed now if it is not yet).

    None (logged) when it cannot be signed, e.g. no signing key is configured: the event
    still reaches the destination with the plain record rather than not at all.
    """

    try:
        return json.loads(store.ensure_signed(credential).document)
    except Exception:
        log.exception("The Open Badge of credential %s could not be signed for HRIS "
                      "delivery; the record goes without it.", credential.uuid)
        return None


def _iso(value):
    return value.isoformat().replace("+00:00", "Z") if value else None

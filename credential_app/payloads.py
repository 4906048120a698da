"""The record an HRIS destination receives for one credential event: built here only.

Built inside the event's transaction and stored on the outbox row, so every retry sends
the same bytes (the receiver de-duplicates by message id, and a signature over identical
content stays checkable). Until signed Open Badges 3.0 credentials exist (issue 5) the
``credential`` member is the unsigned record below; then ``open_badge`` carries the signed
``OpenBadgeCredential`` (``api.get_open_badge``), wired in ``open_badge_for``.
"""
from .models import Credential

ISSUED = "credential.issued"
RENEWED = "credential.renewed"
EXPIRED = "credential.expired"
REVOKED = "credential.revoked"
EVENT_TYPES = (ISSUED, RENEWED, EXPIRED, REVOKED)


def build(credential: Credential, event_type: str, *, employee_id: str,
          replaces: Credential | None = None) -> dict:
    """What the destination is told: the event, who (employee id only), and the credential."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"Unknown HRIS event type {event_type!r}")
    payload = {
        "event": event_type,
        "employee_id": employee_id,
        "credential": credential_record(credential),
    }
    if replaces is not None:
        payload["replaces"] = f"urn:uuid:{replaces.uuid}"
    badge = open_badge_for(credential)
    if badge is not None:
        payload["open_badge"] = badge
    return payload


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
    """The signed Open Badges 3.0 credential, once issue 5 provides it (None until then)."""
    return None


def _iso(value):
    return value.isoformat().replace("+00:00", "Z") if value else None

"""The record an HRIS destination receives for one event: built here only.

Credential events (issued, renewed, expired, revoked, suspended, reinstated) go to every
kind of destination; attempt events (submitted, assessed) only to connectors that record
learning and say so in ``Connector.event_types`` (xAPI). Each record carries an
``event_key`` naming the event itself (the same however often and to whichever destination
it is written), from which such connectors derive identifiers that stay the same on every
delivery.

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

from credential_app.catalogue import entries as catalogue_entries
from credential_app.core import attempts, audit
from credential_app.core.models import AssessmentUnit, Attempt, Credential
from credential_app.core.signals import (  # noqa: F401 (this module's event vocabulary)
    CHANGE_EVENTS,
    EXPIRED,
    ISSUED,
    REINSTATED,
    RENEWED,
    REVOKED,
    SUSPENDED,
)
from credential_app.hris import connectors
from credential_app.openbadges import store
from credential_app.openbadges.openbadge_credential import achievement_id
from credential_app.pathways import rules as pathway_rules

log = logging.getLogger(__name__)

ATTEMPT_SUBMITTED = "attempt.submitted"
ATTEMPT_ASSESSED = "attempt.assessed"
ATTEMPT_EVENTS = (ATTEMPT_SUBMITTED, ATTEMPT_ASSESSED)
EVENT_TYPES = CHANGE_EVENTS
#: events only destinations already told of the credential hear (a reinstatement goes to
#: every destination the learner shares with, like an issuance: one that started hearing
#: while it was suspended learns of it then)
TOLD_ONLY = (EXPIRED, REVOKED, SUSPENDED)
#: a credential may be suspended and reinstated more than once: each time is its own event
REPEATABLE = {SUSPENDED: audit.AuditAction.SUSPENSION,
              REINSTATED: audit.AuditAction.REINSTATEMENT}
BADGE_PENDING = "to be signed before delivery"
#: Personal data a record carries only for a destination whose options ask for it (an LRS
#: that names learners by email address, ``Connector.wanted_members``).
LEARNER_MBOX = "learner_mbox"


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
        "event_key": credential_event_key(credential, event_type),
        "credential": credential_record(credential),
    }
    if replaces is not None:
        payload["replaces"] = f"urn:uuid:{replaces.uuid}"
    connector = connector_of(destination)
    wanted = _wanted(connector, destination)
    if wanted is None or "open_badge" in wanted:
        payload["open_badge"] = BADGE_PENDING
    if wanted is not None and "attempt" in wanted:  # what the credential was earned by
        payload["attempt"] = attempt_record(credential.attempt)
    return _for_destination(payload, credential.user, connector, wanted)


def build_for_attempt(attempt: Attempt, event_type: str, *, employee_id: str,
                      destination=None, overridden: bool = False, at=None) -> dict:
    """The record of an attempt event for a destination whose connector takes it.
    ``overridden``: staff changed the result (``at``: when), a new event of its own."""
    if event_type not in ATTEMPT_EVENTS:
        raise ValueError(f"Unknown attempt event type {event_type!r}")
    key = f"{attempt_ref(attempt)}:{event_type.split('.', 1)[1]}"
    if overridden:
        key += f":override:{_iso(at)}"
    payload = {"event": event_type, "employee_id": employee_id, "event_key": key,
               "attempt": attempt_record(attempt, overridden_at=at if overridden else None)}
    connector = connector_of(destination)
    return _for_destination(payload, attempt.user, connector, _wanted(connector, destination))


def _wanted(connector, destination):
    return None if connector is None else connector.wanted_members(destination.options or {})


def _for_destination(payload, user, connector, wanted):
    if connector is None:
        return payload
    if LEARNER_MBOX in wanted and getattr(user, "email", ""):
        payload[LEARNER_MBOX] = f"mailto:{user.email}"
    return connector.minimise(payload)


def attempt_ref(attempt: Attempt) -> str:
    """The attempt, named so no other site's or database's attempt shares the name."""
    return f"attempt:{attempt.pk}@{attempt.submitted_at.strftime('%Y%m%dT%H%M%S.%f')}"


def credential_event_key(credential: Credential, event_type: str) -> str:
    """Issued and renewed both mean the credential was earned: one event per credential.
    A suspension or reinstatement is numbered (its audit entry, written before the event
    is announced, is the n-th of its kind for the credential), so each one is its own."""
    kind = "earned" if event_type in (ISSUED, RENEWED) else event_type.split(".", 1)[1]
    if event_type in REPEATABLE:
        kind += f":{audit.count(REPEATABLE[event_type], credential)}"
    return f"credential:{credential.uuid}:{kind}"


def attempt_record(attempt: Attempt, *, overridden_at=None) -> dict:
    """The attempt as a plain record: where (unit, course), which credential it leads to,
    when, and once assessed its result per criterion. No evidence, no comments."""
    data = attempts.to_data(attempt)
    definition = attempt.definition
    unit_name = (AssessmentUnit.objects.filter(usage_key=attempt.usage_key)
                 .values_list("display_name", flat=True).first()) or ""
    record = {
        "ref": attempt_ref(attempt),
        "number": attempt.number,
        "unit": {"usage_key": str(attempt.usage_key), "name": unit_name},
        "course_key": str(attempt.course_key),
        "achievement": {"id": achievement_id(definition), "slug": definition.slug,
                        "name": definition.name},
        "submitted_at": _iso(attempt.submitted_at),
    }
    result = data.result
    if result is not None:
        record["result"] = {
            "assessed_at": _iso(overridden_at or attempt.assessed_at),
            "score": result.score, "max_score": result.max_score, "passed": result.passed,
            "changed_by_staff": result.changed_by_staff,
            "criteria": [{"name": c.criterion, "label": c.criterion_label, "level": c.level,
                          "level_label": c.level_label, "points": c.points,
                          "max_points": c.max_points} for c in result.criteria],
        }
    return record


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


def connector_of(destination):
    """The connector class of ``destination`` (the base class when it is not installed)."""
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
        # the job tasks it shows its holder can do, at which level, with framework codes
        "job_tasks": [task.as_record() for task in
                      catalogue_entries.tasks_for([definition.pk]).get(definition.pk, [])],
        **({"pathway": pathway_record(credential)} if credential.through_pathway else {}),
    }


def pathway_record(credential: Credential) -> dict:
    """A pathway credential: the credentials it stacks, by slug, and which the holder has."""
    pathway = pathway_rules.pathway_of(credential.definition)
    if pathway is None:
        return {"components": [], "held": []}
    standing = pathway_rules.standing(pathway, credential.user_id)
    return {"components": [r.definition.slug for r in pathway.requirements.all()],
            "needed": pathway.needed(len(pathway.requirements.all())),
            "held": [f"urn:uuid:{c.uuid}" for c in standing.met.values()]}


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

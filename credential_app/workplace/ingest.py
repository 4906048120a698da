"""One way in for every outcome event, whichever channel brought it (webhook, CSV, pull).

Each raw event is a dict: ``event_id``, ``employee_id``, ``type``, ``date`` (ISO), and as
the type needs ``value``, ``role``, ``site``. ``check`` reports every problem by position
and field; ``store`` keeps only events about employees linked at that employer who
consented to share with it (the rest are counted, never stored), once per ``event_id``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models.functions import Lower
from django.utils.timezone import now
from django.utils.translation import gettext as _

from credential_app.core import audit
from credential_app.hris.models import EmployeeLink, HrisConsent
from credential_app.workplace.models import OutcomeEvent, OutcomeType

MAX_EVENTS = 50_000
MAX_ID_LENGTH = 100
MAX_TEXT_LENGTH = 100
MAX_VALUE = Decimal("9999999999")
EARLIEST = date(1950, 1, 1)
FIELDS = ("event_id", "employee_id", "type", "date", "value", "role", "site")
# what each type needs besides its date, and the range its value must be in
VALUE_RANGES = {
    OutcomeType.PERFORMANCE: (Decimal(0), Decimal(1000)),
    OutcomeType.SALARY_BAND: (Decimal(-20), Decimal(20)),
    OutcomeType.PRODUCTIVE: (Decimal(0), Decimal(3650)),
}
NEEDS_ROLE = {OutcomeType.HIRE, OutcomeType.ROLE_CHANGE}


@dataclass(frozen=True)
class Problem:
    position: int  # line of a CSV file, or index + 1 of a webhook's events
    field: str
    message: str


@dataclass(frozen=True)
class StoreResult:
    received: int
    stored: int
    duplicates: int
    not_shared: int  # no link at this employer, or no consent: dropped


class EventsRejected(Exception):
    def __init__(self, problems):
        super().__init__("; ".join(p.message for p in problems[:5]))
        self.problems = list(problems)


def clean_event(raw, position: int, problems: list) -> dict | None:
    """The event with typed values, or None with its problems added."""
    found = len(problems)

    def problem(field, message):
        problems.append(Problem(position, field, message))

    if not isinstance(raw, dict):
        problem("", _("An event must be an object."))
        return None
    text = {}
    for name in FIELDS:
        value = raw.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            problem(name, _("“{field}” must be text or a number.").format(field=name))
            value = ""
        text[name] = str(value).strip()
    for name in ("event_id", "employee_id"):
        if not text[name]:
            problem(name, _("“{field}” is empty.").format(field=name))
        elif len(text[name]) > MAX_ID_LENGTH:
            problem(name, _("“{field}” is longer than {limit} characters.").format(
                field=name, limit=MAX_ID_LENGTH))
    event_type = text["type"]
    if event_type not in OutcomeType.values:
        problem("type", _("“{value}” is not an event type ({types}).").format(
            value=event_type[:40], types=", ".join(OutcomeType.values)))
    occurred = None
    try:
        occurred = date.fromisoformat(text["date"])
    except ValueError:
        problem("date", _("“{value}” is not a date (YYYY-MM-DD).").format(
            value=text["date"][:40]))
    else:
        if not EARLIEST <= occurred <= now().date():
            problem("date", _("The date must be between 1950 and today."))
    value = None
    if text["value"]:
        try:
            value = Decimal(text["value"])
            if not value.is_finite() or abs(value) > MAX_VALUE:
                raise InvalidOperation
        except InvalidOperation:
            problem("value", _("“{value}” is not a number.").format(value=text["value"][:40]))
            value = None
    if event_type in VALUE_RANGES:
        low, high = VALUE_RANGES[event_type]
        if value is None and not any(p.field == "value" for p in problems[found:]):
            problem("value", _("A “{type}” event needs a value.").format(type=event_type))
        elif value is not None and not low <= value <= high:
            problem("value", _("The value must be between {low} and {high}.").format(
                low=low, high=high))
    if event_type in NEEDS_ROLE and not text["role"]:
        problem("role", _("A “{type}” event needs a role.").format(type=event_type))
    for name in ("role", "site"):
        if len(text[name]) > MAX_TEXT_LENGTH:
            problem(name, _("“{field}” is longer than {limit} characters.").format(
                field=name, limit=MAX_TEXT_LENGTH))
    if len(problems) > found:
        return None
    return {"event_id": text["event_id"], "employee_id": text["employee_id"],
            "event_type": event_type, "occurred_on": occurred,
            "value": value.quantize(Decimal("0.01")) if value is not None else None,
            "role": text["role"], "site": text["site"]}


def check(raw_events, *, first_position=1) -> list[dict]:
    """Every event cleaned; raises ``EventsRejected`` with all problems when any is bad."""
    if len(raw_events) > MAX_EVENTS:
        raise EventsRejected([Problem(0, "", _("More than {limit} events at once.").format(
            limit=MAX_EVENTS))])
    return check_positioned([(first_position + index, raw)
                             for index, raw in enumerate(raw_events)])


def check_positioned(rows, *, where=None) -> list[dict]:
    """``rows``: (position, raw event). All cleaned, or every problem of every row, event
    ids given twice included (``where`` words the earlier position)."""
    problems, cleaned, seen = [], [], {}
    for position, raw in rows:
        event = clean_event(raw, position, problems)
        event_id = str(raw.get("event_id") or "").strip() if isinstance(raw, dict) else ""
        same = event_id.casefold()  # one id whatever its case, as MariaDB's keys compare
        if event_id and same in seen:
            problems.append(Problem(position, "event_id", (where or _(
                "Event id “{id}” is already given at {first}.")).format(
                id=event_id, first=seen[same])))
            continue
        if event_id:
            seen[same] = position
        if event is not None:
            cleaned.append(event)
    if problems:
        raise EventsRejected(sorted(problems, key=lambda p: p.position))
    return cleaned


def sharing_people(destination, employee_ids) -> dict[str, int]:
    """Lower-cased employee id → user id, for the employees of this employer who consented
    to share with it (only their events are kept)."""
    consenting = HrisConsent.objects.filter(destination=destination, given=True).values(
        "user_id")
    wanted = list({e.lower() for e in employee_ids})
    found = {}
    for start in range(0, len(wanted), 1000):  # bounded IN lists on every backend
        links = (EmployeeLink.objects.annotate(id_lower=Lower("employee_id"))
                 .filter(destination=destination, user_id__in=consenting,
                         id_lower__in=wanted[start:start + 1000])
                 .values_list("id_lower", "user_id"))
        found.update(links)
    return found


def known_ids(destination, event_ids) -> set[str]:
    """The lower-cased ids among ``event_ids`` already stored for this employer (ids are
    compared without case on every backend, as MySQL's and MariaDB's unique key does)."""
    wanted = list({event_id.lower() for event_id in event_ids})
    found = set()
    for start in range(0, len(wanted), 1000):
        found.update(OutcomeEvent.objects.annotate(id_lower=Lower("event_id"))
                     .filter(destination=destination, id_lower__in=wanted[start:start + 1000])
                     .values_list("id_lower", flat=True))
    return found


def store(destination, events: list[dict], *, source, actor_id=None) -> StoreResult:
    """Keep the cleaned events of consenting employees, each event id once; audited."""
    people = sharing_people(destination, [e["employee_id"] for e in events])
    shared = [e for e in events if e["employee_id"].lower() in people]
    with transaction.atomic():
        known = known_ids(destination, [e["event_id"] for e in shared])
        fresh = [e for e in shared if e["event_id"].lower() not in known]
        moment = now()
        OutcomeEvent.objects.bulk_create([
            OutcomeEvent(destination=destination, user_id=people[e["employee_id"].lower()],
                         event_id=e["event_id"], event_type=e["event_type"],
                         occurred_on=e["occurred_on"], value=e["value"], role=e["role"],
                         site=e["site"], source=source, received_at=moment)
            for e in fresh], batch_size=1000, ignore_conflicts=True)
        result = StoreResult(received=len(events), stored=len(fresh),
                             duplicates=len(shared) - len(fresh),
                             not_shared=len(events) - len(shared))
        audit.record(audit.AuditAction.OUTCOMES_RECEIVED, actor_id=actor_id,
                     subject=destination,
                     details={"destination": destination.pk, "source": str(source),
                              "received": result.received, "stored": result.stored,
                              "duplicates": result.duplicates,
                              "not_shared": result.not_shared})
    return result


def forget_person(user_id) -> int:
    """Retirement: erase every outcome an employer reported about the person."""
    deleted, _by_model = OutcomeEvent.objects.filter(user_id=user_id).delete()
    return deleted

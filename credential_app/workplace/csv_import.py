"""Outcome events from the employer's CSV file, checked in full before anything is kept.

Header row naming the columns: ``event_id``, ``employee_id``, ``type``, ``date`` and
optionally ``value``, ``role``, ``site``. A dry run checks every row and says what would
be stored; an import stores only a file without problems (all rows at once). Problems
name the line (the header is line 1, as in a spreadsheet) and the field.
"""
from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from credential_app.hris.employee_import import MAX_FILE_BYTES
from credential_app.workplace import ingest
from credential_app.workplace.ingest import EventsRejected, Problem
from credential_app.workplace.models import OutcomeSource

REQUIRED = ("event_id", "employee_id", "type", "date")


def _rows(data: bytes) -> list[tuple[int, dict]]:
    if len(data) > MAX_FILE_BYTES:
        raise EventsRejected([Problem(0, "", _("The file is larger than {limit} MB.").format(
            limit=MAX_FILE_BYTES // (1024 * 1024)))])
    if b"\x00" in data:
        raise EventsRejected([Problem(0, "", _("This is not a CSV text file."))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EventsRejected([Problem(0, "", _("The file is not UTF-8 text."))]) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise EventsRejected([Problem(1, "", _("The file is empty."))]) from exc
    missing = [name for name in REQUIRED if name not in header]
    if missing or len(set(header)) != len(header):
        raise EventsRejected([Problem(1, ",".join(missing), _(
            "Line 1 must name each column once: event_id, employee_id, type, date and "
            "optionally value, role, site."))])
    rows, problems = [], []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= ingest.MAX_EVENTS:
                raise EventsRejected([Problem(reader.line_num, "", _(
                    "The file has more than {limit} rows.").format(limit=ingest.MAX_EVENTS))])
            if len(values) > len(header):
                problems.append(Problem(reader.line_num, "", _(
                    "More cells than the header has columns.")))
            padded = values + [""] * (len(header) - len(values))
            rows.append((reader.line_num, dict(zip(header, padded, strict=False))))
    except csv.Error as exc:
        raise EventsRejected([Problem(reader.line_num + 1, "", str(exc))]) from exc
    if not rows:
        raise EventsRejected([Problem(2, "", _("The file has a header but no rows."))])
    if problems:
        raise EventsRejected(problems)
    return rows


def check(data: bytes) -> list[dict]:
    """Every row cleaned, or ``EventsRejected`` naming each bad row's line and field."""
    return ingest.check_positioned(_rows(data), where=_(
        "Event id “{id}” is already given on line {first}."))


def dry_run(destination, data: bytes) -> ingest.StoreResult:
    """What an import would do, changing nothing (raises ``EventsRejected`` if any row is
    bad)."""
    events = check(data)
    people = ingest.sharing_people(destination, [e["employee_id"] for e in events])
    shared = [e for e in events if e["employee_id"].lower() in people]
    known = ingest.known_ids(destination, [e["event_id"] for e in shared])
    fresh = sum(1 for e in shared if e["event_id"].lower() not in known)
    return ingest.StoreResult(received=len(events), stored=fresh,
                              duplicates=len(shared) - fresh,
                              not_shared=len(events) - len(shared))


def import_file(destination, data: bytes, *, actor_id) -> ingest.StoreResult:
    return ingest.store(destination, check(data), source=OutcomeSource.CSV, actor_id=actor_id)

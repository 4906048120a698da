"""Import learner↔employee links for one HRIS destination from the employer's CSV file.

The file has a header row naming its columns: ``employee_id`` and either ``username`` or
``email`` (or both: the username wins). Each row links that learner to that employee id.
Every row is checked first and every problem reported with its row number (the header is
row 1, as in a spreadsheet); only a file without problems changes anything, and then all
of it at once: new links are made, a learner's changed employee id is updated, and links
the file does not mention stay as they are. Employee ids are compared without regard to
case ("e-1" and "E-1" are one id), as MySQL's and MariaDB's unique index compares them.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.timezone import now
from django.utils.translation import gettext as _

from credential_app.core import audit
from credential_app.hris.models import EmployeeLink

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
MAX_EMPLOYEE_ID_LENGTH = EmployeeLink._meta.get_field("employee_id").max_length


class ImportRejected(Exception):
    """The file was not imported; ``problems`` says why, one line each."""

    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


def _text(data: bytes) -> str:
    """The file as text, refused unless it really is UTF-8 text (checked by content)."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportRejected([_("The file is larger than {limit} MB.").format(
            limit=MAX_FILE_BYTES // (1024 * 1024))])
    if b"\x00" in data:
        raise ImportRejected([_("This is not a CSV text file.")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected([_("The file is not UTF-8 text (save it as “CSV UTF-8”).")]) \
            from exc


def _rows(text):
    """(row number, {column: value}) for each non-empty data row; checks the header."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration as exc:
        raise ImportRejected([_("The file is empty.")]) from exc
    except csv.Error as exc:
        raise ImportRejected([_("Row 1: {problem}").format(problem=exc)]) from exc
    if "employee_id" not in header or not {"username", "email"} & set(header):
        raise ImportRejected([_("Row 1 must name the columns: employee_id and username or "
                                "email.")])
    if len(set(header)) != len(header):
        raise ImportRejected([_("Row 1 names a column twice.")])
    rows = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportRejected([_("The file has more than {limit} rows.").format(
                    limit=MAX_ROWS)])
            padded = values + [""] * (len(header) - len(values))
            rows.append((reader.line_num, len(values) > len(header),
                         {name: padded[i].strip() for i, name in enumerate(header)}))
    except csv.Error as exc:
        raise ImportRejected([_("Row {row}: {problem}").format(row=reader.line_num + 1,
                                                               problem=exc)]) from exc
    if not rows:
        raise ImportRejected([_("The file has a header but no rows.")])
    return rows


def _find_users(rows):
    """username → user and lower-cased email → [users], for the people the file names."""
    User = get_user_model()
    usernames = {r["username"] for _n, _x, r in rows if r.get("username")}
    emails = {r["email"].lower() for _n, _x, r in rows if r.get("email")
              and not r.get("username")}
    by_username = {u.username: u for u in User.objects.filter(username__in=usernames)}
    by_email = {}
    for user in User.objects.annotate(email_lower=Lower("email")).filter(
            email_lower__in=emails):
        by_email.setdefault(user.email.lower(), []).append(user)
    return by_username, by_email


def _row_user(number, row, by_username, by_email, problems):
    """The learner a row names, or None with the problem added."""
    username, email = row.get("username"), row.get("email")
    if username:
        user = by_username.get(username)
        if user is None:
            problems.append((number, _("Row {row}: no learner has the username “{name}”.")
                             .format(row=number, name=username)))
        return user
    if email:
        found = by_email.get(email.lower(), [])
        if len(found) == 1:
            return found[0]
        if not found:
            problems.append((number, _("Row {row}: no learner has the email “{email}”.")
                             .format(row=number, email=email)))
        else:
            problems.append((number, _("Row {row}: several learners have the email "
                                       "“{email}”; use their username.").format(
                row=number, email=email)))
        return None
    problems.append((number, _("Row {row}: give a username or an email.").format(row=number)))
    return None


def check(destination, data: bytes):
    """Every row's learner and employee id; raises ``ImportRejected`` listing all problems."""
    rows = _rows(_text(data))
    by_username, by_email = _find_users(rows)
    problems, wanted = [], {}  # (row, message); user pk -> (employee id, row)
    rows_of_id = {}
    for number, extra_cells, row in rows:
        found_problems = len(problems)
        user = _row_user(number, row, by_username, by_email, problems)
        employee_id = row["employee_id"]
        if extra_cells:
            problems.append((number, _("Row {row}: more cells than the header has "
                                      "columns.").format(row=number)))
        if not employee_id:
            problems.append((number, _("Row {row}: the employee ID is empty.").format(
                row=number)))
        elif len(employee_id) > MAX_EMPLOYEE_ID_LENGTH:
            problems.append((number, _("Row {row}: the employee ID is longer than {limit} "
                                       "characters.").format(row=number,
                                                             limit=MAX_EMPLOYEE_ID_LENGTH)))
        elif employee_id.casefold() in rows_of_id:
            problems.append((number, _("Row {row}: employee ID “{id}” is already given on "
                                       "row {first}.").format(
                row=number, id=employee_id, first=rows_of_id[employee_id.casefold()])))
        if user is not None and user.pk in wanted:
            problems.append((number, _("Row {row}: this learner is already linked on row "
                                       "{first}.").format(row=number,
                                                          first=wanted[user.pk][1])))
        if len(problems) == found_problems:
            rows_of_id[employee_id.casefold()] = number
            wanted[user.pk] = (employee_id, number)
    # an employee id kept by a learner the file does not re-link cannot be given to another
    # (compared without case, as MySQL/MariaDB's unique index does)
    wanted_ids = {employee_id.lower(): user_pk
                  for user_pk, (employee_id, _n) in wanted.items()}
    kept = (EmployeeLink.objects.annotate(id_lower=Lower("employee_id"))
            .filter(destination=destination, id_lower__in=list(wanted_ids))
            .exclude(user_id__in=list(wanted)))
    for link in kept:
        given, number = wanted[wanted_ids[link.employee_id.lower()]]
        problems.append((number, _("Row {row}: employee ID “{id}” already belongs to another "
                                   "learner at this destination.").format(
            row=number, id=given)))
    if problems:
        raise ImportRejected([message for _n, message in sorted(problems,
                                                                key=lambda p: p[0])])
    return {user_pk: employee_id for user_pk, (employee_id, _n) in wanted.items()}


def import_links(destination, data: bytes, *, actor_id) -> ImportResult:
    """Check the whole file, then make or update every link it gives, all or nothing."""
    wanted = check(destination, data)
    with transaction.atomic():
        current = {link.user_id: link for link in EmployeeLink.objects.select_for_update()
                   .filter(destination=destination, user_id__in=list(wanted))}
        changed = [link for user_pk, link in current.items()
                   if link.employee_id != wanted[user_pk]]
        # free the old ids first, so two learners may swap employee ids in one file
        for index, link in enumerate(changed):
            link.employee_id = f"#swap#{link.pk}#{index}"
            link.save(update_fields=["employee_id"])
        moment = now()
        for link in changed:
            link.employee_id, link.updated_at = wanted[link.user_id], moment
            link.save(update_fields=["employee_id", "updated_at"])
        EmployeeLink.objects.bulk_create([
            EmployeeLink(destination=destination, user_id=user_pk, employee_id=employee_id,
                         updated_at=moment)
            for user_pk, employee_id in wanted.items() if user_pk not in current])
        result = ImportResult(created=len(wanted) - len(current), updated=len(changed),
                              unchanged=len(current) - len(changed))
        audit.record(audit.AuditAction.EMPLOYEE_LINKS_IMPORTED, actor_id=actor_id,
                     subject=destination,
                     details={"destination": destination.pk, "created": result.created,
                              "updated": result.updated, "unchanged": result.unchanged})
    return result

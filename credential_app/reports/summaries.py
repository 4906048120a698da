"""The report summaries (``reports.models``: ``AttemptSummary`` … ``ScorePair``) kept in
step with the records they count, in the transaction that changes those records.

The core announces each change to an attempt's records (``record_changes.changing``):
before it, this module reads the attempts' records; after it, it reads them again and adds
what they count for now less what they counted for before. Both are a fixed number of
queries, whatever the rubric or the number of attempts: at most three reads before, two
after (the learners' cohorts are not read again), then one insert per summary table whose
figures changed, adding to the rows already there (``lib.tallies``, rows in key order so
concurrent writers lock them in the same order). The per-attempt tables (pairs of
assessors' points, attempts sharing a number) are rewritten for the attempts concerned.

Cohorts: a learner's figures are kept under cohort 0 (everyone) and under each cohort
they belong to; adding people to a cohort or taking them out moves their figures
(``on_cohort_members_changed``). ``rebuild`` makes every summary again from the records
(``manage.py rebuild_report_summaries``; the migration that adds the tables runs it).
"""
from collections import defaultdict
from datetime import UTC, timedelta

from django.apps import apps as installed_apps
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery

from credential_app.core import record_changes
from credential_app.data import AttemptStatus, CredentialStatus
from credential_app.lib import tallies
from credential_app.reports.models import (
    ALL_COURSES,
    ALL_DEFINITIONS,
    EVERYONE,
    EXPIRED,
    ISSUED,
    REVOKED,
    AssessmentSummary,
    AttemptSummary,
    Cohort,
    CredentialSummary,
    ScorePair,
    ScoreSummary,
)

ISSUED_STATUSES = (CredentialStatus.ACTIVE, CredentialStatus.EXPIRED, CredentialStatus.REVOKED,
                   CredentialStatus.SUPERSEDED, CredentialStatus.SUSPENDED)
TURNAROUND_DAYS = (1, 3, 7)  # bands of AssessmentSummary: within 1, 2–3, 4–7 days, later
TIME_TO_CREDENTIAL_DAYS = (7, 30, 90)  # bands of CredentialSummary's "issued" rows

# Each summary: its key columns and the columns added up.
SUMMED = {
    AttemptSummary: (("cohort_id", "definition_id", "number", "status", "course_key", "day"),
                     ("attempts",)),
    ScoreSummary: (("cohort_id", "definition_id", "day", "course_key", "criterion", "level",
                    "points"), ("scores",)),
    AssessmentSummary: (("cohort_id", "day", "assessor_id", "definition_id", "course_key",
                         "band"), ("assessments", "timed", "waited_total")),
    CredentialSummary: (("cohort_id", "kind", "definition_id", "day", "course_key", "band"),
                        ("credentials", "took_total")),
}
BATCH = 500
ATTEMPT_FIELDS = ("id", "user_id", "definition_id", "course_key", "number", "status",
                  "submitted_at")


def band(duration, days) -> int:
    """Index of the first band ``duration`` falls within (inclusive), len(days) if none."""
    if duration is None:
        return len(days)
    for index, limit in enumerate(days):
        if duration <= timedelta(days=limit):
            return index
    return len(days)


def day_of(moment):
    return moment.astimezone(UTC).date()


def micro(duration) -> int:
    if duration is None:
        return 0
    if not isinstance(duration, timedelta):  # some backends hand back microseconds
        return int(duration)
    return (duration.days * 86400 + duration.seconds) * 1_000_000 + duration.microseconds


def _empty() -> dict:
    """{summary model: {key: [0, …]}}, a line of zeros per key on first use."""
    def lines(width):
        return defaultdict(lambda: [0] * width)
    return {model: lines(len(summed)) for model, (_keys, summed) in SUMMED.items()}


class Records:
    """What the summaries count of some attempts, read in at most three queries: the
    attempts with their assessments and scores (``record_changes.records_of``, which the
    core's announcements hand over), their credentials (each with when its holder first
    tried for it; none to read while every attempt waits), and their learners' cohorts (not
    read again when ``cohorts_known`` has them: the records of the same attempts read
    before a change)."""

    def __init__(self, attempt_ids, registry=installed_apps, cohorts_known=None,
                 records=None):
        model = registry.get_model
        attempt, credential = (model("credential_app", "Attempt"),
                               model("credential_app", "Credential"))
        if records is None:  # the core's announcements hand them over, read once for all
            records = record_changes.records_of(attempt_ids, registry)
        self.attempts, assessments, self.scores = {}, {}, []
        for row in records:
            pk, assessment_id = row["id"], row["assessments__id"]
            if pk not in self.attempts:
                self.attempts[pk] = {field: row[field] for field in ATTEMPT_FIELDS}
            if assessment_id is None:
                continue
            if assessment_id not in assessments:
                assessments[assessment_id] = {
                    "id": assessment_id, "attempt_id": pk,
                    "assessor_id": row["assessments__assessor_id"],
                    "created": row["assessments__created"],
                    "waited": row["assessments__waited"]}
            if row["assessments__criterion_scores__criterion"] is not None:
                self.scores.append({
                    "assessment_id": assessment_id,
                    "criterion": row["assessments__criterion_scores__criterion"],
                    "level": row["assessments__criterion_scores__level"],
                    "points": row["assessments__criterion_scores__points"]})
        self.assessments = sorted(assessments.values(), key=lambda a: a["id"])
        # A credential is issued on a pass: attempts all still waiting have none.
        waiting = all(a["status"] == AttemptStatus.SUBMITTED for a in self.attempts.values())
        self.credentials = [] if waiting else self._credentials(attempt, credential)
        self.users = {a["user_id"] for a in self.attempts.values()}
        if cohorts_known is not None and self.users <= cohorts_known.users:
            self.cohorts = cohorts_known.cohorts
            return
        members = model("credential_app", "Cohort").members.through
        self.cohorts = defaultdict(list)
        for user_id, cohort_id in members.objects.filter(user_id__in=self.users).values_list(
                "user_id", "cohort_id").order_by("cohort_id"):
            self.cohorts[user_id].append(cohort_id)

    def _credentials(self, attempt, credential) -> list[dict]:
        """The attempts' credentials, each with when its holder first tried for it."""
        first = attempt.objects.filter(user_id=OuterRef("user_id"),
                                       definition_id=OuterRef("definition_id")).order_by(
            "submitted_at").values("submitted_at")[:1]
        return list(credential.objects.filter(
            attempt_id__in=list(self.attempts)).annotate(first=Subquery(first)).values(
            "attempt_id", "user_id", "definition_id", "status", "issued_at", "ended_at",
            "first"))

    def counts(self, cohorts=None) -> dict:
        """{summary model: {key: [added columns]}} of these records. ``cohorts``: count
        under these cohorts only (a membership change), instead of everyone's and each
        learner's own."""
        out = _empty()

        def under(user_id):
            return cohorts if cohorts is not None else [EVERYONE, *self.cohorts[user_id]]

        def add(model, key, *values):
            line = out[model][key]
            for index, value in enumerate(values):
                line[index] += value

        by_assessment = defaultdict(list)
        for s in self.scores:
            by_assessment[s["assessment_id"]].append(s)
        for a in self.assessments:
            attempt = self.attempts[a["attempt_id"]]
            day, waited = day_of(a["created"]), a["waited"]
            timed = 0 if waited is None else 1
            for cohort in under(attempt["user_id"]):
                for definition, course in ((attempt["definition_id"], attempt["course_key"]),
                                           (ALL_DEFINITIONS, ALL_COURSES)):
                    add(AssessmentSummary, (cohort, day, a["assessor_id"], definition,
                                            str(course), band(waited, TURNAROUND_DAYS)),
                        1, timed, micro(waited))
            if attempt["status"] == AttemptStatus.RESET:
                continue
            for s in by_assessment[a["id"]]:
                for cohort in under(attempt["user_id"]):
                    add(ScoreSummary, (cohort, attempt["definition_id"],
                                       day_of(attempt["submitted_at"]),
                                       str(attempt["course_key"]), s["criterion"], s["level"],
                                       s["points"]), 1)
        for attempt in self.attempts.values():
            if attempt["status"] == AttemptStatus.RESET:
                continue
            for cohort in under(attempt["user_id"]):
                add(AttemptSummary, (cohort, attempt["definition_id"], attempt["number"],
                                     attempt["status"], str(attempt["course_key"]),
                                     day_of(attempt["submitted_at"])), 1)
        for c in self.credentials:
            course = str(self.attempts[c["attempt_id"]]["course_key"])
            rows = []
            if c["status"] in ISSUED_STATUSES and c["issued_at"] is not None:
                took = c["issued_at"] - c["first"] if c["first"] is not None else None
                rows.append((ISSUED, day_of(c["issued_at"]),
                             band(took, TIME_TO_CREDENTIAL_DAYS), micro(took)))
            ending = {CredentialStatus.EXPIRED: EXPIRED, CredentialStatus.REVOKED: REVOKED}
            if c["status"] in ending and c["ended_at"] is not None:
                rows.append((ending[c["status"]], day_of(c["ended_at"]), 0, 0))
            for kind, day, band_, took in rows:
                for cohort in under(c["user_id"]):
                    add(CredentialSummary, (cohort, kind, c["definition_id"], day, course,
                                            band_), 1, took)
        return out

    def pairs(self) -> list[dict]:
        """Every pair of two assessors' points on a criterion of an attempt not reset."""
        per_attempt = defaultdict(list)
        for a in self.assessments:
            per_attempt[a["attempt_id"]].append(a)
        points = defaultdict(dict)  # assessment → criterion → points
        for s in self.scores:
            points[s["assessment_id"]][s["criterion"]] = s["points"]
        rows = []
        for attempt_id, done in per_attempt.items():
            attempt = self.attempts[attempt_id]
            if attempt["status"] == AttemptStatus.RESET or len(done) < 2:
                continue
            done = sorted(done, key=lambda a: a["assessor_id"])
            for i, first in enumerate(done):
                for second in done[i + 1:]:
                    for criterion, value in points[first["id"]].items():
                        if criterion in points[second["id"]]:
                            rows.append({
                                "attempt_id": attempt_id,
                                "definition_id": attempt["definition_id"],
                                "course_key": str(attempt["course_key"]),
                                "day": day_of(attempt["submitted_at"]),
                                "user_id": attempt["user_id"], "criterion": criterion,
                                "assessor_id": first["assessor_id"],
                                "other_id": second["assessor_id"], "points": value,
                                "other_points": points[second["id"]][criterion],
                                "assessments": len(done)})
        return rows


def add_counts(counts, sign=1, using=None):
    """Add (or, with sign −1, take away) counts to the summaries: one statement per table."""
    using = using or connection
    for model, lines in counts.items():
        keys, summed = SUMMED[model]
        rows = [(*key, *(sign * v for v in values)) for key, values in sorted(
            lines.items(), key=lambda item: tuple(str(part) for part in item[0]))
            if any(values)]
        for start in range(0, len(rows), BATCH):
            tallies.add(model._meta.db_table, keys, summed, rows[start:start + BATCH], using)


def difference(after, before) -> dict:
    """``after`` less ``before`` (counts as ``Records.counts`` gives them; None: nothing)."""
    if before is None:
        return after
    out = _empty()
    for model, lines in after.items():
        for key, values in lines.items():
            out[model][key] = list(values)
    for model, lines in before.items():
        for key, values in lines.items():
            line = out[model][key]
            for index, value in enumerate(values):
                line[index] -= value
    return out


# --- the receivers of the core's announcements -------------------------------------------

def on_records_changing(sender, attempt_ids, records=None, **kwargs):
    """Before a change: the records as they are (handed back after it)."""
    return Records(attempt_ids, records=records)


def on_records_changed(sender, attempt_ids, before=None, records=None, **kwargs):
    """After a change (or a new attempt): what the records count for now less what they
    counted for before, added; their pairs and the learners' attempts that share a number
    written again where they changed.

    Only the lines that changed are written: a revocation touches its credential lines, not
    the attempt's and assessments' (which every learner's changes share), so a transaction
    that changes several attempts' records in turn (a requirement, then the pathway
    credential naming another attempt) does not hold shared lines while it waits for
    others, and two such transactions do not deadlock (MariaDB)."""
    before = (before or {}).get(on_records_changing)
    records = Records(attempt_ids, cohorts_known=before, records=records)
    add_counts(difference(records.counts(), before.counts() if before is not None else None))
    pairs = records.pairs()
    if before is None or before.pairs() != pairs:
        ScorePair.objects.filter(attempt_id__in=list(attempt_ids)).delete()
        ScorePair.objects.bulk_create(ScorePair(**row) for row in pairs)
    if before is None or _counted(before) != _counted(records):  # handed in, reset, moved
        refresh_shared_numbers({a["user_id"] for a in records.attempts.values()}
                               | ({a["user_id"] for a in before.attempts.values()}
                                  if before is not None else set()))


def _counted(records) -> set:
    """The attempts that count (not reset), which decide who shares a number, with the
    day a shared one is kept under."""
    return {(pk, a["submitted_at"]) for pk, a in records.attempts.items()
            if a["status"] != AttemptStatus.RESET}


def refresh_shared_numbers(user_ids, registry=installed_apps):
    """Write again which of these learners' attempts share their number with another of
    theirs at the same credential or in the same course (a handful per learner)."""
    attempt = registry.get_model("credential_app", "Attempt")
    shared = registry.get_model("credential_app", "SharedAttemptNumber")
    user_ids = list(user_ids)
    theirs = defaultdict(list)
    for a in attempt.objects.filter(user_id__in=user_ids).exclude(
            status=AttemptStatus.RESET).values("id", "user_id", "definition_id", "course_key",
                                               "number", "submitted_at"):
        theirs[(a["user_id"], a["number"])].append(a)
    rows = []
    for same_number in theirs.values():
        for a in same_number:
            if any(b["id"] != a["id"] and (b["definition_id"] == a["definition_id"]
                                           or str(b["course_key"]) == str(a["course_key"]))
                   for b in same_number):
                rows.append(shared(attempt_id=a["id"], user_id=a["user_id"],
                                   definition_id=a["definition_id"],
                                   course_key=str(a["course_key"]), number=a["number"],
                                   day=day_of(a["submitted_at"])))
    shared.objects.filter(user_id__in=user_ids).delete()
    shared.objects.bulk_create(rows)


def on_cohort_members_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """People added to a cohort bring their figures to its rows; people taken out take
    theirs away (``m2m_changed`` of ``Cohort.members``, either side)."""
    if action not in ("post_add", "pre_remove", "pre_clear"):
        return
    if action == "pre_clear":
        if reverse:  # a user leaves every cohort
            pairs = [(instance.pk, c) for c in Cohort.objects.filter(
                members=instance).values_list("pk", flat=True)]
        else:
            pairs = [(u, instance.pk) for u in instance.members.values_list("pk", flat=True)]
    else:
        pairs = [(instance.pk, c) if reverse else (c, instance.pk) for c in pk_set or ()]
        if action == "pre_remove":  # only the people actually in the cohort leave it
            held = set(Cohort.members.through.objects.filter(
                user_id__in=[u for u, _c in pairs], cohort_id__in=[c for _u, c in pairs])
                .values_list("user_id", "cohort_id"))
            pairs = [pair for pair in pairs if pair in held]
    sign = 1 if action == "post_add" else -1
    by_cohort = defaultdict(list)
    for user_id, cohort_id in pairs:
        by_cohort[cohort_id].append(user_id)
    attempt = installed_apps.get_model("credential_app", "Attempt")
    with transaction.atomic():
        for cohort_id, users in sorted(by_cohort.items()):
            for start in range(0, len(users), BATCH):
                ids = list(attempt.objects.filter(user_id__in=users[start:start + BATCH])
                           .values_list("pk", flat=True))
                for chunk in range(0, len(ids), BATCH):
                    add_counts(Records(ids[chunk:chunk + BATCH]).counts(cohorts=[cohort_id]),
                               sign=sign)


def on_cohort_deleted(sender, instance, **kwargs):
    """A deleted cohort's rows go with it (its members go without ``m2m_changed``)."""
    for model in SUMMED:
        model.objects.filter(cohort_id=instance.pk).delete()


# --- rebuilding from the records -----------------------------------------------------------

def rebuild(registry=installed_apps, chunk=2000, report=None):
    """Make every summary again from the records, in one transaction (an install that had
    none, or after records were changed behind the app's back). Reads the attempts in
    chunks with the same ``Records`` the live updates use, so both count alike."""
    model = registry.get_model
    attempt = model("credential_app", "Attempt")
    tables = [model("credential_app", name) for name in (
        "AttemptSummary", "ScoreSummary", "AssessmentSummary", "CredentialSummary",
        "ScorePair", "SharedAttemptNumber")]
    totals = _empty()
    pair_model = tables[4]
    ids = list(attempt.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        for table in tables:
            table.objects.all().delete()
        for start in range(0, len(ids), chunk):
            records = Records(ids[start:start + chunk], registry)
            for summary, lines in records.counts().items():
                for key, values in lines.items():
                    line = totals[summary][key]
                    for index, value in enumerate(values):
                        line[index] += value
            pair_model.objects.bulk_create((pair_model(**row) for row in records.pairs()),
                                           batch_size=BATCH)
            if report:
                report(min(start + chunk, len(ids)), len(ids))
        add_counts(totals)
        users = sorted(set(attempt.objects.values_list("user_id", flat=True).distinct()))
        for start in range(0, len(users), chunk):
            refresh_shared_numbers(users[start:start + chunk], registry)

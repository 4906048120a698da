"""Outcome figures, per credential or per course: every number is aggregated by the
database (``values``/``annotate``) from the report summaries (``reports.summaries``, kept in
step with the records), so a page adds up thousands of rows rather than millions; Python
only reshapes the few grouped rows.
"""
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credential_app.core.models import (
    AssessmentClaim,
    AssessmentUnit,
    Credential,
    CredentialDefinition,
    IssuancePolicy,
)
from credential_app.data import AttemptStatus, CredentialStatus
from credential_app.lib.people import display_name
from credential_app.reports.charts import Chart, Series
from credential_app.reports.filters import BY_COURSE, Scope
from credential_app.reports.models import (
    ALL_COURSES,
    ALL_DEFINITIONS,
    ISSUED,
    AssessmentSummary,
    AttemptSummary,
    CredentialSummary,
    ProgrammeCost,
    ScoreSummary,
    SharedAttemptNumber,
)
from credential_app.reports.tables import Column, Table

LAST_ATTEMPT_BUCKET = 5  # attempts numbered 5 and above are shown together as "5+"
DAY_BUCKETS = ((7, _("within 7 days")), (30, _("8–30 days")), (90, _("31–90 days")))
TURNAROUND_BUCKETS = ((1, _("within 1 day")), (3, _("2–3 days")), (7, _("4–7 days")))
ISSUED_STATUSES = (CredentialStatus.ACTIVE, CredentialStatus.EXPIRED, CredentialStatus.REVOKED,
                   CredentialStatus.SUPERSEDED, CredentialStatus.SUSPENDED)


def _group(scope: Scope, definition="definition_id", course="course_key"):
    """(the field grouped on, its column label) for the scope's "figures per" choice."""
    if scope.by == BY_COURSE:
        return course, _("Course")
    return definition, _("Credential")


def _labels(scope: Scope, keys) -> dict:
    """Readable names of the groups: definition names (one query) or course ids."""
    if scope.by == BY_COURSE:
        return {key: str(key) for key in keys}
    names = dict(CredentialDefinition.objects.filter(pk__in=list(keys))
                 .values_list("pk", "name"))
    return {key: names.get(key, str(key)) for key in keys}


def percent(part, whole):
    return round(100 * part / whole, 1) if whole else None


def _days(duration):
    if duration is None:
        return None
    if not isinstance(duration, timedelta):  # some backends hand back microseconds
        duration = timedelta(microseconds=duration)
    return round(duration.total_seconds() / 86400, 1)


# --- submissions and pass rate ----------------------------------------------------------

def _summed(column, **where):
    return Coalesce(Sum(column, filter=Q(**where) if where else None), Value(0))


def by_attempt_number(scope: Scope) -> list[dict]:
    """Attempts per group and attempt number, by status: one query serves the summary and
    the attempts-per-learner figure. Learners: every attempt is a learner of its own but
    those sharing their number with another of the learner's attempts in the group (two
    units), which are counted by learner (``SharedAttemptNumber``, a handful)."""
    key, _label = _group(scope)
    rows = list(AttemptSummary.objects.filter(scope.summary_q(), attempts__gt=0)
                .values(key, "number").annotate(
        submissions=_summed("attempts"),
        passed=_summed("attempts", status=AttemptStatus.PASSED),
        failed=_summed("attempts", status=AttemptStatus.FAILED),
    ).order_by(key, "number"))
    shared = {(r[key], r["number"]): r for r in SharedAttemptNumber.objects.filter(
        scope.summary_q(members_of="user_id")).values(key, "number").annotate(
        attempts=Count("attempt_id"), people=Count("user_id", distinct=True)).order_by()}
    for r in rows:
        same = shared.get((r[key], r["number"]), {"attempts": 0, "people": 0})
        r["learners"] = r["submissions"] - same["attempts"] + same["people"]
    return rows


def overview(scope: Scope) -> list[Table]:
    rows = by_attempt_number(scope)
    return [summary(scope, rows), attempts_per_learner(scope, rows)]


def summary(scope: Scope, rows=None) -> Table:
    key, label = _group(scope)
    grouped = {}
    for r in by_attempt_number(scope) if rows is None else rows:  # a few rows per group
        line = grouped.setdefault(r[key], {"submissions": 0, "passed": 0, "failed": 0})
        for column in line:
            line[column] += r[column]
    names = _labels(scope, list(grouped))
    out = [{"group": names[k], **g, "waiting": g["submissions"] - g["passed"] - g["failed"],
            "pass_rate": percent(g["passed"], g["passed"] + g["failed"])}
           for k, g in grouped.items()]
    return Table(
        "summary", _("Submissions and pass rate"),
        (Column("group", label), Column("submissions", _("Submissions"), True),
         Column("passed", _("Passed"), True), Column("failed", _("Failed"), True),
         Column("waiting", _("Waiting for assessment"), True),
         # xgettext:no-python-format ("% o" is not a placeholder: the label is shown as is)
         Column("pass_rate", _("Pass rate (% of assessed)"), True)),
        out,
        _("Attempts handed in during the period (reset attempts left out); the pass rate is "
          "the share of assessed attempts that passed."),
        Chart("bar", _("Pass rate"), _("Pass rate in percent of assessed attempts, per group."),
              tuple(r["group"] for r in out),
              (Series(str(_("Pass rate (%)")), tuple(r["pass_rate"] for r in out)),)),
    )


def attempts_per_learner(scope: Scope, rows=None) -> Table:
    """Learners by how many attempts they made. A learner who made k attempts at a unit
    made attempts 1..k there, so "learners who reached k" (each counted once, whichever
    units) less those who reached k+1 is "stopped at k"; a learner with several units counts
    once, at the most attempts they made at any of them."""
    key, label = _group(scope)
    buckets = {}
    for r in by_attempt_number(scope) if rows is None else rows:  # numbers 5+ together
        number = min(r["number"], LAST_ATTEMPT_BUCKET)
        line = buckets.setdefault((r[key], number), {"reached": 0, "passed": 0, "assessed": 0})
        if r["number"] == number:  # who reached 5 reached "5+"; 6, 7… are the same people
            line["reached"] += r["learners"]
        line["passed"] += r["passed"]
        line["assessed"] += r["passed"] + r["failed"]
    names = _labels(scope, {group for group, _n in buckets})
    out = []
    for (group, number), r in buckets.items():
        last = number == LAST_ATTEMPT_BUCKET
        stopped = r["reached"] if last else max(
            r["reached"] - buckets.get((group, number + 1), {"reached": 0})["reached"], 0)
        out.append({"group": names[group], "attempt": f"{number}+" if last else str(number),
                    "learners": r["reached"], "stopped": stopped,
                    "pass_rate": percent(r["passed"], r["assessed"])})
    totals = {}
    for row in out:
        totals[row["attempt"]] = totals.get(row["attempt"], 0) + row["stopped"]
    categories = tuple(sorted(totals, key=lambda a: int(a.rstrip("+"))))
    return Table(
        "attempts", _("Attempts per learner"),
        (Column("group", label), Column("attempt", _("Attempt number")),
         Column("learners", _("Learners who made this attempt"), True),
         Column("stopped", _("Learners whose last attempt it is"), True),
         Column("pass_rate", _("Pass rate at this attempt (%)"), True)),
        out,
        _("How many learners made a first, second, … attempt at a unit in the period, and at "
          "which attempt they stopped; a learner counts once per group, by the most attempts "
          "they made at any one unit."),
        Chart("bar", _("Attempts per learner"),
              _("Number of learners by how many attempts they made, all groups together."),
              categories, (Series(str(_("Learners")),
                                  tuple(totals[c] for c in categories)),)),
    )


# --- time from first attempt to credential ----------------------------------------------

def time_to_credential(scope: Scope) -> Table:
    """Credentials issued, by band of the time from the learner's first attempt at the
    credential (kept with each count in ``CredentialSummary``)."""
    key, label = _group(scope)
    rows = list(CredentialSummary.objects.filter(scope.summary_q(), kind=ISSUED,
                                                 credentials__gt=0)
                .values(key, "band").annotate(bucket=F("band"), n=Sum("credentials"),
                                              took=Sum("took_total"))
                .order_by(key, "band"))
    for r in rows:
        r["mean"] = timedelta(microseconds=r["took"] / r["n"])
    names = _labels(scope, {r[key] for r in rows})
    bucket_labels = [label for _days_, label in DAY_BUCKETS] + [_("over 90 days")]
    grouped = {}
    for r in rows:  # a few rows per group: fold the buckets into one line
        line = grouped.setdefault(r[key], {"group": names[r[key]], "credentials": 0,
                                           "_total_days": 0.0,
                                           **{f"b{i}": 0 for i in range(len(bucket_labels))}})
        line["credentials"] += r["n"]
        line[f"b{r['bucket']}"] = r["n"]
        line["_total_days"] += (_days(r["mean"]) or 0) * r["n"]
    out = []
    for line in grouped.values():
        line["mean_days"] = round(line.pop("_total_days") / line["credentials"], 1)
        line["median_band"] = _median_band(line, bucket_labels)
        out.append(line)
    columns = (Column("group", label), Column("credentials", _("Credentials issued"), True),
               Column("mean_days", _("Mean days from first attempt"), True),
               Column("median_band", _("Median falls"), False),
               *[Column(f"b{i}", lbl, True) for i, lbl in enumerate(bucket_labels)])
    totals = [sum(line[f"b{i}"] for line in out) for i in range(len(bucket_labels))]
    return Table(
        "time_to_credential", _("Time from first attempt to credential"), columns, out,
        _("Days between a learner's first attempt at the credential and the credential's "
          "issue, for credentials issued in the period."),
        Chart("bar", _("Time from first attempt to credential"),
              _("Number of credentials by how long learners took, all groups together."),
              tuple(str(lbl) for lbl in bucket_labels),
              (Series(str(_("Credentials")), tuple(totals)),)),
    )


def _median_band(line, labels):
    half, running = line["credentials"] / 2, 0
    for index, label in enumerate(labels):
        running += line[f"b{index}"]
        if running >= half:
            return str(label)
    return ""


# --- level distribution per criterion ---------------------------------------------------

def default_definition(scope: Scope):
    """Criteria belong to one credential's rubric: the chosen one, else the first."""
    return scope.definition or CredentialDefinition.objects.order_by("name", "pk").first()


def criteria(scope: Scope) -> Table:
    definition = default_definition(scope)
    columns = (Column("criterion", _("Criterion")), Column("level", _("Level")),
               Column("points", _("Points"), True), Column("scores", _("Times chosen"), True),
               Column("share", _("Share of the criterion (%)"), True),
               Column("below", _("Below the minimum")))
    if definition is None:
        return Table("criteria", _("Levels chosen per criterion"), columns, [])
    rows = list(ScoreSummary.objects.filter(
        scope.summary_q(), definition_id=definition.pk, scores__gt=0)
        .values("criterion", "level", "points").annotate(n=Sum("scores"))
        .order_by("criterion", "points", "level"))
    facts = criteria_facts(definition)
    per_criterion = {}
    for r in rows:
        per_criterion[r["criterion"]] = per_criterion.get(r["criterion"], 0) + r["n"]
    out, failing = [], {}
    for r in rows:
        known = facts.get(r["criterion"])
        below = known is not None and r["points"] < known.pass_points
        if below:
            failing[r["criterion"]] = failing.get(r["criterion"], 0) + r["n"]
        out.append({"criterion": known.label if known else r["criterion"],
                    "level": known.levels.get(r["level"], r["level"]) if known else r["level"],
                    "points": r["points"], "scores": r["n"],
                    "share": percent(r["n"], per_criterion[r["criterion"]]),
                    "below": str(_("yes")) if below else ""})
    ranked = sorted(per_criterion, key=lambda c: -(failing.get(c, 0) / per_criterion[c]))
    ranked_labels = tuple(facts[c].label if c in facts else c for c in ranked)
    return Table(
        "criteria", _("Levels chosen per criterion: {name}").format(name=definition.name),
        columns, out,
        _("How often assessors chose each level. “Below the minimum” marks levels under the "
          "criterion's minimum level, or the rubric's lowest level where it has none; the "
          "chart ranks the criteria learners fail most."),
        Chart("bar", _("Criteria failed most"),
              _("Share of scores below the minimum level, per criterion, highest first."),
              ranked_labels,
              (Series(str(_("Below minimum (%)")),
                      tuple(percent(failing.get(c, 0), per_criterion[c]) for c in ranked)),)),
    )


@dataclass(frozen=True)
class CriterionFacts:
    """What the report needs of a criterion: names to show and the points a level must
    reach not to count as "below the minimum"."""
    label: str
    levels: dict  # level name → label
    pass_points: int


def criteria_facts(definition) -> dict:
    """Criterion name → ``CriterionFacts``, from the units' rubrics and the issuance policy
    (a handful of units). A level is below the minimum when it scores under the minimum
    level (the stricter one wins), or, where a criterion has none, when it is the rubric's
    lowest level: never because of which levels happen to have been chosen."""
    facts = {}
    policy = IssuancePolicy.objects.filter(definition=definition).first()
    extra = policy.criterion_minimums if policy else {}
    for rubric in AssessmentUnit.objects.filter(definition=definition).values_list("rubric",
                                                                                   flat=True):
        for criterion in rubric.get("criteria", []):
            levels = criterion.get("levels", [])
            points = {lv["name"]: lv["points"] for lv in levels}
            if not points:
                continue
            minimums = [points[name] for name in (criterion.get("minimum_level"),
                                                  extra.get(criterion["name"]))
                        if name in points]
            lowest, highest = min(points.values()), max(points.values())
            # No minimum: only the lowest level fails (one above it is enough to pass).
            pass_points = max(minimums) if minimums else (
                min(p for p in points.values() if p > lowest) if highest > lowest else lowest)
            known = facts.get(criterion["name"])
            facts[criterion["name"]] = CriterionFacts(
                label=criterion.get("label") or criterion["name"],
                levels={lv["name"]: lv.get("label") or lv["name"] for lv in levels},
                pass_points=max(pass_points, known.pass_points) if known else pass_points)
    return facts


# --- assessors --------------------------------------------------------------------------

def assessors(scope: Scope) -> Table:
    # Bands are within 1, 3, 7 days and later: "within k" adds the bands up to k.
    buckets = {f"b{i}": _summed("assessments", band__lte=i)
               for i in range(len(TURNAROUND_BUCKETS))}
    where = scope.summary_q()
    if scope.definition is None and not scope.course:  # the rows over every credential
        where &= Q(definition_id=ALL_DEFINITIONS, course_key=ALL_COURSES)
    rows = list(AssessmentSummary.objects.filter(where, assessments__gt=0)
                .values("assessor_id").annotate(
            made=Sum("assessments"), known=Sum("timed"), waited=Sum("waited_total"),
            **buckets).order_by("-made", "assessor_id"))
    for r in rows:
        r["assessments"] = r["made"]
        r["mean"] = timedelta(microseconds=r["waited"] / r["known"]) if r["known"] else None
    ids = [r["assessor_id"] for r in rows]
    claims = dict(AssessmentClaim.objects.filter(assessor_id__in=ids,
                                                 expires_at__gt=timezone.now())
                  .values("assessor_id").annotate(n=Count("id")).values_list("assessor_id", "n"))
    names = user_names(ids)
    out = []
    for r in rows:  # buckets are cumulative in SQL; shown as bands
        within = [r[f"b{i}"] for i in range(len(TURNAROUND_BUCKETS))]
        bands = [within[0]] + [b - a for a, b in zip(within, within[1:], strict=False)]
        out.append({"assessor": names.get(r["assessor_id"], str(r["assessor_id"])),
                    "assessments": r["assessments"], "open_claims": claims.get(
                        r["assessor_id"], 0), "mean_days": _days(r["mean"]),
                    **{f"b{i}": v for i, v in enumerate(bands)},
                    "later": r["assessments"] - within[-1]})
    return Table(
        "assessors", _("Assessor workload and turnaround"),
        (Column("assessor", _("Assessor")), Column("assessments", _("Assessments"), True),
         Column("open_claims", _("Attempts claimed now"), True),
         Column("mean_days", _("Mean days from submission to assessment"), True),
         *[Column(f"b{i}", lbl, True) for i, (_d, lbl) in enumerate(TURNAROUND_BUCKETS)],
         Column("later", _("later"), True)),
        out,
        _("Assessments made in the period. Turnaround runs from the learner's submission "
          "to the assessment (a claim ends when the attempt is scored, so it is not kept)."),
        Chart("bar", _("Assessments per assessor"),
              _("Number of assessments each assessor made in the period."),
              tuple(r["assessor"] for r in out),
              (Series(str(_("Assessments")), tuple(r["assessments"] for r in out)),)),
    )


def user_names(ids) -> dict:
    users = get_user_model().objects.filter(pk__in=list(ids)).only(
        "username", "first_name", "last_name")
    return {u.pk: display_name(u) for u in users}


# --- credentials over time --------------------------------------------------------------

def credentials_over_time(scope: Scope) -> Table:
    """Issued, expired and revoked per calendar month (UTC) of the event."""
    counts = {}
    rows = (CredentialSummary.objects.filter(scope.summary_q(), credentials__gt=0)
            .annotate(month=TruncMonth("day")).values("kind", "month")
            .annotate(n=Sum("credentials")).order_by("month", "kind"))
    for r in rows:  # a row per month and kind (issued, expired, revoked)
        month = r["month"].strftime("%Y-%m") if hasattr(r["month"], "strftime") else str(
            r["month"])[:7]
        counts.setdefault(month, {"month": month, "issued": 0, "expired": 0,
                                  "revoked": 0})[r["kind"]] = r["n"]
    out = [counts[m] for m in sorted(counts)]
    return Table(
        "over_time", _("Credentials issued, expired and revoked per month"),
        (Column("month", _("Month")), Column("issued", _("Issued"), True),
         Column("expired", _("Expired"), True), Column("revoked", _("Revoked"), True)),
        out, _("Months in UTC; an expiry or revocation counts in the month it happened."),
        Chart("line", _("Credentials per month"),
              _("Credentials issued, expired and revoked each month."),
              tuple(r["month"] for r in out),
              tuple(Series(str(lbl), tuple(r[key] for r in out)) for key, lbl in (
                  ("issued", _("Issued")), ("expired", _("Expired")),
                  ("revoked", _("Revoked"))))),
    )


# --- cost per issued credential ---------------------------------------------------------

def cost_per_credential(scope: Scope) -> Table:
    """Each cost an admin entered, divided by the credentials issued in its period for its
    credential and/or course (the cohort filter does not apply: costs are per programme)."""
    costs = ProgrammeCost.objects.select_related("definition")
    if scope.definition is not None:
        costs = costs.filter(Q(definition=scope.definition) | Q(definition__isnull=True))
    if scope.course:
        costs = costs.filter(Q(course_key=scope.course) | Q(course_key=Value("")))
    if scope.start:
        costs = costs.filter(period_end__gte=scope.start)
    if scope.end:
        costs = costs.filter(period_start__lte=scope.end)
    # Three ways a cost names its programme, each counted with an index range (a CASE
    # runs only the subquery of its branch): every credential, one credential, or a course.
    issued = Credential.objects.filter(
        status__in=ISSUED_STATUSES, issued_at__gte=OuterRef("period_start"),
        issued_at__lt=ExpressionWrapper(OuterRef("period_end") + timedelta(days=1),
                                        output_field=DateTimeField())).order_by()

    def counted(queryset):
        return Subquery(queryset.annotate(one=Value(1)).values("one")
                        .annotate(n=Count("id")).values("n"), output_field=IntegerField())

    every = Q(course_key=Value("")) & Q(definition__isnull=True)
    rows = costs.annotate(issued=Coalesce(Case(
        When(every, then=counted(issued)),
        When(course_key=Value(""), then=counted(issued.filter(
            definition_id=OuterRef("definition_id")))),
        default=counted(issued.filter(
            attempt__course_key=OuterRef("course_key"),
            definition_id=Coalesce(OuterRef("definition_id"), F("definition_id"))))),
        Value(0)))
    out = []
    for cost in rows:  # one row per cost an admin entered
        out.append({
            "credential": cost.definition.name if cost.definition else str(_("all")),
            "course": str(cost.course_key) if cost.course_key else str(_("all")),
            "period": f"{cost.period_start.isoformat()} – {cost.period_end.isoformat()}",
            "cost": cost.amount, "currency": cost.currency, "issued": cost.issued,
            "per_credential": (round(cost.amount / cost.issued, 2) if cost.issued else None),
            "note": cost.note,
        })
    return Table(
        "cost", _("Cost per issued credential"),
        (Column("credential", _("Credential")), Column("course", _("Course")),
         Column("period", _("Period")), Column("cost", _("Cost"), True),
         Column("currency", _("Currency")), Column("issued", _("Credentials issued"), True),
         Column("per_credential", _("Cost per credential"), True), Column("note", _("Note"))),
        out,
        _("Programme costs entered by admins, divided by the credentials issued in the same "
          "period for that credential and course. Costs in different currencies are never "
          "added together."),
        Chart("bar", _("Cost per issued credential"),
              _("Cost per issued credential for each cost entry, in its own currency."),
              tuple(f"{r['credential']} {r['period'][:7]}" for r in out),
              (Series(str(_("Cost per credential")),
                      tuple(float(r["per_credential"]) if r["per_credential"] is not None
                            else None for r in out)),)),
    )

"""Lagging indicators: credential holders against a matched comparison group.

**Method** (stated on the page): exact matching on strata. Each holder is described at the
date they first earned the credential (their *index date*): role and site, hire-date band
(half-year of hire) and, when they have a rating before that date, prior performance
(below, at or above target). Each holder is matched with up to
``WORKPLACE_CONTROLS_PER_HOLDER`` linked employees of the same stratum who do not hold the
credential and were employed on that date, each used once per group, chosen in a fixed
pseudo-random order (so a refresh gives the same match). A comparison employee's outcomes
are read from their holder's index date on. Holders without a match are counted, not used.
The difference of means (holders − comparison) has a 95 % Welch confidence interval from
SciPy (``scipy.stats.ttest_ind``, unequal variances).

Computing this reads every outcome event once, so it is done by ``refresh`` (the
management command ``refresh_workplace_indicators``, or the admin's button) into
``IndicatorFigure`` rows; the pages only read those rows.
"""
from __future__ import annotations

import hashlib
import math
import statistics
import warnings
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _
from scipy import stats

from credential_app.core.models import Credential, CredentialDefinition, RemediationCompletion
from credential_app.data import CredentialStatus
from credential_app.hris.models import HrisConsent
from credential_app.reports.models import Cohort
from credential_app.workplace.models import IndicatorFigure, OutcomeEvent
from credential_app.workplace.people import History

CREDENTIAL, COURSE, COHORT = "credential", "course", "cohort"
GROUP_KINDS = {CREDENTIAL: _("Credential"), COURSE: _("Course"), COHORT: _("Cohort")}


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str
    #: benefit direction: +1 when higher is better for the organisation, -1 when lower is
    better: int
    measure: object  # (History, index date, today) -> float | None


INDICATORS = (
    Indicator("performance_30", _("Performance attainment 30 days after"), _("percent of target"),
              1, lambda h, d, t: h.performance_after(d, 30, t)),
    Indicator("performance_90", _("Performance attainment 90 days after"), _("percent of target"),
              1, lambda h, d, t: h.performance_after(d, 90, t)),
    Indicator("performance_180", _("Performance attainment 180 days after"),
              _("percent of target"), 1, lambda h, d, t: h.performance_after(d, 180, t)),
    Indicator("below_target_90", _("Below target 90 days after"), _("percent of people"), -1,
              lambda h, d, t: _below(h.performance_after(d, 90, t))),
    Indicator("retention_180", _("Still employed 180 days after"), _("percent of people"), 1,
              lambda h, d, t: h.retained(d, 180, t)),
    Indicator("promotion_days", _("Days from the credential to promotion (promoted people)"),
              _("days"), -1, lambda h, d, t: h.days_to_promotion(d, t)),
    Indicator("salary_uplift", _("Salary band steps gained in the year after"), _("steps"),
              1, lambda h, d, t: h.salary_uplift(d, t)),
    Indicator("time_to_productivity", _("Time to productivity (new hires)"), _("days"), -1,
              lambda h, d, t: h.productive_days(d)),
    Indicator("remediation_per_new_hire", _("Remediation sessions per new hire (first year)"),
              _("sessions"), -1, lambda h, d, t: h.remediation_sessions(d, t)),
)
BY_KEY = {indicator.key: indicator for indicator in INDICATORS}
HELD = [CredentialStatus.ACTIVE, CredentialStatus.EXPIRED, CredentialStatus.SUPERSEDED,
        CredentialStatus.SUSPENDED]


def _below(value):
    return None if value is None else (100.0 if value < 100 else 0.0)


def min_group() -> int:
    return int(settings.CREDENTIAL_APP.get("WORKPLACE_MIN_GROUP") or 5)


def controls_per_holder() -> int:
    return max(1, int(settings.CREDENTIAL_APP.get("WORKPLACE_CONTROLS_PER_HOLDER") or 3))


# --- reading the data once ---------------------------------------------------------------

def sharing_events():
    """Events of employees who still share with that employer: withdrawing consent takes a
    person out of every figure from the next refresh on (their rows stay until retirement)."""
    return OutcomeEvent.objects.filter(Exists(HrisConsent.objects.filter(
        destination_id=OuterRef("destination_id"), user_id=OuterRef("user_id"), given=True)))


def histories() -> dict[int, History]:
    people: dict[int, History] = defaultdict(History)
    rows = (sharing_events().order_by("user_id", "occurred_on", "id")
            .values_list("user_id", "event_type", "occurred_on", "value", "role", "site")
            .iterator(chunk_size=20_000))
    for user_id, event_type, occurred_on, value, role, site in rows:
        people[user_id].add(event_type, occurred_on, value, role, site)
    remediations = (RemediationCompletion.objects.filter(user_id__in=OutcomeEvent.objects
                                                         .values("user_id"))
                    .values_list("user_id", "completed_at").iterator(chunk_size=20_000))
    for user_id, completed_at in remediations:
        if user_id in people:
            people[user_id].remediations.append(completed_at.date())
    return dict(people)


def groups(population) -> list[tuple[str, str, str, dict[int, date], object]]:
    """(kind, key, label, {holder: index date}, who may not be a comparison) for each
    credential, course and cohort: a cohort's holders (members with any credential) are
    compared with employees who hold none."""
    by_family, by_course, any_credential = defaultdict(dict), defaultdict(dict), {}
    held = (Credential.objects.filter(status__in=HELD, user_id__in=OutcomeEvent.objects
                                      .values("user_id"))
            .values_list("user_id", "family_id", "definition_id", "attempt__course_key",
                         "issued_at").iterator(chunk_size=20_000))
    for user_id, family_id, definition_id, course_key, issued_at in held:
        day = issued_at.date()
        for bucket, key in ((by_family, family_id or definition_id),
                            (by_course, str(course_key))):
            earlier = bucket[key].get(user_id)
            if earlier is None or day < earlier:
                bucket[key][user_id] = day
        any_credential[user_id] = min(any_credential.get(user_id, day), day)
    names = dict(CredentialDefinition.objects.filter(pk__in=list(by_family))
                 .values_list("pk", "name"))
    found = [(CREDENTIAL, str(key), names.get(key, str(key)), holders, holders)
             for key, holders in by_family.items()]
    found += [(COURSE, key, key, holders, holders) for key, holders in by_course.items()]
    members = defaultdict(set)
    for cohort_id, user_id in Cohort.members.through.objects.values_list("cohort_id",
                                                                        "user_id"):
        members[cohort_id].add(user_id)
    for cohort in Cohort.objects.all():
        holders = {u: d for u, d in any_credential.items() if u in members[cohort.pk]}
        if holders:
            found.append((COHORT, str(cohort.pk), cohort.name, holders, any_credential))
    return found


# --- matching -------------------------------------------------------------------------------

def _order(user_id: int, group_key: str) -> bytes:
    return hashlib.sha256(f"{group_key}:{user_id}".encode()).digest()


def stratum(history: History, day: date, with_performance: bool) -> tuple:
    role, site = history.role_at(day)
    key = (role, site, history.hire_band())
    return (*key, history.prior_performance_band(day)) if with_performance else key


@dataclass
class Match:
    pairs: list  # (holder id, holder index date, [control ids])
    unmatched: int


def match(people: dict[int, History], holders: dict[int, date], group_key: str,
          excluded=None) -> Match:
    """Each holder with up to k comparison employees of its stratum (see the module), never
    one of ``excluded`` (default: the holders)."""
    excluded = holders if excluded is None else excluded
    candidates = [u for u in people if u not in holders and u not in excluded]
    if not holders or not candidates:
        return Match([], len(holders))
    reference = sorted(holders.values())[len(holders) // 2]  # the group's median date
    full, coarse = defaultdict(list), defaultdict(list)
    for user_id in sorted(candidates, key=lambda u: _order(u, group_key)):
        history = people[user_id]
        full[stratum(history, reference, True)].append(user_id)
        coarse[stratum(history, reference, False)].append(user_id)
    used, pairs, unmatched, k = set(), [], 0, controls_per_holder()
    for holder in sorted(holders, key=lambda u: (holders[u], u)):
        day, history = holders[holder], people[holder]
        with_performance = history.prior_performance_band(day) is not None
        pool = (full if with_performance else coarse).get(stratum(history, day,
                                                                  with_performance), [])
        chosen = []
        for control in pool:
            if control not in used and people[control].employed_at(day):
                chosen.append(control)
                used.add(control)
                if len(chosen) == k:
                    break
        if chosen:
            pairs.append((holder, day, chosen))
        else:
            unmatched += 1
    return Match(pairs, unmatched)


# --- statistics -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Comparison:
    holders: int
    controls: int
    holder_mean: float | None
    control_mean: float | None
    difference: float | None
    ci_low: float | None
    ci_high: float | None


def compare(holder_values: list[float], control_values: list[float]) -> Comparison:
    """Means, their difference, and its 95 % Welch interval (SciPy) when it exists."""
    h, c = len(holder_values), len(control_values)
    if not h or not c:
        return Comparison(h, c, None, None, None, None, None)
    h_mean, c_mean = statistics.fmean(holder_values), statistics.fmean(control_values)
    low = high = None
    if h >= 2 and c >= 2:
        if len(set(holder_values)) == 1 and len(set(control_values)) == 1:
            low = high = h_mean - c_mean  # no spread at all: the difference is exact
        else:
            with warnings.catch_warnings():  # one group without spread is fine for Welch
                warnings.simplefilter("ignore", RuntimeWarning)
                interval = stats.ttest_ind(holder_values, control_values,
                                           equal_var=False).confidence_interval(0.95)
            if math.isfinite(interval.low) and math.isfinite(interval.high):
                low, high = float(interval.low), float(interval.high)
    return Comparison(h, c, h_mean, c_mean, h_mean - c_mean, low, high)


def measure(people, result: Match, indicator: Indicator, today: date) -> Comparison:
    holder_values, control_values = [], []
    for holder, day, controls in result.pairs:
        value = indicator.measure(people[holder], day, today)
        if value is None:
            continue  # not observed yet: neither they nor their matches count
        matched = [v for v in (indicator.measure(people[c], day, today) for c in controls)
                   if v is not None]
        if matched:
            holder_values.append(value)
            control_values.extend(matched)
    return compare(holder_values, control_values)


def refresh(today: date | None = None) -> int:
    """Recompute every figure; the old ones are replaced in one transaction. Returns how
    many rows were written."""
    today = today or now().date()
    people = histories()
    figures = []
    moment = now()
    for kind, key, label, holders, excluded in groups(people):
        holders = {u: d for u, d in holders.items() if u in people}
        result = match(people, holders, f"{kind}:{key}", excluded)
        for indicator in INDICATORS:
            figure = measure(people, result, indicator, today)
            figures.append(IndicatorFigure(
                group_kind=kind, group_key=key[:255], group_label=label[:255],
                indicator=indicator.key, group_size=len(holders), holders=figure.holders,
                controls=figure.controls,
                unmatched=result.unmatched, holder_mean=figure.holder_mean,
                control_mean=figure.control_mean, difference=figure.difference,
                ci_low=figure.ci_low, ci_high=figure.ci_high, computed_at=moment))
    with transaction.atomic():
        IndicatorFigure.objects.all().delete()
        IndicatorFigure.objects.bulk_create(figures, batch_size=1000)
    return len(figures)

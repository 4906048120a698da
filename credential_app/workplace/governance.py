"""The governance dashboard: leading, lagging and learning indicators, each with the cadence
it should be reviewed at and when it last was (admins mark a review; audited).

Leading (monthly): pass rate and time to complete over the last 30 days. Lagging: 90-day
attainment (quarterly), 180-day retention and hiring cost per productive hire (twice a
year), pooled over the credentials' matched figures. Learning: learners' confidence change
(an optional question before the attempt and after the result, 1–5).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django import forms
from django.db import transaction
from django.db.models import Avg, Count, F, Q
from django.utils.timezone import now
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credential_app.core import audit
from credential_app.core.models import Attempt
from credential_app.data import AttemptStatus
from credential_app.lib import dates
from credential_app.lib.people import name_and_username
from credential_app.reports.tables import Column, Table
from credential_app.workplace import confidence, report
from credential_app.workplace.indicators import CREDENTIAL, min_group
from credential_app.workplace.models import (
    IndicatorFigure,
    IndicatorReview,
    OutcomeEvent,
    OutcomeType,
    RoiAssumptions,
)

LEADING, LAGGING, LEARNING = (gettext_lazy("leading"), gettext_lazy("lagging"),
                              gettext_lazy("learning"))
MONTHLY, QUARTERLY, TWICE_A_YEAR = 31, 92, 183


@dataclass(frozen=True)
class GovernanceIndicator:
    key: str
    label: str
    kind: str
    every_days: int
    cadence: str
    compute: object  # () -> (value text, over what)


def _pass_rate():
    since = now() - timedelta(days=30)
    counts = Attempt.objects.filter(assessed_at__gte=since).aggregate(
        passed=Count("id", filter=Q(status=AttemptStatus.PASSED)),
        failed=Count("id", filter=Q(status=AttemptStatus.FAILED)))
    judged = counts["passed"] + counts["failed"]
    if judged < min_group():
        return _("withheld (fewer than {n} results)").format(n=min_group()), _("last 30 days")
    return f"{100 * counts['passed'] / judged:.0f} %", _("{n} results, last 30 days").format(
        n=judged)


def _time_to_complete():
    since = now() - timedelta(days=30)
    rows = Attempt.objects.filter(assessed_at__gte=since, submitted_at__isnull=False).exclude(
        status=AttemptStatus.RESET).aggregate(n=Count("id"),
                                              mean=Avg(F("assessed_at") - F("submitted_at")))
    if rows["n"] < min_group() or rows["mean"] is None:
        return _("withheld (fewer than {n} results)").format(n=min_group()), _("last 30 days")
    mean = rows["mean"]
    days = mean.total_seconds() / 86400 if isinstance(mean, timedelta) else float(mean) / 86400e6
    return _("{days:.1f} days from hand-in to result").format(days=days), _(
        "{n} results, last 30 days").format(n=rows["n"])


def _pooled(indicator_key, unit):
    """Holders' and comparison means pooled over the credentials (weighted by holders),
    from the credentials' figures large enough to show."""
    figures = [f for f in IndicatorFigure.objects.filter(group_kind=CREDENTIAL,
                                                         indicator=indicator_key)
               if report.shown(f)]
    holders = sum(f.holders for f in figures)
    if not figures:
        return _("withheld or not measured yet"), _("matched figures per credential")
    held = sum(f.holder_mean * f.holders for f in figures) / holders
    compared = sum(f.control_mean * f.controls for f in figures) / sum(f.controls
                                                                      for f in figures)
    return (_("holders {held:.1f} {unit}, comparison {compared:.1f}").format(
        held=held, compared=compared, unit=unit),
        _("{n} holders, {c} credentials").format(n=holders, c=len(figures)))


def _cost_per_productive_hire():
    since = now().date() - timedelta(days=365)
    hires = OutcomeEvent.objects.filter(event_type=OutcomeType.HIRE, occurred_on__gte=since)
    hired = hires.values("user_id").distinct().count()
    productive = (OutcomeEvent.objects.filter(event_type=OutcomeType.PRODUCTIVE,
                                              user_id__in=hires.values("user_id"))
                  .values("user_id").distinct().count())
    unit = RoiAssumptions.objects.exclude(cost_per_hire=0).order_by("pk").first()
    if hired < min_group() or productive < min_group():
        return _("withheld (fewer than {n} hires)").format(n=min_group()), _("last 365 days")
    if unit is None:
        return _("no cost of one hire entered (ROI unit values)"), _("last 365 days")
    cost = (unit.cost_per_hire * Decimal(hired) / Decimal(productive)).quantize(Decimal("1"))
    return (f"{cost} {unit.currency}", _("cost of one hire × {hired} hires ÷ {productive} "
                                         "productive, last 365 days").format(
        hired=hired, productive=productive))


def _confidence_change():
    pairs = confidence.change_pairs()
    if len(pairs) < min_group():
        return (_("withheld (fewer than {n} learners answered before and after)").format(
            n=min_group()), _("all answers"))
    change = sum(after - before for before, after in pairs) / len(pairs)
    return _("{change} points on a 1–5 scale (after − before)").format(
        change=f"{change:.2f}".replace("-", "\u2212")), _(
        "{n} learners who answered before and after").format(n=len(pairs))


INDICATORS = (
    GovernanceIndicator("pass_rate", gettext_lazy("Pass rate"), LEADING, MONTHLY,
                        gettext_lazy("monthly"), _pass_rate),
    GovernanceIndicator("time_to_complete", gettext_lazy("Time to complete"), LEADING,
                        MONTHLY, gettext_lazy("monthly"), _time_to_complete),
    GovernanceIndicator("attainment_90", gettext_lazy("Performance attainment at 90 days"),
                        LAGGING, QUARTERLY, gettext_lazy("quarterly"),
                        lambda: _pooled("performance_90", _("percent of target"))),
    GovernanceIndicator("retention_180", gettext_lazy("Retention at 180 days"), LAGGING,
                        TWICE_A_YEAR, gettext_lazy("twice a year"),
                        lambda: _pooled("retention_180", "%")),
    GovernanceIndicator("cost_per_productive_hire",
                        gettext_lazy("Hiring cost per productive hire"), LAGGING,
                        TWICE_A_YEAR, gettext_lazy("twice a year"),
                        _cost_per_productive_hire),
    GovernanceIndicator("confidence_change", gettext_lazy("Learner confidence change"),
                        LEARNING, QUARTERLY, gettext_lazy("quarterly"), _confidence_change),
)
BY_KEY = {indicator.key: indicator for indicator in INDICATORS}


class ReviewForm(forms.Form):
    indicator = forms.ChoiceField(choices=[(i.key, i.label) for i in INDICATORS])
    note = forms.CharField(max_length=500, required=False)


def mark_reviewed(indicator_key: str, user_id: int, note: str = "") -> IndicatorReview:
    with transaction.atomic():
        review = IndicatorReview.objects.create(indicator=indicator_key, reviewed_by_id=user_id,
                                                note=note)
        audit.record(audit.AuditAction.INDICATOR_REVIEWED, actor_id=user_id, subject=review,
                     reason=note, details={"indicator": indicator_key})
    return review


def last_reviews() -> dict[str, IndicatorReview]:
    latest = {}
    for review in IndicatorReview.objects.select_related("reviewed_by").order_by(
            "indicator", "-reviewed_at")[:1000]:
        latest.setdefault(review.indicator, review)
    return latest


def rows():
    """One row per indicator: its figure, cadence, last review, when the next is due."""
    reviews, today, out = last_reviews(), now(), []
    for indicator in INDICATORS:
        value, over = indicator.compute()
        review = reviews.get(indicator.key)
        due = (review.reviewed_at + timedelta(days=indicator.every_days)) if review else None
        out.append({
            "key": indicator.key, "indicator": str(indicator.label), "kind": str(indicator.kind),
            "value": str(value), "over": str(over), "cadence": str(indicator.cadence),
            "last_reviewed": (_("{when} by {who}").format(
                when=dates.human_date(review.reviewed_at),
                who=name_and_username(review.reviewed_by) if review.reviewed_by
                else _("someone"))
                if review else _("never")),
            "status": (_("review due") if review is None or due <= today
                       else _("next review by {when}").format(when=dates.human_date(due))),
        })
    return out


def dashboard_table() -> Table:
    return Table(
        "governance", _("Indicators and their reviews"),
        (Column("indicator", _("Indicator")), Column("kind", _("Kind")),
         Column("value", _("Now")), Column("over", _("Over")),
         Column("cadence", _("Review")), Column("last_reviewed", _("Last reviewed")),
         Column("status", _("Status"))), rows(),
        description=_("Leading indicators are reviewed monthly; 90-day attainment and "
                      "learner confidence quarterly; 180-day retention and hiring cost per "
                      "productive hire twice a year. Figures over fewer than {n} people are "
                      "withheld.").format(n=min_group()))

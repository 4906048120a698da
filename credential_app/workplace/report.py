"""The lagging-indicator tables as pages, CSV and REST show them, with small groups
suppressed: a figure over fewer than ``WORKPLACE_MIN_GROUP`` holders or comparison
employees is never shown, only that it was withheld."""
from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credential_app.reports.charts import Chart, Series
from credential_app.reports.tables import Column, Table
from credential_app.workplace.indicators import GROUP_KINDS, INDICATORS, min_group
from credential_app.workplace.models import IndicatorFigure

METHOD = gettext_lazy(
    "Matched comparison group: each credential holder is matched, on the date they earned "
    "it, with up to {k} linked employees without it of the same role, site, hire-date band "
    "(half-year) and, when the holder had a rating before, prior performance band (below, "
    "at or above target); each comparison employee is used once and their outcomes are "
    "read from their holder's date on. Difference = holders − comparison, with a 95 percent "
    "Welch confidence interval (SciPy). Figures over fewer than {minimum} people on either "
    "side are withheld.")
PERFORMANCE_CHART = (("performance_30", gettext_lazy("30 days")),
                     ("performance_90", gettext_lazy("90 days")),
                     ("performance_180", gettext_lazy("180 days")))


def group_choices() -> list[tuple[str, str]]:
    """("kind:key", label) of every group with figures, credentials first."""
    rows = (IndicatorFigure.objects.values_list("group_kind", "group_key", "group_label")
            .distinct().order_by("group_kind", "group_label"))
    order = list(GROUP_KINDS)
    return [(f"{kind}:{key}", f"{GROUP_KINDS[kind]}: {label}")
            for kind, key, label in sorted(rows, key=lambda r: (order.index(r[0]), r[2]))]


def figures_for(kind: str, key: str) -> dict[str, IndicatorFigure]:
    return {f.indicator: f for f in IndicatorFigure.objects.filter(group_kind=kind,
                                                                    group_key=key)}


def shown(figure: IndicatorFigure | None) -> bool:
    minimum = min_group()
    return figure is not None and figure.holders >= minimum and figure.controls >= minimum


def conclusion(figure: IndicatorFigure | None) -> str:
    if figure is None or not figure.holders:
        return _("No holder has been observed this long yet: nothing to conclude.")
    if not shown(figure):
        return _("Too few people to conclude anything (fewer than {minimum} holders or "
                 "comparison employees): withheld.").format(minimum=min_group())
    if figure.ci_low is None:
        return _("The interval cannot be computed: nothing to conclude.")
    if figure.ci_low <= 0 <= figure.ci_high:
        return _("No clear difference: the interval includes zero.")
    return _("Holders higher.") if figure.ci_low > 0 else _("Holders lower.")


def signed(value) -> str:
    """One decimal, with a real minus sign (a CSV cell starting "-" reads as a formula)."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text.replace("-", "\u2212")


def _round(value, places=1):
    return None if value is None else round(value, places)


def indicator_table(kind: str, key: str) -> Table:
    figures = figures_for(kind, key)
    rows = []
    for indicator in INDICATORS:
        figure = figures.get(indicator.key)
        visible = shown(figure)
        rows.append({
            "indicator": str(indicator.label), "unit": str(indicator.unit),
            "holders": figure.holders if visible else None,
            "controls": figure.controls if visible else None,
            "holder_mean": _round(figure.holder_mean) if visible else None,
            "control_mean": _round(figure.control_mean) if visible else None,
            "difference": _round(figure.difference) if visible else None,
            "ci": (_("{low} to {high}").format(low=signed(figure.ci_low),
                                                high=signed(figure.ci_high))
                   if visible and figure.ci_low is not None else None),
            "conclusion": conclusion(figure),
        })
    by_key = dict(zip([i.key for i in INDICATORS], rows, strict=True))
    charted = [(label, by_key[key]) for key, label in PERFORMANCE_CHART
               if by_key[key]["holder_mean"] is not None]
    chart = Chart("bar", _("Performance attainment: holders and matched comparison"),
                  _("Mean attainment (percent of target) of holders and of their matched "
                    "comparison group, 30, 90 and 180 days after the credential, where both "
                    "groups are large enough to show."),
                  tuple(str(label) for label, _r in charted),
                  (Series(_("Holders"), tuple(r["holder_mean"] for _l, r in charted)),
                   Series(_("Comparison"), tuple(r["control_mean"] for _l, r in charted)))
                  ) if charted else None
    return Table(
        "lagging", _("Lagging indicators"),
        (Column("indicator", _("Indicator")), Column("unit", _("Unit")),
         Column("holders", _("Holders"), True), Column("controls", _("Matched comparison"),
                                                       True),
         Column("holder_mean", _("Holders' mean"), True),
         Column("control_mean", _("Comparison mean"), True),
         Column("difference", _("Difference"), True),
         Column("ci", _("95 percent interval")), Column("conclusion", _("What it says"))),
        rows, description=_("Sample sizes are the people whose outcome could be observed "
                            "(enough time has passed) and who were matched."),
        chart=chart)


def matching_table(kind: str, key: str) -> Table:
    figures = figures_for(kind, key)
    any_figure = next(iter(figures.values()), None)
    rows = []
    if any_figure is not None:
        retained = figures.get("retention_180")
        rows.append({"what": _("Holders without any comparison employee of their stratum "
                               "(left out)"),
                     "count": any_figure.unmatched
                     if any_figure.unmatched >= min_group() or any_figure.unmatched == 0
                     else None})
        rows.append({"what": _("Computed"), "count": None,
                     "note": any_figure.computed_at.strftime("%Y-%m-%d %H:%M UTC")})
        if retained is not None and shown(retained):
            rows.append({"what": _("Matched sample for 180-day retention (holders + "
                                   "comparison)"),
                         "count": retained.holders + retained.controls})
    return Table("matching", _("Matching"),
                 (Column("what", _("What")), Column("count", _("People"), True),
                  Column("note", _("Note"))), rows,
                 description=str(METHOD).format(k="k", minimum=min_group()))

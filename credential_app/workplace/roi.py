"""Return on investment of one credential programme, every input shown.

ROI = (benefits − programme costs) ÷ programme costs. Each benefit is an admin-entered unit
value × a measured difference between holders and their matched comparison group × the
holders it was measured on (from the lagging indicators); only figures large enough to
show count. A second ROI counts only benefits whose 95 % interval excludes zero (the
cautious reading). Costs: the programme costs admins entered for the credential in the
chosen currency (content, venue, …), assessor time (assessments recorded × minutes per
assessment × hourly cost) and credential operations (credentials issued × cost each).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credential_app.core.models import Assessment, Credential, CredentialDefinition
from credential_app.data import CredentialStatus
from credential_app.reports.charts import Chart, Series
from credential_app.reports.models import ProgrammeCost
from credential_app.reports.tables import Column, Table
from credential_app.workplace import report
from credential_app.workplace.indicators import CREDENTIAL
from credential_app.workplace.models import RoiAssumptions

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    formula: str
    amount: Decimal | None
    clear: bool = True  # the difference behind it is clear (interval excludes zero)


def family_ids(definition: CredentialDefinition) -> list[int]:
    """Every version of the credential (all share the first version as their family)."""
    root = definition.family_root()
    versions = {root.pk}
    frontier = [root.pk]
    while frontier:
        frontier = list(CredentialDefinition.objects.filter(previous_version_id__in=frontier)
                        .values_list("pk", flat=True))
        versions.update(frontier)
    return sorted(versions)


def _benefit(key, label, unit_value, figure, sign, what) -> Line:
    """unit value × (sign × difference per person) × holders measured, or None when the
    figure is withheld or missing."""
    if not report.shown(figure) or figure.difference is None or not unit_value:
        return Line(key, label, _("not measured (too few people, no data or no unit value)"),
                    None, clear=False)
    per_person = Decimal(str(round(sign * figure.difference, 4))) + 0  # never "-0"
    if what == "percent":
        per_person /= 100
    if not per_person:
        per_person = Decimal(0)
    amount = (Decimal(unit_value) * per_person * figure.holders).quantize(CENT)
    clear = figure.ci_low is not None and not figure.ci_low <= 0 <= figure.ci_high
    return Line(key, label, f"{unit_value} × {per_person:.4f} × {figure.holders}", amount,
                clear)


def lines(definition: CredentialDefinition, assumptions: RoiAssumptions):
    root = definition.family_root()
    figures = report.figures_for(CREDENTIAL, str(root.pk))
    versions = family_ids(definition)
    a = assumptions
    benefits = [
        _benefit("hiring", _("Hiring cost savings: cost of one hire × retention difference "
                             "at 180 days × holders"), a.cost_per_hire,
                 figures.get("retention_180"), 1, "percent"),
        _benefit("failed_hires", _("Fewer failed hires: cost of one failed hire × fewer "
                                   "below target at 90 days × holders"),
                 a.cost_per_failed_hire, figures.get("below_target_90"), -1, "percent"),
        _benefit("ramp", _("Faster ramp: value of a day × days sooner productive × new-hire "
                           "holders"), a.value_per_ramp_day,
                 figures.get("time_to_productivity"), -1, "days"),
        _benefit("rework", _("Less training rework: cost of a remediation session × fewer "
                             "sessions × new-hire holders"), a.cost_per_remediation,
                 figures.get("remediation_per_new_hire"), -1, "count"),
        Line("revenue", _("Incremental revenue (entered by an admin)"),
             str(a.incremental_revenue), a.incremental_revenue.quantize(CENT)),
    ]
    costs_by_currency = dict(
        ProgrammeCost.objects.filter(definition_id__in=versions)
        .values_list("currency").annotate(total=Sum("amount")).values_list("currency",
                                                                          "total"))
    content = Decimal(costs_by_currency.pop(a.currency, 0) or 0).quantize(CENT)
    assessments = Assessment.objects.filter(attempt__definition_id__in=versions).aggregate(
        n=Count("id"))["n"]
    issued = Credential.objects.filter(definition_id__in=versions).exclude(
        status=CredentialStatus.PENDING_APPROVAL).aggregate(n=Count("id"))["n"]
    assessor = (Decimal(assessments) * a.assessor_minutes_per_assessment / 60
                * a.assessor_hourly_cost).quantize(CENT)
    operations = (Decimal(issued) * a.operations_cost_per_credential).quantize(CENT)
    costs = [
        Line("content", _("Programme costs entered in {currency}").format(
            currency=a.currency), _("sum of {n} entries").format(
            n=ProgrammeCost.objects.filter(definition_id__in=versions,
                                           currency=a.currency).count()), content),
        Line("assessor", _("Assessor time: assessments × minutes ÷ 60 × cost per hour"),
             f"{assessments} × {a.assessor_minutes_per_assessment} ÷ 60 × "
             f"{a.assessor_hourly_cost}", assessor),
        Line("operations", _("Credential operations: credentials issued × cost each"),
             f"{issued} × {a.operations_cost_per_credential}", operations),
    ]
    return benefits, costs, sorted(costs_by_currency)


def roi(total_benefits: Decimal, total_costs: Decimal) -> Decimal | None:
    if not total_costs:
        return None
    return ((total_benefits - total_costs) / total_costs).quantize(Decimal("0.001"))


def roi_tables(definition: CredentialDefinition | None) -> tuple[list[Table], list[str]]:
    """(tables, notes) of the ROI page for one credential."""
    assumptions = (RoiAssumptions.objects.filter(definition=definition.family_root()).first()
                   if definition is not None else None)
    if assumptions is None:
        return empty_tables(), [_("No ROI unit values are entered for this credential yet "
                                  "(admin › ROI unit values).")]
    benefits, costs, other_currencies = lines(definition, assumptions)
    currency = assumptions.currency
    total_benefits = sum((b.amount for b in benefits if b.amount is not None), Decimal(0))
    clear_benefits = sum((b.amount for b in benefits if b.amount is not None and b.clear),
                         Decimal(0))
    total_costs = sum((c.amount for c in costs), Decimal(0))
    result, cautious = roi(total_benefits, total_costs), roi(clear_benefits, total_costs)
    notes = []
    if other_currencies:
        notes.append(_("Programme costs in {currencies} are not counted: currencies are never "
                       "added together.").format(currencies=", ".join(other_currencies)))
    rows = [{"component": str(b.label), "kind": _("benefit"), "formula": b.formula,
             "amount": b.amount, "clear": _("yes") if b.clear and b.amount is not None
             else _("no")} for b in benefits]
    rows += [{"component": str(c.label), "kind": _("cost"), "formula": c.formula,
              "amount": c.amount, "clear": "—"} for c in costs]
    components = Table(
        "components", _("Benefits and costs"), component_columns(currency), rows,
        description=_("Benefits: unit value × measured difference per person × holders "
                      "measured. All-time figures, as of the last refresh of the lagging "
                      "indicators."),
        chart=Chart("bar", _("Benefits and costs"),
                    _("Each benefit and cost component in {currency}.").format(
                        currency=currency),
                    tuple(r["component"].split(":")[0][:18] for r in rows),
                    (Series(_("Amount"), tuple(float(r["amount"] or 0) for r in rows)),)))
    summary = Table(
        "roi", _("Return on investment"), SUMMARY_COLUMNS,
        [{"measure": _("Benefits"), "value": total_benefits, "note": _("sum of benefits")},
         {"measure": _("Programme costs"), "value": total_costs, "note": _("sum of costs")},
         {"measure": _("ROI"), "value": result,
          "note": _("(benefits − costs) ÷ costs") if result is not None
          else _("no costs entered: ROI cannot be computed")},
         {"measure": _("ROI counting only clear differences"), "value": cautious,
          "note": _("benefits whose 95 percent interval excludes zero, and revenue")}],
        description=_("ROI = (benefits − programme costs) ÷ programme costs, in {currency}; "
                      "0.25 means 25 percent returned above cost.").format(currency=currency))
    return [summary, components], notes


SUMMARY_COLUMNS = (Column("measure", gettext_lazy("Measure")),
                   Column("value", gettext_lazy("Value"), True),
                   Column("note", gettext_lazy("How")))


def component_columns(currency):
    return (Column("component", _("Component")), Column("kind", _("Kind")),
            Column("formula", _("Inputs")),
            Column("amount", _("Amount ({currency})").format(currency=currency), True),
            Column("clear", _("Difference clear (95 percent)")))


def empty_tables() -> list[Table]:
    return [Table("roi", _("Return on investment"), SUMMARY_COLUMNS),
            Table("components", _("Benefits and costs"), component_columns("—"))]

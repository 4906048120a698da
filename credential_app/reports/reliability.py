"""Agreement between assessors: Krippendorff's alpha per criterion and per assessor pair,
and an alert when one assessor drifts from the others.

Values are the points of the level chosen on a criterion; the metric is a setting
(``REPORTS_ALPHA_METRIC``, ordinal by default: rubric levels are ordered categories).
The coincidence matrix is aggregated by the database from ``ScorePair`` (a row per two
assessors' points on one criterion of one attempt, kept in step with the scores by
``reports.summaries``): the pairs are counted per (criterion, assessors, values, m) where m
is the number of assessments of the attempt, so each pair weighs 1/(m − 1) as
Krippendorff's definition requires; each row stands for both orders of its pair.

Drift rule: an assessor drifts when, over at least ``REPORTS_DRIFT_MIN_PAIRS`` scores
shared with others (default 20), their alpha against all the other assessors who scored
the same attempts (each shared attempt and criterion a pair of values) is below
``REPORTS_DRIFT_ALPHA`` (default 0.667, Krippendorff's lowest acceptable level for
tentative conclusions) and at least ``REPORTS_DRIFT_MARGIN`` (default 0.2) below the
alpha the other assessors reach among themselves (when they share attempts), so one
contrary assessor is not mistaken for the colleagues they disagree with.
"""
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credential_app.reports.alpha import alpha
from credential_app.reports.charts import Chart, Series
from credential_app.reports.filters import Scope
from credential_app.reports.models import ScorePair
from credential_app.reports.outcomes import criteria_facts, default_definition, user_names
from credential_app.reports.tables import Column, Table

DEFAULTS = {"REPORTS_ALPHA_METRIC": "ordinal", "REPORTS_DRIFT_ALPHA": 0.667,
            "REPORTS_DRIFT_MIN_PAIRS": 20, "REPORTS_DRIFT_MARGIN": 0.2}


def setting(name):
    return getattr(settings, "CREDENTIAL_APP", {}).get(name, DEFAULTS[name])


@dataclass(frozen=True)
class DriftAlert:
    assessor: str
    alpha: float
    pairs: int
    mean_difference: float

    @property
    def message(self) -> str:
        direction = (_("more lenient than") if self.mean_difference > 0 else
                     _("stricter than") if self.mean_difference < 0 else _("as strict as"))
        return _("{name} drifts from the other assessors: alpha {alpha:.2f} over {pairs} "
                 "shared scores (threshold {threshold}); on average {difference:+.2f} "
                 "points, {direction} the others.").format(
            name=self.assessor, alpha=self.alpha, pairs=self.pairs,
            threshold=setting("REPORTS_DRIFT_ALPHA"), difference=self.mean_difference,
            direction=direction)


def _grouped_pairs(scope: Scope, definition):
    """Pairs of two assessors' points on one attempt's criterion, counted per criterion,
    assessors, points and number of assessments: each group in both orders."""
    rows = (ScorePair.objects.filter(scope.summary_q(members_of="user_id"),
                                     definition_id=definition.pk)
            .values("criterion", "assessor_id", "other_id", "points", "other_points",
                    "assessments").annotate(n=Count("id")).order_by())
    for r in rows:
        yield {"criterion": r["criterion"], "assessment__assessor_id": r["assessor_id"],
               "other_assessor": r["other_id"], "points": r["points"],
               "other_points": r["other_points"], "m": r["assessments"], "n": r["n"]}
        yield {"criterion": r["criterion"], "assessment__assessor_id": r["other_id"],
               "other_assessor": r["assessor_id"], "points": r["other_points"],
               "other_points": r["points"], "m": r["assessments"], "n": r["n"]}


@dataclass
class Reliability:
    definition: object
    metric: str
    criteria: Table
    pairs: Table
    assessors: Table
    alerts: list


def reliability(scope: Scope) -> Reliability:
    definition = default_definition(scope)
    metric = setting("REPORTS_ALPHA_METRIC")
    if definition is None:
        empty = Table("reliability_criteria", gettext_lazy("Agreement per criterion"), ())
        return Reliability(None, metric, empty, empty, empty, [])
    # One grouped query serves every figure: per criterion, assessor pair and values.
    grouped = _grouped_pairs(scope, definition)
    matrices, pair_matrices, assessor_matrices, differences = {}, {}, {}, {}
    for r in grouped:  # a few rows per criterion and assessor pair: values × values
        key = (r["points"], r["other_points"])
        matrix = matrices.setdefault(r["criterion"], {})
        matrix[key] = matrix.get(key, 0) + r["n"] / (r["m"] - 1)
        first, second = r["assessment__assessor_id"], r["other_assessor"]
        if first < second:  # both orders are in the rows: one makes the pair's matrix
            pm = pair_matrices.setdefault((first, second), {})
            pm[key] = pm.get(key, 0) + r["n"]
            pm[key[::-1]] = pm.get(key[::-1], 0) + r["n"]
        am = assessor_matrices.setdefault(first, {})
        am[key] = am.get(key, 0) + r["n"]
        am[key[::-1]] = am.get(key[::-1], 0) + r["n"]
        total, count = differences.get(first, (0, 0))
        differences[first] = (total + (r["points"] - r["other_points"]) * r["n"],
                              count + r["n"])
    facts = criteria_facts(definition)  # criteria shown by their labels, as in the rubric
    criteria_rows = [{"criterion": facts[c].label if c in facts else c,
                      "alpha": _round(alpha(matrices[c], metric)),
                      "pairable": round(sum(matrices[c].values()))}
                     for c in sorted(matrices)]
    names = user_names({a for pair in pair_matrices for a in pair} | set(assessor_matrices))
    pair_rows = [{"first": names.get(a, str(a)), "second": names.get(b, str(b)),
                  "alpha": _round(alpha(m, metric)), "shared": round(sum(m.values()) / 2)}
                 for (a, b), m in sorted(pair_matrices.items())]
    threshold, minimum = setting("REPORTS_DRIFT_ALPHA"), setting("REPORTS_DRIFT_MIN_PAIRS")
    margin = setting("REPORTS_DRIFT_MARGIN")
    assessor_rows, alerts = [], []
    for assessor, matrix in sorted(assessor_matrices.items()):
        value = alpha(matrix, metric)
        total, count = differences[assessor]
        mean = round(total / count, 2) if count else 0.0
        rest = alpha(_summed(m for pair, m in pair_matrices.items() if assessor not in pair),
                     metric)
        drifting = (value is not None and count >= minimum and value < threshold
                    and (rest is None or rest - value >= margin))
        name = names.get(assessor, str(assessor))
        assessor_rows.append({"assessor": name, "alpha": _round(value), "shared": count,
                              "mean_difference": mean,
                              "drift": _("drifting") if drifting else ""})
        if drifting:
            alerts.append(DriftAlert(name, value, count, mean))
    metric_label = {"ordinal": gettext_lazy("ordinal"), "interval": gettext_lazy("interval"),
                    "nominal": gettext_lazy("nominal")}.get(metric, metric)
    explain = gettext_lazy(
        "Krippendorff's alpha ({metric} metric, on the points of the levels chosen): 1 is "
        "perfect agreement, 0 no better than chance; 0.8 and above is reliable, below 0.667 "
        "is not.").format(metric=metric_label)
    return Reliability(
        definition, metric,
        Table("reliability_criteria",
              gettext_lazy("Agreement per criterion: {name}").format(name=definition.name),
              (Column("criterion", gettext_lazy("Criterion")),
               Column("alpha", gettext_lazy("Alpha"), True),
               Column("pairable", gettext_lazy("Pairable scores"), True)),
              criteria_rows, explain,
              Chart("bar", gettext_lazy("Agreement per criterion"),
                    gettext_lazy("Krippendorff's alpha per criterion."),
                    tuple(r["criterion"] for r in criteria_rows),
                    (Series(str(gettext_lazy("Alpha")),
                            tuple(max(r["alpha"], 0) if r["alpha"] is not None else None
                                  for r in criteria_rows)),))),
        Table("reliability_pairs", gettext_lazy("Agreement per pair of assessors"),
              (Column("first", gettext_lazy("Assessor")),
               Column("second", gettext_lazy("Other assessor")),
               Column("alpha", gettext_lazy("Alpha"), True),
               Column("shared", gettext_lazy("Criteria both scored"), True)),
              pair_rows, explain),
        Table("reliability_assessors", gettext_lazy("Each assessor against the others"),
              (Column("assessor", gettext_lazy("Assessor")),
               Column("alpha", gettext_lazy("Alpha against the others"), True),
               Column("shared", gettext_lazy("Scores shared with others"), True),
               Column("mean_difference",
                      gettext_lazy("Mean points above the others (negative: stricter)"), True),
               Column("drift", gettext_lazy("Alert"))),
              assessor_rows,
              gettext_lazy("An assessor is flagged when, over at least {minimum} shared "
                           "scores, their alpha against the others is below {threshold} and "
                           "at least {margin} below the others' alpha among themselves.")
              .format(threshold=threshold, minimum=minimum, margin=margin)),
        alerts,
    )


def _summed(matrices) -> dict:
    total = {}
    for matrix in matrices:
        for key, count in matrix.items():
            total[key] = total.get(key, 0) + count
    return total


def _round(value):
    return None if value is None else round(value, 3)



"""How each assessor scored a calibration set against the agreed levels."""
from django.utils.translation import gettext_lazy as _

from credential_app.core import calibration
from credential_app.reports.alpha import alpha
from credential_app.reports.outcomes import percent, user_names
from credential_app.reports.reliability import setting
from credential_app.reports.tables import Column, Table


def calibration_tables(calibration_set) -> list[Table]:
    summary, pairs, details = calibration.comparison(calibration_set)
    matrices = {}
    for r in pairs:  # a few rows per assessor: their points × agreed points
        matrix = matrices.setdefault(r["assignment__assessor_id"], {})
        key = (r["points"], r["agreed_points"])
        matrix[key] = matrix.get(key, 0) + r["n"]
        matrix[key[::-1]] = matrix.get(key[::-1], 0) + r["n"]
    ids = {r["assignment__assessor_id"] for r in summary} | set(
        calibration_set.assignments.values_list("assessor_id", flat=True))
    names = user_names(ids)
    done = {r["assignment__assessor_id"]: r for r in summary}
    sent = calibration_set.assignments.order_by("sent_at", "id")
    rows = []
    for assignment in sent:
        r = done.get(assignment.assessor_id)
        value = alpha(matrices.get(assignment.assessor_id, {}), setting("REPORTS_ALPHA_METRIC"))
        rows.append({
            "assessor": names.get(assignment.assessor_id, str(assignment.assessor_id)),
            "status": str(_("scored")) if assignment.completed_at else str(_("not yet scored")),
            "scores": r["scores"] if r else 0,
            "matches": percent(r["matches"], r["scores"]) if r else None,
            "alpha": None if value is None else round(value, 3),
        })
    detail_rows = [{"assessor": names.get(r["assignment__assessor_id"], ""),
                    "attempt": r["item__attempt_id"], "criterion": r["criterion"],
                    "level": r["level"], "agreed_level": r["agreed_level"],
                    "difference": r["points"] - (r["agreed_points"] or 0)} for r in details]
    return [
        Table("calibration", _("Calibration: {name}").format(name=calibration_set.name),
              (Column("assessor", _("Assessor")), Column("status", _("Status")),
               Column("scores", _("Criteria scored"), True),
               Column("matches", _("Same level as agreed (%)"), True),
               Column("alpha", _("Alpha against the agreed levels"), True)),
              rows, _("Each assessor's levels compared with the levels the panel agreed.")),
        Table("calibration_details", _("Level by level"),
              (Column("assessor", _("Assessor")), Column("attempt", _("Attempt"), True),
               Column("criterion", _("Criterion")), Column("level", _("Their level")),
               Column("agreed_level", _("Agreed level")),
               Column("difference", _("Points above agreed"), True)),
              detail_rows),
    ]

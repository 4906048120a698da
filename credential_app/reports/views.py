"""Report pages for staff (HTML with SVG charts, CSV downloads) and the calibration pages.

Reports are for platform staff only (``is_staff``); anyone else signed in gets 403 and
anonymous visitors go to sign in. An assessor sees only calibration sets sent to them.
"""
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from credential_app.core import calibration
from credential_app.core.models import CalibrationAssignment, CalibrationSet
from credential_app.data import CriterionScore
from credential_app.exceptions import InvalidAssessment
from credential_app.reports import charts
from credential_app.reports.calibration_report import calibration_tables
from credential_app.reports.filters import ReportFilterForm
from credential_app.reports.pages import PAGES
from credential_app.reports.tables import to_csv


def staff_only(view):
    @login_required
    def check(request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied(_("Reports are for staff only."))
        return view(request, *args, **kwargs)
    check.__name__ = view.__name__
    check.__doc__ = view.__doc__
    return check


def _base():
    return settings.CREDENTIAL_APP["PAGE_BASE_TEMPLATE"]


def _shown(tables, csv_url):
    """Tables with their charts drawn, cells in column order, and their CSV link."""
    return [{"table": t, "csv_url": csv_url(t),
             "rows": [[{"value": v, "numeric": c.numeric}
                       for c, v in zip(t.columns, t.values(row), strict=True)]
                      for row in t.rows],
             "chart": charts.render(t.chart, f"chart-{t.key}")
             if t.chart is not None and t.rows else None} for t in tables]


@require_GET
@staff_only
def index(request):
    return redirect("credential_app:report", slug="overview")


@require_GET
@staff_only
def report(request, slug):
    page = PAGES.get(slug)
    if page is None:
        raise Http404(_("No such report."))
    form = ReportFilterForm(request.GET or None)
    scope = form.scope()  # no filters (unbound form): everything
    result = page.build(scope)
    query = urlencode(scope.as_query())
    return render(request, "credential_app/reports/page.html", {
        "base_template": _base(), "pages": PAGES.values(), "page": page, "form": form,
        "tables": _shown(result.tables, lambda t: "?".join((
            reverse("credential_app:report-csv", kwargs={"slug": slug, "table": t.key}),
            query))),
        "alerts": result.alerts, "query": query,
    })


@require_GET
@staff_only
def report_csv(request, slug, table):
    page = PAGES.get(slug)
    if page is None:
        raise Http404(_("No such report."))
    result = page.build(ReportFilterForm(request.GET or None).scope())
    found = next((t for t in result.tables if t.key == table), None)
    if found is None:
        raise Http404(_("No such table."))
    return _csv_response(found, f"{slug}-{table}.csv")


def _csv_response(table, filename):
    response = HttpResponse(to_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename[:-4])}.csv"'
    return response


# --- calibration ------------------------------------------------------------------------

@require_GET
@staff_only
def calibration_results(request, set_id):
    calibration_set = get_object_or_404(CalibrationSet.objects.select_related("definition"),
                                        pk=set_id)
    tables = calibration_tables(calibration_set)
    table = request.GET.get("csv")
    if table:
        found = next((t for t in tables if t.key == table), None)
        if found is None:
            raise Http404(_("No such table."))
        return _csv_response(found, f"calibration-{set_id}-{table}.csv")
    return render(request, "credential_app/reports/calibration_results.html", {
        "base_template": _base(), "calibration_set": calibration_set,
        "tables": _shown(tables, lambda t: f"?{urlencode({'csv': t.key})}")})


@require_GET
@login_required
def my_calibrations(request):
    return render(request, "credential_app/reports/calibration_list.html", {
        "base_template": _base(),
        "assignments": calibration.assignments_for(request.user.pk)})


@require_http_methods(["GET", "POST"])
@login_required
def score_calibration(request, assignment_id):
    """The assessor scores every attempt of a set sent to them (nobody else's)."""
    assignment = get_object_or_404(
        CalibrationAssignment.objects.select_related("calibration_set__definition"),
        pk=assignment_id, assessor_id=request.user.pk)
    items = calibration.items_of(assignment)
    chosen = calibration.chosen_levels(assignment)
    error = None
    if request.method == "POST":
        answers = {item.pk: [CriterionScore(criterion=c["name"], comment="",
                                            level=request.POST.get(f"item-{item.pk}-{c['name']}",
                                                                   ""))
                             for c in item.attempt.rubric.get("criteria", [])]
                   for item in items}
        chosen = {(item_id, s.criterion): s.level
                  for item_id, scores in answers.items() for s in scores}
        try:
            calibration.record(assignment, answers)
        except InvalidAssessment as exc:
            error = str(exc)
        else:
            return redirect(f"{request.path}?saved=1")
    shown = [{"item": item, "number": index,
              "criteria": [{"criterion": c, "field": f"item-{item.pk}-{c['name']}",
                            "chosen": chosen.get((item.pk, c["name"]), "")}
                           for c in item.attempt.rubric.get("criteria", [])]}
             for index, item in enumerate(items, start=1)]
    return render(request, "credential_app/reports/calibration_score.html", {
        "base_template": _base(), "assignment": assignment, "items": shown, "error": error,
        "saved": request.GET.get("saved") == "1" and error is None,
    }, status=400 if error else 200)

"""URLs of the report and calibration pages (added to ``credential_app.urls``)."""
from django.urls import path

from credential_app.lib import url_converters  # noqa: F401 (registers "id" for the paths below)
from credential_app.reports import views

urlpatterns = [
    path("reports/", views.index, name="reports"),
    path("reports/calibration/<id:set_id>/", views.calibration_results,
         name="calibration-results"),
    path("reports/<slug:slug>/", views.report, name="report"),
    path("reports/<slug:slug>/<slug:table>.csv", views.report_csv, name="report-csv"),
    path("calibration/", views.my_calibrations, name="my-calibrations"),
    path("calibration/<id:assignment_id>/", views.score_calibration,
         name="score-calibration"),
]

"""Version 1 of the REST API; mounted at ``credential-app/api/v1/`` by ``credential_app.urls``."""
from django.urls import path

from credential_app.lib import url_converters  # noqa: F401 (registers "id" for the paths below)
from credential_app.rest import views
from credential_app.rest.reports import report_views
from credential_app.rest.verify import VerifyCredentialView
from credential_app.rest.workplace import OutcomeWebhookView

PREFIX = "api/v1/"

urlpatterns = [
    path("me/credentials/", views.MyCredentialsView.as_view(), name="my-credentials"),
    path("credentials/", views.LearnerCredentialsView.as_view(), name="rest-credentials"),
    path("credentials/<uuid:credential_uuid>/", views.CredentialDetailView.as_view(),
         name="rest-credential"),
    path("credentials/<uuid:credential_uuid>/approve/", views.ApproveCredentialView.as_view(),
         name="rest-credential-approve"),
    path("credentials/<uuid:credential_uuid>/revoke/", views.RevokeCredentialView.as_view(),
         name="rest-credential-revoke"),
    path("attempts/", views.LearnerAttemptsView.as_view(), name="rest-attempts"),
    path("retake-status/", views.RetakeStatusView.as_view(), name="rest-retake-status"),
    path("extra-attempts/", views.ExtraAttemptsView.as_view(), name="rest-extra-attempts"),
    # HRIS people: the learner's consent to share with employers
    path("me/employers/", views.MyEmployersView.as_view(), name="my-employers"),
    path("me/employers/<id:destination_id>/sharing/", views.MyEmployerSharingView.as_view(),
         name="my-employer-sharing"),
    # employers' managers: consenting employees by credential, pathway or job task
    path("employees/", views.EmployeeSearchView.as_view(), name="rest-employee-search"),
    # reports: the staff report figures for BI tools
    *[path(f"reports/{slug}/", view, name=f"rest-report-{slug}")
      for slug, view in report_views()],
    # Open Badges 3.0: public verification
    path("verify/", VerifyCredentialView.as_view(), name="rest-verify"),
    # workplace outcomes: employers send them, signed (Standard Webhooks)
    path("workplace/outcomes/<id:feed_id>/", OutcomeWebhookView.as_view(),
         name="rest-workplace-outcomes"),
]

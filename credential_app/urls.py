"""URLs the plugin adds to the LMS and Studio (mounted at the site root).

* ``api/credentials/v1/``: the REST API, with its OpenAPI schema at ``schema/``;
* ``credentials/``: the signed-in learner's credentials page.
"""
from django.urls import include, path

from credential_app.rest import urls as rest_urls
from credential_app.rest.schema import schema_view
from credential_app.web import views

app_name = "credential_app"

api_v1 = [path(rest_urls.PREFIX, include(rest_urls.urlpatterns))]

urlpatterns = [
    *api_v1,
    path(f"{rest_urls.PREFIX}schema/", schema_view(api_v1), name="rest-schema"),
    path("credentials/", views.learner_credentials, name="learner-credentials"),
    path("credentials/sharing/", views.learner_consent, name="learner-consent"),
]

# ---- reports: staff report pages and calibration --------------------------------------
from credential_app.reports import urls as report_urls  # noqa: E402

urlpatterns += report_urls.urlpatterns

# ---- badge pages: public verification page, downloads, evidence, verify, sharing ----------
from credential_app.web import badge_pages  # noqa: E402 (kept with its section)

urlpatterns += [
    path("badges/verify/", badge_pages.verify_badge, name="badge_verify"),
    path("badges/<uuid:uuid>/", badge_pages.badge_page, name="badge_page"),
    path("badges/<uuid:uuid>/evidence/", badge_pages.badge_evidence,
         name="badge_evidence"),
    path("badges/<uuid:uuid>/credential.json", badge_pages.badge_json,
         name="badge_json"),
    path("badges/<uuid:uuid>/badge.png", badge_pages.badge_png, name="badge_png"),
    path("badges/<uuid:uuid>/badge.svg", badge_pages.badge_svg, name="badge_svg"),
    path("credentials/<uuid:uuid>/sharing/", badge_pages.badge_sharing,
         name="badge_sharing"),
]

# --- Open Badges 3.0: what verifiers read (no sign-in) ---
from credential_app.web import documents  # noqa: E402 (section appended for easy merges)

urlpatterns += [
    path("openbadges/issuers/<str:issuer_ref>/did.json", documents.issuer_did_document,
         name="badge-issuer-did"),
    path("openbadges/status/<int:list_id>/", documents.status_list_credential,
         name="badge-status-list"),
]

"""The app's own pages: the learner's credentials, public badge pages and their downloads,
and the documents verifiers read (no sign-in). Mounted by ``credential_app.urls``."""
from django.urls import path

from credential_app.lib import url_converters  # noqa: F401 (registers "id" for the paths below)
from credential_app.web import badge_pages, catalogue, documents, managers, views

urlpatterns = [
    # the signed-in learner's credentials and sharing choices
    path("credentials/", views.learner_credentials, name="learner-credentials"),
    path("credentials/sharing/", views.learner_consent, name="learner-consent"),
    # the catalogue: credentials and pathways, public or for signed-in people (a setting)
    path("catalogue/", catalogue.catalogue, name="catalogue"),
    path("catalogue/<slug:slug>/", catalogue.catalogue_entry, name="catalogue-entry"),
    # employers' managers: consenting employees by credential, pathway or job task
    path("managers/employees/", managers.employee_search, name="employee-search"),
    # badge pages: public verification page, downloads, evidence, verify, sharing
    path("badges/verify/", badge_pages.verify_badge, name="badge_verify"),
    path("badges/<uuid:uuid>/", badge_pages.badge_page, name="badge_page"),
    path("badges/<uuid:uuid>/evidence/", badge_pages.badge_evidence,
         name="badge_evidence"),
    path("badges/<uuid:uuid>/credential.json", badge_pages.badge_json,
         name="badge_json"),
    path("badges/<uuid:uuid>/credential.jwt", badge_pages.badge_jwt, name="badge_jwt"),
    path("badges/<uuid:uuid>/badge.png", badge_pages.badge_png, name="badge_png"),
    path("badges/<uuid:uuid>/badge.svg", badge_pages.badge_svg, name="badge_svg"),
    path("credentials/<uuid:uuid>/sharing/", badge_pages.badge_sharing,
         name="badge_sharing"),
    # Open Badges 3.0: what verifiers read
    path("openbadges/achievements/<slug:slug>/image.png", documents.achievement_image,
         name="achievement-image"),
    path("openbadges/issuers/<str:issuer_ref>/did.json", documents.issuer_did_document,
         name="badge-issuer-did"),
    path("openbadges/status/<id:list_id>/", documents.status_list_credential,
         name="badge-status-list"),
]

"""URLs the plugin adds to the LMS and Studio (mounted at the site root).

* ``api/credentials/v1/``: the REST API, with its OpenAPI schema at ``schema/``;
* ``credentials/``: the signed-in learner's credentials page.
"""
from django.urls import include, path

from . import views
from .rest import urls as rest_urls
from .rest.schema import schema_view

app_name = "credential_app"

api_v1 = [path(rest_urls.PREFIX, include(rest_urls.urlpatterns))]

urlpatterns = [
    *api_v1,
    path(f"{rest_urls.PREFIX}schema/", schema_view(api_v1), name="rest-schema"),
    path("credentials/", views.learner_credentials, name="learner-credentials"),
]

# --- Open Badges 3.0: what verifiers read (no sign-in) ---
from . import badge_views  # noqa: E402 (section appended for easy merges)

urlpatterns += [
    path("openbadges/issuers/<str:issuer_ref>/did.json", badge_views.issuer_did_document,
         name="badge-issuer-did"),
    path("openbadges/status/<int:list_id>/", badge_views.status_list_credential,
         name="badge-status-list"),
    # Placeholder until the assessed-evidence page lands under the same name.
    path("badges/<uuid:uuid>/evidence/", badge_views.evidence_placeholder,
         name="badge_evidence"),
]

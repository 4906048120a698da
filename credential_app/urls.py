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
    path("credentials/sharing/", views.learner_consent, name="learner-consent"),
]

# ---- reports: staff report pages and calibration --------------------------------------
from .reports import urls as report_urls  # noqa: E402

urlpatterns += report_urls.urlpatterns

"""URLs the plugin adds to the LMS and Studio (mounted at the site root).

* ``api/credentials/v1/``: the REST API, with its OpenAPI schema at ``schema/``, the
  same as a plain page at ``docs/`` and in Swagger UI at ``explorer/``;
* ``credentials/``, ``badges/``, ``openbadges/``: the app's own pages (``web.urls``);
* ``reports/``, ``calibration/``: staff reports and calibration (``reports.urls``).
"""
from django.urls import include, path

from credential_app.lib import url_converters  # noqa: F401 (registers the "id" path converter)
from credential_app.reports import urls as report_urls
from credential_app.rest import urls as rest_urls
from credential_app.rest.docs import docs_view
from credential_app.rest.explorer import explorer
from credential_app.rest.schema import schema_view
from credential_app.web import urls as web_urls

app_name = "credential_app"

api_v1 = [path(rest_urls.PREFIX, include(rest_urls.urlpatterns))]

urlpatterns = [
    *api_v1,
    path(f"{rest_urls.PREFIX}schema/", schema_view(api_v1), name="rest-schema"),
    path(f"{rest_urls.PREFIX}docs/", docs_view(api_v1), name="rest-docs"),
    path(f"{rest_urls.PREFIX}explorer/", explorer, name="rest-explorer"),
    *web_urls.urlpatterns,
    *report_urls.urlpatterns,
]

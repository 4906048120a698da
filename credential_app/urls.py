"""The URLs the plugin adds to the LMS, every one under ``credential-app/``.

* ``credential-app/api/v1/``: the REST API, with its OpenAPI schema at ``schema/``, the
  same as a plain page at ``docs/`` and in Swagger UI at ``explorer/``;
* ``credential-app/credentials/``, ``badges/``, ``openbadges/``: the app's own pages and
  the documents verifiers read (``web.urls``);
* ``credential-app/reports/``, ``calibration/``: staff reports and calibration
  (``reports.urls``);
* ``credential-app/workplace/``: workplace outcomes: lagging indicators, ROI, governance
  (``workplace.urls``).

The LMS mounts this module at its root (``apps.py``), so that a site that published badges
at the root addresses of earlier versions can keep them answering: with
``CREDENTIAL_APP["LEGACY_ROOT_URLS"]`` on, ``legacy_urls`` adds them (docs/decisions/0011).
Studio mounts nothing: what it shows of the app (the admin, the block's authoring and
preview) links to the LMS's pages through ``lib.public_urls``.
"""
from django.conf import settings
from django.urls import include, path

from credential_app import legacy_urls
from credential_app.lib import url_converters  # noqa: F401 (registers the "id" path converter)
from credential_app.lib.public_urls import URL_PREFIX
from credential_app.reports import urls as report_urls
from credential_app.rest import urls as rest_urls
from credential_app.rest.docs import docs_view
from credential_app.rest.explorer import explorer
from credential_app.rest.schema import schema_view
from credential_app.web import urls as web_urls
from credential_app.workplace import urls as workplace_urls

app_name = "credential_app"

api_v1 = [path(rest_urls.PREFIX, include(rest_urls.urlpatterns))]
# The schema describes the API at the addresses clients call (the prefix included).
described_api = [path(URL_PREFIX, include(api_v1))]

urlpatterns = [
    path(URL_PREFIX, include([
        *api_v1,
        path(f"{rest_urls.PREFIX}schema/", schema_view(described_api), name="rest-schema"),
        path(f"{rest_urls.PREFIX}docs/", docs_view(described_api), name="rest-docs"),
        path(f"{rest_urls.PREFIX}explorer/", explorer, name="rest-explorer"),
        *web_urls.urlpatterns,
        *report_urls.urlpatterns,
        *workplace_urls.urlpatterns,
    ])),
    *(legacy_urls.urlpatterns
      if getattr(settings, "CREDENTIAL_APP", {}).get("LEGACY_ROOT_URLS") else []),
]

"""The API explorer at ``v1/explorer/``: Swagger UI over the schema ``v1/schema/`` serves.

Swagger UI comes from drf-spectacular-sidecar, served from this site's own static files
(no CDN: the page loads nothing from elsewhere, and its validator badge, which would ask
validator.swagger.io, is off). The page and its start-up script are two responses, so a
site whose Content-Security-Policy forbids inline scripts shows it too. Public, like the
schema; "Try it out" sends the visitor's own session (with its CSRF token) or nothing.
"""
from django.conf import settings
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_safe

from credential_app.rest.schema import SCHEMA_SETTINGS

SWAGGER_UI = "drf_spectacular_sidecar/swagger-ui-dist/"


@require_safe
@ensure_csrf_cookie  # "Try it out" sends the token back with POST and PUT
def explorer(request):
    if "script" in request.GET:
        return render(request, "credential_app/api_explorer.js", {
            "schema_url": reverse("credential_app:rest-schema") + "?format=json",
            "csrf_cookie": settings.CSRF_COOKIE_NAME,
            "csrf_header": _csrf_header(),
        }, content_type="application/javascript; charset=utf-8")
    return render(request, "credential_app/api_explorer.html", {
        "title": SCHEMA_SETTINGS["TITLE"],
        "css": static(SWAGGER_UI + "swagger-ui.css"),
        "bundle": static(SWAGGER_UI + "swagger-ui-bundle.js"),
        "favicon": static(SWAGGER_UI + "favicon-32x32.png"),
        "script": reverse("credential_app:rest-explorer") + "?script",
        "plain_docs": reverse("credential_app:rest-docs"),
    })


def _csrf_header() -> str:
    """The request header Django reads the CSRF token from (``X-CSRFToken`` by default)."""
    name = settings.CSRF_HEADER_NAME
    return (name[5:] if name.startswith("HTTP_") else name).replace("_", "-")

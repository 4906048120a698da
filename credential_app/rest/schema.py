"""OpenAPI description of the API (drf-spectacular), served at ``v1/schema/``."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView

SCHEMA_SETTINGS = {
    "TITLE": "Assessed credentials API",
    "DESCRIPTION": (
        "A learner's attempts, results and credentials, and the staff actions on them. "
        "Authenticate with the LMS session or an LMS JWT (`Authorization: JWT <token>`). "
        "Every refusal is `{\"error\": <message>, \"field\": <input at fault or null>}`."
    ),
    "VERSION": "1",
    "COMPONENT_SPLIT_REQUEST": True,
}


class LmsJwtAuthenticationScheme(OpenApiAuthenticationExtension):
    """Describe edx-drf-extensions' JWT authentication (drf-spectacular cannot guess it)."""

    target_class = "edx_rest_framework_extensions.auth.jwt.authentication.JwtAuthentication"
    name = "lmsJwt"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": str(_("An LMS-issued JWT, sent as “JWT <token>”.")),
        }


def schema_view(api_patterns):
    """The schema of exactly these URL patterns (not of every API in the LMS)."""
    return SpectacularAPIView.as_view(patterns=api_patterns, custom_settings=SCHEMA_SETTINGS)


def documented(**kwargs):
    """``extend_schema`` on a view method, on drf-spectacular's AutoSchema whatever the
    host's ``DEFAULT_SCHEMA_CLASS`` (the LMS need not have set it)."""
    def decorate(method):
        method.schema = AutoSchema
        return extend_schema(**kwargs)(method)
    return decorate

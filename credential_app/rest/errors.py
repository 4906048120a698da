"""Every refusal of the REST API as ``{"error": <message>, "field": <input or null>}``.

The app's own errors (``api.CredentialAppError``) already carry a message fit to
show and the field at fault; here they get an HTTP status. DRF's own refusals
(bad input, not signed in, not allowed) are given the same shape.
"""
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from credential_app import api


def status_for(error: api.CredentialAppError) -> int:
    """The error's own status; in a REST URL or query an unknown credential slug is a
    missing resource (404), where a block linked to one is in conflict (409)."""
    if isinstance(error, api.UnknownCredential):
        return status.HTTP_404_NOT_FOUND
    return error.status


def error_body(message, field=None) -> dict:
    return {"error": str(message), "field": field}


def exception_handler(exc, context):
    """DRF exception handler: the app's errors and DRF's, in one shape."""
    if isinstance(exc, api.CredentialAppError):
        return Response(error_body(exc.message, exc.field), status=status_for(exc))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        field, message = _first_problem(exc.detail)
        response.data = {**error_body(message, field), "errors": exc.detail}
    else:
        response.data = error_body(getattr(exc, "detail", "") or _("Request refused."))
    return response


def _first_problem(detail, field=None):
    """(field, message) of the first problem in a ValidationError's nested detail."""
    if isinstance(detail, dict):
        key, value = next(iter(detail.items()))
        return _first_problem(value, None if key == "non_field_errors" else key)
    if isinstance(detail, list) and detail:
        return _first_problem(detail[0], field)
    return field, str(detail)

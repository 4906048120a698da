"""JSON handlers that check who is asking before they read a byte of the request.

Every handler of the block is declared with :func:`json_post` and names who may
call it, so no handler can forget the check. Errors come back as
``{"error": message, "field": name}`` with a status a client can act on.
"""
import functools
import json

from django.utils.translation import gettext_noop as _  # translated by the runtime's i18n
from webob import Response
from xblock.core import XBlock

from credential_app import api

from .identity import current_viewer

# Which API refusal becomes which HTTP status; anything else is bad input (400).
APP_ERROR_STATUS = {
    api.AttemptNotFound: 404,
    api.AttemptNotAllowed: 409,
    api.AssessmentNotAllowed: 409,
    api.UnknownCredential: 409,
}


def signed_in(viewer):
    return viewer.is_signed_in


def course_staff(viewer):
    return viewer.is_staff


def block_aware(predicate):
    """Mark an ``allow`` predicate that also needs the block: ``predicate(viewer, block)``."""
    predicate.needs_block = True
    return predicate


def json_post(*, allow, refusal):
    """Make ``method(self, viewer, data)`` a POST+JSON handler for callers ``allow`` accepts."""
    def decorate(method):
        @XBlock.handler
        @functools.wraps(method)
        def handler(block, request, suffix=""):
            viewer = current_viewer(block)
            if not (allow(viewer, block) if getattr(allow, "needs_block", False)
                    else allow(viewer)):
                return error_response(block, 403, refusal)
            if request.method != "POST":
                return error_response(block, 405, _("Send this request as a POST."))
            try:
                data = json.loads(request.body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                return error_response(block, 400, _("The request is not valid JSON."))
            if not isinstance(data, dict):
                return error_response(block, 400, _("The request must be a JSON object."))
            try:
                return method(block, viewer, data)
            except api.CredentialAppError as exc:
                status = APP_ERROR_STATUS.get(type(exc), 400)
                return json_response({"error": exc.message, "field": exc.field}, status=status)
        return handler
    return decorate


def translate(block, message):
    """A string marked with ``gettext_noop``, in the language of the person asking."""
    return block.runtime.service(block, "i18n").gettext(message)


def error_response(block, status, message, field=None, **params):
    """A JSON error whose message is translated by the runtime's i18n service."""
    return json_response({"error": translate(block, message).format(**params), "field": field},
                         status=status)


def json_response(payload, status=200):
    return Response(json.dumps(payload), status=status, content_type="application/json",
                    charset="utf8")

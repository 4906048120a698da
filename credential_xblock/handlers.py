"""Handlers that check who is asking before they read a byte of the request.

Every handler of the block is declared with :func:`json_post`, :func:`upload_post` or
:func:`file_get` and names who may call it, so no handler can forget the check. Errors come back as
``{"error": message, "field": name}`` with a status a client can act on.
"""
import functools
import json
from urllib.parse import quote

from django.utils.translation import gettext_noop as _  # translated by the runtime's i18n
from webob import Response
from xblock.core import XBlock

from credential_app import api
from credential_xblock.identity import current_viewer
from credential_xblock.keys import in_a_course

NOT_IN_A_COURSE = _("Practical assessments work inside a course. This one is in a content "
                    "library: add it to a course to author it and hand in evidence there.")


def signed_in(viewer):
    return viewer.is_signed_in


def course_staff(viewer):
    return viewer.is_staff


def block_aware(predicate):
    """Mark an ``allow`` predicate that also needs the block: ``predicate(viewer, block)``."""
    predicate.needs_block = True
    return predicate


def guarded_handler(*, allow, refusal, methods, wrong_method, read):
    """The one shape of every handler: who is asking, then how, then what they sent.

    ``read(block, request, suffix)`` returns ``(argument, None)`` for the method or
    ``(None, error response)``; API refusals become JSON errors with their status.
    """
    def decorate(method):
        @XBlock.handler
        @functools.wraps(method)
        def handler(block, request, suffix=""):
            if not in_a_course(block):  # a fact about the block, whoever asks
                return error_response(block, 409, NOT_IN_A_COURSE)
            viewer = current_viewer(block)
            if not (allow(viewer, block) if getattr(allow, "needs_block", False)
                    else allow(viewer)):
                return error_response(block, 403, refusal)
            if request.method not in methods:
                return error_response(block, 405, wrong_method)
            argument, refused = read(block, request, suffix)
            if refused is not None:
                return refused
            try:
                return method(block, viewer, argument)
            except api.CredentialAppError as exc:
                return app_error_response(exc)
        return handler
    return decorate


def json_post(*, allow, refusal):
    """Make ``method(self, viewer, data)`` a POST+JSON handler for callers ``allow`` accepts."""
    return guarded_handler(allow=allow, refusal=refusal, methods=("POST",),
                           wrong_method=_("Send this request as a POST."), read=_json_object)


def _json_object(block, request, _suffix):
    try:
        data = api.parse_json_input(request.body)
    except api.JsonInputError as exc:
        return None, error_response(block, 400, exc.message, field=exc.field, **exc.params)
    if not isinstance(data, dict):
        return None, error_response(block, 400, _("The request must be a JSON object."))
    return data, None


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


def app_error_response(exc):
    """The JSON error for an API refusal (its message is already translated)."""
    return json_response({"error": exc.message, "field": exc.field}, status=exc.status)


# ---- learner: file uploads and downloads -------------------------------------------


def upload_post(*, allow, refusal):
    """Make ``method(self, viewer, request)`` a multipart POST handler for ``allow``'s callers.

    Like :func:`json_post`, it checks who is asking before the request is read;
    the method takes the uploaded file from ``request.POST``.
    """
    return guarded_handler(allow=allow, refusal=refusal, methods=("POST",),
                           wrong_method=_("Send this request as a POST."), read=_multipart)


def _multipart(block, request, _suffix):
    if not (request.content_type or "").startswith("multipart/form-data"):
        return None, error_response(
            block, 400, _("Send the file as a form upload (multipart/form-data)."))
    return request, None


def file_get(*, allow, refusal):
    """Make ``method(self, viewer, suffix)`` a GET handler that returns a file download."""
    return guarded_handler(allow=allow, refusal=refusal, methods=("GET", "HEAD"),
                           wrong_method=_("Ask for this file with a GET request."),
                           read=lambda _block, _request, suffix: (suffix, None))


def download_response(name, content_type, size, content):
    """A response that makes the browser save the file, never render it in the page."""
    response = Response(app_iter=_chunks(content), status=200,
                        content_type=content_type or "application/octet-stream")
    response.charset = None  # no "; charset" added to a binary type
    response.content_length = size
    plain = "".join(ch if ch.isascii() and ch.isprintable() and ch not in '"\\' else "_"
                    for ch in name)
    response.content_disposition = (
        f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _chunks(content, size=64 * 1024):
    try:
        while chunk := content.read(size):
            yield chunk
    finally:
        content.close()

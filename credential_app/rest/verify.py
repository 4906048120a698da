"""Public verification endpoint: anyone may ask whether a credential is genuine.

``POST api/credentials/v1/verify/`` with the credential as a JSON body, as JWT text
(``text/plain`` or ``application/jwt``), or as an uploaded file (``file``: JSON, JWT,
or a baked PNG/SVG). No sign-in and no session (so no CSRF): the answer depends only
on the credential. Inputs are size-limited and the endpoint is rate-limited per
client address.
"""
from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import inline_serializer
from rest_framework import parsers, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from credential_app import api
from credential_app.rest.errors import error_body, exception_handler
from credential_app.rest.schema import documented
from credential_app.rest.serializers import ErrorSerializer

DEFAULT_MAX_BYTES = 2 * 1024 * 1024


def max_bytes() -> int:
    return int((getattr(settings, "CREDENTIAL_APP", {}) or {}).get(
        "VERIFY_MAX_BYTES") or DEFAULT_MAX_BYTES)


class TextParser(parsers.BaseParser):
    """A JWT (or JSON) sent as plain text."""

    media_type = "text/plain"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read(max_bytes() + 1)


class JwtParser(TextParser):
    media_type = "application/jwt"


class RawJsonParser(TextParser):
    """JSON kept as bytes: the verifier parses it itself and reports bad JSON as a reason."""

    media_type = "application/json"


class VerifyThrottle(AnonRateThrottle):
    scope = "credential_verify"

    def get_rate(self):
        return (getattr(settings, "CREDENTIAL_APP", {}) or {}).get("VERIFY_RATE", "120/minute")


VERIFICATION = inline_serializer("VerificationResult", {
    "valid": serializers.BooleanField(),
    "status": serializers.ChoiceField(["valid", "expired", "suspended", "revoked", "invalid"]),
    "reasons": serializers.ListField(child=serializers.CharField()),
    "codes": serializers.ListField(child=serializers.CharField()),
    "credential": serializers.DictField(allow_null=True),
    "signed_by": serializers.CharField(help_text="DID of the issuer whose key the proof "
                                                 "checks out with; empty if none did."),
    "known_issuer": serializers.BooleanField(help_text="Whether that signer is one of this "
                                                       "site's issuers."),
    "issuer_name": serializers.CharField(help_text="This site's name for the signer when it "
                                                   "is one of its issuers; never the name "
                                                   "the credential claims."),
})


class VerifyCredentialView(APIView):
    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (VerifyThrottle,)
    parser_classes = (RawJsonParser, TextParser, JwtParser, parsers.MultiPartParser)
    schema = AutoSchema()

    def get_exception_handler(self):
        return exception_handler

    @documented(
        request=None,
        responses={200: VERIFICATION, 400: ErrorSerializer, 413: ErrorSerializer,
                   429: ErrorSerializer},
        summary="Verify an Open Badges 3.0 credential (JSON, JWT or baked image)",
        description="No sign-in. Send the credential as a JSON body, a JWT as text/plain "
                    "or application/jwt, or a multipart upload named `file` (JSON, JWT, or "
                    "a baked PNG/SVG badge). The answer says valid or not, and why: "
                    "`codes` are tampered, wrong_key, unknown_issuer, revoked, expired, "
                    "not_yet_valid, malformed, too_complex (and status_unchecked for a "
                    "revocation list this site does not publish). `signed_by` and "
                    "`known_issuer` say who signed. Input that cannot be read as a "
                    "credential at all (not JSON, nested too deeply) is a 400.")
    def post(self, request):
        limit = max_bytes()
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if declared.isdigit() and int(declared) > limit + 64 * 1024:
            return self._too_large(limit)
        body = request.data
        if hasattr(body, "get") and not isinstance(body, bytes | str):
            upload = body.get("file")
            if upload is None:
                return Response(error_body(_("Send the credential as the request body or as "
                                             "a file named “file”."), "file"),
                                status=status.HTTP_400_BAD_REQUEST)
            if isinstance(upload, str):  # pasted into a form field rather than a file
                body = upload.encode()
            elif upload.size > limit:
                return self._too_large(limit)
            else:
                body = upload.read(limit + 1)
        if not body:
            return Response(error_body(_("Send the credential to verify."), "file"),
                            status=status.HTTP_400_BAD_REQUEST)
        if len(body) > limit:
            return self._too_large(limit)
        result = api.verify_open_badge(body)
        if result.credential is None and "malformed" in result.codes:
            # Nothing that can be read as a credential: a bad request, with the reason.
            return Response(error_body(" ".join(result.reasons), "file"),
                            status=status.HTTP_400_BAD_REQUEST)
        return Response({"valid": result.valid, "status": result.status,
                         "reasons": list(result.reasons), "codes": list(result.codes),
                         "credential": result.credential, "signed_by": result.signed_by,
                         "known_issuer": result.known_issuer,
                         "issuer_name": result.issuer_name})

    @staticmethod
    def _too_large(limit):
        return Response(error_body(_("The credential is larger than {size} KB; no "
                                     "credential is that large.").format(size=limit // 1024),
                                   "file"),
                        status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)

"""Public documents verifiers read: issuers' DID documents and revocation status lists.

No sign-in: a verifier anywhere must be able to read them. They only publish what is
public by design (public keys, revocation bits).
"""
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from credential_app import api

DID_CONTENT_TYPE = "application/did+json"
VC_CONTENT_TYPE = "application/vc+ld+json"


def _json(document, content_type, max_age):
    response = JsonResponse(document, content_type=content_type,
                            json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = f"public, max-age={max_age}"
    response["Access-Control-Allow-Origin"] = "*"  # browser-based verifiers
    return response


@require_GET
def issuer_did_document(request, issuer_ref):
    document = api.get_issuer_did_document(issuer_ref)
    if document is None:
        raise Http404(_("No issuer has that identifier."))
    return did_json(document)


def did_json(document):
    return _json(document, DID_CONTENT_TYPE, 300)


@require_GET
def status_list_credential(request, list_id):
    document = api.get_status_list_credential(list_id)
    if document is None:
        raise Http404(_("No status list has that identifier."))
    return _json(document, VC_CONTENT_TYPE, 60)



@require_GET
def achievement_image(request, slug):
    """The achievement's picture, public like the credentials that name it."""
    png = api.get_achievement_image(slug)
    if png is None:
        raise Http404(_("No credential has that name."))
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response

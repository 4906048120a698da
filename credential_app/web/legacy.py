"""Views behind ``legacy_urls``: the root addresses of earlier versions (decision 0011)."""
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from credential_app import api
from credential_app.web import documents


def moved_to(name):
    """A view answering 301 with the same page's address under ``credential-app/``."""
    @require_safe
    def moved(request, **kwargs):
        target = reverse(f"credential_app:{name}", kwargs=kwargs)
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)
    moved.__name__ = moved.__qualname__ = f"moved_to_{name.replace('-', '_')}"
    return moved


@require_safe
def issuer_did_document(request, issuer_ref):
    """The DID document of the DID credentials signed by earlier versions name."""
    document = api.get_issuer_did_document(issuer_ref, legacy=True)
    if document is None:
        raise Http404(_("No issuer has that identifier."))
    return documents.did_json(document)

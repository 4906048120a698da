"""The catalogue pages: every credential and pathway in plain language, searchable and
filterable, and one page per credential (what it certifies, how it is assessed, how long it
lasts, the job tasks it maps to, the pathways it belongs to).

Public by default; ``CREDENTIAL_APP["CATALOGUE_ACCESS"] = "signed_in"`` asks visitors to
sign in first. The cost of a request is bounded by the catalogue's page size and term limit.
"""
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from credential_app import api

SIGNED_IN = "signed_in"


def _access_refused(request):
    """A sign-in redirect when the catalogue is for signed-in people only; None: go on."""
    access = settings.CREDENTIAL_APP.get("CATALOGUE_ACCESS", "public")
    if access == SIGNED_IN and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def _int(value, allowed=None):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if allowed is None or number in allowed else None


@require_safe
def catalogue(request):
    refused = _access_refused(request)
    if refused:
        return refused
    roles = api.get_catalogue_roles()
    levels = api.get_catalogue_levels()
    kind = request.GET.get("kind", "")
    chosen = {
        "term": request.GET.get("q", "")[:api.CATALOGUE_MAX_TERM],
        "kind": kind if kind in ("pathways", "credentials") else "",
        "role": _int(request.GET.get("role"), {pk for pk, _name in roles}),
        "level": _int(request.GET.get("level"), {value for value, _label in levels}),
    }
    found = api.search_catalogue(term=chosen["term"], kind=chosen["kind"],
                                 role_id=chosen["role"], level=chosen["level"],
                                 page=_int(request.GET.get("page")) or 1)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "credential_app/catalogue.html", {
        "base_template": settings.CREDENTIAL_APP["PAGE_BASE_TEMPLATE"],
        "found": found, "chosen": chosen, "roles": roles, "levels": levels,
        "kinds": (("", _("Credentials and pathways")), ("credentials", _("Credentials")),
                  ("pathways", _("Pathways"))),
        "query": query.urlencode(),
    })


@require_safe
def catalogue_entry(request, slug):
    refused = _access_refused(request)
    if refused:
        return refused
    entry = api.get_catalogue_entry(slug)
    if entry is None:
        raise Http404(_("No credential has that name in the catalogue."))
    progress = None
    if request.user.is_authenticated and entry.is_pathway:
        progress = next((p for p in api.get_pathway_progress(request.user.pk)
                         if p.slug == entry.definition.slug), None)
    return render(request, "credential_app/catalogue_entry.html", {
        "base_template": settings.CREDENTIAL_APP["PAGE_BASE_TEMPLATE"],
        "entry": entry, "definition": entry.definition, "progress": progress,
    })

"""Badge pages anyone may open (no login), their downloads, and the learner's sharing form.

* ``badges/<uuid>/``: the public verification page: issuer, achievement, criteria, the
  holder as they chose to be named, the result per criterion, the status a verifier
  finds (valid, expired, suspended, revoked with its reason), downloads and "Add to LinkedIn".
* ``badges/<uuid>/credential.json``, ``badge.png``, ``badge.svg``: the signed
  credential, and the badge picture with it baked in.
* ``badges/<uuid>/evidence/``: what was assessed; the written evidence only if shared.
* ``badges/verify/``: paste a credential or upload a baked image, see valid or not, why.
* ``credentials/<uuid>/sharing/`` (POST, signed in): the holder's choices for one of
  their own credentials.

A credential waiting for approval, or an unknown identifier, is a plain 404.
"""
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from credential_app import api
from credential_app.data import CredentialStatus, NameDisplay
from credential_app.openbadges import baking
from credential_app.rest.verify import (  # one size limit and rate for both ways
    VerifyThrottle,
    max_bytes,
)

LINKEDIN_ADD = "https://www.linkedin.com/profile/add"
STATUS_LABELS = {
    "valid": gettext_lazy("Valid"),
    "expired": gettext_lazy("Expired"),
    "revoked": gettext_lazy("Revoked"),
    "suspended": gettext_lazy("Suspended"),
    "invalid": gettext_lazy("Not valid"),
}
NAME_CHOICES = (
    (NameDisplay.FULL, gettext_lazy("Full name")),
    (NameDisplay.INITIAL, gettext_lazy("First name and last initial")),
    (NameDisplay.HIDDEN, gettext_lazy("Not shown")),
)
# Downloads are files, never pages: an SVG opened from here must not run anything.
DOWNLOAD_HEADERS = {"X-Content-Type-Options": "nosniff",
                    "Access-Control-Allow-Origin": "*",  # browser-based wallets and verifiers
                    "Content-Security-Policy": "default-src 'none'; img-src data:; "
                                               "style-src 'unsafe-inline'; sandbox"}


def _base_template():
    return settings.CREDENTIAL_APP["PAGE_BASE_TEMPLATE"]


def _public_badge(credential_uuid):
    try:
        return api.get_public_badge(str(credential_uuid))
    except api.CredentialNotFound as exc:
        raise Http404(exc.message) from exc


def linkedin_url(badge, page_url: str) -> str:
    """LinkedIn's "Add licence or certification" link, filled in for this credential."""
    credential = badge.credential
    definition = credential.definition
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": definition.name,
        "organizationName": definition.issuer.name if definition.issuer else "",
        "issueYear": badge.valid_from.year,
        "issueMonth": badge.valid_from.month,
    }
    if credential.expires_at:
        params["expirationYear"] = credential.expires_at.year
        params["expirationMonth"] = credential.expires_at.month
    params["certUrl"] = page_url
    params["certId"] = credential.uuid
    return f"{LINKEDIN_ADD}?{urlencode(params, quote_via=quote)}"


@require_safe  # GET, and HEAD for link-preview crawlers
def badge_page(request, uuid):
    """The public verification page of one issued credential."""
    badge = _public_badge(uuid)
    verification = api.verify_open_badge(api.get_open_badge(badge.credential.uuid))
    page_url = request.build_absolute_uri(
        reverse("credential_app:badge_page", args=[badge.credential.uuid]))
    successor = badge.credential.superseded_by
    return render(request, "credential_app/badge_page.html", {
        "base_template": _base_template(),
        "badge": badge,
        "definition": badge.credential.definition,
        "verification": verification,
        "status_label": STATUS_LABELS.get(verification.status, verification.status),
        "revoked_reason": (badge.credential.revoked_reason
                           if verification.status == "revoked" else ""),
        "superseded": badge.credential.status == CredentialStatus.SUPERSEDED,
        "successor_url": reverse("credential_app:badge_page", args=[successor])
        if successor else "",
        "page_url": page_url,
        "image_url": request.build_absolute_uri(
            reverse("credential_app:badge_png", args=[badge.credential.uuid])),
        "linkedin_url": linkedin_url(badge, page_url),
        "job_tasks": api.get_job_tasks(badge.credential.definition.slug),
    })


@require_safe
def badge_evidence(request, uuid):
    """What was assessed to earn the credential; written evidence only if shared."""
    badge = _public_badge(uuid)
    return render(request, "credential_app/badge_evidence.html", {
        "base_template": _base_template(),
        "badge": badge,
        "definition": badge.credential.definition,
    })


def _download(content, content_type, credential_uuid, extension):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="credential-{credential_uuid}.{extension}"')
    for header, value in DOWNLOAD_HEADERS.items():
        response[header] = value
    return response


@require_safe
def badge_json(request, uuid):
    uuid = _public_badge(uuid).credential.uuid
    return _download(api.get_open_badge_json(uuid, indent=2), "application/json; charset=utf-8",
                     uuid, "json")


@require_safe
def badge_jwt(request, uuid):
    """The credential as a VC-JWT (OB 3.0 section 8.2), for wallets and systems that take
    JWTs; the same claims as the JSON download, signed by the same issuer."""
    uuid = _public_badge(uuid).credential.uuid
    return _download(api.get_open_badge_jwt(uuid), "application/jwt", uuid, "jwt")


@require_safe
def badge_png(request, uuid):
    uuid = _public_badge(uuid).credential.uuid
    return _download(api.get_baked_badge_png(uuid), "image/png", uuid, "png")


@require_safe
def badge_svg(request, uuid):
    uuid = _public_badge(uuid).credential.uuid
    return _download(api.get_baked_badge_svg(uuid), "image/svg+xml; charset=utf-8", uuid, "svg")


# --- verify a badge: paste or upload ---

def _submitted_credential(request):
    """(payload to verify, None) or (None, what is wrong, for the person)."""
    try:
        text = request.POST.get("credential", "").strip()
        upload = request.FILES.get("image")
    except RequestDataTooBig:
        return None, _too_large_text()
    if text and upload:
        return None, _("Paste a credential or choose an image, not both.")
    if upload:
        if upload.size > max_bytes():
            return None, _("That file is too large to be a badge image (the limit is "
                           "{limit}).").format(limit=filesizeformat(max_bytes()))
        try:
            payload = baking.read_baked(upload.read())
        except baking.BakingError as exc:
            return None, str(exc)
        if not payload:
            return None, _("This image holds no Open Badges credential: it was not baked, "
                           "or the credential was removed.")
        return payload, None
    if not text:
        return None, _("Paste a credential (JSON or JWT) or choose a baked badge image.")
    if len(text.encode("utf-8")) > max_bytes():
        return None, _too_large_text()
    return text, None


def _too_large_text():
    return _("That is too large to be a credential (the limit is {limit}).").format(
        limit=filesizeformat(max_bytes()))


def _summary(credential) -> dict:
    """Name, issuer and achievement of a verified credential, for display (strings only)."""
    if not isinstance(credential, dict):
        return {}
    issuer = credential.get("issuer")
    subject = credential.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None

    def text(value):
        return value if isinstance(value, str) else ""

    return {
        "name": text(credential.get("name")),
        "issuer": text(issuer.get("name")) if isinstance(issuer, dict) else "",
        "achievement": text(achievement.get("name")) if isinstance(achievement, dict) else "",
        "valid_from": text(credential.get("validFrom")),
        "valid_until": text(credential.get("validUntil")),
        "id": text(credential.get("id")),
    }


@require_http_methods(["GET", "POST"])
def verify_badge(request):
    """Check a credential someone holds: pasted JSON or JWT, or a baked PNG or SVG."""
    context = {"base_template": _base_template(), "limit": filesizeformat(max_bytes())}
    status = 200
    if request.method == "POST" and not VerifyThrottle().allow_request(request, None):
        context["error"], status = _("Too many verifications from your address; wait a "
                                     "minute and try again."), 429
    elif request.method == "POST":
        payload, error = _submitted_credential(request)
        if error:
            context["error"], status = error, 400
        else:
            result = api.verify_open_badge(payload)
            context.update(result=result, summary=_summary(result.credential),
                           status_label=STATUS_LABELS.get(result.status, result.status))
    return render(request, "credential_app/badge_verify.html", context, status=status)


# --- the holder's sharing choices (their credentials page posts here) ---

@require_POST
@login_required
def badge_sharing(request, uuid):
    """Save how the holder's name and evidence appear on one credential's public pages."""
    try:
        api.set_badge_sharing(user_id=request.user.pk, credential_uuid=str(uuid),
                              name_display=request.POST.get("name_display", ""),
                              share_evidence=request.POST.get("share_evidence") == "on")
    except api.InvalidSharingChoice as exc:
        return HttpResponseBadRequest(exc.message, content_type="text/plain; charset=utf-8")
    except api.CredentialNotFound as exc:
        raise Http404(exc.message) from exc
    page = reverse("credential_app:learner-credentials")
    return redirect(f"{page}?{urlencode({'saved': str(uuid)})}#sharing-{uuid}")


def sharing_rows(user_id, rows):
    """For the credentials page: each public credential with the holder's choices."""
    choices = api.get_badge_sharing(user_id)
    return [{
        "credential": row["credential"],
        "sharing": choices.get(row["credential"].uuid),
        "page_url": reverse("credential_app:badge_page", args=[row["credential"].uuid]),
        "form_url": reverse("credential_app:badge_sharing", args=[row["credential"].uuid]),
    } for row in rows if row["credential"].uuid in choices
        and row["credential"].status != CredentialStatus.PENDING_APPROVAL]

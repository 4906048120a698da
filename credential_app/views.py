"""Pages the app serves itself (the JSON API lives in ``credential_app.rest``)."""
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from . import api, badge_page_views
from .data import CredentialStatus

STATUS_LABELS = {
    CredentialStatus.PENDING_APPROVAL: _("Waiting for approval"),
    CredentialStatus.ACTIVE: _("Active"),
    CredentialStatus.EXPIRED: _("Expired"),
    CredentialStatus.REVOKED: _("Revoked"),
    CredentialStatus.SUPERSEDED: _("Replaced by a newer version"),
}


ENDED = (CredentialStatus.REVOKED, CredentialStatus.SUPERSEDED)


def _validity(credential, expires_at):
    """(date it is valid until, or None; what to say instead when there is no date)."""
    if credential.status in ENDED:
        return None, _("No longer valid")
    if expires_at:
        return expires_at, ""
    if credential.status == CredentialStatus.PENDING_APPROVAL:
        return None, _("Starts when approved")
    return None, _("No expiry")


@require_GET
@login_required
def learner_credentials(request):
    """The signed-in learner's credentials with their status and expiry; nobody else's."""
    rows = []
    for credential in api.get_learner_credentials(request.user.pk):
        valid_until, validity_note = _validity(credential, credential.expires_at)
        rows.append({
            "credential": credential,
            "status_label": STATUS_LABELS.get(credential.status, credential.status),
            "valid_until": valid_until,
            "validity_note": validity_note,
            "revoked_reason": credential.revoked_reason,
        })
    return render(request, "credential_app/learner_credentials.html", {
        "rows": rows,
        "base_template": settings.CREDENTIAL_APP["PAGE_BASE_TEMPLATE"],
        # badge pages: public pages and what the learner shares on them
        "badges": badge_page_views.sharing_rows(request.user.pk, rows),
        "name_choices": badge_page_views.NAME_CHOICES,
        "sharing_saved": request.GET.get("saved", ""),
    })

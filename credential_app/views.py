"""Pages the app serves itself (the JSON API lives in ``credential_app.rest``)."""
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from . import api
from .data import CredentialStatus

STATUS_LABELS = {
    CredentialStatus.PENDING_APPROVAL: _("Waiting for approval"),
    CredentialStatus.ACTIVE: _("Active"),
    CredentialStatus.EXPIRED: _("Expired"),
    CredentialStatus.REVOKED: _("Revoked"),
    CredentialStatus.SUPERSEDED: _("Replaced by a newer version"),
}


@require_GET
@login_required
def learner_credentials(request):
    """The signed-in learner's credentials with their status and expiry; nobody else's."""
    rows = [
        {
            "credential": credential,
            "status_label": STATUS_LABELS.get(credential.status, credential.status),
            # Lifecycle adds these to CredentialData; older data has neither.
            "expires_at": getattr(credential, "expires_at", None),
            "revoked_reason": getattr(credential, "revoked_reason", "") or "",
        }
        for credential in api.get_learner_credentials(request.user.pk)
    ]
    return render(request, "credential_app/learner_credentials.html", {
        "rows": rows,
        "base_template": settings.CREDENTIAL_APP["PAGE_BASE_TEMPLATE"],
    })

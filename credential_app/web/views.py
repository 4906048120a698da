"""Pages the app serves itself (the JSON API lives in ``credential_app.rest``)."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from credential_app import api
from credential_app.data import CredentialStatus
from credential_app.web import badge_pages

STATUS_LABELS = {
    CredentialStatus.PENDING_APPROVAL: _("Waiting for approval"),
    CredentialStatus.ACTIVE: _("Active"),
    CredentialStatus.EXPIRED: _("Expired"),
    CredentialStatus.REVOKED: _("Revoked"),
    CredentialStatus.SUPERSEDED: _("Replaced by a newer version"),
    CredentialStatus.SUSPENDED: _("Suspended"),
}


ENDED = (CredentialStatus.REVOKED, CredentialStatus.SUPERSEDED)


def _validity(credential, expires_at):
    """(date it is valid until, or None; what to say instead when there is no date)."""
    if credential.status in ENDED:
        return None, _("No longer valid")
    if credential.status == CredentialStatus.SUSPENDED:
        return None, _("Not valid until reinstated")
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
            # its picture (greyed with a band once it no longer holds); none before approval
            "image_url": "" if credential.status == CredentialStatus.PENDING_APPROVAL
            else reverse("credential_app:badge_png", args=[credential.uuid]),
        })
    valid_count = sum(1 for row in rows if row["credential"].is_valid)
    return render(request, "credential_app/learner_credentials.html", {
        "rows": rows,
        # "You hold" counts what vouches for the learner now; the rest is listed as history
        "valid_count": valid_count,
        "other_count": len(rows) - valid_count,
        "employers": api.get_employer_sharing(request.user.pk),
        "pathways": api.get_pathway_progress(request.user.pk),
        "base_template": settings.CREDENTIAL_APP["PAGE_BASE_TEMPLATE"],
        # badge pages: public pages and what the learner shares on them
        "badges": badge_pages.sharing_rows(request.user.pk, rows),
        "name_choices": badge_pages.NAME_CHOICES,
        "sharing_saved": request.GET.get("saved", ""),
    })


# ---- HRIS people: sharing credentials with employers -------------------------------------

@require_POST
@login_required
def learner_consent(request):
    """The signed-in learner gives or withdraws consent for one employer; only their own."""
    try:
        destination_id = int(request.POST.get("destination", ""))
    except ValueError as exc:
        raise Http404 from exc
    share = request.POST.get("share")
    if share not in ("yes", "no"):
        raise Http404
    try:
        choice = api.set_employer_sharing(user_id=request.user.pk,
                                          destination_id=destination_id, share=share == "yes")
    except api.UnknownEmployer as exc:
        raise Http404(exc.message) from exc
    if choice.sharing and choice.sent:
        note = ngettext("You now share your credentials with {employer}: the {count} "
                        "credential you hold goes to them now.",
                        "You now share your credentials with {employer}: the {count} "
                        "credentials you hold go to them now.", choice.sent)
    elif choice.sharing:
        note = gettext("You now share your credentials with {employer}.")
    else:
        note = gettext("You no longer share your credentials with {employer}. Nothing more "
                       "will be sent to them.")
    messages.success(request, note.format(employer=choice.name, count=choice.sent))
    return redirect(reverse("credential_app:learner-credentials") + "#sharing")

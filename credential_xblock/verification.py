"""Whether a learner's identity is verified, for units that require it.

The runtime's optional ``verification`` service answers; in the LMS it is
edx-platform's ``XBlockVerificationService``: ``get_status(user_id)`` gives
``{"status": "approved" | "pending" | "must_reverify" | "expired" | "none", ...}``
(older releases give the bare string) and ``reverify_url()`` the page where a
learner verifies. Without the service, a unit that requires verification stays
closed, with a message saying what the course team can do.
"""
import logging
from dataclasses import dataclass

from django.utils.translation import gettext_noop as _  # translated by the runtime's i18n

log = logging.getLogger(__name__)

SERVICE = "verification"
APPROVED = "approved"
MESSAGES = {
    "pending": _("Your ID verification is still being reviewed. You can start this assessment "
                 "once it has been approved."),
    "expired": _("Your ID verification has expired. Verify your identity again to start this "
                 "assessment."),
    "must_reverify": _("Your ID verification was not accepted. Verify your identity again to "
                       "start this assessment."),
    "none": _("This assessment is open only to learners who have verified their identity. "
              "Verify your identity, then come back to this page."),
}
NO_SERVICE = _("This assessment requires a verified identity, but this site does not offer ID "
               "verification. Contact the course team: they can turn on ID verification for "
               "the site, or turn off “Require ID verification” for this unit.")
UNAVAILABLE = _("Your ID verification could not be checked just now. Reload this page in a few "
                "minutes; if it keeps happening, contact the course team.")
VERIFY = _("Verify your identity")
SEE_STATUS = _("See your verification status")


@dataclass(frozen=True)
class IdentityCheck:
    """The outcome of the check: may the learner start, and if not, why and what next."""

    passed: bool
    message: str = ""  # marked with gettext_noop: translate before showing
    action_url: str = ""
    action_label: str = ""  # marked with gettext_noop


PASSED = IdentityCheck(passed=True)


def check_identity(block, viewer) -> IdentityCheck:
    """Ask the runtime whether ``viewer`` may start an attempt at ``block``, identity-wise."""
    if not block.require_id_verification or not viewer.is_signed_in:
        return PASSED
    service = block.runtime.service(block, SERVICE)
    if service is None:
        return IdentityCheck(passed=False, message=NO_SERVICE)
    try:
        answer = service.get_status(viewer.user_id)
    except Exception:  # a failing service must not open the unit, nor break the page
        log.exception("The verification service failed for user %s", viewer.user_id)
        return IdentityCheck(passed=False, message=UNAVAILABLE)
    status = answer.get("status") if isinstance(answer, dict) else answer
    if status == APPROVED:
        return PASSED
    return IdentityCheck(
        passed=False,
        message=MESSAGES.get(status, MESSAGES["none"]),
        action_url=_verify_url(service),
        action_label=SEE_STATUS if status == "pending" else VERIFY,
    )


def _verify_url(service) -> str:
    try:
        return str(service.reverify_url() or "")
    except Exception:
        log.exception("The verification service gave no URL to verify at")
        return ""

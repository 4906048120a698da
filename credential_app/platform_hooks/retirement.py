"""User retirement: forget a person while keeping the numbers reports are built on.

When Open edX retires an account (``USER_RETIRE_LMS_MISC``, connected in
``apps.ready`` when edx-platform is present) or an operator calls
``api.retire_user``, this removes what the app holds *about the person*: the
evidence they handed in (text, links and files), assessors' comments on it, reasons
written about them, and their identity in the audit trail. Rows stay, so counts
(attempts per definition, credentials issued, pass rates) do not change.

The user row itself is the platform's: Open edX keeps it and replaces its
username, email and name, so attempts and credentials stay linked to a nameless
account. Live credentials are revoked (nobody can be vouched for any more), which
tells badge listeners through ``BADGE_REVOKED``.

Free text about the person is blanked wherever it is kept: their evidence text and links,
assessors' comments on their attempts, the reasons staff gave for granting them extra
attempts, their credentials' revocation reasons, and the reasons and details of audit
entries about them (overrides, approvals, grants, resets). Rows without free text stay as
they are (remediation completions, attempt gates: counts and retake rules need them).
Claims the person held as an assessor are released, so their queue items go back to
others. Their employee links and consents to share with employers are erased first,
records still waiting for delivery to employers are cancelled, so nothing more about
them leaves the platform (the revocations below included), and their employee id is
blanked in the outbox's history; the workplace outcomes employers reported about them and
their confidence answers are erased. Their unsubmitted draft lives in the XBlock's user
state, which the platform's own retirement handles, not in this app's tables.
"""
from django.db import transaction

from credential_app.core import audit, credentials, evidence
from credential_app.core.models import (
    AssessmentClaim,
    Attempt,
    Credential,
    CriterionScore,
    ExtraAttemptGrant,
)
from credential_app.hris import employees
from credential_app.openbadges import store
from credential_app.openbadges.models import BadgeSharing
from credential_app.workplace import confidence
from credential_app.workplace import ingest as workplace_outcomes

RETIRED_REASON = "The holder's account was retired."


def retire_user(user_id) -> None:
    with transaction.atomic():
        employees.forget_person(user_id)
        workplace_outcomes.forget_person(user_id)  # what employers reported about them
        confidence.forget_person(user_id)
        live = Credential.objects.filter(user_id=user_id, live_state__isnull=False)
        for pk in list(live.order_by("pk").values_list("pk", flat=True)):
            # read again: revoking a requirement may have ended a pathway credential already
            credential = live.filter(pk=pk).first()
            if credential is not None:
                credentials.revoke(credential, actor_id=None, reason=RETIRED_REASON)
        theirs = Credential.objects.filter(user_id=user_id)
        theirs.exclude(revoked_reason="").update(revoked_reason=RETIRED_REASON)
        attempts = Attempt.objects.filter(user_id=user_id)
        attempts.update(evidence_text="", links=[])
        CriterionScore.objects.filter(assessment__attempt__user_id=user_id).update(comment="")
        evidence.erase_for_user(user_id)
        BadgeSharing.objects.filter(credential__user_id=user_id).delete()  # pages: name hidden
        store.forget_recipient(user_id)  # Open Badges: no stored email hash
        ExtraAttemptGrant.objects.filter(user_id=user_id).exclude(reason="").update(reason="")
        # decisions they took as staff stay, without naming them
        Credential.objects.filter(approved_by_id=user_id).update(approved_by=None)
        Credential.objects.filter(revoked_by_id=user_id).update(revoked_by=None)
        ExtraAttemptGrant.objects.filter(granted_by_id=user_id).update(granted_by=None)
        AssessmentClaim.objects.filter(assessor_id=user_id).delete()  # back to the queue
        audit.anonymise_user(user_id)
        audit.record(audit.AuditAction.RETIREMENT, actor_id=None,
                     details={"attempts": attempts.count(), "credentials": theirs.count()})


def on_user_retire(sender, user, **kwargs):
    """Receiver for edx-platform's ``USER_RETIRE_LMS_MISC``."""
    retire_user(user.pk)


def connect_platform_signal() -> bool:
    """Listen to Open edX's retirement signal when running inside edx-platform."""
    try:
        # Optional dependency: edx-platform exists only inside the LMS, not in the workbench.
        from openedx.core.djangoapps.user_api.accounts.signals import USER_RETIRE_LMS_MISC
    except ImportError:
        return False
    USER_RETIRE_LMS_MISC.connect(on_user_retire, dispatch_uid="credential_app.retirement")
    return True

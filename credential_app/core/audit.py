"""The append-only audit trail: who decided what, when and why.

Every decision the app takes or records (submission, assessment, override,
approval, issuance, revocation, expiry, policy change, extra attempt...) calls
:func:`record` inside the same transaction as the decision itself, so the trail
and the data never disagree. Rows are never changed afterwards; the only
exception is user retirement, which blanks personal data (``anonymise_user``).
"""
from __future__ import annotations

import enum

from django.utils.translation import gettext_lazy

from credential_app.core.models import AuditEntry


class AuditAction(enum.StrEnum):
    """What was decided; values are stored in the database."""

    SUBMISSION = "submission"
    ASSESSMENT = "assessment"
    RESULT = "result"
    OVERRIDE = "override"
    CLAIM = "claim"
    APPROVAL = "approval"
    ISSUANCE = "issuance"
    REVOCATION = "revocation"
    EXPIRY = "expiry"
    RENEWAL = "renewal"
    SUPERSEDED = "superseded"
    POLICY_CHANGE = "policy_change"
    EXTRA_ATTEMPT = "extra_attempt"
    RESET = "reset"
    RETIREMENT = "retirement"
    # HRIS people: employee links and learners' consent
    EMPLOYEE_LINKS_IMPORTED = "employee_links_imported"
    EMPLOYEE_LINK_DELETED = "employee_link_deleted"
    HRIS_CONSENT_GIVEN = "hris_consent_given"
    HRIS_CONSENT_WITHDRAWN = "hris_consent_withdrawn"
    EMPLOYEE_SEARCH = "employee_search"  # a manager searched employees by credential or task

    # pathways: a requirement was lost and the pathway's rule kept the learner's credential
    PATHWAY_KEPT = "pathway_kept"
    # pathways under the rule "suspend": the pathway credential suspended, then reinstated
    SUSPENSION = "suspension"
    REINSTATEMENT = "reinstatement"

    SHARING = "sharing"  # badge pages: the learner changed what their public pages show
    # workplace outcomes (employers' data about employees)
    OUTCOMES_RECEIVED = "outcomes_received"
    OUTCOMES_READ = "outcomes_read"  # someone saw individual employees' outcomes
    INDICATOR_REVIEWED = "indicator_reviewed"


ACTION_LABELS = {
    AuditAction.SUBMISSION: gettext_lazy("Submission"),
    AuditAction.ASSESSMENT: gettext_lazy("Assessment"),
    AuditAction.RESULT: gettext_lazy("Result"),
    AuditAction.OVERRIDE: gettext_lazy("Override"),
    AuditAction.CLAIM: gettext_lazy("Claim"),
    AuditAction.APPROVAL: gettext_lazy("Approval"),
    AuditAction.ISSUANCE: gettext_lazy("Issuance"),
    AuditAction.REVOCATION: gettext_lazy("Revocation"),
    AuditAction.EXPIRY: gettext_lazy("Expiry"),
    AuditAction.RENEWAL: gettext_lazy("Renewal"),
    AuditAction.SUPERSEDED: gettext_lazy("Superseded"),
    AuditAction.POLICY_CHANGE: gettext_lazy("Policy change"),
    AuditAction.EXTRA_ATTEMPT: gettext_lazy("Extra attempt"),
    AuditAction.RESET: gettext_lazy("Learner state reset"),
    AuditAction.RETIREMENT: gettext_lazy("User retired"),
    AuditAction.EMPLOYEE_LINKS_IMPORTED: gettext_lazy("Employee links imported"),
    AuditAction.EMPLOYEE_LINK_DELETED: gettext_lazy("Employee link deleted"),
    AuditAction.HRIS_CONSENT_GIVEN: gettext_lazy("Consent to share with an employer given"),
    AuditAction.HRIS_CONSENT_WITHDRAWN: gettext_lazy("Consent to share with an employer "
                                                     "withdrawn"),
    AuditAction.EMPLOYEE_SEARCH: gettext_lazy("Employee search by a manager"),
    AuditAction.PATHWAY_KEPT: gettext_lazy("Pathway credential kept after a requirement "
                                           "was lost"),
    AuditAction.SUSPENSION: gettext_lazy("Suspension"),
    AuditAction.REINSTATEMENT: gettext_lazy("Reinstatement"),

    AuditAction.SHARING: gettext_lazy("Sharing choice"),
    AuditAction.OUTCOMES_RECEIVED: gettext_lazy("Workplace outcomes received"),
    AuditAction.OUTCOMES_READ: gettext_lazy("Individual workplace outcomes read"),
    AuditAction.INDICATOR_REVIEWED: gettext_lazy("Governance indicator reviewed"),
}


def record(action: AuditAction, *, actor_id: int | None, learner_id: int | None = None,
           subject: object = None, reason: str = "", details: dict | None = None,
           definition_slug: str = "", course_key=None) -> AuditEntry:
    """Append one decision. ``actor_id`` None means the system (a task, a rule)."""
    return AuditEntry.objects.create(
        action=AuditAction(action).value,
        actor_id=actor_id,
        learner_id=learner_id,
        subject_type=type(subject).__name__ if subject is not None else "",
        subject_id=str(getattr(subject, "pk", "") or "") if subject is not None else "",
        definition_slug=definition_slug or "",
        course_key=str(course_key) if course_key else "",
        reason=reason or "",
        details=details or {},
    )


def count(action: AuditAction, subject) -> int:
    """How many times ``action`` was recorded about ``subject`` (a model instance)."""
    return AuditEntry.objects.filter(action=AuditAction(action).value,
                                     subject_type=type(subject).__name__,
                                     subject_id=str(subject.pk)).count()


def anonymise_user(user_id: int) -> int:
    """Blank one person's identity in the trail; the entries (and counts) stay."""
    as_learner = AuditEntry.objects.filter(learner_id=user_id).update(
        learner=None, reason="", details={})
    as_actor = AuditEntry.objects.filter(actor_id=user_id).update(actor=None)
    return as_learner + as_actor

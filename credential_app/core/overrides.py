"""Staff override of an assessed attempt's result, always with a reason on the record.

An override flips pass/fail (the rubric score stays what the assessors gave). A new
pass issues the credential the attempt earns; a withdrawn pass revokes the credential
that attempt issued. The change, who made it and why go to the audit trail in the same
transaction.
"""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credential_app.core import attempts, audit, credentials, policies, record_changes, signals
from credential_app.core.models import Attempt, Credential
from credential_app.core.reasons import clean_reason
from credential_app.data import AssessmentOutcome, AttemptStatus, CredentialStatus
from credential_app.exceptions import AssessmentNotAllowed, AttemptNotFound, InvalidAssessment

LIVE_CREDENTIAL = (CredentialStatus.ACTIVE, CredentialStatus.PENDING_APPROVAL)


def override(*, attempt_id, usage_key, staff_id, passed, reason) -> AssessmentOutcome:
    """Set an assessed attempt's result to ``passed``; refuse without a reason."""
    reason = clean_reason(reason, error=InvalidAssessment,
                          missing=_("Give the reason for overriding the result."))
    if not isinstance(passed, bool):
        raise InvalidAssessment(_("Say whether the attempt passes."), field="passed")
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().filter(pk=attempt_id,
                                                             usage_key=usage_key).first()
        if attempt is None:
            raise AttemptNotFound(_("That attempt does not exist in this assessment."),
                                  field="attempt_id")
        if attempt.user_id == staff_id:
            raise AssessmentNotAllowed(_("You cannot override the result of your own attempt."))
        credentials.serialise_learner(attempt.user_id)  # before any row naming the learner
        if attempt.status not in (AttemptStatus.PASSED, AttemptStatus.FAILED):
            raise AssessmentNotAllowed(
                _("Only an assessed attempt's result can be overridden; this one is not "
                  "assessed (or was reset)."))
        latest = (Attempt.objects.filter(user_id=attempt.user_id, usage_key=usage_key)
                  .exclude(status=AttemptStatus.RESET).order_by("-number").first())
        if latest.pk != attempt.pk:
            raise AssessmentNotAllowed(
                _("The learner has a later attempt; only the latest attempt's result can be "
                  "overridden."))
        target = AttemptStatus.PASSED if passed else AttemptStatus.FAILED
        if attempt.status == target:
            raise AssessmentNotAllowed(
                _("This attempt has already passed.") if passed
                else _("This attempt has already not passed."), field="passed")
        before = {"passed": attempt.status == AttemptStatus.PASSED, "status": attempt.status,
                  "score": attempt.score, "max_score": attempt.max_score}
        with record_changes.changing([attempt.pk]):
            attempt.status = target
            attempt.result_changed_by_staff = True
            attempt.save(update_fields=["status", "result_changed_by_staff"])
            # announced before the credential it issues or revokes, so that listeners keeping
            # records in order (the HRIS outbox) write the new result first
            signals.attempt_assessed.send(sender=Attempt, attempt=attempt, overridden=True)
            credential, revoked = None, None
            if passed:
                # The definition's approval rule holds for an overridden pass as for any other.
                rules = policies.issuance_rules(attempt.definition)
                credential = credentials.issue_for_attempt(attempt,
                                                           needs_approval=rules.requires_approval)
            else:
                revoked = _revoke_issued_by(attempt, staff_id=staff_id, reason=reason)
        audit.record(audit.AuditAction.OVERRIDE, actor_id=staff_id, learner_id=attempt.user_id,
                     subject=attempt, reason=reason, definition_slug=attempt.definition.slug,
                     course_key=attempt.course_key,
                     details={"before": before,
                              "after": {"passed": passed, "status": target,
                                        "score": attempt.score, "max_score": attempt.max_score},
                              "credential_issued": credential.uuid if credential else None,
                              "credential_revoked": revoked,
                              "at": timezone.now().isoformat()})
        signals.counted_result_changing.send(sender=Attempt, user_id=attempt.user_id,
                                             usage_key=usage_key)
    return AssessmentOutcome(attempt=attempts.to_data(attempt), credential=credential)


def _revoke_issued_by(attempt, *, staff_id, reason) -> str | None:
    """Revoke the live credential this attempt issued (none from other attempts or units)."""
    credential = (Credential.objects.select_for_update()
                  .filter(attempt=attempt, through_pathway=False,
                          status__in=[s.value for s in LIVE_CREDENTIAL])
                  .first())
    if credential is None:
        return None
    credentials.revoke(credential, actor_id=staff_id, reason=reason)
    return str(credential.uuid)

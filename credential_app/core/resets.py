"""Reset of one learner's state at one unit, as course staff ask from the instructor tools.

The learner's attempts at the unit are marked RESET (kept for the record, never counted
again), claims on them are dropped, files they uploaded but had not handed in yet are
removed, and the reset is audited, all in one transaction. Credentials already issued
are not touched: taking one back is a revocation, a separate decision.
"""
from django.db import transaction

from credential_app.core import audit, claims, evidence, record_changes, signals
from credential_app.core.models import Attempt
from credential_app.data import AttemptStatus


def reset(*, user_id, usage_key, requested_by) -> list[int]:
    """Reset the learner's attempts at this unit; returns the ids of the attempts reset."""
    with transaction.atomic():
        to_reset = list(Attempt.objects.select_for_update()
                        .filter(user_id=user_id, usage_key=usage_key)
                        .exclude(status=AttemptStatus.RESET).order_by("number"))
        ids = [attempt.pk for attempt in to_reset]
        with record_changes.changing(ids):
            Attempt.objects.filter(pk__in=ids).update(status=AttemptStatus.RESET)
        claims_dropped = claims.drop_for_attempts(ids)
        files_removed = evidence.remove_pending(user_id, usage_key)
        definition_slug = to_reset[-1].definition.slug if to_reset else ""
        audit.record(audit.AuditAction.RESET, actor_id=requested_by, learner_id=user_id,
                     definition_slug=definition_slug, course_key=usage_key.course_key,
                     details={"usage_key": str(usage_key), "attempt_ids": ids,
                              "statuses_before": [a.status for a in to_reset],
                              "claims_dropped": claims_dropped,
                              "pending_files_removed": files_removed})
        if ids:
            signals.counted_result_changing.send(sender=Attempt, user_id=user_id,
                                                 usage_key=usage_key)
    return ids

"""Assessment: an assessor scores every criterion of an attempt's rubric.

The attempt row is locked while it is scored, so two assessors finishing at the
same moment produce one result, one grade and at most one credential. The
definition's issuance policy (``policies.judge``) says when the assessments settle
the result: enough independent assessors, agreeing within the tolerance; until then
the attempt stays waiting (SUBMITTED). Under the same lock, an attempt another assessor
has claimed is refused, and the scorer's own claim ends with the scoring.
"""
from django.db import transaction
from django.utils.timezone import now
from django.utils.translation import gettext as _

from credential_app.core import (
    attempts,
    audit,
    claims,
    credentials,
    policies,
    record_changes,
    signals,
)
from credential_app.core.models import Assessment, Attempt
from credential_app.core.models import CriterionScore as CriterionScoreRow
from credential_app.core.scoring import score_against
from credential_app.data import AssessmentOutcome, AttemptStatus, Rubric
from credential_app.exceptions import AssessmentNotAllowed, AttemptNotFound


def record(*, attempt_id, usage_key, assessor_id, scores) -> AssessmentOutcome:
    """Score an attempt; on a pass, issue its credential in the same transaction."""
    with transaction.atomic():
        attempt = (
            Attempt.objects.select_for_update()
            .select_related("definition")
            .filter(pk=attempt_id, usage_key=usage_key)
            .first()
        )
        if attempt is None:
            raise AttemptNotFound(_("That attempt does not exist in this assessment."),
                                  field="attempt_id")
        credentials.serialise_learner(attempt.user_id)  # before any row naming the learner
        claims.ensure_may_score(attempt, assessor_id)
        if attempt.user_id == assessor_id:
            raise AssessmentNotAllowed(_("You cannot assess your own attempt."))
        if attempt.status != AttemptStatus.SUBMITTED:
            raise AssessmentNotAllowed(
                _("This attempt has already been assessed. Reload the queue to see what is "
                  "still waiting."))
        # The earlier assessments, with their scores (none while the policy asks for one):
        # the lock keeps them as they are until this one is in.
        earlier = list(attempt.assessments.prefetch_related("criterion_scores").order_by(
            "created", "id"))
        if any(a.assessor_id == assessor_id for a in earlier):
            raise AssessmentNotAllowed(
                _("You have already assessed this attempt; another assessor must score it."))
        rubric = Rubric.from_dict(attempt.rubric)
        scored = score_against(rubric, scores)

        with record_changes.changing([attempt.pk]):
            created = now()
            assessment = Assessment.objects.create(attempt=attempt, assessor_id=assessor_id,
                                                   created=created,
                                                   waited=created - attempt.submitted_at)
            rows = CriterionScoreRow.objects.bulk_create(
                CriterionScoreRow(assessment=assessment, criterion=score.criterion,
                                  level=score.level, points=points, comment=score.comment)
                for score, points in scored.values()
            )
            every = [*(list(a.criterion_scores.all()) for a in earlier), rows]
            rules = policies.issuance_rules(attempt.definition)
            verdict = policies.judge(rubric, [{r.criterion: r.level for r in a} for a in every],
                                     rules)
            details = {"scores": {s.criterion: s.level for s, _p in scored.values()},
                       "score": sum(points for _s, points in scored.values()),
                       "max_score": attempt.max_score,
                       "passed": verdict.passed if verdict.complete else None,
                       "assessments": len(every), "assessments_needed": verdict.assessments_needed}
            if verdict.complete:
                attempt.score = verdict.score
                attempt.status = AttemptStatus.PASSED if verdict.passed else AttemptStatus.FAILED
                attempt.assessed_at = now()
                attempt.save(update_fields=["score", "status", "assessed_at"])
                signals.counted_result_changing.send(sender=Attempt, user_id=attempt.user_id,
                                                     usage_key=attempt.usage_key)
                signals.attempt_assessed.send(sender=Attempt, attempt=attempt, overridden=False)
                details["below_minimum"] = list(verdict.below_minimum)
            audit.record(audit.AuditAction.ASSESSMENT, actor_id=assessor_id,
                         learner_id=attempt.user_id, subject=attempt,
                         definition_slug=attempt.definition.slug, course_key=attempt.course_key,
                         details=details)
            credential = None
            if verdict.complete and len(every) > 1:
                audit.record(audit.AuditAction.RESULT, actor_id=None, learner_id=attempt.user_id,
                             subject=attempt, definition_slug=attempt.definition.slug,
                             course_key=attempt.course_key,
                             details={"method": "lower median level per criterion",
                                      "levels": verdict.levels, "score": verdict.score,
                                      "max_score": attempt.max_score, "passed": verdict.passed,
                                      "assessments": len(every),
                                      "disagreement": float(verdict.disagreement),
                                      "below_minimum": list(verdict.below_minimum)})
            if verdict.complete and verdict.passed:
                credential = credentials.issue_for_attempt(
                    attempt, needs_approval=rules.requires_approval, learner_held=True)
        shown = rows if len(every) == 1 else None
        claims.finish(attempt_id=attempt.pk, assessor_id=assessor_id)  # its work is done

    return AssessmentOutcome(attempt=attempts.to_data(attempt, scores=shown, rubric=rubric),
                             credential=credential)

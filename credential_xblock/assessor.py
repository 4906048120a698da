"""What an assessor does in the block: work the queue and score attempts."""
from django.utils.translation import gettext_noop as _  # translated by the runtime's i18n

from credential_app import api
from credential_app.data import CriterionScore

from .handlers import course_staff, error_response, json_post, json_response, translate
from .keys import usage_key_of


class AssessorMixin:
    """Assessor handlers and the assessor part of ``student_view``."""

    def assessor_context(self, viewer):
        """Template context of the assessor section (``assessor.html``)."""
        if not viewer.is_staff:
            return {"queue": []}
        queue = api.get_attempts_awaiting_assessment(usage_key_of(self))
        return {"queue": [a for a in queue if a.user_id != viewer.user_id]}

    @json_post(allow=course_staff, refusal=_("Only course staff can assess attempts."))
    def submit_assessment(self, viewer, data):
        """Staff score every criterion of an attempt; the result's grade is published."""
        attempt_id = data.get("attempt_id")
        raw_scores = data.get("scores")
        if isinstance(attempt_id, bool) or not isinstance(attempt_id, int):
            return error_response(self, 400, _("Say which attempt you are assessing."),
                                  field="attempt_id")
        if not isinstance(raw_scores, list) or not all(
            isinstance(s, dict) and isinstance(s.get("criterion"), str)
            and isinstance(s.get("level"), str) and isinstance(s.get("comment", ""), str)
            for s in raw_scores
        ):
            return error_response(self, 400,
                                  _("Send one level (and an optional comment) per criterion."),
                                  field="scores")
        scores = [CriterionScore(s["criterion"], s["level"], s.get("comment", "").strip())
                  for s in raw_scores]
        outcome = api.record_assessment(attempt_id=attempt_id, usage_key=usage_key_of(self),
                                        assessor_id=viewer.user_id, scores=scores)
        result = outcome.attempt.result
        self.runtime.publish(self, "grade", {
            "value": result.score,
            "max_value": result.max_score,
            "user_id": outcome.attempt.user_id,
        })
        message = (_("Passed: {score} of {max_score} points. Credential issued.")
                   if result.passed else _("Not passed: {score} of {max_score} points."))
        return json_response({
            "attempt_id": outcome.attempt.id,
            "score": result.score,
            "max_score": result.max_score,
            "passed": result.passed,
            "credential_uuid": outcome.credential.uuid if outcome.credential else None,
            "message": translate(self, message).format(score=result.score,
                                                       max_score=result.max_score),
        })

"""What a learner does in the block: read, hand in evidence, see the result."""
from django.utils.translation import gettext_noop as _  # translated by the runtime's i18n

from credential_app import api

from .handlers import error_response, json_post, json_response, signed_in, translate
from .keys import usage_key_of


class LearnerMixin:
    """Learner handlers and the learner part of ``student_view``."""

    def learner_context(self, viewer, rubric):
        """Template context of the learner section (``learner.html``)."""
        usage_key = usage_key_of(self)
        attempt = (api.get_latest_attempt(viewer.user_id, usage_key)
                   if viewer.is_signed_in else None)
        retake = api.get_retake_status(viewer.user_id, usage_key) if viewer.is_signed_in else None
        credential = None
        if attempt and attempt.result and attempt.result.passed:
            credential = api.get_learner_credential(viewer.user_id, attempt.credential_slug)
        return {
            "attempt": attempt,
            "credential": credential,
            "retake": retake,
            "can_submit": rubric is not None and retake is not None and retake.may_start,
            "max_evidence_length": api.evidence_length_limit(self.max_evidence_length),
        }

    @json_post(allow=signed_in, refusal=_("Sign in to hand in evidence."))
    def submit_evidence(self, viewer, data):
        """A learner hands in text evidence as a new attempt."""
        rubric, rubric_error = self._rubric_or_error()
        if rubric is None:
            return error_response(self, 409, _("This assessment is not ready yet: {problem}"),
                                  problem=rubric_error)
        text = data.get("text")
        if not isinstance(text, str):
            return error_response(self, 400, _("Send your evidence as text."), field="text")
        attempt = api.submit_attempt(
            user_id=viewer.user_id,
            usage_key=usage_key_of(self),
            credential_slug=self.credential,
            rubric=rubric,
            evidence_text=text,
            max_evidence_length=self.max_evidence_length,
        )
        return json_response({
            "attempt_id": attempt.id,
            "number": attempt.number,
            "status": attempt.status.value,
            "message": translate(
                self, _("Attempt {number} received. An assessor will score it against the rubric; "
                  "your result will appear here.")).format(number=attempt.number),
        })

"""The practical-assessment XBlock (block type ``credential_assessment``).

The block owns course content (prompt, rubric, evidence settings, credential
link). Attempts, assessments and credentials are the app's: every read and write
goes through ``credential_app.api``.
"""
from django.utils.translation import gettext_noop as _  # translated by the runtime's i18n
from web_fragments.fragment import Fragment
from xblock.core import XBlock
from xblock.fields import Dict, Integer, Scope, String

from credential_app import api
from credential_app.data import CriterionScore, Rubric

from . import olx
from .demo_scenarios import SAFETY_WALKTHROUGH
from .handlers import (
    course_staff,
    error_response,
    json_post,
    json_response,
    signed_in,
    translate,
)
from .identity import current_viewer
from .keys import usage_key_of
from .resources import render_template, static_text


@XBlock.needs("user")
@XBlock.needs("i18n")
class CredentialAssessmentBlock(XBlock):
    """A prompt, the evidence a learner hands in, and the rubric an assessor scores."""

    display_name = String(display_name=_("Display name"), scope=Scope.settings,
                          default=_("Practical assessment"))
    prompt = String(display_name=_("Prompt"), scope=Scope.content, default="",
                    help=_("What the learner must do, as HTML."))
    rubric = Dict(display_name=_("Rubric"), scope=Scope.content, default={"criteria": []},
                  help=_("Criteria, their levels and the points each level is worth."))
    credential = String(display_name=_("Credential"), scope=Scope.settings, default="",
                        help=_("Slug of the credential definition this unit leads to."))
    max_evidence_length = Integer(display_name=_("Maximum evidence length"),
                                  scope=Scope.settings, default=10_000,
                                  help=_("Most characters of text evidence a learner may hand in."))

    has_score = True
    icon_class = "problem"

    # ---- views -------------------------------------------------------------

    def student_view(self, context=None):
        """Learner view; staff also see the queue of attempts waiting to be scored."""
        viewer = current_viewer(self)
        rubric, rubric_error = self._rubric_or_error()
        usage_key = usage_key_of(self)
        attempt = api.get_latest_attempt(viewer.user_id, usage_key) if viewer.is_signed_in else None
        credential = None
        if attempt and attempt.result and attempt.result.passed:
            credential = api.get_learner_credential(viewer.user_id, attempt.credential_slug)
        queue = api.get_attempts_awaiting_assessment(usage_key) if viewer.is_staff else []
        html = render_template(
            "credential_xblock/assessment.html",
            {
                "block_id": str(usage_key),
                "display_name": self.display_name,
                "prompt": self.prompt,
                "rubric": rubric,
                "rubric_error": rubric_error,
                "viewer": viewer,
                "attempt": attempt,
                "credential": credential,
                "can_submit": self._can_submit(viewer, rubric, attempt),
                "max_evidence_length": self._evidence_limit(),
                "queue": [a for a in queue if a.user_id != viewer.user_id],
            },
            i18n_service=self.runtime.service(self, "i18n"),
        )
        fragment = Fragment(html)
        fragment.add_css(static_text("credential_xblock/css/assessment.css"))
        fragment.add_javascript(static_text("credential_xblock/js/assessment.js"))
        fragment.initialize_js("CredentialAssessmentBlock")
        return fragment

    def max_score(self):
        """Total points of the rubric; None while the rubric is not valid."""
        rubric, _error = self._rubric_or_error()
        return rubric.max_points if rubric else None

    # ---- handlers ----------------------------------------------------------

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

    # ---- OLX ---------------------------------------------------------------

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        block = runtime.construct_xblock_from_class(cls, keys)
        for child in node:
            if child.tag == olx.PROMPT:
                block.prompt = olx.prompt_from_node(child)
            elif child.tag == olx.RUBRIC:
                block.rubric = olx.rubric_from_node(child)
        for name, value in node.items():
            if name in block.fields and name not in (olx.PROMPT, olx.RUBRIC):
                setattr(block, name, block.fields[name].from_string(value))
        return block

    def add_xml_to_node(self, node):
        node.tag = self.xml_element_name()
        for name in ("display_name", "credential", "max_evidence_length"):
            field = self.fields[name]
            if field.is_set_on(self):
                node.set(name, field.to_string(getattr(self, name)))
        olx.add_prompt(node, self.prompt)
        olx.add_rubric(node, self.rubric)

    @staticmethod
    def workbench_scenarios():
        return [("Practical assessment: workplace safety walkthrough", SAFETY_WALKTHROUGH)]

    # ---- helpers -----------------------------------------------------------

    def _rubric_or_error(self):
        try:
            return Rubric.from_dict(self.rubric), None
        except api.InvalidRubric as exc:
            return None, exc.message

    def _evidence_limit(self):
        return api.evidence_length_limit(self.max_evidence_length)

    @staticmethod
    def _can_submit(viewer, rubric, attempt):
        """Whether to offer the form: the app's rule decides, not the block."""
        return (viewer.is_signed_in and rubric is not None
                and api.reason_learner_cannot_start(attempt) is None)

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
from credential_app.data import Rubric

from . import olx
from .assessor import AssessorMixin
from .demo_scenarios import SAFETY_WALKTHROUGH
from .identity import current_viewer
from .keys import usage_key_of
from .learner import LearnerMixin
from .resources import render_template, static_text


@XBlock.needs("user")
@XBlock.needs("i18n")
class CredentialAssessmentBlock(LearnerMixin, AssessorMixin, XBlock):
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
        html = render_template(
            "credential_xblock/assessment.html",
            {
                "block_id": str(usage_key),
                "display_name": self.display_name,
                "prompt": self.prompt,
                "rubric": rubric,
                "rubric_error": rubric_error,
                "viewer": viewer,
                **self.learner_context(viewer, rubric),
                **self.assessor_context(viewer),
            },
            i18n_service=self.runtime.service(self, "i18n"),
        )
        fragment = Fragment(html)
        fragment.add_css(static_text("credential_xblock/css/assessment.css"))
        for script in ("assessment.js", "learner.js", "assessor.js"):
            fragment.add_javascript(static_text(f"credential_xblock/js/{script}"))
        fragment.initialize_js("CredentialAssessmentBlock")
        return fragment

    def max_score(self):
        """Total points of the rubric; None while the rubric is not valid."""
        rubric, _error = self._rubric_or_error()
        return rubric.max_points if rubric else None

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

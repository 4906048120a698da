"""The practical-assessment XBlock (block type ``credential_assessment``).

The block owns course content (prompt, rubric, evidence settings, credential
link). Attempts, assessments and credentials are the app's: every read and write
goes through ``credential_app.api``.
"""
from django.utils.html import escape
from django.utils.translation import gettext_noop as _  # translated by the runtime's i18n
from web_fragments.fragment import Fragment
from xblock.core import XBlock
from xblock.fields import Boolean, Dict, Float, Integer, List, Scope, String

from credential_app import api
from credential_app.data import EvidenceSettings, Rubric
from credential_xblock import authoring, mobile, olx
from credential_xblock.assessor import AssessorMixin
from credential_xblock.demo_scenarios import HYGIENE_AUDIT, SAFETY_WALKTHROUGH
from credential_xblock.handlers import NOT_IN_A_COURSE
from credential_xblock.identity import current_viewer
from credential_xblock.keys import in_a_course, usage_key_of
from credential_xblock.learner import LearnerMixin
from credential_xblock.resources import (
    JS_CATALOGUE_NAMESPACE,
    add_javascript_catalogue,
    render_template,
    static_text,
)
from credential_xblock.sanitise import sanitise_prompt


@XBlock.needs("user")
@XBlock.needs("i18n")
@XBlock.wants("verification")
@XBlock.wants("studio_user_permissions")  # who may author, in Studio (authoring.py)
class CredentialAssessmentBlock(LearnerMixin, AssessorMixin, authoring.AuthoringMixin, XBlock):
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
    text_evidence = Boolean(display_name=_("Text evidence"), scope=Scope.settings, default=True,
                            help=_("Whether learners write a text as evidence."))
    min_evidence_length = Integer(display_name=_("Minimum evidence length"),
                                  scope=Scope.settings, default=0,
                                  help=_("Fewest characters of text evidence accepted."))
    file_evidence = Boolean(display_name=_("File evidence"), scope=Scope.settings, default=False,
                            help=_("Whether learners upload files as evidence."))
    allowed_file_types = List(display_name=_("Allowed file types"), scope=Scope.settings,
                              default=["pdf", "png", "jpg"],
                              help=_("File extensions accepted; the content must match too."))
    max_file_size_mb = Integer(display_name=_("Largest file (MB)"), scope=Scope.settings,
                               default=10)
    max_files = Integer(display_name=_("Most files"), scope=Scope.settings, default=3)
    link_evidence = Boolean(display_name=_("Link evidence"), scope=Scope.settings, default=False,
                            help=_("Whether learners hand in links (web pages, videos)."))
    max_links = Integer(display_name=_("Most links"), scope=Scope.settings, default=3)
    weight = Float(display_name=_("Problem weight"), scope=Scope.settings, default=None,
                   values={"min": 0, "step": 0.1},
                   help=_("Points this unit is worth in the course grade; empty for the "
                          "rubric's total."))
    require_id_verification = Boolean(
        display_name=_("Require ID verification"), scope=Scope.settings, default=False,
        help=_("Learners must have verified their identity before an attempt starts."))
    draft = Dict(scope=Scope.user_state, default={},
                 help=_("Evidence the learner is still writing, saved as they type."))
    handed_in = Integer(scope=Scope.user_state, default=0,
                        help=_("Number of the learner's latest attempt handed in here."))

    has_score = True
    icon_class = "problem"
    i18n_js_namespace = JS_CATALOGUE_NAMESPACE  # the LMS compiles our djangojs.po under it

    # ---- views -------------------------------------------------------------

    def student_view(self, context=None):
        """Learner view; staff also see the queue of attempts waiting to be scored."""
        if not in_a_course(self):
            return self.not_in_a_course_view()
        viewer = current_viewer(self)
        rubric, rubric_error = self.rubric_or_error()
        usage_key = usage_key_of(self)
        html = render_template(
            "assessment.html",
            {
                "block_id": str(usage_key),
                "display_name": self.display_name,
                "prompt": sanitise_prompt(self.prompt),
                "rubric": rubric,
                "rubric_error": rubric_error,
                "viewer": viewer,
                **self.learner_context(viewer, rubric),
                **self.assessor_context(viewer),
            },
            i18n_service=self.runtime.service(self, "i18n"),
        )
        fragment = Fragment(html)
        fragment.add_css(static_text("css/assessment.css"))
        add_javascript_catalogue(self, fragment)  # before the scripts that read it
        for script in ("assessment.js", "learner.js", "assessor.js"):
            fragment.add_javascript(static_text(f"js/{script}"))
        fragment.initialize_js("CredentialAssessmentBlock")
        return fragment

    def student_view_data(self, context=None):
        """The unit and the learner's standing as JSON, for the mobile apps (``mobile.py``)."""
        if not in_a_course(self):
            return {"error": self.runtime.service(self, "i18n").gettext(NOT_IN_A_COURSE)}
        return mobile.view_data(self)

    def not_in_a_course_view(self):
        """What a content library shows instead of the block (which works only in a course)."""
        message = self.runtime.service(self, "i18n").gettext(NOT_IN_A_COURSE)
        return Fragment(f'<p class="ca-notice" role="status">{escape(message)}</p>')

    def max_score(self):
        """Total points of the rubric; None while the rubric is not valid."""
        rubric, _error = self.rubric_or_error()
        return rubric.max_points if rubric else None

    # ---- OLX ---------------------------------------------------------------

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        block = runtime.construct_xblock_from_class(cls, keys)
        olx.read_block(block, node)
        return block

    def add_xml_to_node(self, node):
        olx.write_block(self, node)

    @staticmethod
    def workbench_scenarios():
        return [("Practical assessment: workplace safety walkthrough", SAFETY_WALKTHROUGH),
                ("Evidence files, links and ID check: kitchen hygiene audit", HYGIENE_AUDIT)]

    # ---- helpers -----------------------------------------------------------

    def evidence_settings(self) -> EvidenceSettings:
        """The unit's evidence settings, as the app enforces them."""
        return EvidenceSettings(
            text_enabled=self.text_evidence,
            text_min_length=self.min_evidence_length,
            text_max_length=api.evidence_length_limit(self.max_evidence_length),
            files_enabled=self.file_evidence,
            file_types=tuple(t.lower().lstrip(".") for t in self.allowed_file_types),
            max_file_size=self.max_file_size_mb * 1024 * 1024,
            max_files=self.max_files,
            links_enabled=self.link_evidence,
            max_links=self.max_links,
        )

    def rubric_or_error(self):
        try:
            return Rubric.from_dict(self.rubric), None
        except api.InvalidRubric as exc:
            return None, exc.message

"""The plugin inside the LMS of an edx-platform tree, asserted through the platform's code.

Run by ``make test-openedx`` (``tools/openedx/run-tests``) from the platform's root with
``--ds=lms.envs.test`` and the platform's own conftest. The course is built with the
platform's modulestore factories (split modulestore, on mongomock here); every request goes
through the LMS's own views: courseware rendering of a block (``render_xblock``), the XBlock
handler view (``handle_xblock_callback``), the instructor API; grades, completion and
events are read from the platform's own models and signals.
"""
import gettext
import json
import os
import shutil
import subprocess
import sys
import tempfile
from importlib.metadata import entry_points
from importlib.resources import as_file, files

from common.djangoapps.student.models import CourseEnrollment
from common.djangoapps.student.roles import CourseStaffRole
from common.djangoapps.student.tests.factories import UserFactory
from common.djangoapps.xblock_django.translation import get_non_xmodule_xblock_module_names
from completion.models import BlockCompletion
from completion.waffle import ENABLE_COMPLETION_TRACKING_SWITCH
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings
from django.urls import reverse
from edx_toggles.toggles.testutils import override_waffle_switch
from lms.djangoapps.grades.models import PersistentCourseGrade, PersistentSubsectionGrade
from openedx_events.learning.signals import BADGE_AWARDED
from path import Path
from xblock.core import XBlock
from xmodule.modulestore import api as xmodule_api
from xmodule.modulestore.tests.django_utils import ModuleStoreTestCase
from xmodule.modulestore.tests.factories import BlockFactory, CourseFactory

from credential_app.models import CredentialDefinition, Issuer
from credential_app.openbadges import keys as badge_keys
from credential_xblock.block import CredentialAssessmentBlock

BLOCK_TYPE = "credential_assessment"  # the block's xblock.v1 entry point (setup.py)
CREDENTIAL_SLUG = "site-safety"
RUBRIC = {"criteria": [
    {"name": "hazards", "label": "Hazards", "levels": [
        {"name": "missing", "label": "Not shown", "points": 0},
        {"name": "partial", "label": "Partial", "points": 2},
        {"name": "complete", "label": "Complete", "points": 4}]},
    {"name": "controls", "label": "Controls", "levels": [
        {"name": "missing", "label": "Not shown", "points": 0},
        {"name": "matched", "label": "Matched", "points": 4}]},
]}
PASSING = [{"criterion": "hazards", "level": "complete", "comment": "All of them."},
           {"criterion": "controls", "level": "matched", "comment": ""}]  # 8 of 8 points
# One assignment type, the whole grade: a passed unit is the course's 100 %.
GRADING_POLICY = {
    "GRADER": [{"type": "Practical", "min_count": 1, "drop_count": 0, "short_label": "P",
                "weight": 1.0}],
    "GRADE_CUTOFFS": {"Pass": 0.5},
}


# ---- (a) settings: the plugin registers itself through its entry points ------------------


def test_lms_settings_load_with_the_plugin():
    assert "credential_app.apps.CredentialAppConfig" in settings.INSTALLED_APPS
    assert "submissions" in settings.INSTALLED_APPS
    # settings.common of the plugin ran: every default of CREDENTIAL_APP is there
    assert settings.CREDENTIAL_APP["CLAIM_MINUTES"] == 30
    assert "credential_app.expire_credentials" in settings.CELERYBEAT_SCHEDULE
    # its URLs are mounted by the platform's plugin URL patterns, all under credential-app/
    assert reverse("credential_app:learner-credentials") == "/credential-app/credentials/"
    assert reverse("credential_app:badge_verify") == "/credential-app/badges/verify/"


def test_the_block_loads_by_its_entry_point_name():
    (entry_point,) = entry_points(group="xblock.v1", name=BLOCK_TYPE)
    assert XBlock.load_class(BLOCK_TYPE) is entry_point.load()


# ---- the learner in the courseware ------------------------------------------------------


class CourseWithAssessmentMixin:
    """A course (split modulestore) with one graded subsection holding the block, a
    credential definition, an enrolled learner and a course-staff assessor (the course role,
    not a superuser)."""

    def build_course(self, **block_fields):
        self.course = CourseFactory.create(
            display_name="Site safety", advanced_modules=[BLOCK_TYPE],
            grading_policy=GRADING_POLICY)
        chapter = BlockFactory.create(parent=self.course, category="chapter")
        self.sequential = BlockFactory.create(parent=chapter, category="sequential",
                                              graded=True, format="Practical")
        vertical = BlockFactory.create(parent=self.sequential, category="vertical")
        self.block = BlockFactory.create(
            parent=vertical, category=BLOCK_TYPE, display_name="Site walkthrough",
            prompt="<p>Walk through a site you know.</p>", rubric=RUBRIC,
            credential=CREDENTIAL_SLUG, **block_fields)
        self.issuer = Issuer.objects.create(name="Safety Board", url="https://safety.example.org",
                                            email="badges@safety.example.org")
        self.definition = CredentialDefinition.objects.create(
            slug=CREDENTIAL_SLUG, name="Site Safety", pass_percentage=70, issuer=self.issuer)
        self.learner = UserFactory.create(username="learner")
        CourseEnrollment.enroll(self.learner, self.course.id)
        self.assessor = UserFactory.create(username="assessor")
        CourseStaffRole(self.course.id).add_users(self.assessor)
        assert not self.assessor.is_staff and not self.assessor.is_superuser

    def sign_in(self, user):
        self.client.logout()
        assert self.client.login(username=user.username, password=self.TEST_PASSWORD)

    def handler_url(self, handler, suffix=""):
        return reverse("xblock_handler", kwargs={
            "course_id": str(self.course.id), "usage_id": str(self.block.location),
            "handler": handler, "suffix": suffix})

    def call_handler(self, user, handler, payload):
        """POST JSON to the block's handler through the LMS as ``user``; after-commit work
        (score updates, events) runs as it would at the end of a real request."""
        self.sign_in(user)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.handler_url(handler), data=json.dumps(payload),
                                        content_type="application/json")
        return response

    def render_url(self):
        return reverse("render_xblock", kwargs={"usage_key_string": str(self.block.location)})

    def render(self, user):
        self.sign_in(user)
        return self.client.get(self.render_url())

    def hand_in(self):
        response = self.call_handler(self.learner, "submit_evidence",
                                     {"text": "The forklift route crosses the walkway."})
        assert response.status_code == 200, response.content
        return response.json()

    def score(self, attempt_id, scores=PASSING):
        return self.call_handler(self.assessor, "submit_assessment",
                                 {"attempt_id": attempt_id, "scores": scores})


class TestLearnerInTheLms(CourseWithAssessmentMixin, ModuleStoreTestCase):
    """(c) the block in a course built with the platform's factories, rendered by the
    courseware for an enrolled learner, and its hand-in handler called through the LMS."""

    def setUp(self):
        super().setUp()
        self.build_course()

    def test_student_view_renders_in_the_courseware_for_an_enrolled_learner(self):
        response = self.render(self.learner)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Walk through a site you know." in page
        assert "Hazards" in page  # the rubric
        assert "CredentialAssessmentBlock" in page  # the block's JavaScript is initialised

    def test_submit_evidence_through_the_lms_handler_view(self):
        received = self.hand_in()
        assert received["number"] == 1
        assert received["status"] == "submitted"
        # the learner's own state at the block, where the LMS's instructor tools look
        response = self.render(self.learner)
        assert "Attempt 1" in response.content.decode()


# ---- second milestone: grades, completion, events, reset, badge pages ---------------------


@override_settings(CREDENTIAL_APP={**settings.CREDENTIAL_APP,
                                   "SIGNING_KEYS": [badge_keys.new_entry("openedx-test")]})
class TestAssessmentInTheLms(CourseWithAssessmentMixin, ModuleStoreTestCase):
    """Course staff score through the block's handler; the LMS credits the learner."""

    def setUp(self):
        super().setUp()
        self.build_course()
        # On in an LMS that tracks completion (the platform's switch; off in its test settings)
        self.enterContext(override_waffle_switch(ENABLE_COMPLETION_TRACKING_SWITCH, True))
        self.badges = []
        BADGE_AWARDED.connect(self._badge_awarded)
        self.addCleanup(BADGE_AWARDED.disconnect, self._badge_awarded)

    def _badge_awarded(self, sender, signal, **kwargs):
        self.badges.append(kwargs["badge"])

    def subsection_grade(self, user):
        grade = PersistentSubsectionGrade.objects.filter(
            user_id=user.id, course_id=self.course.id,
            usage_key=self.sequential.location).first()
        return (grade.earned_graded, grade.possible_graded) if grade else None

    def course_percent(self, user):
        grade = PersistentCourseGrade.objects.filter(user_id=user.id,
                                                     course_id=self.course.id).first()
        return grade.percent_grade if grade else None

    def completion(self, user):
        done = BlockCompletion.objects.filter(user=user, context_key=self.course.id,
                                              block_key=self.block.location).first()
        return done.completion if done else None

    def test_course_staff_score_and_the_learner_gets_the_grade_and_completion(self):
        attempt = self.hand_in()
        response = self.score(attempt["attempt_id"])
        assert response.status_code == 200, response.content
        assert response.json()["passed"] is True

        assert self.subsection_grade(self.learner) == (8, 8)
        assert self.course_percent(self.learner) == 1.0
        assert self.completion(self.learner) == 1.0
        # the assessor, whose request decided the result, is credited nothing
        assert self.subsection_grade(self.assessor) in (None, (0, 8))
        assert self.course_percent(self.assessor) in (None, 0)
        assert self.completion(self.assessor) is None

    def test_badge_awarded_event_names_the_learner(self):
        attempt = self.hand_in()
        assert self.score(attempt["attempt_id"]).status_code == 200
        assert len(self.badges) == 1
        assert self.badges[0].user.pii.username == self.learner.username
        assert self.badges[0].user.id == self.learner.id
        assert self.badges[0].template.name == "Site Safety"

    def test_instructor_reset_clears_the_learners_score(self):
        attempt = self.hand_in()
        assert self.score(attempt["attempt_id"]).status_code == 200
        assert self.subsection_grade(self.learner) == (8, 8)

        self.sign_in(self.assessor)  # course staff may reset a learner's attempts
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("reset_student_attempts", kwargs={"course_id": str(self.course.id)}),
                {"problem_to_reset": str(self.block.location),
                 "unique_student_identifier": self.learner.username, "delete_module": True})
        assert response.status_code == 200, response.content
        assert self.subsection_grade(self.learner) in (None, (0, 8))
        assert self.course_percent(self.learner) in (None, 0)
        page = self.render(self.learner).content.decode()
        assert "8 of 8" not in page

    def test_reset_attempts_finds_the_learners_state(self):
        """The instructor dashboard's "Reset attempts" (no deletion) needs the learner's
        StudentModule: handing in creates it, so the LMS answers 200, not 400 "Module does
        not exist"; the learner's result and course score stay (the app's attempts are
        reset by "Delete learner state")."""
        attempt = self.hand_in()
        assert self.score(attempt["attempt_id"]).status_code == 200
        self.sign_in(self.assessor)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("reset_student_attempts", kwargs={"course_id": str(self.course.id)}),
                {"problem_to_reset": str(self.block.location),
                 "unique_student_identifier": self.learner.username})
        assert response.status_code == 200, response.content
        assert self.subsection_grade(self.learner) == (8, 8)

    def test_badge_page_and_its_json(self):
        attempt = self.hand_in()
        scored = self.score(attempt["attempt_id"])
        assert scored.status_code == 200, scored.content
        uuid = scored.json()["credential_uuid"]
        assert uuid
        self.client.logout()  # public pages: no sign-in
        page = self.client.get(reverse("credential_app:badge_page", kwargs={"uuid": uuid}))
        assert page.status_code == 200, page.content[:2000]
        assert "Site Safety" in page.content.decode()
        document = self.client.get(reverse("credential_app:badge_json", kwargs={"uuid": uuid}))
        assert document.status_code == 200, document.content[:2000]
        assert "OpenBadgeCredential" in document.json()["type"]


# ---- translations as Open edX ships them (OEP-58) -------------------------------------------
# openedx-translations holds each XBlock's catalogues under ``<module>/conf/locale``; the
# LMS's ``pull_xblock_translations`` (atlas) puts them in ``conf/plugins-locale/xblock.v1/
# <module>/`` and ``compile_xblock_translations`` compiles them, the JavaScript one into a
# script defining the block's ``i18n_js_namespace``. Here the catalogues are the package's
# own source catalogues turned into edx-i18n-tools' dummy language (``eo``) by the package's
# own edx-i18n-tools settings; the rest is the platform's code: its compile command, its
# i18n service, its courseware.

DUMMY = "eo"
MODULE = "credential_xblock"


def dummy_catalogues(workdir: Path) -> Path:
    """The installed package's conf/locale, with ``i18n_tool dummy`` run on it: the
    ``<locale>/LC_MESSAGES/*.po`` layout openedx-translations keeps."""
    with as_file(files(MODULE) / "conf" / "locale") as source:
        shutil.copytree(source, workdir / "conf" / "locale",
                        ignore=shutil.ignore_patterns("*.mo"))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    i18n_tool = Path(sys.executable).parent / "i18n_tool"  # the platform's edx-i18n-tools
    subprocess.run([i18n_tool, "dummy"], cwd=workdir, env=env,  # noqa: S603 - a fixed command
                   check=True, capture_output=True, timeout=120)
    return workdir / "conf" / "locale"


class TestTheBlockInTheLearnersLanguage(CourseWithAssessmentMixin, ModuleStoreTestCase):
    """The block's catalogues where atlas puts them, compiled by the platform."""

    def setUp(self):
        super().setUp()
        self.build_course()
        scratch = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, scratch)
        pulled_root = scratch / "platform" / "conf" / "plugins-locale" / "xblock.v1"
        # pull_xblock_translations makes a folder for every installed XBlock's module (atlas
        # creates each destination); ours gets the catalogues openedx-translations would hold.
        for module in get_non_xmodule_xblock_module_names():
            (pulled_root / module).makedirs_p()
        pulled = pulled_root / MODULE
        shutil.copytree(dummy_catalogues(scratch / "source"), pulled, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("config.yaml"))
        where = override_settings(REPO_ROOT=scratch / "platform",
                                  STATICI18N_ROOT=scratch / "static")
        where.enable()
        self.addCleanup(where.disable)
        call_command("compile_xblock_translations")
        self.pulled = pulled

    def test_the_platform_compiles_the_blocks_javascript_catalogue_into_its_namespace(self):
        script = xmodule_api.get_javascript_i18n_file_path(MODULE, DUMMY).read_text()
        remove = gettext.translation("djangojs", self.pulled, [DUMMY]).gettext("Remove")
        assert remove != "Remove"
        assert CredentialAssessmentBlock.get_i18n_js_namespace() in script
        assert json.dumps(remove) in script  # the catalogue as JSON, as the platform writes it

    def test_the_learner_view_is_in_the_learners_language_with_its_script_catalogue(self):
        in_page = gettext.translation("django", self.pulled, [DUMMY]).gettext
        submit = in_page("Submit evidence")
        assert submit != "Submit evidence"

        self.sign_in(self.learner)
        response = self.client.get(self.render_url(), HTTP_ACCEPT_LANGUAGE=DUMMY)

        html = response.content.decode()
        assert response.status_code == 200
        assert submit in html and "Submit evidence" not in html
        assert xmodule_api.get_javascript_i18n_file_name(MODULE, DUMMY) in html

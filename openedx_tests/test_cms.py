"""The plugin inside Studio of an edx-platform tree, asserted through the platform's code.

Run by ``make test-openedx`` (``tools/openedx/run-tests``) from the platform's root with
``--ds=cms.envs.test`` and the platform's own Studio conftest. The author is course staff
(the course role ``CourseStaffRole``, not a superuser); requests go through Studio's own
views: the XBlock view handler (``studio_view``), the component handler (saving), and the
XBlock v2 API of content libraries.
"""
import json

import pytest
from common.djangoapps.student.roles import CourseStaffRole
from common.djangoapps.student.tests.factories import UserFactory
from django.conf import settings
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from openedx.core.djangoapps.content_libraries import api as library_api
from organizations.models import Organization
from xmodule.modulestore.django import modulestore
from xmodule.modulestore.tests.django_utils import ModuleStoreTestCase
from xmodule.modulestore.tests.factories import BlockFactory, CourseFactory

from credential_app.lib import public_urls
from credential_app.models import AssessmentUnit, CredentialDefinition

BLOCK_TYPE = "credential_assessment"  # the block's xblock.v1 entry point (setup.py)
CREDENTIAL_SLUG = "site-safety"
RUBRIC = {"criteria": [
    {"name": "hazards", "label": "Hazards", "levels": [
        {"name": "missing", "label": "Not shown", "points": 0},
        {"name": "complete", "label": "Complete", "points": 4}]},
]}
# What the author saves (every authored field: the save is all or nothing).
AUTHORED = {
    "display_name": "Loading bay walkthrough",
    "prompt": "<p>Walk the <strong>loading bay</strong>.</p>",
    "credential": CREDENTIAL_SLUG,
    "weight": 2.0,
    "require_id_verification": False,
    "text_evidence": True,
    "min_evidence_length": 10,
    "max_evidence_length": 4000,
    "file_evidence": False,
    "allowed_file_types": ["pdf"],
    "max_file_size_mb": 5,
    "max_files": 1,
    "link_evidence": False,
    "max_links": 1,
    "rubric": RUBRIC,
}
# What the block says where it cannot work (credential_xblock.handlers.NOT_IN_A_COURSE).
NOT_IN_A_COURSE = "Practical assessments work inside a course"


def test_studio_settings_load_with_the_plugin():
    assert "credential_app.apps.CredentialAppConfig" in settings.INSTALLED_APPS
    assert settings.CREDENTIAL_APP["CLAIM_MINUTES"] == 30
    # Studio's loaders (APP_DIRS off, edxmako's app-directories loader) find the app's
    # templates inside the app, with no settings of the plugin's.
    # (edxmako's loader keeps no origin: rendering it is the proof it was found)
    assert "</html>" in get_template("credential_app/base.html").render({})
    # Studio serves none of the app's pages, yet names the LMS's (the admin, the preview)
    with pytest.raises(NoReverseMatch):
        reverse("credential_app:learner-credentials")
    assert public_urls.lms_page("learner-credentials") == \
        f"{settings.LMS_ROOT_URL}/credential-app/credentials/"


class TestAuthoringInStudio(ModuleStoreTestCase):
    """studio_view and saving through Studio's handler, as a course-staff author."""

    def setUp(self):
        super().setUp()
        self.course = CourseFactory.create(advanced_modules=[BLOCK_TYPE])
        chapter = BlockFactory.create(parent=self.course, category="chapter")
        sequential = BlockFactory.create(parent=chapter, category="sequential")
        vertical = BlockFactory.create(parent=sequential, category="vertical")
        self.block = BlockFactory.create(parent=vertical, category=BLOCK_TYPE,
                                         display_name="Site walkthrough", rubric=RUBRIC)
        CredentialDefinition.objects.create(slug=CREDENTIAL_SLUG, name="Site Safety",
                                            pass_percentage=70)
        self.author = UserFactory.create(username="author")
        CourseStaffRole(self.course.id).add_users(self.author)
        assert not self.author.is_staff and not self.author.is_superuser
        self.client.logout()
        assert self.client.login(username="author", password=self.TEST_PASSWORD)

    def test_studio_view_renders_for_a_course_staff_author(self):
        response = self.client.get(
            reverse("xblock_view_handler", kwargs={"usage_key_string": str(self.block.location),
                                                   "view_name": "studio_view"}),
            HTTP_ACCEPT="application/json")
        assert response.status_code == 200, response.content[:2000]
        html = response.json()["html"]
        assert "Site walkthrough" in html
        assert "Site Safety" in html  # the credential offered in the form

    def test_saving_through_studios_handler(self):
        response = self.client.post(
            reverse("component_handler", kwargs={"usage_key_string": str(self.block.location),
                                                 "handler": "studio_submit"}),
            data=json.dumps(AUTHORED), content_type="application/json")
        assert response.status_code == 200, response.content[:2000]
        saved = modulestore().get_item(self.block.location)
        assert saved.display_name == "Loading bay walkthrough"
        assert saved.prompt == AUTHORED["prompt"]
        assert saved.credential == CREDENTIAL_SLUG
        assert saved.weight == 2.0
        unit = AssessmentUnit.objects.get(definition__slug=CREDENTIAL_SLUG)
        assert unit.course_key == self.course.id
        assert unit.display_name == "Loading bay walkthrough"

    def test_a_learner_cannot_save(self):
        UserFactory.create(username="someone")
        self.client.logout()
        self.client.login(username="someone", password=self.TEST_PASSWORD)
        response = self.client.post(
            reverse("component_handler", kwargs={"usage_key_string": str(self.block.location),
                                                 "handler": "studio_submit"}),
            data=json.dumps(AUTHORED), content_type="application/json")
        assert response.status_code in (403, 404)
        assert modulestore().get_item(self.block.location).display_name == "Site walkthrough"


class TestInAContentLibrary(ModuleStoreTestCase):
    """A content library (Learning Core, v2) with the block: it works there or says, plainly,
    that it works in a course; nothing fails with a server error."""

    def setUp(self):
        super().setUp()
        org = Organization.objects.create(short_name="SafetyOrg", name="Safety Org")
        self.library = library_api.create_library(org=org, slug="safety",
                                                  title="Safety library")
        self.author = UserFactory.create(username="librarian")
        library_api.set_library_user_permissions(
            self.library.key, self.author, library_api.AccessLevel.ADMIN_LEVEL)
        self.client.logout()
        assert self.client.login(username="librarian", password=self.TEST_PASSWORD)

    def add_block(self):
        created = library_api.create_library_block(self.library.key, BLOCK_TYPE, "walkthrough",
                                                   user_id=self.author.id)
        return created.usage_key

    def test_the_block_can_be_added_to_a_library(self):
        usage_key = self.add_block()
        assert usage_key.block_type == BLOCK_TYPE

    def test_its_view_in_the_library_says_it_works_in_a_course(self):
        usage_key = self.add_block()
        response = self.client.get(f"/api/xblock/v2/xblocks/{usage_key}/view/student_view/")
        assert response.status_code == 200, response.content[:2000]
        assert NOT_IN_A_COURSE in response.json()["content"]

    def test_saving_in_the_library_is_refused_with_the_reason(self):
        usage_key = self.add_block()
        handler = self.client.get(
            f"/api/xblock/v2/xblocks/{usage_key}/handler_url/studio_submit/")
        assert handler.status_code == 200, handler.content[:2000]
        response = self.client.post(handler.json()["handler_url"], data=json.dumps(AUTHORED),
                                    content_type="application/json")
        assert response.status_code == 409, response.content[:2000]
        assert NOT_IN_A_COURSE in response.json()["error"]

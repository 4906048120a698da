"""In a content library the block says plainly that it works in a course, and changes nothing.

Attempts, scores and credentials belong to a course run: a library (v1 or Learning Core) has
none, and the app's course-key columns cannot hold a library key.
"""
import json

import pytest
from opaque_keys.edx.keys import UsageKey
from webob import Request
from workbench.runtime import WorkbenchRuntime
from xblock.fields import ScopeIds

from credential_app.models import AssessmentUnit, Attempt
from credential_xblock.block import CredentialAssessmentBlock

LIBRARY_KEYS = ["lb:Acme:safety:credential_assessment:walkthrough",
                "lib-block-v1:Acme+safety+type@credential_assessment+block@walkthrough"]
MESSAGE = ("Practical assessments work inside a course. This one is in a content library: "
           "add it to a course to author it and hand in evidence there.")


def library_block(username, key):
    runtime = WorkbenchRuntime(username)
    usage_key = UsageKey.from_string(key)
    return runtime, runtime.construct_xblock_from_class(
        CredentialAssessmentBlock,
        ScopeIds(username, "credential_assessment", usage_key, usage_key))


@pytest.mark.parametrize("key", LIBRARY_KEYS)
def test_views_in_a_library_say_the_block_works_in_a_course(people, definition, key):
    for view in ("student_view", "studio_view"):
        _runtime, block = library_block("staff", key)
        assert MESSAGE in getattr(block, view)({}).body_html()  # (the workbench wrapper
        # cannot store fields under a library key, so the view is called directly)


@pytest.mark.parametrize("key", LIBRARY_KEYS)
@pytest.mark.parametrize("username, handler, payload", [
    ("learner", "submit_evidence", {"text": "Walked the site and found three hazards."}),
    ("learner", "save_draft", {"text": "half"}),
    ("staff", "studio_submit", {"display_name": "Walkthrough"}),
])
def test_handlers_in_a_library_refuse_with_that_reason_and_change_nothing(
        people, definition, key, username, handler, payload):
    runtime, block = library_block(username, key)
    request = Request.blank("/", method="POST", body=json.dumps(payload).encode())
    response = runtime.handle(block, handler, request)
    assert response.status_code == 409
    assert json.loads(response.body)["error"] == MESSAGE
    assert not Attempt.objects.exists() and not AssessmentUnit.objects.exists()

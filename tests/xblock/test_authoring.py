"""Authoring in the real workbench: the studio view, and ``studio_submit`` saving all or nothing."""
import copy
import json
import re

import pytest
from lxml import etree
from webob import Request
from workbench.runtime import WorkbenchRuntime
from xblock.exceptions import InvalidScopeError
from xblock.field_data import FieldData
from xblock.fields import Scope

from credential_app import api
from credential_app.models import CredentialDefinition
from credential_xblock.authoring import SUPPORTED_FILE_TYPES
from credential_xblock.demo_scenarios import DEMO_CREDENTIAL_SLUG

STUDIO_PAGE = "/scenario/credential_assessment.0/studio_view/"

RUBRIC = {"criteria": [
    {"name": "hazards", "label": "Hazard identification", "description": "Finds hazards.",
     "minimum_level": "partial",
     "levels": [
         {"name": "missing", "label": "Not shown", "points": 0, "description": "None named."},
         {"name": "partial", "label": "Partial", "points": 2, "description": "Some."},
         {"name": "complete", "label": "Complete", "points": 5, "description": "All."},
     ]},
    {"name": "ppe", "label": "Protective equipment", "description": "",
     "levels": [
         {"name": "no", "label": "Not chosen", "points": 0, "description": ""},
         {"name": "yes", "label": "Right PPE", "points": 3, "description": "Fits the task."},
     ]},
]}


def valid_payload(**changes):
    payload = {
        "display_name": "Forklift walkthrough",
        "prompt": "<p>Walk the <strong>loading bay</strong>.</p>",
        "credential": DEMO_CREDENTIAL_SLUG,
        "weight": 2.5,
        "require_id_verification": True,
        "text_evidence": True,
        "min_evidence_length": 50,
        "max_evidence_length": 4000,
        "file_evidence": True,
        "allowed_file_types": ["pdf", "docx"],
        "max_file_size_mb": 20,
        "max_files": 2,
        "link_evidence": True,
        "max_links": 4,
        "rubric": copy.deepcopy(RUBRIC),
    }
    payload.update(changes)
    return payload


def the_block(scenario):
    return WorkbenchRuntime("staff").get_block(scenario.usage_id)


def exported(scenario):
    """The block as OLX: every authored field, to prove a refusal changed none of them."""
    node = etree.Element("root")
    the_block(scenario).add_xml_to_node(node)
    return etree.tostring(node, encoding="unicode")


def test_studio_view_offers_every_authored_field_with_a_label(workbench, people):
    CredentialDefinition.objects.create(slug="forklift-operator", name="Forklift Operator")
    response = workbench.sign_in(people["staff"]).client.get(STUDIO_PAGE)
    assert response.status_code == 200
    page = response.content.decode()

    ids = re.findall(r'<(?:input|select|textarea)[^>]*\sid="([^"]+)"', page)
    assert len(ids) > 20
    for input_id in ids:
        assert f'for="{input_id}"' in page, f"{input_id} has no label"
    for name in ("display_name", "prompt", "credential", "weight", "require_id_verification",
                 "text_evidence", "min_evidence_length", "max_evidence_length", "file_evidence",
                 "max_file_size_mb", "max_files", "link_evidence", "max_links"):
        assert f'name="{name}"' in page, name
    for kind in SUPPORTED_FILE_TYPES:
        assert f'value="{kind}"' in page
    # Credentials are chosen from what the app knows, the unit's own one selected.
    assert '<option value="forklift-operator">Forklift Operator</option>' in page
    assert (f'<option value="{DEMO_CREDENTIAL_SLUG}" selected>Workplace Safety Practitioner'
            in page)
    assert 'value="Workplace safety walkthrough"' in page
    # The rubric editor starts from the block's rubric (a JSON data element on the page).
    init = {"rubric": json.loads(re.search(
        r'<script id="[^"]*-studio-rubric" type="application/json">(.*?)</script>', page,
        re.S).group(1))}
    assert [c["name"] for c in init["rubric"]["criteria"]] == ["hazards", "controls",
                                                               "communication"]
    assert 'role="status" aria-live="polite"' in page


def test_demo_block_page_links_to_the_studio_view(workbench, people):
    page = workbench.sign_in(people["staff"]).page()
    assert f'href="{STUDIO_PAGE}"' in page


def test_learners_cannot_edit(workbench, people, scenario):
    before = exported(scenario)
    page = workbench.sign_in(people["learner"]).client.get(STUDIO_PAGE).content.decode()
    assert "Only the course team can edit this assessment." in page
    assert 'class="cas-form"' not in page

    status, body = workbench.post("studio_submit", valid_payload())

    assert status == 403
    assert body["error"] == "Only the course team can edit this assessment."
    assert exported(scenario) == before
    assert api.list_assessment_units(DEMO_CREDENTIAL_SLUG) == []


def test_saving_updates_every_field_and_registers_the_unit(workbench, people, scenario):
    status, body = workbench.sign_in(people["staff"]).post("studio_submit", valid_payload())

    assert status == 200, body
    assert body["message"] == "Saved."
    assert body["max_score"] == 8
    block = the_block(scenario)
    assert (block.display_name, block.prompt, block.credential, block.weight) == (
        "Forklift walkthrough", "<p>Walk the <strong>loading bay</strong>.</p>",
        DEMO_CREDENTIAL_SLUG, 2.5)
    assert block.rubric == RUBRIC
    assert block.rubric["criteria"][0]["minimum_level"] == "partial"
    assert (block.text_evidence, block.min_evidence_length, block.max_evidence_length) == (
        True, 50, 4000)
    assert (block.file_evidence, block.allowed_file_types, block.max_file_size_mb,
            block.max_files) == (True, ["pdf", "docx"], 20, 2)
    assert (block.link_evidence, block.max_links, block.require_id_verification) == (
        True, 4, True)

    [unit] = api.list_assessment_units(DEMO_CREDENTIAL_SLUG)
    assert unit.display_name == "Forklift walkthrough"
    assert unit.rubric.to_dict() == RUBRIC
    assert unit.evidence == block.evidence_settings()
    assert unit.evidence.file_types == ("pdf", "docx")
    assert unit.evidence.max_file_size == 20 * 1024 * 1024

    learner_page = workbench.sign_in(people["learner"]).page()
    assert "Forklift walkthrough" in learner_page
    assert "Protective equipment" in learner_page and "Right PPE" in learner_page
    assert "Total available: 8 points." in learner_page
    assert learner_page.count("(the least that passes this criterion)") == 1
    assert re.search(r'<strong>Partial</strong>[^<]*<em class="ca-minimum">', learner_page)


def test_saving_again_updates_the_registered_unit(workbench, people):
    workbench.sign_in(people["staff"]).post("studio_submit", valid_payload())
    CredentialDefinition.objects.create(slug="forklift-operator", name="Forklift Operator")

    status, body = workbench.post("studio_submit", valid_payload(
        credential="forklift-operator", display_name="Forklift, second version"))

    assert status == 200, body
    assert api.list_assessment_units(DEMO_CREDENTIAL_SLUG) == []
    [unit] = api.list_assessment_units("forklift-operator")
    assert unit.display_name == "Forklift, second version"


def test_prompt_is_sanitised_on_save(workbench, people, scenario):
    prompt = ('<p onclick="steal()">Read <a href="javascript:alert(1)">this</a> and '
              '<a href="https://example.org/guide">the guide</a>.</p>'
              '<script>alert(1)</script><img src="x.png" onerror="steal()" alt="plan">')

    status, body = workbench.sign_in(people["staff"]).post("studio_submit",
                                                           valid_payload(prompt=prompt))

    assert status == 200, body
    saved = the_block(scenario).prompt
    assert body["prompt"] == saved
    for bad in ("onclick", "javascript:", "<script", "alert(1)", "onerror"):
        assert bad not in saved
    assert '<a href="https://example.org/guide" rel="noopener noreferrer">the guide</a>' in saved
    assert '<img src="x.png" alt="plan">' in saved
    assert "tidied" in body["message"]
    page = workbench.sign_in(people["learner"]).page()
    assert "steal()" not in page and "javascript:alert" not in page


def without_criteria(p):
    p["rubric"]["criteria"] = []


def duplicate_level(p):
    p["rubric"]["criteria"][1]["levels"][1]["name"] = "no"


def negative_points(p):
    p["rubric"]["criteria"][1]["levels"][0]["points"] = -1


def missing_minimum(p):
    p["rubric"]["criteria"][0]["minimum_level"] = "expert"


def duplicate_criterion(p):
    p["rubric"]["criteria"][1]["name"] = "hazards"


def too_many_criteria(p):  # the attack run saved 12,000 (a 3.5 MB staff page)
    p["rubric"]["criteria"] = [{**copy.deepcopy(p["rubric"]["criteria"][0]), "name": f"c{i}"}
                               for i in range(51)]


def huge_points(p):  # 4,294,967,296 overflowed the score column on MariaDB
    p["rubric"]["criteria"][1]["levels"][0]["points"] = 4_294_967_296


def too_many_levels(p):
    criterion = p["rubric"]["criteria"][0]
    criterion["levels"] = [{**criterion["levels"][0], "name": f"l{i}"} for i in range(11)]
    criterion["minimum_level"] = ""


def huge_label(p):
    p["rubric"]["criteria"][0]["label"] = "x" * 201


def no_evidence(p):
    p.update(text_evidence=False, file_evidence=False, link_evidence=False)


# Where a rubric problem is, as the message says it: number, label and name (slug).
AT_HAZARDS = "Criterion 1 “Hazard identification” (name “hazards”)"
AT_PPE = "Criterion 2 “Protective equipment” (name “ppe”)"
AT_NO = AT_PPE + ", level 1 “Not chosen” (name “no”)"


@pytest.mark.parametrize("change, field, message", [
    (without_criteria, "rubric", "The rubric needs at least one criterion."),
    # rubric problems say where, by number, label and name (slug), then what is wrong
    (duplicate_level, "rubric",
     AT_PPE + ": Criterion “ppe” has more than one level named “no”."),
    (negative_points, "rubric",
     AT_NO + ": Level “no” must be worth a whole number of points, zero or more."),
    (missing_minimum, "rubric",
     AT_HAZARDS + ": Criterion “hazards” asks for a minimum level “expert” it does not have."),
    ({"credential": "no-such-credential"}, "credential",
     "No credential “no-such-credential” is defined. Choose one from the list, or ask an "
     "administrator to define it first."),
    ({"credential": ""}, "credential", "Choose the credential this unit leads to."),
    ({"min_evidence_length": 500, "max_evidence_length": 100}, "min_evidence_length",
     "The shortest text allowed (500 characters) is longer than the longest (100). "
     "Lower the minimum or raise the maximum."),
    ({"max_evidence_length": 0}, "max_evidence_length",
     "The longest text allowed must be a whole number of characters, 1 or more."),
    ({"max_evidence_length": 50_001}, "max_evidence_length",
     "The longest text allowed can be at most 50000 characters on this platform."),
    ({"min_evidence_length": -1}, "min_evidence_length",
     "The shortest text allowed must be a whole number of characters, 0 or more."),
    ({"max_file_size_mb": 0}, "max_file_size_mb",
     "The largest file must be a whole number of megabytes, 1 or more."),
    ({"max_file_size_mb": "ten"}, "max_file_size_mb",
     "The largest file must be a whole number of megabytes, 1 or more."),
    ({"max_files": -2}, "max_files", "The number of files must be a whole number, 1 or more."),
    ({"max_links": 0}, "max_links", "The number of links must be a whole number, 1 or more."),
    ({"max_links": 1_000_000}, "max_links", "A unit may take at most 20 links."),
    ({"max_files": 21}, "max_files", "A unit may take at most 20 files."),
    ({"allowed_file_types": []}, "allowed_file_types",
     "Choose at least one file type learners may upload."),
    ({"allowed_file_types": ["exe"]}, "allowed_file_types",
     "“exe” is not a file type this assessment can check. Choose from the list."),
    (duplicate_criterion, "rubric", "Criterion 2 “Protective equipment” (name “hazards”): "
     "The rubric has more than one criterion named “hazards”."),
    (too_many_criteria, "rubric", "A rubric may have at most 50 criteria."),
    (huge_points, "rubric", AT_NO + ": Level “no” may be worth at most 1000 points."),
    (too_many_levels, "rubric", AT_HAZARDS + ": Criterion “hazards” may have at most 10 levels."),
    (huge_label, "rubric", f"Criterion 1 “{'x' * 80}” (name “hazards”): The criterion's "
     "label may be at most 200 characters long."),
    (no_evidence, "text_evidence", "Ask for at least one kind of evidence: text, files or links."),
    ({"display_name": "   "}, "display_name", "Give the unit a title."),
    ({"prompt": "<script>alert(1)</script>"}, "prompt",
     "Write the prompt: what the learner must do."),
    ({"weight": -1}, "weight", "The grading weight must be a number, zero or more (or empty "
                               "for the rubric's total points)."),
    ({"text_evidence": "yes"}, "text_evidence", "Send the field “text_evidence” as on or off."),
])
def test_bad_author_input_is_refused_naming_the_field_and_changes_nothing(
        workbench, people, scenario, change, field, message):
    payload = valid_payload()
    if callable(change):
        change(payload)
    else:
        payload.update(change)
    before = exported(scenario)

    status, body = workbench.sign_in(people["staff"]).post("studio_submit", payload)

    assert status == 400
    assert (body["field"], body["error"]) == (field, message)
    assert exported(scenario) == before
    assert api.list_assessment_units(DEMO_CREDENTIAL_SLUG) == []


@pytest.mark.parametrize("change, location, rubric_field", [
    (negative_points, "criteria.1.levels.0", "points"),
    (duplicate_level, "criteria.1", "levels"),
    (missing_minimum, "criteria.0", "minimum_level"),
    (without_criteria, None, "criteria"),
    (duplicate_criterion, "criteria.1", "criteria"),
])
def test_rubric_refusals_say_where_the_problem_is(workbench, people, change, location,
                                                  rubric_field):
    payload = valid_payload()
    change(payload)
    status, body = workbench.sign_in(people["staff"]).post("studio_submit", payload)
    assert status == 400
    assert (body["location"], body["rubric_field"]) == (location, rubric_field)


def test_a_failed_registration_leaves_the_block_as_it_was(workbench, people, scenario,
                                                          monkeypatch):
    def refuse(**kwargs):
        raise api.UnknownCredential("No credential “x” is defined.", field="credential")

    monkeypatch.setattr(api, "register_assessment_unit", refuse)
    before = exported(scenario)

    status, body = workbench.sign_in(people["staff"]).post("studio_submit", valid_payload())

    assert status == 409
    assert body["field"] == "credential"
    assert exported(scenario) == before


class StudioPermissions:
    """Studio's ``studio_user_permissions`` service, as the workbench loads a service."""

    runtime = None
    writers = {"learner2"}

    def can_write(self, course_key):
        return self.runtime.user_id in self.writers and course_key.org == "Workbench"


@pytest.fixture
def in_studio(settings):
    """The workbench with Studio's permission service, as Studio gives it to blocks."""
    services = {**settings.WORKBENCH["services"],
                "studio_user_permissions": f"{__name__}.StudioPermissions"}
    settings.WORKBENCH = {**settings.WORKBENCH, "services": services}


def test_in_studio_whoever_may_write_the_course_may_author(workbench, people, scenario,
                                                           in_studio):
    page = workbench.sign_in(people["learner2"]).client.get(STUDIO_PAGE).content.decode()
    assert 'class="cas-form"' in page
    status, body = workbench.post("studio_submit", valid_payload())
    assert status == 200, body

    before = exported(scenario)
    status, body = workbench.sign_in(people["learner"]).post("studio_submit",
                                                             valid_payload(max_links=9))
    assert (status, body["error"]) == (403, "Only the course team can edit this assessment.")
    assert exported(scenario) == before


def test_the_unit_is_registered_under_the_key_learners_meet_it_by():
    from types import SimpleNamespace

    from opaque_keys.edx.keys import UsageKey

    from credential_xblock.authoring import unit_key

    draft = UsageKey.from_string(
        "block-v1:Org+Safety+2026+branch@draft-branch+type@credential_assessment+block@walk")
    block = SimpleNamespace(scope_ids=SimpleNamespace(usage_id=draft))
    assert str(unit_key(block)) == (
        "block-v1:Org+Safety+2026+type@credential_assessment+block@walk")


def test_numbers_in_the_form_are_not_localised(workbench, people, scenario):
    """A German page must not write 2,5 into a number input (the browser would drop it)."""
    from django.utils import translation

    workbench.sign_in(people["staff"]).post("studio_submit", valid_payload(
        weight=2.5, max_evidence_length=12000))
    runtime = WorkbenchRuntime("staff")
    with translation.override("de"):
        html = runtime.render(runtime.get_block(scenario.usage_id), "studio_view").content
    assert 'name="weight" type="number" min="0" step="any" value="2.5"' in html
    assert 'value="12000"' in html


def test_a_unit_linked_to_a_replaced_version_selects_the_version_in_force(
        workbench, people, definition, issuer, scenario):
    definition.issuer, definition.validity_days = issuer, 365
    definition.save()
    CredentialDefinition.objects.create(
        slug="safety-v2", name="Workplace Safety Practitioner (2027)", issuer=issuer,
        validity_days=365, previous_version=definition)
    api.publish_new_version(slug="safety-v2", actor_id=people["staff"].pk)

    page = workbench.sign_in(people["staff"]).client.get(STUDIO_PAGE).content.decode()

    assert '<option value="safety-v2" selected>Workplace Safety Practitioner (2027)' in page
    assert f"This unit was linked to “{DEMO_CREDENTIAL_SLUG}”, since replaced" in page
    assert "(not defined)" not in page
    status, body = workbench.post("studio_submit", valid_payload(credential="safety-v2"))
    assert status == 200, body
    assert the_block(scenario).credential == "safety-v2"


def test_a_unit_linked_to_an_unknown_credential_shows_it_to_be_changed(workbench, people):
    from credential_xblock.authoring import linked_credential

    assert linked_credential("gone", api.list_credential_definitions()) == {
        "selected_credential": "gone", "replaced_credential": "", "unknown_credential": "gone"}


def test_the_evidence_settings_an_author_saves_are_what_uploads_are_held_to(workbench, people):
    from tests.learner_helpers import PDF, PNG, upload

    status, body = workbench.sign_in(people["staff"]).post("studio_submit", valid_payload(
        file_evidence=True, allowed_file_types=["png"], max_files=1))
    assert status == 200, body

    workbench.sign_in(people["learner"])
    status, body = upload(workbench, "plan.pdf", PDF)
    assert (status, body["field"]) == (400, "file")
    assert body["error"] == "“plan.pdf” is a .pdf file; this assessment accepts .png."
    status, body = upload(workbench, "plan.png", PNG)
    assert status == 200, body

    workbench.sign_in(people["staff"]).post("studio_submit", valid_payload(file_evidence=False))
    status, body = upload(workbench.sign_in(people["learner"]), "more.png", PNG)
    assert (status, body["error"]) == (400, "This assessment does not take files.")


class LmsContentFieldData(FieldData):
    """Field data as the LMS gives blocks: course content and settings are read-only
    (authored in Studio); only the learner's own scopes may be written."""

    AUTHORED = (Scope.content, Scope.settings)

    def __init__(self, inner):
        self.inner = inner

    def get(self, block, name):
        return self.inner.get(block, name)

    def has(self, block, name):
        return self.inner.has(block, name)

    def delete(self, block, name):
        self.inner.delete(block, name)

    def set(self, block, name, value):
        if block.fields[name].scope in self.AUTHORED:
            raise InvalidScopeError(f"{name} is read-only outside Studio")
        self.inner.set(block, name, value)


def test_in_the_lms_course_staff_cannot_change_the_unit_or_its_registration(people, scenario,
                                                                           definition):
    """LMS course staff pass ``course_author`` (staff of the course), but the LMS keeps
    content read-only: the save is refused before the app hears of it."""
    runtime = WorkbenchRuntime("staff")
    runtime._services["field-data"] = LmsContentFieldData(runtime._services["field-data"])
    block = runtime.get_block(scenario.usage_id)
    before = exported(scenario)
    request = Request.blank("/", method="POST", body=json.dumps(valid_payload()).encode())

    response = runtime.handle(block, "studio_submit", request)  # as the LMS calls handlers

    assert response.status_code == 403, response.body
    assert json.loads(response.body)["error"] == "Course content can only be edited in Studio."
    assert exported(scenario) == before
    assert api.list_assessment_units(DEMO_CREDENTIAL_SLUG) == []


def test_the_rubric_reaches_the_editor_as_data_not_script(workbench, people, scenario):
    """A label that closes a script tag stays text: the editor reads the rubric from a JSON
    data element that Django escapes, not from script source."""
    payload = valid_payload()
    payload["rubric"]["criteria"][0]["label"] = "</script><script>alert(1)</script>"
    status, body = workbench.sign_in(people["staff"]).post("studio_submit", payload)
    assert status == 200, body
    page = workbench.client.get(STUDIO_PAGE).content.decode()
    assert "<script>alert(1)" not in page
    assert "\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)" in page

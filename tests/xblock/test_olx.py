"""The demo scenario's OLX becomes the block's fields, and exports back to the same content."""
import io

import pytest
from lxml import etree
from workbench.runtime import WorkbenchRuntime


def test_olx_parses_into_prompt_and_rubric_and_exports_back(scenario):
    runtime = WorkbenchRuntime("learner")
    block = runtime.get_block(scenario.usage_id)

    assert block.credential == "workplace-safety-practitioner"
    assert block.max_evidence_length == 5000
    assert "<strong>hazards</strong>" in block.prompt
    assert [c["name"] for c in block.rubric["criteria"]] == ["hazards", "controls",
                                                             "communication"]
    assert block.max_score() == 10

    node = etree.Element("root")
    block.add_xml_to_node(node)
    exported = etree.tostring(node, encoding="unicode")
    reparsed_id = runtime.parse_xml_string(exported)
    again = runtime.get_block(reparsed_id)
    assert (again.prompt, again.rubric, again.credential) == (block.prompt, block.rubric,
                                                              block.credential)


# ---- every authored field, byte-identical re-export, a course tree ------------------------

FULL_BLOCK = """<credential_assessment display_name="Forklift &amp; loading bay" \
credential="workplace-safety-practitioner" weight="2.5" require_id_verification="true" \
text_evidence="false" min_evidence_length="20" max_evidence_length="800" file_evidence="true" \
allowed_file_types="pdf docx mp4" max_file_size_mb="25" max_files="4" link_evidence="true" \
max_links="2">
    <prompt><p>Film the <em>loading bay</em>&#160;at shift change.<br/>Then explain.</p> \
See <a href="https://example.org/guide" rel="noopener noreferrer">the guide</a>.</prompt>
    <rubric>
      <criterion name="route" label="Route" description="Marks the &quot;safe&quot; route." \
minimum_level="partial">
        <level name="none" label="Not shown" points="0">No route.</level>
        <level name="partial" label="Partial" points="2">Some of it.</level>
        <level name="full" label="Full" points="4">All of it, with signs.</level>
      </criterion>
      <criterion name="ppe" label="PPE">
        <level name="no" label="No" points="0"/>
        <level name="yes" label="Yes" points="1">Hi-vis and boots.</level>
      </criterion>
    </rubric>
  </credential_assessment>"""

COURSE = f"""<vertical_demo display_name="Week 3: practical">
  {FULL_BLOCK}
  <credential_assessment display_name="Second unit" credential="workplace-safety-practitioner">
    <prompt>Plain text prompt.</prompt>
    <rubric>
      <criterion name="only" label="Only">
        <level name="done" label="Done" points="1"/>
      </criterion>
    </rubric>
  </credential_assessment>
</vertical_demo>"""


EXPECTED_EXPORT = """<?xml version='1.0' encoding='UTF-8'?>
<credential_assessment xmlns:option="http://code.edx.org/xblock/option" \
xmlns:block="http://code.edx.org/xblock/block" display_name="Forklift &amp; loading bay" \
credential="workplace-safety-practitioner" weight="2.5" require_id_verification="true" \
text_evidence="false" min_evidence_length="20" max_evidence_length="800" file_evidence="true" \
allowed_file_types="pdf docx mp4" max_file_size_mb="25" max_files="4" link_evidence="true" \
max_links="2">
  <prompt><p>Film the <em>loading bay</em>\u00a0at shift change.<br/>Then explain.</p> See \
<a href="https://example.org/guide" rel="noopener noreferrer">the guide</a>.</prompt>
  <rubric>
    <criterion name="route" label="Route" description="Marks the &quot;safe&quot; route." \
minimum_level="partial">
      <level name="none" label="Not shown" points="0">No route.</level>
      <level name="partial" label="Partial" points="2">Some of it.</level>
      <level name="full" label="Full" points="4">All of it, with signs.</level>
    </criterion>
    <criterion name="ppe" label="PPE">
      <level name="no" label="No" points="0"/>
      <level name="yes" label="Yes" points="1">Hi-vis and boots.</level>
    </criterion>
  </rubric>
</credential_assessment>
"""


def export(runtime, usage_id) -> bytes:
    out = io.BytesIO()
    runtime.export_to_xml(runtime.get_block(usage_id), out)
    return out.getvalue()


AUTHORED = ("display_name", "credential", "prompt", "rubric", "weight",
            "require_id_verification", "text_evidence", "min_evidence_length",
            "max_evidence_length", "file_evidence", "allowed_file_types", "max_file_size_mb",
            "max_files", "link_evidence", "max_links")


def authored(block):
    return {name: getattr(block, name) for name in AUTHORED}


def test_every_authored_field_is_imported(db):
    runtime = WorkbenchRuntime("staff")
    block = runtime.get_block(runtime.parse_xml_string(FULL_BLOCK))

    assert authored(block) == {
        "display_name": "Forklift & loading bay",
        "credential": "workplace-safety-practitioner",
        "prompt": ('<p>Film the <em>loading bay</em>&nbsp;at shift change.<br>Then explain.</p> '
                   'See <a href="https://example.org/guide" rel="noopener noreferrer">the guide'
                   '</a>.'),
        "rubric": {"criteria": [
            {"name": "route", "label": "Route", "description": 'Marks the "safe" route.',
             "minimum_level": "partial", "levels": [
                 {"name": "none", "label": "Not shown", "points": 0, "description": "No route."},
                 {"name": "partial", "label": "Partial", "points": 2,
                  "description": "Some of it."},
                 {"name": "full", "label": "Full", "points": 4,
                  "description": "All of it, with signs."}]},
            {"name": "ppe", "label": "PPE", "description": "", "levels": [
                {"name": "no", "label": "No", "points": 0, "description": ""},
                {"name": "yes", "label": "Yes", "points": 1,
                 "description": "Hi-vis and boots."}]},
        ]},
        "weight": 2.5,
        "require_id_verification": True,
        "text_evidence": False,
        "min_evidence_length": 20,
        "max_evidence_length": 800,
        "file_evidence": True,
        "allowed_file_types": ["pdf", "docx", "mp4"],
        "max_file_size_mb": 25,
        "max_files": 4,
        "link_evidence": True,
        "max_links": 2,
    }
    assert block.max_score() == 5


def test_export_of_an_imported_block_is_byte_identical_and_keeps_every_field(db):
    runtime = WorkbenchRuntime("staff")
    first = runtime.parse_xml_string(FULL_BLOCK)
    exported = export(runtime, first)
    again = runtime.parse_xml_string(exported)

    assert export(runtime, again) == exported
    assert authored(runtime.get_block(again)) == authored(runtime.get_block(first))
    # The export is the readable OLX authors write: attributes in a fixed order, the prompt
    # as XML (no HTML entities, <br/>), the rubric as a tree.
    assert exported.decode("utf-8") == EXPECTED_EXPORT


def test_a_course_with_the_block_survives_export_and_import(db):
    runtime = WorkbenchRuntime("staff")
    course = runtime.parse_xml_string(COURSE)
    exported = export(runtime, course)

    reimported = runtime.parse_xml_string(exported)

    units = [runtime.get_block(child) for child in runtime.get_block(reimported).children]
    originals = [runtime.get_block(child) for child in runtime.get_block(course).children]
    assert [u.display_name for u in units] == ["Forklift & loading bay", "Second unit"]
    assert [authored(u) for u in units] == [authored(o) for o in originals]
    assert units[0].rubric["criteria"][0]["minimum_level"] == "partial"
    assert [u.max_score() for u in units] == [5, 1]
    assert export(runtime, reimported) == exported


def test_imported_prompt_is_sanitised(db):
    runtime = WorkbenchRuntime("staff")
    block = runtime.get_block(runtime.parse_xml_string(
        '<credential_assessment><prompt><p onclick="steal()">Hi <a href="javascript:alert(1)">'
        'x</a></p><script>alert(2)</script></prompt><rubric/></credential_assessment>'))
    assert block.prompt == '<p>Hi <a rel="noopener noreferrer">x</a></p>'


def test_a_saved_block_exports_what_the_author_saved(workbench, people, scenario):
    from tests.xblock.test_authoring import RUBRIC, valid_payload

    status, body = workbench.sign_in(people["staff"]).post("studio_submit", valid_payload())
    assert status == 200, body
    runtime = WorkbenchRuntime("staff")
    exported = export(runtime, scenario.usage_id)

    again = runtime.get_block(runtime.parse_xml_string(exported))
    assert again.rubric == RUBRIC
    assert (again.weight, again.allowed_file_types, again.max_links, again.min_evidence_length,
            again.require_id_verification) == (2.5, ["pdf", "docx"], 4, 50, True)
    assert export(runtime, again.scope_ids.usage_id) == exported


def test_fields_the_runtime_mixes_in_travel_with_the_block(db):
    """Studio adds its own settings (dates, access...) to every block; export keeps them."""
    runtime = WorkbenchRuntime("staff")
    block = runtime.get_block(runtime.parse_xml_string(
        '<credential_assessment xmlns:option="http://code.edx.org/xblock/option" '
        'display_name="Walk" tags=\'["safety", "week-3"]\'>'
        "<option:name>walkthrough</option:name><prompt>Go.</prompt><rubric/>"
        "</credential_assessment>"))
    assert (block.tags, block.name, block.display_name) == (["safety", "week-3"],
                                                            "walkthrough", "Walk")

    exported = export(runtime, block.scope_ids.usage_id)
    again = runtime.get_block(runtime.parse_xml_string(exported))

    assert (again.tags, again.name, again.prompt) == (["safety", "week-3"], "walkthrough", "Go.")
    assert export(runtime, again.scope_ids.usage_id) == exported


@pytest.mark.parametrize("written", ['pdf png txt', 'pdf, png, txt', '["pdf", "png", "txt"]'])
def test_allowed_file_types_may_be_words_commas_or_json(db, written):
    runtime = WorkbenchRuntime("staff")
    block = runtime.get_block(runtime.parse_xml_string(
        f"<credential_assessment allowed_file_types='{written}'><prompt>Go.</prompt><rubric/>"
        "</credential_assessment>"))
    assert block.allowed_file_types == ["pdf", "png", "txt"]
    assert b'allowed_file_types="pdf png txt"' in export(runtime, block.scope_ids.usage_id)

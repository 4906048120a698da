"""The demo scenario's OLX becomes the block's fields, and exports back to the same content."""
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

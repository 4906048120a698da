"""An author at the keyboard in real Chromium: edits the rubric, fixes a refused save, sees it live.

The studio view is the workbench's own rendering of ``studio_view`` (reached from the
demo page's "Edit this unit" link), so the block's script, handler URL and CSRF take part.
"""
import pytest
from playwright.sync_api import expect
from workbench.runtime import WorkbenchRuntime

from credential_app import api
from credential_xblock.demo_scenarios import DEMO_CREDENTIAL_SLUG
from tests.helpers import (
    add_level,
    asks_before_leaving,
    blocking_violations,
    leaves_without_asking,
    open_studio_view,
)

pytestmark = pytest.mark.browser


def focused(page):
    return page.locator(":focus")


def test_author_adds_a_criterion_with_the_keyboard_and_learners_see_it(page, scenario):
    open_studio_view(page)

    page.get_by_role("button", name="Add criterion").focus()
    page.keyboard.press("Enter")
    expect(focused(page)).to_have_attribute("data-path", "criteria.3.label")
    page.keyboard.type("Teamwork")
    expect(page.get_by_role("group", name="Criterion 4: Teamwork")).to_be_visible()
    for _ in range(4):  # name, description, minimum level, then "Add level"
        page.keyboard.press("Tab")
    expect(focused(page)).to_have_accessible_name("Add level to Teamwork")

    add_level(page, "Teamwork", "Alone", "0")
    add_level(page, "Teamwork", "Together", "-3")
    teamwork = page.get_by_role("group", name="Criterion 4: Teamwork")
    teamwork.get_by_label("Minimum level to pass").select_option(label="Together")

    page.get_by_role("button", name="Move criterion Teamwork up").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("group", name="Criterion 3: Teamwork")).to_be_visible()
    expect(focused(page)).to_have_accessible_name("Move criterion Teamwork up")
    expect(page.get_by_role("status")).to_have_text("Moved Teamwork to position 3.")

    # A refused save names the problem, points at the field and keeps everything typed.
    page.get_by_role("button", name="Save").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text(
        "Nothing was saved. Fix this and save again: Criterion 3 “Teamwork” (name "
        "“teamwork”), level 2 “Together” (name “together”): Level “together” must be worth a "
        "whole number of points, zero or more.")  # where, by label and name, then what
    points = page.get_by_role("group", name="Level 2: Together").get_by_label("Points")
    expect(points).to_be_focused()
    expect(points).to_have_attribute("aria-invalid", "true")
    expect(points).to_have_value("-3")
    expect(page.get_by_role("group", name="Criterion 3: Teamwork")).to_be_visible()
    assert "teamwork" not in str(WorkbenchRuntime("staff").get_block(scenario.usage_id).rubric)

    page.keyboard.press("Control+a")
    page.keyboard.type("3")
    page.get_by_role("button", name="Save").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Saved.")
    expect(points).not_to_have_attribute("aria-invalid", "true")

    block = WorkbenchRuntime("staff").get_block(scenario.usage_id)
    assert [c["name"] for c in block.rubric["criteria"]] == ["hazards", "controls", "teamwork",
                                                             "communication"]
    assert block.rubric["criteria"][2] == {
        "name": "teamwork", "label": "Teamwork", "description": "", "minimum_level": "together",
        "levels": [{"name": "alone", "label": "Alone", "points": 0, "description": ""},
                   {"name": "together", "label": "Together", "points": 3, "description": ""}]}
    [unit] = api.list_assessment_units(DEMO_CREDENTIAL_SLUG)
    assert unit.rubric.criterion("teamwork").minimum_level == "together"

    page.get_by_role("link", name="Learner view (as course staff)").click()
    rubric = page.get_by_role("table", name="Rubric: criteria, levels and points")
    expect(rubric.get_by_role("row").nth(3)).to_contain_text("Teamwork")
    expect(rubric).to_contain_text("Together")
    expect(page.get_by_text("Total available: 13 points.")).to_be_visible()


def test_author_moves_and_removes_levels_and_the_evidence_settings_are_saved(page, scenario):
    open_studio_view(page)
    communication = page.get_by_role("group", name="Criterion 3: Communication")
    communication.get_by_role("button", name="Remove level Clear").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Removed Clear.")
    page.get_by_role("button", name="Move level Partial down").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Moved Partial to position 3.")
    expect(focused(page)).to_have_accessible_name("Move level Partial up")  # it is last now
    page.get_by_label("Learners upload files").check()
    page.get_by_role("checkbox", name=".docx").check()
    page.get_by_label("Most files").fill("5")
    page.get_by_label("Grading weight").fill("4")

    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_have_text("Saved.")
    # Cancel goes back to what was last saved, not to what the page first showed.
    page.get_by_label("Title").fill("Half-typed title")
    page.get_by_role("button", name="Add criterion").click()
    page.get_by_role("button", name="Cancel changes").click()
    expect(page.get_by_role("status")).to_have_text(
        "Changes discarded: the form shows what was last saved.")
    expect(page.get_by_label("Title")).to_have_value("Workplace safety walkthrough")
    expect(page.get_by_label("Most files")).to_have_value("5")
    expect(page.get_by_role("group", name="Criterion 4: (no label yet)")).to_have_count(0)
    expect(communication.get_by_role("group", name="Level 2: Clear")).to_have_count(0)
    block = WorkbenchRuntime("staff").get_block(scenario.usage_id)
    assert [lv["name"] for lv in block.rubric["criteria"][2]["levels"]] == ["missing"]
    assert [lv["name"] for lv in block.rubric["criteria"][0]["levels"]] == [
        "missing", "complete", "partial"]
    assert (block.file_evidence, block.max_files, block.weight) == (True, 5, 4.0)
    assert "docx" in block.allowed_file_types


def test_author_moves_a_criterion_down_removes_one_and_rewords_a_level_by_keyboard(
        page, scenario):
    open_studio_view(page)
    page.get_by_role("button", name="Move criterion Hazard identification down").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Moved Hazard identification to position 2.")
    expect(focused(page)).to_have_accessible_name("Move criterion Hazard identification down")
    expect(page.get_by_role("group", name="Criterion 1: Control measures")).to_be_visible()

    page.get_by_role("button", name="Remove criterion Communication").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Removed Communication.")
    expect(focused(page)).to_have_accessible_name("Remove criterion Hazard identification")
    expect(page.get_by_role("group", name="Criterion 3: Communication")).to_have_count(0)

    hazards = page.get_by_role("group", name="Criterion 2: Hazard identification")
    wording = hazards.get_by_role("group", name="Level 3: Complete").get_by_label(
        "What work at this level looks like")
    wording.focus()
    page.keyboard.press("Control+a")
    page.keyboard.type("Every serious hazard, where it is and who is exposed.")
    expect(page.get_by_text("Total available: 8 points.")).to_be_visible()
    page.get_by_role("button", name="Save").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Saved.")

    rubric = WorkbenchRuntime("staff").get_block(scenario.usage_id).rubric
    assert [c["name"] for c in rubric["criteria"]] == ["controls", "hazards"]
    assert [lv["description"] for lv in rubric["criteria"][1]["levels"]] == [
        "No concrete hazard is named.", "Some hazards, the serious ones missed.",
        "Every serious hazard, where it is and who is exposed."]
    assert rubric["criteria"][0]["levels"][2]["description"] == (
        "Each serious hazard has a fitting control.")
    [unit] = api.list_assessment_units(DEMO_CREDENTIAL_SLUG)
    assert [c.name for c in unit.rubric.criteria] == ["controls", "hazards"]


def test_studio_view_has_no_blocking_accessibility_problems(page):
    open_studio_view(page)
    page.get_by_role("button", name="Add criterion").click()
    page.get_by_role("button", name="Add level to criterion-4").click()
    assert blocking_violations(page) == []


def test_unsaved_changes_are_named_and_leaving_asks_first(page, scenario):
    open_studio_view(page)
    note = page.get_by_text("You have unsaved changes")
    expect(note).to_be_hidden()
    page.get_by_role("button", name="Add criterion").click()
    expect(note).to_be_visible()
    asks_before_leaving(page)
    expect(page.locator(".cas-criteria > li")).to_have_count(4)  # still here, unsaved
    page.get_by_role("button", name="Cancel changes").click()  # back to what was saved
    expect(note).to_be_hidden()
    page.get_by_label("Title", exact=True).fill("Workplace safety walk")
    expect(note).to_be_visible()
    expect(page.get_by_role("button", name="Save")).to_have_accessible_description(
        "You have unsaved changes: save them, or cancel them to go back to what was saved.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved.", exact=True)).to_be_visible()
    expect(note).to_be_hidden()
    expect(page.get_by_role("button", name="Save")).to_have_accessible_description("")
    leaves_without_asking(page)

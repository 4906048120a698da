"""Every control of the block is named and reached with Tab, in each of its three views.

axe checks names of what it sees, and the other browser tests work a few controls by
keyboard; this walks the whole block: it lists every visible, enabled control, presses
Tab from the top of the block until focus leaves it, and checks that each control was
reached and that each has an accessible name (as Playwright computes it, the way a
screen reader would).
"""
import re

import pytest
from playwright.sync_api import expect

from tests.helpers import FAILING_SCORES, PASSING_SCORES, open_assessment_as, open_studio_view
from tests.learner_helpers import HYGIENE_LINK, PDF, UnitBench, upload

pytestmark = pytest.mark.browser

# Marks each control with data-kb=<n> and returns their descriptions, in document order.
# Radio buttons of one group are one Tab stop (arrow keys move within): they share a key;
# so do the buttons of one toolbar (WAI-ARIA toolbar pattern).
COLLECT = """root => {
  root.querySelectorAll('[data-kb]').forEach(el => el.removeAttribute('data-kb'));
  const controls = root.querySelectorAll(
    'input, select, textarea, button, a[href], summary, [tabindex], [contenteditable=true]');
  const shown = el => el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== 'hidden';
  const found = [];
  controls.forEach(el => {
    const native = el.matches(
      'input, select, textarea, button, a[href], summary, [contenteditable=true]');
    if (el === root || (!native && el.tabIndex < 0)) { return; }
    if (el.type === 'hidden' || el.matches(':disabled') || !shown(el)) { return; }
    if (el.matches('summary') && el !== el.parentElement.querySelector(':scope > summary')) {
      return;
    }
    const n = found.length;
    el.setAttribute('data-kb', String(n));
    const bar = el.closest('[role=toolbar]');
    const key = el.type === 'radio' ? 'radio:' + el.name
      : bar ? 'toolbar:' + bar.getAttribute('aria-label') : 'el:' + n;
    const what = [el.tagName.toLowerCase(), el.type && 'type=' + el.type,
                  el.className && 'class=' + el.className, el.name && 'name=' + el.name,
                  el.getAttribute('data-key') && 'key=' + el.getAttribute('data-key'),
                  el.getAttribute('href') && 'href=' + el.getAttribute('href'),
                  '“' + el.textContent.trim().slice(0, 40) + '”'].filter(Boolean).join(' ');
    found.push({n, key, what});
  });
  return found;
}"""

START = """root => { root.setAttribute('tabindex', '-1'); root.focus(); }"""
WHERE = """root => {
  const el = document.activeElement;
  if (!el || !root.contains(el) || el === root) { return null; }
  return el.getAttribute('data-kb');
}"""


def walk_with_tab(page, root_selector):
    """Tab through the block from its top; return (controls, keys of the controls reached)."""
    root = page.locator(root_selector)
    controls = root.evaluate(COLLECT)
    assert controls, "no control found in the block"
    key_of = {str(c["n"]): c["key"] for c in controls}
    root.evaluate(START)
    reached = []
    for _ in range(len(controls) + 5):
        page.keyboard.press("Tab")
        where = root.evaluate(WHERE)
        if where is None:  # focus left the block (or stopped on something unmarked)
            if not root.evaluate("root => root.contains(document.activeElement)"):
                break
            continue
        reached.append(key_of.get(where, f"unlisted:{where}"))
    return controls, reached


def assert_all_reached_and_named(page, root_selector):
    page.locator(root_selector).evaluate(  # what a summary hides is checked too
        "root => root.querySelectorAll('details').forEach(d => { d.open = true; })")
    controls, reached = walk_with_tab(page, root_selector)
    missed = [c["what"] for c in controls if c["key"] not in reached]
    assert missed == [], f"not reached with Tab: {missed}"
    unnamed = []
    for control in controls:
        locator = page.locator(f'[data-kb="{control["n"]}"]')
        try:
            expect(locator).to_have_accessible_name(re.compile(r"\S"), timeout=500)
        except AssertionError:
            unnamed.append(control["what"])
    assert unnamed == [], f"controls without an accessible name: {unnamed}"
    return controls


def test_learner_view_with_text_files_and_links(page, hygiene_unit, media, tmp_path):
    open_assessment_as(page, "Lee Learner", HYGIENE_LINK)
    pdf = tmp_path / "checklist.pdf"
    pdf.write_bytes(PDF)
    page.get_by_label("Add a file").set_input_files(str(pdf))  # a pending file: link + Remove
    expect(page.locator(".ca-upload-status")).to_have_text("“checklist.pdf” uploaded.")

    controls = assert_all_reached_and_named(page, ".credential-assessment")

    kinds = " ".join(c["what"] for c in controls)
    for expected in ("textarea", "type=url", "type=file", "ca-remove-file",
                     "type=submit", "checklist.pdf"):
        assert expected in kinds, expected


def test_assessor_view_with_a_waiting_attempt(page, client, hygiene_unit, people, media):
    bench = UnitBench(client, hygiene_unit).sign_in(people["learner"])
    file_id = upload(bench, "checklist.pdf", PDF)[1]["file"]["id"]
    status, body = bench.post("submit_evidence", {
        "text": "Audit done.", "links": ["https://video.example/walk"], "files": [file_id]})
    assert status == 200, body

    open_assessment_as(page, "Sam Assessor", HYGIENE_LINK)
    expect(page.get_by_role("heading", name="Assessment queue: 1 attempt waiting")).to_be_visible()

    controls = assert_all_reached_and_named(page, ".credential-assessment")

    kinds = " ".join(c["what"] for c in controls)
    for expected in ("ca-filter", "ca-claim", "type=radio", "ca-comment",
                     "https://video.example/walk", "evidence_file"):
        assert expected in kinds, expected


def test_assessor_view_in_each_list_of_the_queue(page, workbench, people):
    """Waiting, claimed, scored by you (override form), scored by others: every list."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    staff2 = users.create_user("staff2", first_name="Kim", last_name="Reviewer", is_staff=True)
    attempts = {}
    for name in ("learner", "learner2", "learner3", "learner4"):
        user = people.get(name) or users.create_user(name, first_name=name.title())
        status, body = workbench.sign_in(user).post("submit_evidence", {"text": f"By {name}."})
        assert status == 200, body
        attempts[name] = body["attempt_id"]
    sam = workbench.sign_in(people["staff"])
    assert sam.post("claim_attempt", {"attempt_id": attempts["learner2"]})[0] == 200
    assert sam.post("submit_assessment", {"attempt_id": attempts["learner3"],
                                          "scores": FAILING_SCORES})[0] == 200
    assert workbench.sign_in(staff2).post("submit_assessment", {
        "attempt_id": attempts["learner4"], "scores": PASSING_SCORES})[0] == 200

    open_assessment_as(page, "Sam Assessor")
    seen = []
    for list_name in ("Waiting (1)", "Claimed (1 by you, 0 by others)", "Scored by you (1)",
                      "Scored by others (1)"):
        page.get_by_role("button", name=list_name).focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("button", name=list_name)).to_have_attribute("aria-pressed",
                                                                             "true")
        seen += [c["what"] for c in assert_all_reached_and_named(page, ".credential-assessment")]

    kinds = " ".join(seen)
    for expected in ("ca-claim", "ca-release", "ca-override-reason", "summary"):
        assert expected in kinds, expected


def test_learner_view_with_a_result(page, workbench, people):
    status, body = workbench.sign_in(people["learner"]).post("submit_evidence",
                                                             {"text": "Walkway blocked."})
    assert status == 200, body
    assert workbench.sign_in(people["staff"]).post("submit_assessment", {
        "attempt_id": body["attempt_id"], "scores": PASSING_SCORES})[0] == 200

    open_assessment_as(page, "Lee Learner")
    expect(page.get_by_text("Attempt 1 passed: 8 of 10 points.")).to_be_visible()

    controls = assert_all_reached_and_named(page, ".credential-assessment")

    kinds = " ".join(c["what"] for c in controls)
    assert "summary" in kinds and "See your credentials" in kinds


def test_studio_view(page):
    open_studio_view(page)

    controls = assert_all_reached_and_named(page, ".credential-assessment-studio")

    kinds = " ".join(c["what"] for c in controls)
    for expected in ("name=display_name", "cas-tool", "cas-editor", "cas-html-toggle", "select",
                     "cas-add-level", "cas-move-down",
                     "cas-remove", "key=points", "cas-save", "cas-cancel"):
        assert expected in kinds, expected


def test_a_control_left_out_of_the_tab_order_is_caught(page):
    """The walk itself can fail: a button taken out of the Tab order is reported."""
    open_assessment_as(page, "Lee Learner")
    page.get_by_role("button", name="Submit evidence").evaluate(
        "b => b.setAttribute('tabindex', '-1')")
    with pytest.raises(AssertionError, match="not reached with Tab"):
        assert_all_reached_and_named(page, ".credential-assessment")


def test_a_control_without_a_name_is_caught(page):
    """The name check can fail too: the evidence box without its label is reported."""
    open_assessment_as(page, "Lee Learner")
    page.locator(".ca-submit-form label").first.evaluate("label => label.remove()")
    with pytest.raises(AssertionError, match="without an accessible name"):
        assert_all_reached_and_named(page, ".credential-assessment")

"""The prompt's rich-text editor in real Chromium: an author at the keyboard formats,
lists and links; the server's sanitiser has the last word on what is saved."""
import json

import pytest
from lxml import html as lxml_html
from playwright.sync_api import expect
from workbench.runtime import WorkbenchRuntime

from credential_xblock.sanitise import prompt_rules
from tests.helpers import blocking_violations, open_studio_view

browser_test = pytest.mark.browser

UNSAFE = ("<script", "javascript:", "style=", "onclick", "<b>", "<i>", "<div", "<span")


def focused(page):
    return page.locator(":focus")


def editor(page):
    return page.get_by_role("textbox", name="Prompt", exact=True)


def tool(page, name):
    return page.get_by_role("toolbar", name="Prompt formatting").get_by_role("button", name=name,
                                                                             exact=True)


def saved_prompt(scenario):
    return WorkbenchRuntime("staff").get_block(scenario.usage_id).prompt


@browser_test
def test_author_formats_lists_and_links_the_prompt_with_the_keyboard(page, scenario):
    open_studio_view(page)
    prompt = editor(page)
    expect(prompt).to_contain_text("Walk through")  # starts from the saved prompt
    page.get_by_label("Title").focus()
    page.keyboard.press("Tab")  # the toolbar is one tab stop: its first button
    expect(focused(page)).to_have_accessible_name("Bold")
    page.keyboard.press("Tab")
    expect(prompt).to_be_focused()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")

    page.keyboard.type("Check the exits")
    page.keyboard.press("Control+Shift+ArrowLeft")  # select "exits"
    page.keyboard.press("Control+b")
    expect(tool(page, "Bold")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("End")
    page.keyboard.press("Control+b")  # bold off for what comes next
    page.keyboard.press("Enter")
    page.keyboard.type("Fire doors")

    page.keyboard.press("Shift+Tab")  # back to the toolbar, on the button last used
    expect(focused(page)).to_have_accessible_name("Bold")
    for _ in range(4):  # Italic, Heading, Subheading, Bulleted list
        page.keyboard.press("ArrowRight")
    expect(focused(page)).to_have_accessible_name("Bulleted list")
    page.keyboard.press("Enter")
    expect(prompt).to_be_focused()
    expect(tool(page, "Bulleted list")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("Assembly point")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # an empty item ends the list
    expect(tool(page, "Bulleted list")).to_have_attribute("aria-pressed", "false")
    page.keyboard.type("Read the guidance")
    page.keyboard.press("Control+Shift+ArrowLeft")

    page.keyboard.press("Alt+F10")  # to the toolbar, on the button last used
    expect(focused(page)).to_have_accessible_name("Bulleted list")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(focused(page)).to_have_accessible_name("Link")
    page.keyboard.press("Enter")
    address = page.get_by_label("Link address (https://, http:// or mailto:)")
    expect(address).to_be_focused()
    page.keyboard.type("https://example.org/safety?a=1&b=2")
    page.keyboard.press("Enter")
    expect(prompt).to_be_focused()
    expect(address).to_be_hidden()
    expect(prompt.get_by_role("link", name="guidance")).to_have_attribute(
        "href", "https://example.org/safety?a=1&b=2")
    expect(tool(page, "Remove link")).to_have_attribute("aria-disabled", "false")

    page.get_by_role("button", name="Save").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Saved.")  # nothing for the server to tidy

    saved = saved_prompt(scenario)
    assert saved == (
        '<p>Check the <strong>exits</strong></p><ul><li>Fire doors</li><li>Assembly point</li>'
        '</ul><p>Read the <a href="https://example.org/safety?a=1&amp;b=2" '
        'rel="noopener noreferrer">guidance</a></p>')
    assert not [bad for bad in UNSAFE if bad in saved]


PASTED = ('<p style="color:red" onclick="steal()">Read <b>this</b> '
          '<a href="javascript:alert(1)">now</a><script>steal()</script></p>')


def paste(page, html):
    """What the browser hands the editor when an author pastes HTML copied from a web page."""
    page.evaluate("""html => {
        const data = new DataTransfer();
        data.setData('text/html', html);
        data.setData('text/plain', 'plain');
        document.activeElement.dispatchEvent(
            new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
    }""", html)


@browser_test
def test_a_javascript_link_is_refused_by_the_form_and_removed_by_the_server(page, scenario):
    open_studio_view(page)
    prompt = editor(page)
    prompt.focus()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.type("Start here")
    page.keyboard.press("Control+Shift+ArrowLeft")

    # The link form asks again rather than add a link that would not survive the save.
    page.keyboard.press("Alt+F10")
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    expect(focused(page)).to_have_accessible_name("Link")
    page.keyboard.press("Enter")
    address = page.get_by_label("Link address (https://, http:// or mailto:)")
    page.keyboard.type("javascript:alert(1)")
    page.keyboard.press("Enter")
    expect(address).to_be_focused()
    expect(address).to_have_attribute("aria-invalid", "true")
    expect(address).to_have_accessible_description(
        "A link must start with https://, http:// or mailto:.")
    page.keyboard.press("Escape")
    expect(prompt).to_be_focused()
    expect(prompt.get_by_role("link")).to_have_count(0)

    # Pasted HTML loses styles, event attributes and scripts here; the server does the rest.
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    paste(page, PASTED)
    html = page.locator("textarea[name=prompt]")
    for gone in ("style=", "onclick", "<script", "steal()", "<b>"):
        assert gone not in html.input_value()
    assert 'href="javascript:alert(1)"' in html.input_value()  # best effort: the server decides

    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text(
        "Saved. The prompt's HTML was tidied: anything a prompt may not contain (scripts, event "
        "attributes, styles) was removed. Check it below.")
    saved = saved_prompt(scenario)
    assert saved == ('<p>Start here</p><p>Read <strong>this</strong> '
                     '<a rel="noopener noreferrer">now</a></p>')
    # The editor shows what was saved: the link without its address.
    link = prompt.locator("a")
    expect(link).to_have_text("now")
    expect(link).not_to_have_attribute("href", "javascript:alert(1)")
    assert link.get_attribute("href") is None
    page.get_by_role("button", name="Edit HTML").click()
    expect(page.get_by_label("Prompt (HTML)")).to_have_value(saved)


@browser_test
def test_edit_html_swaps_to_the_textarea_and_back(page, scenario):
    open_studio_view(page)
    toggle = page.get_by_role("button", name="Edit HTML")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(editor(page)).to_be_hidden()
    html = page.get_by_label("Prompt (HTML)")
    expect(html).to_be_focused()
    html.fill('<h3>Task</h3><p>Walk the <em>bay</em>.</p><img src="x" onerror="steal()">')
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(html).to_be_hidden()
    expect(editor(page)).to_be_focused()
    expect(editor(page).get_by_role("heading", name="Task", level=3)).to_be_visible()
    assert editor(page).locator("[onerror]").count() == 0  # never put live into the page
    editor(page).locator("h3").click()
    expect(tool(page, "Heading")).to_have_attribute("aria-pressed", "true")

    # A refused save points at the editor when it is shown.
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text(
        "Nothing was saved. Fix this and save again: Write the prompt: what the learner must do.")
    expect(editor(page)).to_be_focused()
    expect(editor(page)).to_have_attribute("aria-invalid", "true")
    assert "Walk through" in saved_prompt(scenario)



@browser_test
def test_author_removes_a_link_from_the_toolbar(page, scenario):
    open_studio_view(page)
    page.get_by_role("button", name="Edit HTML").click()
    page.get_by_label("Prompt (HTML)").fill('<p>See <a href="https://e.org/">the guide</a>.</p>')
    page.get_by_role("button", name="Edit HTML").click()
    prompt = editor(page)
    expect(tool(page, "Remove link")).to_have_attribute("aria-disabled", "true")
    prompt.get_by_role("link", name="the guide").click()  # the caret inside the link
    expect(tool(page, "Remove link")).to_have_attribute("aria-disabled", "false")
    page.keyboard.press("Alt+F10")
    page.keyboard.press("End")
    expect(focused(page)).to_have_accessible_name("Remove link")
    page.keyboard.press("Enter")
    expect(prompt).to_be_focused()
    expect(prompt.get_by_role("link")).to_have_count(0)
    expect(prompt).to_have_text("See the guide.")
    expect(tool(page, "Remove link")).to_have_attribute("aria-disabled", "true")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    assert saved_prompt(scenario) == "<p>See the guide.</p>"

@browser_test
def test_studio_view_with_the_prompt_editor_has_no_blocking_accessibility_problems(page):
    open_studio_view(page)
    editor(page).locator("p").first.click()
    tool(page, "Bold").click()
    tool(page, "Link").click()
    expect(page.get_by_label("Link address (https://, http:// or mailto:)")).to_be_focused()
    assert blocking_violations(page) == []
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Edit HTML").click()
    assert blocking_violations(page) == []


def test_without_javascript_the_html_textarea_is_the_prompt_field(workbench, people):
    """The editor is marked hidden in the page; only the script shows it."""
    page = workbench.sign_in(people["staff"]).client.get(
        "/scenario/credential_assessment.0/studio_view/").content.decode()
    tree = lxml_html.fromstring(page)
    [textarea] = tree.xpath("//textarea[@name='prompt']")
    [label] = tree.xpath(f"//label[@for='{textarea.get('id')}']")
    assert label.text_content() == "Prompt (HTML)"
    assert "Walk through" in textarea.text_content()
    assert not [a for a in textarea.iterancestors() if a.get("hidden") is not None]
    [rich] = tree.xpath("//*[contains(@class, 'cas-rich')]")
    [toggle] = tree.xpath("//button[contains(@class, 'cas-html-toggle')]")
    assert rich.get("hidden") is not None and toggle.get("hidden") is not None
    # The editor's own tidying follows the server's allow-list, sent with the page.
    [rules] = rich.xpath(".//script[contains(@id, '-prompt-rules')]")
    assert json.loads(rules.text) == prompt_rules()

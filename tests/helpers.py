"""Shared test steps: scores for the demo rubric (hazards 0/2/4, controls 0/2/4,
communication 0/2 points) and what a person does in the browser."""
from contextlib import contextmanager

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

BLOCKING = {"serious", "critical"}  # axe-core impacts a page must not have

PASSING_SCORES = [  # 4 + 4 + 0 = 8 of 10 points: 80 %, over the 70 % bar
    {"criterion": "hazards", "level": "complete", "comment": "All <b>serious</b> hazards."},
    {"criterion": "controls", "level": "matched", "comment": ""},
    {"criterion": "communication", "level": "missing", "comment": "Say how you brief the team."},
]
FAILING_SCORES = [  # 2 + 2 + 0 = 4 of 10 points: 40 %
    {"criterion": "hazards", "level": "partial", "comment": "Missed the forklift route."},
    {"criterion": "controls", "level": "generic", "comment": ""},
    {"criterion": "communication", "level": "missing", "comment": ""},
]

SCENARIO_LINK = "Practical assessment: workplace safety walkthrough"


def open_assessment_as(page, full_name, link=SCENARIO_LINK):
    """Sign in as that demo person and open the unit the home page's ``link`` names; back
    once the unit's page has loaded, its script running (keys pressed before would be lost)."""
    page.goto("/")
    if page.get_by_role("button", name="Switch user").count():
        page.get_by_role("button", name="Switch user").click()
    page.get_by_role("button", name=f"Sign in as {full_name}").click()
    page.get_by_role("link", name=link).click()
    page.wait_for_url("**/scenario/**")  # and its load event (the workbench starts the block)


def open_studio_view(page):
    open_assessment_as(page, "Sam Assessor")
    page.get_by_role("link", name="Edit this unit (Studio view)").click()
    expect(page.get_by_role("heading", name="Edit “Workplace safety walkthrough”")).to_be_visible()


def add_level(page, criterion, label, points):
    """Add a level from the keyboard: the button, then type into the fields it focuses."""
    page.get_by_role("button", name=f"Add level to {criterion}").focus()
    page.keyboard.press("Enter")
    page.keyboard.type(label)           # focus starts on the new level's label
    page.keyboard.press("Tab")          # its name, derived from the label
    page.keyboard.press("Tab")          # its points
    page.keyboard.type(points)


def blocking_violations(page):
    """axe-core's serious and critical findings, as readable lines."""
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "" for node in v["nodes"])
        for v in results.response["violations"] if v["impact"] in BLOCKING
    ]



HOME_LINK = "Assessed credentials demo"  # the demo's top bar


def asks_before_leaving(page):
    """Following the demo's home link makes the browser ask first (a beforeunload dialog);
    the answer is "stay", and the page stays."""
    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    with page.expect_event("dialog"):
        page.get_by_role("link", name=HOME_LINK).click(no_wait_after=True)
    page.remove_listener("dialog", stay)
    assert asked == ["beforeunload"]


def leaves_without_asking(page):
    """Following the demo's home link goes home, with no question asked."""
    asked = []

    def record(dialog):
        asked.append(dialog.type)
        dialog.accept()

    page.on("dialog", record)
    page.get_by_role("link", name=HOME_LINK).click()
    page.wait_for_url(lambda url: url.rstrip("/").count("/") == 2)  # the site's root
    page.remove_listener("dialog", record)
    assert asked == []


@contextmanager
def browser_tab(browser, base_url, **context_options):
    """A tab in a browser context of its own (its own cookies) on ``base_url``, waiting up to
    15 s for what it is asked; the context is closed however the test ends (one left open
    keeps talking to the live server into later tests)."""
    context = browser.new_context(base_url=base_url, **context_options)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
    finally:
        context.close()

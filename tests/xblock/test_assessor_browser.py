"""The assessor's work in Chromium, by keyboard: filter, claim, score, override with a reason."""
import pytest
from playwright.sync_api import expect

from credential_app.core.audit import AuditAction
from credential_app.models import AuditEntry, Credential
from tests.helpers import blocking_violations, open_assessment_as

pytestmark = pytest.mark.browser


def press(page, locator, key="Enter"):
    """Reach a control by focus and use it from the keyboard."""
    locator.focus()
    expect(locator).to_be_focused()
    page.keyboard.press(key)


def test_assessor_claims_scores_and_overrides_by_keyboard(page, workbench, people, course_scores):
    status, body = workbench.sign_in(people["learner"]).post(
        "submit_evidence", {"text": "Forklift route crosses the walkway."})
    assert status == 200, body

    open_assessment_as(page, "Sam Assessor")
    expect(page.get_by_role("button", name="Waiting (1)")).to_have_attribute("aria-pressed",
                                                                             "true")
    expect(page.get_by_text("You have not scored any attempt here yet.")).to_be_hidden()
    press(page, page.get_by_role("button", name="Claim", exact=True))
    form = page.locator(".ca-assess-form")
    expect(form.locator(".ca-status")).to_contain_text("Claimed until")
    expect(page.get_by_role("button", name="Release claim")).to_be_visible()

    for group, level in (("Hazard identification", "Partial"), ("Control measures", "Generic"),
                         ("Communication", "Not shown")):
        press(page, page.get_by_role("group", name=group).get_by_label(level), "Space")
    press(page, page.get_by_role("button", name="Submit assessment"))
    expect(form.locator(".ca-status")).to_have_text("Not passed: 4 of 10 points.")

    open_assessment_as(page, "Sam Assessor")
    press(page, page.get_by_role("button", name="Scored by you (1)"))
    expect(page.get_by_text("Not passed: 4 of 10 points.")).to_be_visible()
    assert blocking_violations(page) == []

    override = page.locator(".ca-override-form")
    press(page, page.get_by_role("button", name="Change result to passed"))
    expect(override.locator(".ca-status")).to_have_text(
        "Give the reason for overriding the result.")
    reason = page.get_by_label("Reason for changing the result to passed (required)")
    expect(reason).to_be_focused()
    expect(reason).to_have_attribute("aria-invalid", "true")
    page.keyboard.type("The walkway hazard was identified in the photo notes.")
    press(page, page.get_by_role("button", name="Change result to passed"))
    # Nothing changes yet: the change is explained against the pass mark, then confirmed.
    expect(page.get_by_role("alert")).to_have_text(
        "This attempt scored 4 of 10 points (40.00%); the pass mark is 70%. Changing it to "
        "passed issues the credential. The learner and the credential's public evidence page "
        "will show that staff changed the result.")
    assert not Credential.objects.exists()
    press(page, page.get_by_role("button", name="Cancel"))
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_role("button", name="Change result to passed")).to_be_focused()
    page.keyboard.press("Enter")
    press(page, page.get_by_role("button", name="Confirm: change to passed"))
    expect(override.locator(".ca-status")).to_have_text(
        "Result changed to passed (4 of 10 points).")

    assert Credential.objects.get().user == people["learner"]
    assert AuditEntry.objects.get(action=AuditAction.OVERRIDE).reason.startswith("The walkway")
    assert len(course_scores()) == 2  # one per result: the assessment's, then the override's

    open_assessment_as(page, "Lee Learner")  # the learner is told staff changed it
    expect(page.get_by_text("Course staff changed this result after it was scored")).to_be_visible()


def test_an_attempt_claimed_by_someone_else_shows_locked(page, workbench, people):
    from django.contrib.auth import get_user_model

    from credential_app import api
    from credential_app.models import Attempt

    status, body = workbench.sign_in(people["learner"]).post(
        "submit_evidence", {"text": "Forklift route crosses the walkway."})
    assert status == 200, body
    kim = get_user_model().objects.create_user("staff2", first_name="Kim",
                                               last_name="Reviewer", is_staff=True)
    attempt = Attempt.objects.get(pk=body["attempt_id"])
    api.claim_attempt(attempt_id=attempt.pk, usage_key=attempt.usage_key, assessor_id=kim.pk)

    open_assessment_as(page, "Sam Assessor")
    expect(page.get_by_text("No attempt is waiting for assessment.")).to_be_visible()
    press(page, page.get_by_role("button", name="Claimed (0 by you, 1 by others)"))
    expect(page.get_by_text("being assessed by Kim Reviewer (claimed until")).to_be_visible()
    expect(page.get_by_role("button", name="Submit assessment")).to_have_count(0)
    assert blocking_violations(page) == []


def test_each_level_says_what_it_means_beside_its_choice(page, workbench, people):
    status, body = workbench.sign_in(people["learner"]).post(
        "submit_evidence", {"text": "Forklift route crosses the walkway."})
    assert status == 200, body
    open_assessment_as(page, "Sam Assessor")
    hazards = page.get_by_role("group", name="Hazard identification")
    expect(hazards.get_by_text("Finds the hazards that matter in the space described.")
           ).to_be_visible()
    choice = hazards.get_by_role("radio", name="Complete")
    expect(choice).to_have_accessible_description("All serious hazards, with where they are.")


def test_queue_counts_follow_claims_and_scores_without_a_reload(page, workbench, people):
    """Sam's open view: his own claim and score change the counts at once; another
    assessor's claim shows as soon as the page is looked at again (focus), no reload."""
    from django.contrib.auth import get_user_model

    from credential_app import api
    from credential_app.models import Attempt

    ids = [workbench.sign_in(people[name]).post("submit_evidence", {
        "text": "Forklift route crosses the walkway."})[1]["attempt_id"]
        for name in ("learner", "learner2")]
    open_assessment_as(page, "Sam Assessor")
    heading = page.get_by_role("heading", name="Assessment queue: 2 attempts waiting")
    expect(heading).to_be_visible()
    reloads = []
    page.on("framenavigated", lambda frame: reloads.append(frame.url))

    kim = get_user_model().objects.create_user("staff2", first_name="Kim",
                                               last_name="Reviewer", is_staff=True)
    second = Attempt.objects.get(pk=ids[1])
    api.claim_attempt(attempt_id=second.pk, usage_key=second.usage_key, assessor_id=kim.pk)
    page.evaluate("window.dispatchEvent(new Event('focus'))")  # the assessor looks again
    expect(page.get_by_role("heading", name="Assessment queue: 1 attempt waiting")
           ).to_be_visible()
    expect(page.get_by_role("button", name="Claimed (0 by you, 1 by others)")).to_be_visible()

    # His own claim and score answer with the counts: the view asks for nothing more.
    asked_for_counts = []
    page.on("request", lambda request: asked_for_counts.append(request.url)
            if "/queue_counts" in request.url else None)
    form = page.locator(f'.ca-assess-form[data-attempt-id="{ids[0]}"]')
    press(page, form.get_by_role("button", name="Claim", exact=True))
    expect(page.get_by_role("button", name="Claimed (1 by you, 1 by others)")).to_be_visible()
    expect(page.get_by_role("button", name="Waiting (0)")).to_be_visible()

    for group, level in (("Hazard identification", "Complete"), ("Control measures", "Matched"),
                         ("Communication", "Clear")):
        press(page, form.get_by_role("group", name=group).get_by_label(level), "Space")
    form.get_by_label("Comment on Control measures").fill("Guard rail and a marked crossing.")
    press(page, form.get_by_role("button", name="Submit assessment"))
    expect(page.get_by_role("button", name="Scored by you (1)")).to_be_visible()
    expect(page.get_by_role("button", name="Claimed (0 by you, 1 by others)")).to_be_visible()
    assert asked_for_counts == []

    # What Sam scored, per criterion, in place of the choices he made
    scored = form.locator(".ca-you-scored")
    expect(scored.get_by_role("heading", name="What you scored")).to_be_visible()
    expect(scored.locator("dt")).to_have_text(["Hazard identification", "Control measures",
                                               "Communication"])
    expect(scored.locator("dd")).to_have_text([
        "Complete (4 of 4 points)",
        "Matched (4 of 4 points)Guard rail and a marked crossing.",
        "Clear (2 of 2 points)"])
    expect(form.get_by_role("group", name="Hazard identification")).to_be_hidden()
    assert reloads == []
    assert blocking_violations(page) == []

    # ...and the same list under "Scored by you" when the page is opened again
    open_assessment_as(page, "Sam Assessor")
    press(page, page.get_by_role("button", name="Scored by you (1)"))
    expect(page.locator(".ca-scored .ca-you-scored dd").nth(1)).to_have_text(
        "Matched (4 of 4 points)Guard rail and a marked crossing.")


def test_show_more_adds_the_next_page_focused_and_ready_to_score(page, workbench, people,
                                                                   monkeypatch):
    from django.contrib.auth import get_user_model

    from credential_app.core import queue

    monkeypatch.setattr(queue, "PAGE_SIZE", 2)
    for name in ("Ada", "Ben", "Cai"):
        workbench.sign_in(get_user_model().objects.create_user(name.lower(), first_name=name))
        status, body = workbench.post("submit_evidence", {"text": f"{name}'s walk-through."})
        assert status == 200, body

    open_assessment_as(page, "Sam Assessor")
    expect(page.get_by_role("heading", name="Cai, attempt 1")).to_have_count(0)
    press(page, page.get_by_role("button", name="Show more"))
    added = page.locator("form.ca-assess-form").filter(has=page.get_by_role(
        "heading", name="Cai, attempt 1"))
    expect(added).to_be_focused()  # the first row it added
    expect(page.get_by_role("button", name="Show more")).to_have_count(0)  # nothing more
    press(page, added.get_by_role("button", name="Claim"))  # its controls work like the rest
    expect(added.locator(".ca-claim-state")).to_contain_text("nobody else can score it")
    assert blocking_violations(page) == []


def test_staff_see_the_queue_first_and_no_empty_evidence_form(page, workbench, people):
    open_assessment_as(page, "Sam Assessor")
    queue = page.get_by_role("heading", name="Assessment queue: 0 attempts waiting")
    expect(queue).to_be_visible()
    evidence = page.get_by_role("heading", name="Your evidence")
    expect(evidence).to_be_hidden()  # folded under "What learners see"
    folded = page.get_by_text("What learners see: the rules, their progress and the evidence "
                              "form")
    press(page, folded)
    expect(evidence).to_be_visible()
    # the queue comes before the learner's part of the page
    assert queue.evaluate("(q, e) => !!(q.compareDocumentPosition(e) & "
                          "Node.DOCUMENT_POSITION_FOLLOWING)", evidence.element_handle())
    open_assessment_as(page, "Lee Learner")  # learners see their form at once
    expect(page.get_by_role("heading", name="Your evidence")).to_be_visible()
    expect(page.get_by_text("What learners see")).to_have_count(0)

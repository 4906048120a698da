"""Before handing in, the learner is told the rules: the credential the unit leads to, the
pass mark and criterion minimums, attempts and waits, what counts, who decides; and where
they are in the four steps. After handing in, the page changes state without a reload."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from credential_app.models import IssuancePolicy, RetakePolicy
from credential_xblock.unit_summary import Wait, wait
from tests.helpers import PASSING_SCORES, open_assessment_as


def text_of(page):
    return " ".join(re.sub(r"<[^>]+>", "", page).split())


def summary_of(page):
    return text_of(page.split('class="ca-summary"', 1)[1].split("</section>", 1)[0])


def test_the_rules_are_named_before_anything_is_handed_in(workbench, people, definition):
    IssuancePolicy.objects.create(definition=definition, required_assessments=2,
                                  criterion_minimums={"controls": "generic"},
                                  requires_approval=True)
    RetakePolicy.objects.create(definition=definition, max_attempts=3,
                                delay_after_first_failure=timedelta(days=2),
                                delay_after_later_failures=timedelta(hours=36),
                                counted_result="highest")
    summary = summary_of(workbench.sign_in(people["learner"]).page())
    for said in ("This unit leads to the credential Workplace Safety Practitioner.",
                 "To pass: at least 70% of the rubric's points.",
                 "Control measures: Generic",
                 "You may make 3 attempts.",
                 "Your highest-scoring assessed attempt counts.",
                 "After a first attempt that does not pass, you wait 2 days before the next.",
                 "After a later attempt that does not pass, you wait 36 hours before the next.",
                 "2 assessors score each attempt independently.",
                 "A person approves each credential before it is issued."):
        assert said in summary, said


def test_without_policies_the_defaults_are_said(workbench, people, definition):
    summary = summary_of(workbench.sign_in(people["learner"]).page())
    assert "You may make as many attempts as you need." in summary
    assert "Your latest assessed attempt counts." in summary
    assert "you wait" not in summary
    assert "An assessor scores each attempt against the rubric." in summary


def test_the_step_follows_the_learner(workbench, people):
    def current(page):
        return re.search(r'aria-current="step">([^<]+)<', page).group(1)

    workbench.sign_in(people["learner"])
    assert current(workbench.page()) == "Write your evidence"
    workbench.post("save_draft", {"text": "Forklift route", "links": []})
    assert current(workbench.page()) == "Hand it in"
    status, body = workbench.post("submit_evidence",
                                  {"text": "Forklift route crosses the walkway."})
    assert status == 200
    assert current(workbench.page()) == "Being assessed"
    workbench.sign_in(people["staff"]).post(
        "submit_assessment", {"attempt_id": body["attempt_id"], "scores": PASSING_SCORES})
    assert current(workbench.sign_in(people["learner"]).page()) == "Your result"


@pytest.mark.parametrize("duration, expected", [
    (timedelta(0), None), (timedelta(days=1), Wait(1, "days")),
    (timedelta(hours=36), Wait(36, "hours")), (timedelta(minutes=90), Wait(2, "hours")),
    (timedelta(seconds=30), Wait(1, "minutes"))])
def test_waits_are_said_in_whole_units_never_too_early(duration, expected):
    assert wait(duration) == expected


@pytest.mark.browser
def test_handing_in_changes_the_page_without_a_reload_and_focuses_the_message(page):
    open_assessment_as(page, "Lee Learner")
    box = page.get_by_label("Describe what you did")
    page.get_by_role("button", name="Submit evidence").click()  # nothing written yet
    error = page.locator(".ca-submit-form .ca-status")
    expect(error).to_have_class(re.compile("ca-error"))
    expect(error).not_to_be_empty()

    box.fill("The forklift route crosses the walkway by the loading bay.")
    expect(error).to_be_empty()  # the stale error goes once the evidence changes

    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Submit evidence").click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("Attempt 1 received.")
    expect(status).to_be_focused()
    expect(page.get_by_text("Attempt 1 is waiting for an assessor.")).to_be_visible()
    expect(page.locator('[aria-current="step"]')).to_have_text("Being assessed")
    expect(page.get_by_role("button", name="Submit evidence")).to_have_count(0)
    assert page.evaluate("window.notReloaded") is True

"""The learner's part of the block in Debian's Chromium: drafts, uploads, links, ID check.

Every control is reached by its label (as a screen reader finds it) and, where it
matters, worked from the keyboard.
"""
import pytest
from playwright.sync_api import expect

from credential_app.models import Attempt, ConfidenceAnswer, EvidenceFile
from tests.helpers import (
    asks_before_leaving,
    blocking_violations,
    leaves_without_asking,
    open_assessment_as,
)
from tests.learner_helpers import HYGIENE_LINK, PDF

pytestmark = pytest.mark.browser
EXE = b"MZ\x90\x00" + b"\x00" * 300


@pytest.fixture
def hygiene(page, hygiene_unit, media):
    """A browser tab; ``open_as(name)`` signs in as that demo person and opens the unit."""
    def open_as(full_name):
        open_assessment_as(page, full_name, HYGIENE_LINK)
        return page
    return open_as


def test_draft_is_saved_while_typing_and_back_after_a_reload(hygiene):
    page = hygiene("Lee Learner")
    evidence = page.get_by_label("Describe what you did")
    with page.expect_response(lambda r: "/save_draft/" in r.url and r.status == 200):
        evidence.press_sequentially("Fridge seal torn", delay=5)
    expect(page.locator(".ca-draft-status")).to_have_text("Draft saved.")
    with page.expect_response(lambda r: "/save_draft/" in r.url and r.status == 200):
        page.get_by_label("Link 1").fill("https://video.example/walk")

    page.reload()

    expect(page.get_by_label("Describe what you did")).to_have_value("Fridge seal torn")
    expect(page.get_by_label("Link 1")).to_have_value("https://video.example/walk")


def uploaded(response):
    return "/upload_evidence" in response.url


def test_upload_with_progress_errors_removal_and_hand_in(hygiene, tmp_path):
    page = hygiene("Lee Learner")
    good, bad = tmp_path / "checklist.pdf", tmp_path / "renamed.pdf"
    good.write_bytes(PDF + b"0" * 200_000)
    bad.write_bytes(EXE)
    status = page.locator(".ca-upload-status")

    # Each upload is awaited as the event it is: the page updates when the answer arrives,
    # however long a busy server takes.
    with page.expect_response(uploaded):
        page.get_by_label("Add a file").set_input_files(str(bad))
    expect(status).to_contain_text("The content of “renamed.pdf” is not a .pdf file")
    expect(status).to_have_class("ca-upload-status ca-error")

    with page.expect_response(uploaded):
        page.get_by_label("Add a file").set_input_files(str(good))
    expect(status).to_have_text("“checklist.pdf” uploaded.")
    expect(page.locator(".ca-pending-files li")).to_have_count(1)
    expect(page.get_by_role("link", name="checklist.pdf")).to_be_visible()
    expect(page.locator("progress")).to_be_hidden()  # shown while sending, labelled
    assert page.locator("progress").evaluate("p => p.labels.length") == 1
    assert page.locator("progress").evaluate("p => p.value") == 100

    with page.expect_response(uploaded):  # a second copy, then remove it
        page.get_by_label("Add a file").set_input_files(str(good))
    expect(page.locator(".ca-pending-files li")).to_have_count(2)
    page.get_by_role("button", name="Remove checklist.pdf").last.focus()
    page.keyboard.press("Enter")
    expect(status).to_have_text("File removed.")
    expect(page.locator(".ca-pending-files li")).to_have_count(1)
    expect(page.get_by_label("Add a file")).to_be_focused()

    page.get_by_label("Link 1").fill("https://video.example/walk")
    page.get_by_role("button", name="Submit evidence").click()
    expect(page.get_by_role("status")).to_contain_text("Attempt 1 received.")
    attempt = Attempt.objects.get()
    assert attempt.links == ["https://video.example/walk"]
    assert list(EvidenceFile.objects.values_list("attempt_id", "display_name")) == [
        (attempt.id, "checklist.pdf")]


def test_bad_link_is_named_in_the_message(hygiene):
    page = hygiene("Lee Learner")
    page.get_by_label("Link 1").fill("javascript:alert(1)")
    page.get_by_role("button", name="Submit evidence").click()
    expect(page.get_by_role("status")).to_contain_text(
        "“javascript:alert(1)” is not a web address.")
    assert not Attempt.objects.exists()


def test_unverified_learner_is_sent_to_verify(hygiene):
    page = hygiene("Kim Okafor")
    expect(page.get_by_text("open only to learners who have verified their identity")
           ).to_be_visible()
    expect(page.get_by_role("button", name="Submit evidence")).to_have_count(0)
    page.get_by_role("link", name="Verify your identity").click()
    expect(page.get_by_role("heading", name="ID verification")).to_be_visible()


def test_files_unit_has_no_serious_accessibility_problem(hygiene, tmp_path):
    page = hygiene("Lee Learner")
    pdf = tmp_path / "checklist.pdf"
    pdf.write_bytes(PDF)
    with page.expect_response(uploaded):  # awaited as the event it is, however busy
        page.get_by_label("Add a file").set_input_files(str(pdf))
    expect(page.locator(".ca-upload-status")).to_have_text("“checklist.pdf” uploaded.")
    assert blocking_violations(page) == []


def test_leaving_with_typing_not_yet_saved_asks_first(hygiene):
    page = hygiene("Lee Learner")
    evidence = page.get_by_label("Describe what you did")
    evidence.press_sequentially("Fridge seal torn", delay=5)
    asks_before_leaving(page)  # typed a moment ago: the draft is not kept yet
    expect(evidence).to_have_value("Fridge seal torn")
    expect(page.locator(".ca-draft-status")).to_have_text("Draft saved.")
    leaves_without_asking(page)  # kept: nothing to lose


def test_the_confidence_question_is_answered_from_the_keyboard(hygiene):
    page = hygiene("Lee Learner")
    question = page.get_by_role("group", name="Optional: before you hand in, how confident "
                                              "are you at this task?")
    question.get_by_label("4").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # to "Save my answer"
    with page.expect_response(lambda r: "/record_confidence" in r.url and r.status == 200):
        page.keyboard.press("Enter")
    expect(page.locator(".ca-confidence-status")).to_have_text("Thank you: your answer is saved.")
    assert ConfidenceAnswer.objects.get().score == 4

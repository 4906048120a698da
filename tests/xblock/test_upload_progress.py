"""Upload progress is shown while the file is sent, not only once it has arrived.

Chromium's DevTools protocol slows the upload down (network emulation), so the
page's progress bar and its spoken status can be watched as they change: every
value they take is recorded in the page by a MutationObserver.
"""
import pytest
from playwright.sync_api import expect

from tests.helpers import open_assessment_as
from tests.learner_helpers import HYGIENE_LINK, PDF

pytestmark = pytest.mark.browser

WATCH = """() => {
  const progress = document.querySelector('.ca-progress');
  const status = document.querySelector('.ca-upload-status');
  window.__progress = [];
  window.__announced = [];
  new MutationObserver(() => {
    window.__progress.push({value: progress.value, max: progress.max,
                            shown: !progress.closest('.ca-upload').hidden,
                            label: progress.labels[0].textContent});
  }).observe(progress, {attributes: true, attributeFilter: ['value']});
  new MutationObserver(() => { window.__announced.push(status.textContent); })
    .observe(status, {childList: true, characterData: true, subtree: true});
}"""

PART_WAY = "() => window.__progress.some(p => p.value > 0 && p.value < p.max)"
SPOKEN_PART_WAY = "() => window.__announced.some(t => /: ([1-9]|[1-9][0-9]) percent done/.test(t))"


def test_progress_bar_and_spoken_status_move_while_a_slow_upload_runs(page, hygiene_unit,
                                                                        media, tmp_path):
    open_assessment_as(page, "Lee Learner", HYGIENE_LINK)
    expect(page.get_by_label("Add a file")).to_be_visible()
    pdf = tmp_path / "site-photos.pdf"
    pdf.write_bytes(PDF + b"0" * 400_000)
    page.evaluate(WATCH)
    devtools = page.context.new_cdp_session(page)
    devtools.send("Network.enable")
    devtools.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 0, "downloadThroughput": -1,
        "uploadThroughput": 200_000})  # bytes per second: about two seconds for this file

    page.get_by_label("Add a file").set_input_files(str(pdf))

    # Seen and heard while the upload still runs (the observers recorded it). Checked on a
    # timer rather than on animation frames (Playwright's default), which a headless page
    # may not be given while it is busy (once, in CI, the first wait timed out at 15 s).
    page.wait_for_function(PART_WAY, polling=100)
    page.wait_for_function(SPOKEN_PART_WAY, polling=100)
    status = page.locator(".ca-upload-status")
    expect(status).to_have_text("“site-photos.pdf” uploaded.")
    progress = page.evaluate("window.__progress")
    part_way = [p for p in progress if 0 < p["value"] < p["max"]]
    assert part_way, progress
    assert all(p["shown"] and p["label"] == "Uploading site-photos.pdf" for p in part_way)
    assert [p["value"] for p in progress] == sorted(p["value"] for p in progress)
    announced = page.evaluate("window.__announced")
    assert announced[0] == "Uploading site-photos.pdf: 0 percent done."
    spoken_part_way = [text for text in announced
                       if text.startswith("Uploading site-photos.pdf: ")
                       and text not in ("Uploading site-photos.pdf: 0 percent done.",
                                        "Uploading site-photos.pdf: 100 percent done.")]
    assert spoken_part_way, announced
    assert announced[-1] == "“site-photos.pdf” uploaded."
    expect(page.locator(".ca-upload")).to_be_hidden()
    expect(page.get_by_role("link", name="site-photos.pdf")).to_be_visible()

"""Badge pages in Chromium: what a stranger, a verifier and the holder do with them.

No sign-in for the public pages; the downloads are really baked (unbaked here and
compared with the signed credential); the holder's sharing choices, made by keyboard
on their credentials page, change what strangers see; axe finds nothing serious.
"""
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from credential_app import api
from credential_app.openbadges import baking
from tests.badge_helpers import earn, fresh_rate_counts  # noqa: F401 (autouse fixture)
from tests.helpers import blocking_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def credential(people, definition, issuer):
    definition.issuer = issuer
    definition.save()
    return earn(people["learner"], people["staff"])


def badge_url(credential, rest=""):
    return reverse("credential_app:badge_page", args=[credential.uuid]) + rest


def download(page, link_name, tmp_path) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return Path(target).read_bytes()


def test_a_stranger_sees_the_public_page_and_gets_baked_downloads(page, credential, tmp_path):
    page.goto(badge_url(credential))  # no sign-in
    assert page.url.endswith(badge_url(credential))  # not sent to the sign-in page
    expect(page.get_by_role("heading", level=1)).to_have_text("Workplace Safety Practitioner")
    expect(page.get_by_role("status")).to_contain_text("Status: Valid")
    expect(page.get_by_text("Name not shown (the holder may choose to show it)")).to_be_visible()
    expect(page.get_by_role("img", name="Badge: Workplace Safety Practitioner")).to_be_visible()
    assert page.evaluate("document.querySelector('.ca-badge img').naturalWidth") == 512
    assert blocking_violations(page) == []

    signed = api.get_open_badge(credential.uuid)
    as_json = download(page, "Signed credential (JSON, Open Badges 3.0)", tmp_path)
    assert json.loads(as_json) == signed
    png = download(page, "Badge image with the credential inside (PNG)", tmp_path)
    assert png.startswith(baking.PNG_SIGNATURE)
    assert json.loads(baking.unbake(png)) == signed
    svg = download(page, "Badge image with the credential inside (SVG)", tmp_path)
    assert json.loads(baking.unbake(svg)) == signed


def test_linkedin_link_opens_linkedins_add_certification_form(page, credential):
    page.goto(badge_url(credential))
    link = page.get_by_role("link", name="Add to LinkedIn profile (opens in a new tab)")
    href = link.get_attribute("href")
    assert href.startswith("https://www.linkedin.com/profile/add?")
    params = parse_qs(urlsplit(href).query)
    assert params["startTask"] == ["CERTIFICATION_NAME"]
    assert params["name"] == ["Workplace Safety Practitioner"]
    assert params["organizationName"] == ["Acme Safety Board"]
    assert params["certUrl"] == [page.url]
    assert params["certId"] == [credential.uuid]
    assert link.get_attribute("target") == "_blank"


def sign_in_to_credentials(page, full_name):
    page.goto(reverse("credential_app:learner-credentials"))
    page.get_by_role("button", name=f"Sign in as {full_name}").click()
    expect(page.get_by_role("heading", name="My credentials")).to_be_visible()


def test_the_holders_name_choice_changes_the_public_page(page, stranger, credential):
    sign_in_to_credentials(page, "Lee Learner")
    assert blocking_violations(page) == []
    form = page.locator(f"#sharing-{credential.uuid}")
    expect(form.get_by_role("radio", name="Not shown")).to_be_checked()  # the default
    # By keyboard: focus the chosen radio, move with the arrow keys, submit with Enter.
    form.get_by_role("radio", name="Not shown").focus()
    page.keyboard.press("ArrowUp")
    expect(form.get_by_role("radio", name="First name and last initial")).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(form.get_by_role("radio", name="Full name")).to_be_checked()
    form.get_by_role("button", name="Save sharing choices for “Workplace Safety "
                                    "Practitioner”").press("Enter")
    expect(page.get_by_role("status").filter(has_text="Your choices are saved.")).to_be_visible()
    expect(page.locator(f"#sharing-{credential.uuid}").get_by_role(
        "radio", name="Full name")).to_be_checked()

    stranger.goto(badge_url(credential))
    expect(stranger.locator(".ca-facts")).to_contain_text("Lee Learner")


def test_evidence_page_hides_the_text_until_the_holder_shares_it(page, stranger, credential):
    dialogs = []
    stranger.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    stranger.goto(badge_url(credential))
    stranger.get_by_role("link", name="What was assessed").click()
    expect(stranger.get_by_role("heading", level=1)).to_contain_text("What was assessed")
    expect(stranger.get_by_text("The learner chose not to share their written evidence."))\
        .to_be_visible()
    expect(stranger.get_by_text("warehouse floor")).to_have_count(0)
    assert blocking_violations(stranger) == []

    sign_in_to_credentials(page, "Lee Learner")
    form = page.locator(f"#sharing-{credential.uuid}")
    form.get_by_role("checkbox", name="Show my written evidence").check()
    form.get_by_role("button").click()
    expect(page.get_by_role("status").filter(has_text="Your choices are saved.")).to_be_visible()

    stranger.reload()
    expect(stranger.locator("#evidence-text")).to_contain_text(
        "I walked the <script>alert('x')</script> warehouse floor.")  # shown as text
    assert dialogs == []  # the learner's text never runs as script


def test_a_verifier_uploads_a_baked_badge_and_pastes_a_tampered_one(page, credential,
                                                                   tmp_path):
    page.goto(badge_url(credential))
    png = download(page, "Badge image with the credential inside (PNG)", tmp_path)
    page.get_by_role("link", name="Verify a badge file you were given").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify a badge")
    assert blocking_violations(page) == []

    page.get_by_label("Or a badge image (PNG or SVG)").set_input_files(
        files=[{"name": "badge.png", "mimeType": "image/png", "buffer": png}])
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Valid credential")).to_be_visible()
    assert blocking_violations(page) == []

    tampered = json.loads(baking.unbake(png))
    tampered["name"] = "Chief Safety Officer"
    page.get_by_label("Credential (JSON or JWT)").fill(json.dumps(tampered))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Not valid", exact=False)).to_be_visible()

    page.get_by_role("button", name="Verify").click()  # nothing given
    expect(page.get_by_role("alert")).to_have_text(
        "Paste a credential (JSON or JWT) or choose a baked badge image.")


MARK_CONTROLS = """() => {
  const controls = [...document.querySelectorAll(
    'main a[href], main button, main input:not([type=hidden]), main textarea, main select')]
    .filter(el => el.getClientRects().length > 0);
  controls.forEach((el, n) => el.setAttribute('data-kb', String(n)));
  return controls.map(el => el.outerHTML.slice(0, 80));
}"""


def unreached_by_tab(page):
    """Controls in the page's main part that pressing Tab never focuses."""
    controls = page.evaluate(MARK_CONTROLS)
    reached = set()
    for _ in range(len(controls) + 15):
        page.keyboard.press("Tab")
        mark = page.evaluate("document.activeElement.getAttribute('data-kb')")
        if mark is not None:
            reached.add(int(mark))
    return [what for n, what in enumerate(controls) if n not in reached]


def test_every_control_of_the_public_pages_is_reached_by_keyboard(page, credential):
    for url in (badge_url(credential), badge_url(credential, "evidence/"),
                reverse("credential_app:badge_verify")):
        page.goto(url)
        assert unreached_by_tab(page) == [], url
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend',"
                  " '<a href=\"#x\" tabindex=\"-1\">unreachable</a>')")
    missed = unreached_by_tab(page)  # the check can fail
    assert len(missed) == 1 and missed[0].endswith(">unreachable</a>")

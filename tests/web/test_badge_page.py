"""The public verification page of a credential, and its downloads, as anyone sees them."""
import io
import json
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy
from PIL import Image

from credential_app import api
from credential_app.models import Attempt
from credential_app.openbadges import baking
from tests.badge_helpers import earn, fresh_rate_counts  # noqa: F401 (autouse fixture)


def text_of(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def described(definition, issuer):
    definition.issuer = issuer
    definition.description = "Finds hazards & briefs <teams>."
    definition.criteria_narrative = "Walked a real site and matched each hazard to a control."
    definition.validity_days = 365
    definition.save()
    definition.alignments.create(framework="ESCO", code="S6.4",
                                 name="Apply health and safety standards",
                                 url="https://esco.ec.europa.eu/en/classification/skill")
    return definition


@pytest.fixture
def credential(people, described):
    return earn(people["learner"], people["staff"])


def page_of(client, credential):
    response = client.get(reverse("credential_app:badge_page", args=[credential.uuid]))
    assert response.status_code == 200
    return response.content.decode()


def test_anyone_sees_issuer_achievement_criteria_result_status_and_dates(client, credential):
    html = page_of(client, credential)  # nobody signed in
    text = text_of(html)
    assert "<h1 id=\"badge-title\">Workplace Safety Practitioner</h1>" in html
    assert "Status: Valid" in text
    assert "Holder Name not shown (the holder may choose to show it)" in text
    assert '<a href="https://safety.example.org" rel="noopener">Acme Safety Board</a>' in html
    assert "Finds hazards &amp; briefs &lt;teams&gt;." in html
    assert "Walked a real site and matched each hazard to a control." in text
    assert "Apply health and safety standards (ESCO S6.4)" in text
    assert "Hazard identification Every serious hazard" in text
    assert "Controls &lt;chosen&gt; Matched to each hazard" in text
    issued = api.get_credential(credential.uuid)
    assert f'<time datetime="{issued.issued_at.isoformat()}' in html.replace("+00:00", "+00:00")
    assert f'datetime="{issued.expires_at:%Y-%m-%dT%H:%M:%S}' in html
    for name in ("badge_json", "badge_png", "badge_svg", "badge_evidence"):
        assert f'href="{reverse(f"credential_app:{name}", args=[credential.uuid])}"' in html


def test_the_name_appears_as_the_holder_chose(client, people, credential):
    for choice, shown in (("full", "Holder Lee Learner"), ("initial", "Holder Lee L."),
                          ("hidden", "Holder Name not shown (the holder may choose to show it)")):
        api.set_badge_sharing(user_id=people["learner"].pk, credential_uuid=credential.uuid,
                              name_display=choice, share_evidence=False)
        text = text_of(page_of(client, credential))
        assert shown in text, choice
        if choice != "full":
            assert "Learner" not in text.replace("the learner", "")


def test_open_graph_preview_escapes_and_respects_the_name_choice(client, people, credential):
    html = page_of(client, credential)
    assert ('<meta property="og:title" content="Workplace Safety Practitioner, issued by '
            'Acme Safety Board">') in html
    # As a word: a random token in the head may spell "Lee" inside it.
    assert not re.search(r"(?<![A-Za-z0-9_])Lee(?![A-Za-z0-9_])", html.split("</head>")[0])
    page, png = (reverse(f"credential_app:{name}", args=[credential.uuid])
                 for name in ("badge_page", "badge_png"))
    assert f'<meta property="og:image" content="http://testserver{png}">' in html
    assert f'<meta property="og:url" content="http://testserver{page}">' in html
    assert '<meta name="robots" content="noindex">' in html
    api.set_badge_sharing(user_id=people["learner"].pk, credential_uuid=credential.uuid,
                          name_display="full", share_evidence=False)
    head = page_of(client, credential).split("</head>")[0]
    assert "Earned by Lee Learner through an assessed practical task." in head
    assert "Finds hazards &amp; briefs &lt;teams&gt;." in head


def test_linkedin_link_is_filled_in_and_encoded(client, credential):
    html = page_of(client, credential)
    href = re.search(r'href="(https://www\.linkedin\.com/profile/add\?[^"]+)"', html).group(1)
    href = href.replace("&amp;", "&")
    assert " " not in href and "+" not in href  # spaces are %20, as LinkedIn documents
    params = dict(parse_qsl(urlsplit(href).query))
    issued = api.get_credential(credential.uuid)
    assert params == {
        "startTask": "CERTIFICATION_NAME",
        "name": "Workplace Safety Practitioner",
        "organizationName": "Acme Safety Board",
        "issueYear": str(issued.issued_at.year), "issueMonth": str(issued.issued_at.month),
        "expirationYear": str(issued.expires_at.year),
        "expirationMonth": str(issued.expires_at.month),
        "certUrl": "http://testserver" + reverse("credential_app:badge_page",
                                                 args=[credential.uuid]),
        "certId": credential.uuid,
    }
    assert 'target="_blank" rel="noopener noreferrer">Add to LinkedIn profile' in html


def test_json_download_is_the_signed_credential(client, credential):
    response = client.get(reverse("credential_app:badge_json", args=[credential.uuid]))
    assert response["Content-Disposition"] == (
        f'attachment; filename="credential-{credential.uuid}.json"')
    signed = api.get_open_badge(credential.uuid)
    assert json.loads(response.content) == signed
    assert signed["proof"]


def test_png_download_is_baked_with_the_signed_credential(client, credential):
    response = client.get(reverse("credential_app:badge_png", args=[credential.uuid]))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(baking.unbake(response.content)) == api.get_open_badge(credential.uuid)
    Image.open(io.BytesIO(response.content)).load()
    assert api.verify_open_badge(baking.unbake(response.content)).valid


def test_svg_download_is_baked_with_the_signed_credential(client, credential):
    response = client.get(reverse("credential_app:badge_svg", args=[credential.uuid]))
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "sandbox" in response["Content-Security-Policy"]
    svg = response.content.decode()
    assert '<openbadges:credential><![CDATA[{' in svg
    assert json.loads(baking.unbake(response.content)) == api.get_open_badge(credential.uuid)
    assert api.verify_open_badge(baking.unbake(response.content)).valid


def test_a_revoked_credential_says_so_with_its_reason(client, people, credential):
    api.revoke_credential(credential_uuid=credential.uuid, revoked_by=people["staff"].pk,
                          reason="Evidence <copied> from another learner.")
    text = text_of(page_of(client, credential))
    assert "Status: Revoked" in text
    assert "Reason for revocation: Evidence &lt;copied&gt; from another learner." in text
    assert "Status: Valid" not in text


CHECK_MARK_PIXEL = (244, 148)  # on the check mark of the default picture


def test_a_revoked_credential_offers_no_downloads_and_its_picture_says_revoked(
        client, people, credential):
    page = page_of(client, credential)
    assert "Add to LinkedIn profile" in page and "Signed credential (JSON" in page
    png = client.get(reverse("credential_app:badge_png", args=[credential.uuid])).content
    assert Image.open(io.BytesIO(png)).convert("RGB").getpixel(CHECK_MARK_PIXEL) == (255, 191, 71)

    api.revoke_credential(credential_uuid=credential.uuid, revoked_by=people["staff"].pk,
                          reason="Copied evidence.")
    page = page_of(client, credential)
    assert "Add to LinkedIn profile" not in page
    for name in ("badge_json", "badge_png", "badge_svg"):
        assert reverse(f"credential_app:{name}", args=[credential.uuid]) + '" download' not in page
    assert "not offered for download" in page
    png = client.get(reverse("credential_app:badge_png", args=[credential.uuid])).content
    picture = Image.open(io.BytesIO(png)).convert("RGB")
    red, green, blue = picture.getpixel(CHECK_MARK_PIXEL)
    assert red == green == blue  # grey: no gold check mark
    assert picture.getpixel((20, 383)) == (163, 0, 11)  # the band naming its state
    svg = client.get(reverse("credential_app:badge_svg", args=[credential.uuid])).content
    assert b"M216 120" not in svg and b">REVOKED</text>" in svg


def test_the_evidence_page_says_when_staff_changed_the_result(client, people, credential):
    evidence_url = reverse("credential_app:badge_evidence", args=[credential.uuid])
    assert "Changed by the issuer" not in client.get(evidence_url).content.decode()
    attempt = api.get_credential(credential.uuid).attempt_id
    unit = Attempt.objects.get(pk=attempt).usage_key
    api.override_result(attempt_id=attempt, usage_key=unit, staff_id=people["staff"].pk,
                        passed=False, reason="Scored against the wrong brief.")
    reissued = api.override_result(attempt_id=attempt, usage_key=unit,
                                   staff_id=people["staff"].pk, passed=True,
                                   reason="Brief confirmed after all.").credential
    page = client.get(reverse("credential_app:badge_evidence", args=[reissued.uuid]))
    assert "staff after it was scored: the pass was decided by staff" in page.content.decode()
    assert api.get_latest_attempt(people["learner"].pk, unit).result.changed_by_staff


def test_verify_page_accepts_the_baked_png_and_rejects_a_tampered_copy(client, credential):
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = client.get(reverse("credential_app:badge_png", args=[credential.uuid])).content
    response = client.post(reverse("credential_app:badge_verify"),
                           {"image": SimpleUploadedFile("b.png", png)})
    assert response.status_code == 200
    assert "Valid credential" in response.content.decode()

    tampered = api.get_open_badge(credential.uuid)
    tampered["name"] = "Chief Safety Officer"
    response = client.post(reverse("credential_app:badge_verify"),
                           {"credential": json.dumps(tampered)})
    text = text_of(response.content.decode())
    assert "Not valid" in text and "Valid credential" not in text
    result = api.verify_open_badge(json.dumps(tampered))
    assert result.reasons and all(reason in text for reason in result.reasons)


def test_an_expired_credential_says_so(client, credential):
    from datetime import timedelta

    from django.utils.timezone import now

    from credential_app.models import Credential

    Credential.objects.filter(uuid=credential.uuid).update(
        issued_at=now() - timedelta(days=400), expires_at=now() - timedelta(days=35))
    api.expire_due_credentials()
    assert api.get_credential(credential.uuid).status == "expired"
    html = page_of(client, credential)
    text = text_of(html)
    assert "Status: Expired" in text and "Status: Valid" not in text
    assert api.verify_open_badge(api.get_open_badge(credential.uuid)).status == "expired"


def test_verify_page_accepts_the_jwt_export(client, credential):
    response = client.post(reverse("credential_app:badge_verify"),
                           {"credential": api.get_open_badge_jwt(credential.uuid)})
    text = text_of(response.content.decode())
    assert "Valid credential" in text
    assert "Credential Workplace Safety Practitioner Issued by Acme Safety Board" in text


def test_a_replaced_credential_links_to_its_successor(client, people, credential):
    from credential_app.models import Credential

    newer = earn(people["learner2"], people["staff"])  # any later credential will do here
    Credential.objects.filter(uuid=credential.uuid).update(
        status="superseded", superseded_by=Credential.objects.get(uuid=newer.uuid))
    html = page_of(client, credential)
    assert "This credential was replaced by a newer version." in html
    newer_page = reverse("credential_app:badge_page", args=[newer.uuid])
    assert f'<a href="{newer_page}">See the newer credential</a>' in html


def test_link_previews_may_ask_with_head_and_wallets_may_fetch_across_origins(client,
                                                                              credential):
    page = reverse("credential_app:badge_page", args=[credential.uuid])
    assert client.head(page).status_code == 200
    assert client.post(page).status_code == 405
    for name in ("badge_json", "badge_png", "badge_svg"):
        response = client.get(reverse(f"credential_app:{name}", args=[credential.uuid]))
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.db_server
def test_page_queries_do_not_grow_with_the_rubric(client, people, described):
    """A query per criterion (an N+1) would make the larger rubric cost more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.badge_helpers import sized_rubric

    counts = []
    for learner, size in ((people["learner"], 2), (people["learner2"], 12)):
        rubric, scores = sized_rubric(size)
        credential = earn(learner, people["staff"], rubric=rubric, scores=scores)
        for name in ("badge_page", "badge_evidence", "badge_png"):
            client.get(reverse(f"credential_app:{name}", args=[credential.uuid]))  # signed
        with CaptureQueriesContext(connection) as queries:
            for name in ("badge_page", "badge_evidence", "badge_png"):
                url = reverse(f"credential_app:{name}", args=[credential.uuid])
                assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[0] > 0


def test_pages_and_json_of_a_platform_issued_badge_where_the_name_is_translated_lazily(
        client, people, definition, settings):
    """In the LMS ``PLATFORM_NAME`` is a lazy translation; the site's own issuer profile (no
    issuer set on the definition) is named by it and must still be signed and served."""
    settings.PLATFORM_NAME = gettext_lazy("Acme Learning")
    credential = earn(people["learner"], people["staff"])

    page_of(client, credential)  # 200
    response = client.get(reverse("credential_app:badge_json", args=[credential.uuid]))
    assert response.status_code == 200
    assert json.loads(response.content)["issuer"]["name"] == "Acme Learning"

"""The "Verify a badge" page: paste a credential or upload a baked image; clear errors."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse_lazy
from PIL import Image

from tests.badge_helpers import fresh_rate_counts  # noqa: F401 (autouse fixture)

PAGE = reverse_lazy("credential_app:badge_verify")


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, format="PNG")
    return buffer.getvalue()


def error_of(response):
    html = response.content.decode()
    assert 'role="alert"' in html
    return html.split('id="verify-error">')[1].split("</p>")[0]


@pytest.mark.django_db
def test_the_page_is_public_labelled_and_csrf_protected(client):
    html = client.get(PAGE).content.decode()
    assert '<label for="verify-credential">Credential (JSON or JWT)</label>' in html
    assert '<label for="verify-image">Or a badge image (PNG or SVG)</label>' in html
    assert 'enctype="multipart/form-data"' in html and "csrfmiddlewaretoken" in html
    assert "Up to 2.0\xa0MB." in html
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(PAGE, {"credential": "{}"}).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "message"), [
    ({}, "Paste a credential (JSON or JWT) or choose a baked badge image."),
    ({"credential": "{}", "image": SimpleUploadedFile("b.png", b"x")},
     "Paste a credential or choose an image, not both."),
    ({"image": SimpleUploadedFile("b.png", b"GIF89a...")}, "This file is not a PNG or SVG image."),
    ({"image": SimpleUploadedFile("b.png", png_bytes())},
     "This image holds no Open Badges credential: it was not baked, or the credential was "
     "removed."),
    ({"image": SimpleUploadedFile("b.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><g></svg>")},
     "This file is not a well-formed SVG image."),
])
def test_bad_input_gets_a_clear_message(client, data, message):
    response = client.post(PAGE, data)
    assert response.status_code == 400
    assert error_of(response) == message


@pytest.mark.django_db
def test_too_large_is_refused_before_reading(client, settings):
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "VERIFY_MAX_BYTES": 100}
    response = client.post(PAGE, {"image": SimpleUploadedFile("b.png", b"\x89PNG" + b"0" * 200)})
    assert error_of(response) == ("That file is too large to be a badge image (the limit is "
                                  "100\xa0bytes).")
    response = client.post(PAGE, {"credential": "{" + " " * 200 + "}"})
    assert error_of(response) == "That is too large to be a credential (the limit is 100\xa0bytes)."


@pytest.mark.django_db
def test_a_request_over_djangos_limit_gets_the_same_message(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(PAGE, {"credential": "x" * 5000})
    assert response.status_code == 400
    assert error_of(response) == "That is too large to be a credential (the limit is 2.0\xa0MB)."


@pytest.mark.django_db
def test_verifications_are_rate_limited_per_address(client, settings):
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "VERIFY_RATE": "2/minute"}
    for _ in range(2):
        assert client.post(PAGE, {"credential": "x"}).status_code == 200
    response = client.post(PAGE, {"credential": "x"})
    assert response.status_code == 429
    assert error_of(response) == ("Too many verifications from your address; wait a minute "
                                  "and try again.")
    other = client.post(PAGE, {"credential": "x"}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200

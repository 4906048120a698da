"""``make verify-badge``: a published badge checked over HTTP by the independent verifier,
as a relying party would: the four downloads of the public page, the issuer's did:web
document and the status list, all fetched from the running site."""
# ruff: noqa: F811 (pytest fixtures imported from tests.openbadge_helpers)
import shutil
import subprocess

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from credential_app import api
from credential_app.openbadges import keys as signing_keys
from tests.independent import HERE
from tests.openbadge_helpers import OLD_KEY, issue

pytestmark = pytest.mark.django_db(transaction=True)


def check(url) -> subprocess.CompletedProcess:
    node = shutil.which("node")
    assert node, "`make test-setup` installs Node.js"
    # A fixed command: Node on the tool shipped beside the verifier.
    return subprocess.run([node, str(HERE / "check-badge.mjs"), url],  # noqa: S603
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def site(live_server):
    rsa = signing_keys.new_entry("rsa-live", signing_keys.RS256)
    with override_settings(CREDENTIAL_APP={**settings.CREDENTIAL_APP,
                                           "PUBLIC_BASE_URL": live_server.url,
                                           "SIGNING_KEYS": [OLD_KEY, rsa]}):
        yield live_server


def test_every_download_of_a_live_badge_verifies_and_a_revocation_shows(site, people,
                                                                        definition):
    credential = issue(people, definition)
    url = site.url + reverse("credential_app:badge_page", args=[str(credential.uuid)])
    done = check(url)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for form in ("JSON download", "baked PNG", "baked SVG"):
        assert any(line.startswith(form) and "verified, status: not revoked" in line
                   for line in lines), done.stdout
    assert any(line.startswith("VC-JWT download") and "verified (RS256" in line
               for line in lines), done.stdout

    api.revoke_credential(credential_uuid=str(credential.uuid),
                          revoked_by=people["staff"].pk, reason="Copied.")
    done = check(url)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.count("REVOKED") == 3, done.stdout  # JSON, PNG and SVG


def test_a_page_that_is_not_a_badge_is_a_clear_failure(site):
    nobody = "00000000-0000-0000-0000-000000000000"
    done = check(site.url + reverse("credential_app:badge_page", args=[nobody]))
    assert done.returncode == 2
    assert "Could not fetch the badge's downloads: " in done.stderr and "404" in done.stderr

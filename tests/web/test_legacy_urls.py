"""Badges issued before the app's URLs moved under ``credential-app/`` (decision 0011).

Their holders and employers kept the old root addresses (``/badges/<uuid>/``) and the
signed copies name the old DID and status list. With ``LEGACY_ROOT_URLS`` on, the old
addresses still answer; whatever the setting, this site still verifies those copies.
"""
# ruff: noqa: F811 (pytest fixtures imported from tests.openbadge_helpers)
import importlib

import pytest
from django.urls import clear_url_caches, reverse

import credential_app.urls
import demo.urls
from credential_app import api
from credential_app.openbadges import issuer_identity, openbadge_credential
from tests.openbadge_helpers import BASE_URL, issue, keys, new_key  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _remount():
    """Read the app's URLconf again (it looks at LEGACY_ROOT_URLS once, when loaded)."""
    importlib.reload(credential_app.urls)
    importlib.reload(demo.urls)
    clear_url_caches()


@pytest.fixture
def legacy_root_urls(settings, client, people):
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "LEGACY_ROOT_URLS": True}
    _remount()
    # The demo's sign-in middleware opens only the app's own public paths; the LMS has none.
    client.force_login(people["learner2"])
    yield
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "LEGACY_ROOT_URLS": False}
    _remount()


@pytest.fixture
def signed_by_an_earlier_version(people, definition, keys, monkeypatch):
    """A credential and its signed copy as an earlier version issued them: the issuer's
    DID and the status list at the root addresses."""
    with monkeypatch.context() as earlier:
        earlier.setattr(issuer_identity, "issuer_did", issuer_identity.legacy_issuer_did)
        earlier.setattr(openbadge_credential, "status_list_url",
                        openbadge_credential.legacy_status_list_url)
        credential = issue(people, definition)
        badge = api.get_open_badge(str(credential.uuid))
    return credential, badge


def test_the_old_copy_names_the_old_addresses(signed_by_an_earlier_version):
    credential, badge = signed_by_an_earlier_version
    assert badge["issuer"]["id"] == \
        f"did:web:learn.example.org:openbadges:issuers:{credential.definition.issuer_id}"
    assert badge["credentialStatus"]["statusListCredential"].startswith(
        f"{BASE_URL}/openbadges/status/")


def test_this_site_still_verifies_and_revokes_an_old_copy(signed_by_an_earlier_version, people,
                                                         django_capture_on_commit_callbacks):
    credential, badge = signed_by_an_earlier_version
    result = api.verify_open_badge(badge)
    assert result.valid and result.known_issuer and result.issuer_name == "Safety Board"
    assert "status_unchecked" not in result.codes
    with django_capture_on_commit_callbacks(execute=True):
        api.revoke_credential(credential_uuid=str(credential.uuid),
                              revoked_by=people["staff"].pk, reason="Copied work.")
    assert api.verify_open_badge(badge).status == "revoked"


def test_old_public_badge_addresses_move_permanently(legacy_root_urls, client,
                                                     signed_by_an_earlier_version):
    credential, _badge = signed_by_an_earlier_version
    old = f"/badges/{credential.uuid}/"
    for old_path, name in ((old, "badge_page"), (f"{old}evidence/", "badge_evidence"),
                           (f"{old}credential.json", "badge_json"),
                           (f"{old}badge.png", "badge_png"), (f"{old}badge.svg", "badge_svg")):
        response = client.get(old_path)
        assert response.status_code == 301, old_path
        assert response["Location"] == reverse(f"credential_app:{name}",
                                               args=[credential.uuid])
        assert client.get(response["Location"]).status_code == 200
    assert client.get("/badges/verify/?x=1")["Location"] == \
        reverse("credential_app:badge_verify") + "?x=1"


def test_the_old_did_resolves_to_a_document_of_the_old_did(legacy_root_urls, client,
                                                           signed_by_an_earlier_version):
    """did:web: the document at the old DID's address must carry that DID (a redirect to
    the new document would not), with the same keys."""
    credential, badge = signed_by_an_earlier_version
    old_did = badge["issuer"]["id"]
    ref = credential.definition.issuer_id
    response = client.get(f"/openbadges/issuers/{ref}/did.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/did+json"
    document = response.json()
    current = client.get(reverse("credential_app:badge-issuer-did", args=[ref])).json()
    assert document["id"] == old_did != current["id"]
    keys_of = [m["publicKeyMultibase"] for m in document["verificationMethod"]]
    assert keys_of == [m["publicKeyMultibase"] for m in current["verificationMethod"]]
    assert {p["verificationMethod"].split("#")[0] for p in badge["proof"]} == {old_did}
    status = client.get(badge["credentialStatus"]["statusListCredential"].removeprefix(BASE_URL))
    assert status.status_code == 301
    assert client.get(status["Location"]).status_code == 200

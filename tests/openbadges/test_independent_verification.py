"""What a relying party's verifier says: every badge the product emits, checked by Digital
Bazaar's Data Integrity libraries (``tests/independent.py``), not by our own code.

The JSON download, the credentials baked into the PNG and SVG downloads, the status list
credential and the issuer's DID document, all fetched through the public URLs a verifier
would use; JSON-LD in safe mode with no base IRI. A tampered or revoked credential is
caught there too, and a credential signed before the extensions context was added is
refused by both verifiers until ``resign_open_badges`` brings it back to conformance.
"""
# ruff: noqa: F811 (pytest fixtures imported from tests.openbadge_helpers)
import base64
import json
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse
from pyld import jsonld as pyld_jsonld

from credential_app import api
from credential_app.models import SignedBadge
from credential_app.openbadges import baking, jsonld, openbadge_credential
from credential_app.openbadges import keys as signing_keys
from tests import independent
from tests.openbadge_helpers import (  # noqa: F401 (fixtures)
    OLD_KEY,
    issue,
    key_settings,
    keys,
    new_key,
)

pytestmark = pytest.mark.django_db


def fetch(client, url) -> bytes:
    response = client.get(urlsplit(url).path)  # the site's public URL, served by the app
    assert response.status_code == 200, url
    return response.content


def world_of(client, badge) -> dict:
    """The DID document and status list a verifier resolves for ``badge``, from the site."""
    issuer = badge["issuer"]["id"]
    did = json.loads(fetch(client, reverse("credential_app:badge-issuer-did", args=[
        issuer.rsplit(":", 1)[-1]])))
    status_url = badge["credentialStatus"]["statusListCredential"]
    return {"did_documents": [did],
            "status_lists": {status_url: json.loads(fetch(client, status_url))}}


@pytest.fixture
def issued(people, definition, keys):
    return issue(people, definition, alignments=True, validity_days=365)


def test_the_downloads_verify_in_an_independent_verifier(client, issued):
    uuid = str(issued.uuid)
    as_json = json.loads(fetch(client, reverse("credential_app:badge_json", args=[uuid])))
    from_png = json.loads(baking.unbake(fetch(client, reverse("credential_app:badge_png",
                                                               args=[uuid]))))
    from_svg = json.loads(baking.unbake(fetch(client, reverse("credential_app:badge_svg",
                                                               args=[uuid]))))
    world = world_of(client, as_json)
    [status_list] = world["status_lists"].values()
    said = independent.run(credentials=[as_json, from_png, from_svg, status_list], **world)
    assert [(r["verified"], r["errors"]) for r in said["credentials"]] == [(True, [])] * 4
    assert [r["revoked"] for r in said["credentials"][:3]] == [False] * 3


def test_every_document_canonicalises_in_safe_mode_with_no_base(client, issued):
    badge = api.get_open_badge(str(issued.uuid))
    world = world_of(client, badge)
    documents = [badge, *world["status_lists"].values(), *world["did_documents"]]
    said = independent.run(documents=documents, **world)
    assert said["documents"] == [{"canonical": True, "error": None}] * 3


def test_a_tampered_credential_fails_there_too(client, issued):
    badge = api.get_open_badge(str(issued.uuid))
    tampered = json.loads(json.dumps(badge))
    tampered["credentialSubject"]["achievement"]["name"] = "Chief Safety Officer"
    said = independent.run(credentials=[tampered], **world_of(client, badge))
    assert said["credentials"][0]["verified"] is False


def test_a_revoked_credential_is_revoked_there_too(client, people, issued,
                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the status list is re-signed
        api.revoke_credential(credential_uuid=str(issued.uuid),
                              revoked_by=people["staff"].pk, reason="Evidence copied.")
    badge = api.get_open_badge(str(issued.uuid))
    said = independent.run(credentials=[badge], **world_of(client, badge))
    assert said["credentials"][0]["revoked"] is True


class PreviousRelease(jsonld.Canonicalizer):
    """How the product canonicalised before this fix: pyld's default base IRI, under which
    the undefined type became ``http://example.org/base/1EdTechJsonSchemaValidator2019``
    and nothing was refused."""

    def canonicalize(self, document):
        return pyld_jsonld.normalize(document, {"algorithm": "URDNA2015",
                                                "format": "application/n-quads",
                                                "documentLoader": self.load_document})


def test_a_badge_signed_without_the_extensions_context_is_refused_until_resigned(
        client, issued, monkeypatch):
    old_context = openbadge_credential.CONTEXT[:2]  # what the product emitted before
    with monkeypatch.context() as previous:
        previous.setattr(openbadge_credential, "CONTEXT", old_context)
        previous.setattr(jsonld, "_default", PreviousRelease())
        SignedBadge.objects.update(document="", content_sha256="")
        old = api.get_open_badge(str(issued.uuid))
    assert old["@context"] == old_context

    world = world_of(client, old)
    assert independent.run(credentials=[old], **world)["credentials"][0]["verified"] is False
    assert not api.verify_open_badge(old).valid  # refused by ours too, for the same reason

    call_command("resign_open_badges", verbosity=0)
    fixed = api.get_open_badge(str(issued.uuid))
    assert fixed["@context"] == openbadge_credential.CONTEXT
    assert api.verify_open_badge(fixed).valid
    said = independent.run(credentials=[fixed], **world_of(client, fixed))
    assert said["credentials"][0]["verified"] is True, said


def test_the_jwt_download_verifies_with_an_independent_jwt_library(client, issued):
    """panva's jose checks the VC-JWT against the key its kid names in the DID document
    served by the site; the payload is the credential; a changed payload fails."""
    uuid = str(issued.uuid)
    page = client.get(reverse("credential_app:badge_page", args=[uuid])).content.decode()
    jwt_url = reverse("credential_app:badge_jwt", args=[uuid])
    assert f'href="{jwt_url}" download' in page  # offered beside the other downloads
    response = client.get(jwt_url)
    assert response["Content-Type"] == "application/jwt"
    token = response.content.decode()
    badge = api.get_open_badge(uuid)
    header, payload, signature = token.split(".")
    changed = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    changed["name"] = "Chief Safety Officer"
    forged = ".".join([header, base64.urlsafe_b64encode(json.dumps(changed).encode())
                       .decode().rstrip("="), signature])
    said = independent.run(jwts=[token, forged], **world_of(client, badge))["jwts"]
    assert said[0]["verified"] is True, said[0]["error"]
    assert said[0]["payload"]["name"] == badge["name"] and "vc" not in said[0]["payload"]
    assert said[0]["payload"]["iss"] == badge["issuer"]["id"]
    assert said[1]["verified"] is False


def test_after_rotation_and_retiring_the_old_key_everything_still_verifies(
        client, people, definition, tmp_path, django_capture_on_commit_callbacks):
    """A new key, resign_open_badges, then the old key removed completely (from the key
    file and so from the DID document): every credential, JWT and status list verifies,
    in our verifier and independently; the revoked one still says revoked."""
    key_file = tmp_path / "keys.json"
    signing_keys.write_file(key_file, [OLD_KEY])
    with key_settings(SIGNING_KEYS=None, SIGNING_KEYS_FILE=str(key_file)):
        kept = issue(people, definition)
        revoked = issue(people, definition, issuer=False, learner="learner2")
        with django_capture_on_commit_callbacks(execute=True):
            api.revoke_credential(credential_uuid=str(revoked.uuid),
                                  revoked_by=people["staff"].pk, reason="Copied.")
        for credential in (kept, revoked):
            world_of(client, api.get_open_badge(str(credential.uuid)))  # lists signed now

        call_command("create_badge_signing_key", "--id", "key-2027", verbosity=0)
        call_command("resign_open_badges", verbosity=0)
        new_only = [entry for entry in json.loads(key_file.read_text())
                    if entry["id"] != OLD_KEY["id"]]
        signing_keys.write_file(key_file, new_only)  # the old key is gone for good

        badges = [api.get_open_badge(str(c.uuid)) for c in (kept, revoked)]
        world = world_of(client, badges[0])
        [did] = world["did_documents"]
        assert [m["id"].rpartition("#")[2] for m in did["verificationMethod"]] == ["key-2027"]
        [status_list_doc] = world["status_lists"].values()
        assert status_list_doc["proof"]["verificationMethod"].endswith("#key-2027")
        assert [api.verify_open_badge(b).status for b in badges] == ["valid", "revoked"]
        tokens = [api.get_open_badge_jwt(str(c.uuid)) for c in (kept, revoked)]
        said = independent.run(credentials=[*badges, status_list_doc], jwts=tokens, **world)
        assert [(r["verified"], r["revoked"]) for r in said["credentials"]] == [
            (True, False), (True, True), (True, None)], said
        assert all(j["verified"] for j in said["jwts"]), said["jwts"]

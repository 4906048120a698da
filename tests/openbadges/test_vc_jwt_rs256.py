"""VC-JWT with RS256, the algorithm OB 3.0 §8.2 requires every verifier to support.

With an RSA key in the key list, the JWT download is signed RS256; the issuer's DID document
publishes that key as a ``JsonWebKey2020`` (``publicKeyJwk``) under a JSON-LD context that
a conformant processor knows; an independent JOSE library checks the token with the key
the DID document gives for its ``kid``. Data Integrity proofs stay Ed25519. A token cannot
choose how its key is used: the algorithm must be the key's.
"""
# ruff: noqa: F811 (pytest fixtures imported from tests.openbadge_helpers)
import base64
import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.urls import reverse

from credential_app import api
from credential_app.openbadges import issuer_identity, jsonld
from credential_app.openbadges import keys as signing_keys
from tests import independent
from tests.openbadge_helpers import OLD_KEY, issue, key_settings
from tests.openbadges.test_independent_verification import world_of

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def rsa_entry():
    return signing_keys.new_entry("rsa-2026", signing_keys.RS256)


@pytest.fixture
def rsa_keys(rsa_entry):
    with key_settings(OLD_KEY, rsa_entry):
        yield rsa_entry


@pytest.fixture
def credential(people, definition, rsa_keys):
    return issue(people, definition)


def _segment(part: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def _encode(part: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).decode().rstrip("=")


def test_the_jwt_download_is_rs256_and_verifies_independently(client, credential):
    uuid = str(credential.uuid)
    token = client.get(reverse("credential_app:badge_jwt", args=[uuid])).content.decode()
    header = jwt.get_unverified_header(token)
    badge = api.get_open_badge(uuid)
    assert (header["alg"], header["typ"]) == ("RS256", "JWT")
    assert header["kid"] == f"{badge['issuer']['id']}#rsa-2026"
    assert header["jwk"]["kty"] == "RSA" and "d" not in header["jwk"]
    # the embedded proof is still eddsa-rdfc-2022, by the Ed25519 key
    assert badge["proof"][0]["verificationMethod"].endswith(f"#{OLD_KEY['id']}")

    world = world_of(client, badge)
    [did] = world["did_documents"]
    rsa_method = next(m for m in did["verificationMethod"] if m["id"] == header["kid"])
    assert rsa_method["type"] == "JsonWebKey2020"
    assert issuer_identity.JWK_CONTEXT in did["@context"]
    assert rsa_method["publicKeyJwk"] == header["jwk"]
    assert header["kid"] in did["assertionMethod"]

    _header, payload, signature = token.split(".")
    changed = {**_segment(payload), "name": "Chief Safety Officer"}
    forged = ".".join([_header, _encode(changed), signature])
    said = independent.run(jwts=[token, forged], credentials=[badge], documents=[did],
                           **world)
    assert said["jwts"][0]["verified"] is True, said["jwts"][0]["error"]
    assert said["jwts"][0]["alg"] == "RS256"
    assert said["jwts"][0]["payload"]["jti"] == badge["id"]
    assert said["jwts"][1]["verified"] is False
    assert said["credentials"][0]["verified"] is True, said["credentials"]
    # the DID document with its RSA key is conformant JSON-LD (safe mode, no base IRI),
    # there and in our own canonicaliser; the key is in the canonical form, not dropped
    assert said["documents"] == [{"canonical": True, "error": None}]
    assert "#publicKeyJwk" in jsonld.canonicalize(did)


def test_our_verifier_accepts_the_rs256_jwt_and_refuses_a_changed_one(credential):
    token = api.get_open_badge_jwt(str(credential.uuid))
    result = api.verify_open_badge(token)
    assert (result.valid, result.status) == (True, "valid")
    assert result.signed_by == api.get_open_badge(str(credential.uuid))["issuer"]["id"]
    header, payload, signature = token.split(".")
    forged = ".".join([header, _encode({**_segment(payload), "name": "Forged"}), signature])
    assert api.verify_open_badge(forged).codes == ("tampered",)


def test_a_token_cannot_choose_another_algorithm_for_the_key(credential, rsa_keys):
    """The RSA key's kid with EdDSA, or HS256 keyed with the public key (key confusion):
    both refused before any signature is trusted."""
    token = api.get_open_badge_jwt(str(credential.uuid))
    claims = jwt.decode(token, options={"verify_signature": False})
    kid = jwt.get_unverified_header(token)["kid"]
    ed25519 = signing_keys.by_id(OLD_KEY["id"]).private_key
    as_eddsa = jwt.encode(claims, ed25519, algorithm="EdDSA", headers={"kid": kid})
    assert api.verify_open_badge(as_eddsa).codes == ("wrong_key",)

    public_pem = signing_keys.by_id("rsa-2026").public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    header = _encode({"alg": "HS256", "typ": "JWT", "kid": kid})
    body = _encode(claims)
    forged_mac = jwt.api_jws.get_algorithm_by_name("HS256").sign(
        f"{header}.{body}".encode(), public_pem)
    as_hs256 = f"{header}.{body}.{base64.urlsafe_b64encode(forged_mac).decode().rstrip('=')}"
    result = api.verify_open_badge(as_hs256)
    assert (result.valid, result.codes) == (False, ("malformed",))


def test_a_data_integrity_proof_naming_the_rsa_key_is_refused(credential):
    badge = api.get_open_badge(str(credential.uuid))
    proof = badge["proof"][0]
    badge["proof"][0] = {**proof, "verificationMethod": proof["verificationMethod"].replace(
        f"#{OLD_KEY['id']}", "#rsa-2026")}
    assert api.verify_open_badge(badge).codes == ("wrong_key",)


def test_without_an_rsa_key_the_jwt_stays_eddsa_and_the_did_document_has_no_jwk(
        people, definition):
    with key_settings(OLD_KEY):
        credential = issue(people, definition)
        token = api.get_open_badge_jwt(str(credential.uuid))
        assert jwt.get_unverified_header(token)["alg"] == "EdDSA"
        did = api.get_open_badge(str(credential.uuid))["issuer"]["id"]
        document = issuer_identity.did_document(did.rsplit(":", 1)[-1])
    assert issuer_identity.JWK_CONTEXT not in document["@context"]
    assert {m["type"] for m in document["verificationMethod"]} == {"Multikey"}


@pytest.mark.parametrize("entry, reason", [
    ({"id": "weak", "algorithm": "RS256", "private_key": rsa.generate_private_key(
        public_exponent=65537, key_size=1024).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()}, "an RSA key in PEM of 2048 to 8192 bits"),
    ({"id": "garbled", "algorithm": "RS256", "private_key": "-----BEGIN PRIVATE KEY-----\nAAAA"},
     "an RSA key in PEM"),
    ({"id": "odd", "algorithm": "ES256", "private_key": "x"}, "algorithm must be one of"),
])
def test_a_bad_rsa_key_entry_is_named_without_echoing_it(entry, reason):
    with key_settings(OLD_KEY, entry), pytest.raises(ImproperlyConfigured) as raised:
        signing_keys.all_keys()
    assert reason in str(raised.value) and entry["id"] in str(raised.value)
    assert "BEGIN" not in str(raised.value) and "AAAA" not in str(raised.value)


def test_only_rsa_keys_cannot_sign_proofs(rsa_entry):
    with key_settings(rsa_entry), pytest.raises(ImproperlyConfigured, match="Ed25519"):
        signing_keys.current()


def test_the_command_adds_an_rsa_key_and_prints_only_its_public_half(tmp_path, capsys):
    key_file = tmp_path / "keys.json"
    signing_keys.write_file(key_file, [OLD_KEY])
    call_command("create_badge_signing_key", "--id", "rsa-new", "--algorithm", "RS256",
                 "--file", str(key_file))
    printed = capsys.readouterr().out
    entries = json.loads(key_file.read_text())
    assert [e["id"] for e in entries] == ["rsa-new", OLD_KEY["id"]]
    assert entries[0]["algorithm"] == "RS256"
    assert "BEGIN PUBLIC KEY" in printed and "PRIVATE" not in printed
    with key_settings(SIGNING_KEYS=None, SIGNING_KEYS_FILE=str(key_file)):
        assert signing_keys.current_for_jwt().id == "rsa-new"
        assert signing_keys.current().id == OLD_KEY["id"]  # proofs stay Ed25519
        assert signing_keys.current_for_jwt().public_key.key_size == signing_keys.NEW_RSA_BITS


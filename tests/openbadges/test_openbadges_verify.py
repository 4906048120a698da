"""Verifying Open Badges: each way a credential can fail has its own reason."""
# ruff: noqa: F811 (pytest fixtures imported from tests.openbadge_helpers)
import copy
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.timezone import now

from credential_app import api
from credential_app.models import Credential
from credential_app.openbadges import keys as signing_keys
from credential_app.openbadges import verification
from tests.openbadge_helpers import (  # noqa: F401
    OLD_KEY,
    assert_valid_ob3,
    issue,
    key_settings,
    keys,
    new_key,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def credential(people, definition, keys):
    return issue(people, definition, alignments=True, validity_days=30)


@pytest.fixture
def badge(credential):
    return api.get_open_badge(str(credential.uuid))


def test_genuine_credential_is_valid_as_dict_json_text_and_bytes(badge):
    for given in (badge, json.dumps(badge), json.dumps(badge).encode()):
        result = api.verify_open_badge(given)
        assert (result.valid, result.status, result.codes) == (True, "valid", ())
        assert result.credential["id"] == badge["id"]


TAMPERINGS = {
    "name": lambda b: b.update(name="Master Electrician"),
    "validUntil": lambda b: b.update(validUntil="2099-01-01T00:00:00Z"),
    "issuer name": lambda b: b["issuer"].update(name="Another Board"),
    "achieved level": lambda b: b["credentialSubject"]["result"][1].update(
        achievedLevel=b["credentialSubject"]["result"][0]["achievedLevel"]),
    "recipient": lambda b: b["credentialSubject"]["identifier"][0].update(
        identityHash="sha256$" + "0" * 64),
    "criteria": lambda b: b["credentialSubject"]["achievement"]["criteria"].update(
        narrative="Anything."),
    "alignment": lambda b: b["credentialSubject"]["achievement"]["alignment"][0].update(
        targetCode="X9"),
    "status index": lambda b: b["credentialStatus"].update(statusListIndex="7"),
    "evidence": lambda b: b["evidence"][0].update(description="Outstanding."),
    "new field": lambda b: b.update(extra="added"),
    "new nested field": lambda b: b["credentialSubject"].update(grade="A+"),
    "extra type": lambda b: b.update(type=[*b["type"], "GoldBadge"]),
    "proof created": lambda b: b["proof"][0].update(created="2020-01-01T00:00:00Z"),
}


@pytest.mark.parametrize("change", TAMPERINGS)
def test_tampering_with_any_field_is_rejected(badge, change):
    tampered = copy.deepcopy(badge)
    TAMPERINGS[change](tampered)
    result = api.verify_open_badge(tampered)
    assert (result.valid, result.status, result.codes) == (False, "invalid", ("tampered",))
    assert "changed since it was signed" in result.reasons[0]


def test_signed_with_a_key_that_is_not_the_issuers(people, definition, new_key):
    stranger = signing_keys.new_entry("key-2026")  # same id, different key
    with key_settings(stranger):
        forged = api.get_open_badge(str(issue(people, definition).uuid))
    with key_settings(new_key, OLD_KEY):
        result = api.verify_open_badge(forged)
    assert (result.valid, result.codes) == (False, ("tampered",))  # the key listed differs
    unknown = copy.deepcopy(forged)
    unknown["proof"][0]["verificationMethod"] = forged["issuer"]["id"] + "#no-such-key"
    with key_settings(new_key, OLD_KEY):
        result = api.verify_open_badge(unknown)
    assert (result.valid, result.codes) == (False, ("wrong_key",))
    assert "not signed with a key of its issuer" in result.reasons[0]


def test_a_did_key_cannot_sign_for_this_issuer(badge):
    """A valid signature by someone else's did:key, claiming this app's issuer."""
    from credential_app.openbadges import data_integrity, multikey
    from credential_app.openbadges.keys import new_entry

    private = multikey.private_key_from_multibase(new_entry("x")["private_key"])
    public = multikey.public_key_multibase(private.public_key())
    unsecured = {k: v for k, v in badge.items() if k != "proof"}
    forged = data_integrity.sign(unsecured, private_key=private,
                                 verification_method=f"did:key:{public}#{public}",
                                 created="2026-01-01T00:00:00Z")
    result = api.verify_open_badge(forged)
    assert (result.valid, result.codes) == (False, ("wrong_key",))


def test_revoked_is_rejected_with_the_reason(credential, badge, people):
    api.revoke_credential(credential_uuid=str(credential.uuid), revoked_by=people["staff"].pk,
                          reason="Evidence was copied.")
    result = api.verify_open_badge(badge)
    assert (result.valid, result.status, result.codes) == (False, "revoked", ("revoked",))
    assert result.reasons == ("The issuer revoked this credential: Evidence was copied.",)


def test_expired_is_rejected(credential, badge):
    result = verification.verify(badge, at=credential.expires_at + timedelta(seconds=1))
    assert (result.valid, result.status, result.codes) == (False, "expired", ("expired",))
    assert result.reasons[0].startswith("The credential expired on ")


def test_not_yet_valid_is_rejected(credential, keys):
    Credential.objects.filter(pk=credential.pk).update(issued_at=now() + timedelta(days=2),
                                                       expires_at=now() + timedelta(days=9))
    badge = api.get_open_badge(str(credential.uuid))  # what it says changed: signed anew
    result = api.verify_open_badge(badge)
    assert (result.valid, result.status, result.codes) == (False, "invalid",
                                                           ("not_yet_valid",))
    assert "not valid yet" in result.reasons[0]


@pytest.mark.parametrize("given, reason", [
    (b"\x00\x01binary", "neither a credential"),
    ("not a credential", "neither a credential"),
    ("{not json", "not valid JSON"),
    ("[1, 2]", "neither a credential"),
    ({"type": ["VerifiableCredential"]}, "not an Open Badges credential"),
    ("eyJhbGciOiJub25lIn0.eyJ2YyI6e319.", "malformed"),
    ("eyJhbGciOiJub25lIn0.eyJ2YyI6e319.c2ln", "malformed"),
])
def test_malformed_input_gets_a_clear_reason(keys, given, reason):
    result = api.verify_open_badge(given)
    assert (result.valid, result.status, result.codes) == (False, "invalid", ("malformed",))
    assert reason in result.reasons[0]


def test_unsigned_credential_is_malformed(badge):
    unsigned = {k: v for k, v in badge.items() if k != "proof"}
    result = api.verify_open_badge(unsigned)
    assert result.codes == ("malformed",) and "no usable proof" in result.reasons[0]


def test_unknown_context_is_malformed_not_fetched(badge):
    odd = copy.deepcopy(badge)
    odd["@context"] = [*odd["@context"], "https://evil.example.org/context.json"]
    result = api.verify_open_badge(odd)
    assert (result.valid, result.codes) == (False, ("malformed",))


def test_a_did_key_issuer_is_refused_unless_the_site_accepts_them(badge, settings):
    """Anyone can make a did:key and name any issuer in the credential: by default the
    verifier refuses it, saying who signed; a site that accepts them labels them."""
    from credential_app.openbadges import data_integrity, multikey

    private = multikey.private_key_from_multibase(signing_keys.new_entry("x")["private_key"])
    did = "did:key:" + multikey.public_key_multibase(private.public_key())
    unsecured = {k: v for k, v in badge.items() if k not in ("proof", "credentialStatus")}
    unsecured["issuer"] = {**badge["issuer"], "id": did}  # still claims the site's name
    signed = data_integrity.sign(unsecured, private_key=private,
                                 verification_method=f"{did}#{did.removeprefix('did:key:')}",
                                 created="2026-01-01T00:00:00Z")
    refused = api.verify_open_badge(signed)
    assert (refused.valid, refused.codes, refused.signed_by) == (False, ("unknown_issuer",), did)
    assert did in refused.reasons[0] and not refused.known_issuer

    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "ACCEPT_DID_KEY_ISSUERS": True}
    accepted = api.verify_open_badge(signed)
    assert (accepted.valid, accepted.signed_by, accepted.known_issuer) == (True, did, False)
    assert accepted.issuer_name == ""  # never the name the credential claims


def test_our_own_badge_names_its_signer_as_one_of_this_sites_issuers(badge):
    result = api.verify_open_badge(badge)
    assert result.signed_by == badge["issuer"]["id"]
    assert (result.known_issuer, result.issuer_name) == (True, "Safety Board")


def test_did_key_issuer_is_understood_offline(badge, settings):
    """A credential whose issuer is a did:key verifies with the key in the DID itself."""
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "ACCEPT_DID_KEY_ISSUERS": True}
    from credential_app.openbadges import data_integrity, multikey

    private = multikey.private_key_from_multibase(signing_keys.new_entry("x")["private_key"])
    did = "did:key:" + multikey.public_key_multibase(private.public_key())
    unsecured = {k: v for k, v in badge.items() if k not in ("proof", "credentialStatus")}
    unsecured["issuer"] = {**badge["issuer"], "id": did}
    method = f"{did}#{did.removeprefix('did:key:')}"
    signed = data_integrity.sign(unsecured, private_key=private, verification_method=method,
                                 created="2026-01-01T00:00:00Z")
    result = api.verify_open_badge(signed)
    assert (result.valid, result.codes) == (True, ())
    # a revocation list elsewhere cannot be read offline: said, but not invalidating
    unsecured["credentialStatus"] = {**badge["credentialStatus"],
                                     "statusListCredential": "https://other.example/s/1",
                                     "id": "https://other.example/s/1#5"}
    signed = data_integrity.sign(unsecured, private_key=private, verification_method=method,
                                 created="2026-01-01T00:00:00Z")
    result = api.verify_open_badge(signed)
    assert (result.valid, result.status, result.codes) == (True, "valid",
                                                           ("status_unchecked",))
    assert "could not be checked" in result.reasons[0]


def test_w3c_vector_is_refused_because_its_key_is_not_its_issuers(keys):
    from tests.standards import standards_dir

    signed = json.loads((standards_dir() / "eddsa-rdfc-2022-test-vectors/signedDataInt.json")
                        .read_text())
    signed["type"] = ["VerifiableCredential", "OpenBadgeCredential"]
    result = api.verify_open_badge(signed)
    assert result.codes == ("wrong_key",)  # issuer https://vc.example/…, key a did:key


# --- VC-JWT ---

def test_jwt_export_verifies_and_names_its_key(credential, badge):
    import jwt

    token = api.get_open_badge_jwt(str(credential.uuid))
    assert api.get_open_badge_jwt(str(credential.uuid)) == token  # stable
    header = jwt.get_unverified_header(token)
    assert (header["alg"], header["typ"]) == ("EdDSA", "JWT")
    assert header["kid"] == badge["proof"][0]["verificationMethod"]
    assert header["jwk"]["kty"] == "OKP" and header["jwk"]["crv"] == "Ed25519"
    claims = jwt.decode(token, options={"verify_signature": False})
    # OB 3.0 section 8.2: the payload is the credential, with the registered claims
    assert "vc" not in claims and "proof" not in claims
    assert claims["iss"] == badge["issuer"]["id"] and claims["jti"] == badge["id"]
    assert claims["nbf"] > 0 and claims["name"] == badge["name"]
    credential = {k: v for k, v in claims.items() if k not in ("iss", "jti", "nbf", "exp")}
    assert credential == {k: v for k, v in badge.items() if k != "proof"}
    assert_valid_ob3({**credential, "proof": badge["proof"]})
    result = api.verify_open_badge(token)
    assert (result.valid, result.status) == (True, "valid")
    assert result.credential["id"] == badge["id"]


def test_tampered_jwt_and_foreign_key_jwt_are_rejected(credential, people, definition,
                                                       new_key):
    import base64

    token = api.get_open_badge_jwt(str(credential.uuid))
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["name"] = "Forged"
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    result = api.verify_open_badge(f"{header}.{forged_payload}.{signature}")
    assert (result.valid, result.codes) == (False, ("tampered",))

    with key_settings(signing_keys.new_entry("key-2026")):
        foreign = api.get_open_badge_jwt(str(issue(people, definition, issuer=False,
                                                   learner="learner2").uuid))
    result = api.verify_open_badge(foreign)  # another key under a known kid
    assert (result.valid, result.codes) == (False, ("wrong_key",))


def test_revoked_jwt_is_rejected(credential, people):
    token = api.get_open_badge_jwt(str(credential.uuid))
    api.revoke_credential(credential_uuid=str(credential.uuid), revoked_by=people["staff"].pk,
                          reason="Fraud.")
    result = api.verify_open_badge(token)
    assert (result.status, result.codes) == ("revoked", ("revoked",))


# --- baked images (baking itself: tests/openbadges/test_baking.py) ---

def _png():
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 40), "teal").save(out, "PNG")
    return out.getvalue()


SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" ' \
      'height="40"/></svg>'


def test_baked_png_and_svg_verify_with_json_or_jwt_inside(credential, badge):
    from credential_app.openbadges.baking import bake_png, bake_svg

    token = api.get_open_badge_jwt(str(credential.uuid))
    for payload in (json.dumps(badge), token):
        for image in (bake_png(_png(), payload), bake_svg(SVG, payload).encode()):
            result = api.verify_open_badge(image)
            assert (result.valid, result.status) == (True, "valid")
            assert result.credential["id"] == badge["id"]


def test_baked_image_with_a_tampered_credential_is_rejected(badge):
    from credential_app.openbadges.baking import bake_png

    badge["name"] = "Forged"
    result = api.verify_open_badge(bake_png(_png(), json.dumps(badge)))
    assert (result.valid, result.codes) == (False, ("tampered",))


def test_image_without_a_credential_or_broken_is_malformed(keys):
    result = api.verify_open_badge(_png())
    assert result.codes == ("malformed",) and "no baked credential" in result.reasons[0]
    result = api.verify_open_badge(_png()[:40])
    assert result.codes == ("malformed",) and result.reasons[0]


def test_endpoint_and_command_take_a_baked_image(client, badge, tmp_path, capsys):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from credential_app.openbadges.baking import bake_png

    baked = bake_png(_png(), json.dumps(badge))
    upload = SimpleUploadedFile("badge.png", baked, "image/png")
    body = client.post(reverse("credential_app:rest-verify"), {"file": upload}).json()
    assert (body["valid"], body["status"]) == (True, "valid")
    path = tmp_path / "badge.png"
    path.write_bytes(baked)
    call_command("verify_credential", str(path))
    assert capsys.readouterr().out.strip() == "valid"

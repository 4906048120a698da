"""The eddsa-rdfc-2022 cryptosuite reproduces the W3C test vectors byte for byte."""
import hashlib
import json
from pathlib import Path

import pytest

from credential_app.openbadges import data_integrity, multikey
from credential_app.openbadges import jsonld as jsonld_loader
from tests.standards import standards_dir

VECTORS = standards_dir() / "eddsa-rdfc-2022-test-vectors"
EXAMPLES = json.loads((Path(__file__).parents[1] / "fixtures/credentials-examples-v2.jsonld")
                      .read_text())


def vector(name):
    text = (VECTORS / name).read_text()
    return json.loads(text) if name.endswith(".json") else text


@pytest.fixture(scope="module")
def canonicalizer():
    return jsonld_loader.Canonicalizer(
        extra={"https://www.w3.org/ns/credentials/examples/v2": EXAMPLES})


@pytest.fixture(scope="module")
def private_key():
    return multikey.private_key_from_multibase(vector("keyPair.json")["privateKeyMultibase"])


def proof_options():
    config = vector("proofConfigDataInt.json")
    return {key: value for key, value in config.items() if key != "@context"}


def test_key_pair_round_trips_as_multikey(private_key):
    pair = vector("keyPair.json")
    assert multikey.public_key_multibase(private_key.public_key()) == pair["publicKeyMultibase"]
    assert multikey.private_key_multibase(private_key) == pair["privateKeyMultibase"]


def test_canonical_forms_and_hashes_match(canonicalizer):
    hashed = data_integrity.hash_input(vector("unsigned.json"), proof_options(), canonicalizer)
    assert hashed.canonical_document == vector("canonDocDataInt.txt")
    assert hashed.canonical_proof_config == vector("proofCanonDataInt.txt")
    assert hashlib.sha256(hashed.canonical_document.encode()).hexdigest() == \
        vector("docHashDataInt.txt").strip()
    assert hashlib.sha256(hashed.canonical_proof_config.encode()).hexdigest() == \
        vector("proofHashDataInt.txt").strip()
    assert hashed.hash_data.hex() == vector("combinedHashDataInt.txt").strip()


def test_signature_and_signed_document_match(canonicalizer, private_key):
    options = proof_options()
    signed = data_integrity.sign(
        vector("unsigned.json"), private_key=private_key,
        verification_method=options["verificationMethod"], created=options["created"],
        canonicalizer=canonicalizer)
    signature = multikey.multibase_decode(signed["proof"]["proofValue"])
    assert signature.hex() == vector("sigHexDataInt.txt").strip()
    assert signed["proof"]["proofValue"] == vector("sigBTC58DataInt.txt").strip()
    assert signed == vector("signedDataInt.json")


def test_signed_vector_verifies_and_any_change_does_not(canonicalizer, private_key):
    signed = vector("signedDataInt.json")
    public = private_key.public_key()
    data_integrity.verify(signed, public, canonicalizer)  # no error: valid
    tampered = {**signed, "credentialSubject": {**signed["credentialSubject"],
                                                "alumniOf": "Another School"}}
    with pytest.raises(data_integrity.ProofError) as caught:
        data_integrity.verify(tampered, public, canonicalizer)
    assert caught.value.code == "tampered"
    later = {**signed, "proof": {**signed["proof"], "created": "2024-01-01T00:00:00Z"}}
    with pytest.raises(data_integrity.ProofError):
        data_integrity.verify(later, public, canonicalizer)


def test_memoised_canonicalisation_equals_plain_pyld(canonicalizer):
    """The context memo is an optimisation only: same N-Quads as pyld on its own."""
    from pyld import jsonld

    document = vector("unsigned.json")
    for _ in range(3):  # later runs use the memo
        assert canonicalizer.canonicalize(document) == jsonld.normalize(document, {
            "algorithm": "URDNA2015", "format": "application/n-quads",
            "documentLoader": canonicalizer.load_document})


def test_unknown_context_is_refused_not_fetched():
    document = {**vector("unsigned.json")}  # examples context not shipped in the package
    with pytest.raises(jsonld_loader.UnknownContext) as caught:
        jsonld_loader.Canonicalizer().canonicalize(document)
    assert caught.value.url == "https://www.w3.org/ns/credentials/examples/v2"


def test_a_type_no_context_defines_is_refused_not_resolved_against_a_base():
    """Safe mode with no base IRI, as conformant verifiers process: the type of an OB 3.0
    ``credentialSchema`` without the extensions context is a relative IRI, an error (it
    was once quietly read as http://example.org/base/1EdTechJsonSchemaValidator2019)."""
    document = {"@context": ["https://www.w3.org/ns/credentials/v2",
                             "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
                "type": ["VerifiableCredential", "OpenBadgeCredential"],
                "issuer": "did:example:issuer", "validFrom": "2026-01-01T00:00:00Z",
                "credentialSubject": {"type": ["AchievementSubject"]},
                "credentialSchema": [{"id": "https://example.org/schema.json",
                                      "type": "1EdTechJsonSchemaValidator2019"}]}
    canonicalizer = jsonld_loader.Canonicalizer()
    with pytest.raises(jsonld_loader.UnsafeDocument, match="1EdTechJsonSchemaValidator2019"):
        canonicalizer.canonicalize(document)
    document["@context"].append("https://purl.imsglobal.org/spec/ob/v3p0/extensions.json")
    defined = "https://purl.imsglobal.org/spec/vccs/v1p0/context.json#1EdTechJsonSchemaValidator2019"
    assert f"<{defined}>" in canonicalizer.canonicalize(document)

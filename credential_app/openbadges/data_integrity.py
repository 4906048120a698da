"""W3C Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite.

The signed bytes are SHA-256(canonical proof configuration) followed by
SHA-256(canonical document), both canonicalised with RDFC-1.0 (see
``jsonld``), signed with Ed25519; the signature is the proof's
``proofValue`` in base58btc multibase. Any change to a statement of the
document or of the proof options changes the canonical form, so the signature
no longer verifies.
"""
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from credential_app.openbadges import jsonld, multikey

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"


@dataclass(frozen=True)
class HashedInput:
    """What the cryptosuite signs, with the steps that lead to it (for tests and tools)."""

    canonical_document: str
    canonical_proof_config: str
    hash_data: bytes  # proof config hash + document hash


def hash_input(unsecured: dict, proof_options: dict, canonicalizer=None, *,
               document_hash: bytes | None = None) -> HashedInput:
    """Canonicalise and hash a document without its proof and the proof options.

    ``document_hash`` (SHA-256 of the canonical document, from an earlier signing of
    exactly this document) spares canonicalising the document again.
    """
    canonicalizer = canonicalizer or jsonld.default()
    config = {key: value for key, value in proof_options.items() if key != "proofValue"}
    config["@context"] = unsecured["@context"]
    canonical_config = canonicalizer.canonicalize_small(config)
    canonical_document = "" if document_hash else canonicalizer.canonicalize(unsecured)
    return HashedInput(
        canonical_document=canonical_document,
        canonical_proof_config=canonical_config,
        hash_data=hashlib.sha256(canonical_config.encode()).digest()
        + (document_hash or hashlib.sha256(canonical_document.encode()).digest()),
    )


def document_hash(unsecured: dict, canonicalizer=None) -> bytes:
    """SHA-256 of the canonical form of a document without its proof."""
    canonicalizer = canonicalizer or jsonld.default()
    return hashlib.sha256(canonicalizer.canonicalize(unsecured).encode()).digest()


def sign(unsecured: dict, *, private_key: Ed25519PrivateKey, verification_method: str,
         created: str, proof_purpose="assertionMethod", canonicalizer=None,
         document_hash: bytes | None = None) -> dict:
    """A copy of ``unsecured`` with a DataIntegrityProof; ``created`` is an XML dateTime.

    ``document_hash``: see ``hash_input`` (a key rotation re-signs unchanged documents).
    """
    if "proof" in unsecured:
        raise ValueError("The document already has a proof; sign its unsecured form.")
    options = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    hashed = hash_input(unsecured, options, canonicalizer, document_hash=document_hash)
    signature = private_key.sign(hashed.hash_data)
    return {**unsecured, "proof": {**options,
                                   "proofValue": multikey.multibase_encode(signature)}}


class ProofError(ValueError):
    """Why a proof does not hold; ``code`` says which check failed."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def split(secured: dict) -> tuple[dict, dict]:
    """(document without proof, the one proof); ProofError("malformed") otherwise."""
    proof = secured.get("proof")
    if isinstance(proof, list) and len(proof) == 1:
        proof = proof[0]
    if not isinstance(proof, dict):
        raise ProofError("malformed", "The credential has no single proof.")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError("malformed", "The proof is not a DataIntegrityProof with "
                                      "eddsa-rdfc-2022.")
    for field in ("verificationMethod", "proofValue", "proofPurpose"):
        if not isinstance(proof.get(field), str):
            raise ProofError("malformed", f"The proof has no {field}.")
    unsecured = {key: value for key, value in secured.items() if key != "proof"}
    if "@context" not in unsecured:
        raise ProofError("malformed", "The credential has no @context.")
    if "@context" in proof and not _starts_with(unsecured["@context"], proof["@context"]):
        raise ProofError("tampered", "The proof's @context does not match the document's.")
    return unsecured, proof


def verify(secured: dict, public_key: Ed25519PublicKey, canonicalizer=None) -> None:
    """Check the proof of ``secured`` with ``public_key``; raise ProofError if it fails.

    Codes: "malformed" (no usable proof, unknown context, not JSON-LD), "tampered"
    (the signature does not match the content), "too_complex" (canonicalising it would
    cost more than ``jsonld``'s bounds).
    """
    unsecured, proof = split(secured)
    try:
        signature = multikey.multibase_decode(proof["proofValue"])
    except ValueError as exc:
        raise ProofError("malformed", "The proof value is not base58btc.") from exc
    options = {key: value for key, value in proof.items() if key != "@context"}
    try:
        hashed = hash_input(unsecured, options, canonicalizer)
    except jsonld.UnknownContext as exc:
        raise ProofError("malformed", str(exc)) from exc
    except jsonld.UnsafeDocument as exc:  # content the signature cannot cover
        raise ProofError("tampered", str(exc)) from exc
    except jsonld.TooComplex as exc:
        raise ProofError("too_complex", str(exc)) from exc
    except (ValueError, TypeError) as exc:
        raise ProofError("malformed", "The credential is not valid JSON-LD.") from exc
    try:
        public_key.verify(signature, hashed.hash_data)
    except InvalidSignature as exc:
        raise ProofError("tampered", "The signature does not match the content.") from exc


def _starts_with(document_context, proof_context) -> bool:
    doc = document_context if isinstance(document_context, list) else [document_context]
    mine = proof_context if isinstance(proof_context, list) else [proof_context]
    return doc[:len(mine)] == mine

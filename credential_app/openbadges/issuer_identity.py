"""The issuer's identity: a ``did:web`` DID per issuer, its DID document, and key lookup.

Each issuer profile (an ``Issuer`` row, or ``platform`` for definitions without one) is
``did:web:<host>:openbadges:issuers:<ref>``, which resolves to
``https://<host>/openbadges/issuers/<ref>/did.json``, served by this app. Every DID
document lists all configured signing keys, current and retired, usable for
``assertionMethod``: Ed25519 keys as ``Multikey`` methods, RSA keys as ``JsonWebKey2020``
methods (``publicKeyJwk``), each with the JSON-LD context that defines it. Verifying never
resolves a DID over the network: this app knows its own documents, and ``did:key`` carries its key.
"""
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from credential_app.lib import public_urls
from credential_app.openbadges import keys, multikey
from credential_app.openbadges.jwk import public_jwk

PLATFORM = "platform"
DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]
JWK_CONTEXT = "https://w3id.org/security/suites/jws-2020/v1"


def _did_web_prefix() -> str:
    """did:web method-specific id of the base URL (port percent-encoded, path as ':')."""
    parts = urlsplit(public_urls.base_url())
    host = quote(parts.netloc, safe="")
    path = [quote(segment, safe="") for segment in parts.path.split("/") if segment]
    return ":".join(["did:web", host, *path])


def issuer_did(issuer_ref) -> str:
    """The DID of issuer ``issuer_ref`` (an Issuer's primary key, or ``"platform"``)."""
    return f"{_did_web_prefix()}:openbadges:issuers:{issuer_ref}"


def verification_method_id(issuer_ref, key_id) -> str:
    return f"{issuer_did(issuer_ref)}#{key_id}"


def _verification_method(did, key: keys.SigningKey) -> dict:
    method = {"id": f"{did}#{key.id}", "controller": did}
    if key.algorithm == keys.RS256:
        return {**method, "type": "JsonWebKey2020", "publicKeyJwk": public_jwk(key.public_key)}
    return {**method, "type": "Multikey", "publicKeyMultibase": key.public_key_multibase}


def did_document(issuer_ref) -> dict:
    did = issuer_did(issuer_ref)
    methods = [_verification_method(did, key) for key in keys.all_keys()]
    has_jwk = any(method["type"] == "JsonWebKey2020" for method in methods)
    return {
        "@context": [*DID_CONTEXTS, JWK_CONTEXT] if has_jwk else DID_CONTEXTS,
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def issuer_ref_of(did: str) -> str | None:
    """The issuer reference of one of this app's DIDs; None for any other DID."""
    prefix = f"{_did_web_prefix()}:openbadges:issuers:"
    if not isinstance(did, str) or not did.startswith(prefix):
        return None
    ref = unquote(did[len(prefix):])
    return ref if ref == PLATFORM or ref.isdigit() else None


@dataclass(frozen=True)
class ResolvedKey:
    """A verification method this verifier can use: whose it is, and its public key."""

    controller: str
    public_key: Ed25519PublicKey | rsa.RSAPublicKey
    key_id: str = ""  # this app's key id, when it is one of ours
    algorithm: str = keys.EDDSA


def resolve(verification_method: str) -> ResolvedKey | None:
    """The key behind ``verification_method``, without the network; None if unknown.

    This app's own did:web methods are looked up in its signing keys (retired ones
    included); ``did:key`` methods carry their Ed25519 key in the identifier.
    """
    if not isinstance(verification_method, str) or "#" not in verification_method:
        return None
    did, fragment = verification_method.split("#", 1)
    if issuer_ref_of(did) is not None:
        key = keys.by_id(fragment)
        return ResolvedKey(did, key.public_key, key.id, key.algorithm) if key else None
    if did.startswith("did:key:") and fragment == did[len("did:key:"):]:
        try:
            return ResolvedKey(did, multikey.public_key_from_multibase(fragment))
        except ValueError:
            return None
    return None

"""The issuer's identity: a ``did:web`` DID per issuer, its DID document, and key lookup.

Each issuer profile (an ``Issuer`` row, or ``platform`` for definitions without one) has
the DID that resolves, by the did:web rules, to the address this app serves its DID
document at: ``https://<host>/credential-app/openbadges/issuers/<ref>/did.json`` is
``did:web:<host>:credential-app:openbadges:issuers:<ref>`` (a port is percent-encoded,
each path segment becomes a ``:`` segment). The DID is derived from that address, so the
two cannot drift apart. Every DID document lists all configured signing keys, current and
retired, usable for ``assertionMethod``: Ed25519 keys as ``Multikey`` methods, RSA keys as
``JsonWebKey2020`` methods (``publicKeyJwk``), each with the JSON-LD context that defines
it. Verifying never resolves a DID over the network: this app knows its own documents, and
``did:key`` carries its key.

Credentials signed before the app's URLs moved under ``credential-app/`` name the earlier
DID, ``did:web:<host>[:<base path>]:openbadges:issuers:<ref>`` (``legacy_issuer_did``):
still this site's issuer, with the same keys (docs/decisions/0011).
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


DID_DOCUMENT = "did.json"
REF_PLACEHOLDER = "issuer-ref"  # any value the issuer_ref path segment accepts


def did_web(document_url: str) -> str:
    """The did:web DID that resolves to ``document_url`` (an https address ending in
    ``/did.json``; ``/.well-known/did.json`` for a bare domain)."""
    parts = urlsplit(document_url)
    segments = [segment for segment in parts.path.split("/") if segment]
    if segments[-1:] == [DID_DOCUMENT]:
        segments.pop()
    if segments == [".well-known"]:
        segments = []
    return ":".join(["did:web", quote(parts.netloc, safe=""),
                     *(quote(segment, safe="") for segment in segments)])


def issuer_did(issuer_ref) -> str:
    """The DID of issuer ``issuer_ref`` (an Issuer's primary key, or ``"platform"``)."""
    return did_web(public_urls.reverse_absolute("badge-issuer-did", issuer_ref=issuer_ref))


def legacy_issuer_did(issuer_ref) -> str:
    """The DID credentials signed before the URLs moved name (see the module's docstring)."""
    return f"{_legacy_did_prefix()}{issuer_ref}"


def _legacy_did_prefix() -> str:
    parts = urlsplit(public_urls.base_url())
    path = [quote(segment, safe="") for segment in parts.path.split("/") if segment]
    return ":".join(["did:web", quote(parts.netloc, safe=""), *path,
                     "openbadges", "issuers", ""])


def verification_method_id(issuer_ref, key_id) -> str:
    return f"{issuer_did(issuer_ref)}#{key_id}"


def _verification_method(did, key: keys.SigningKey) -> dict:
    method = {"id": f"{did}#{key.id}", "controller": did}
    if key.algorithm == keys.RS256:
        return {**method, "type": "JsonWebKey2020", "publicKeyJwk": public_jwk(key.public_key)}
    return {**method, "type": "Multikey", "publicKeyMultibase": key.public_key_multibase}


def did_document(issuer_ref, did=None) -> dict:
    """The DID document of ``issuer_ref``, as ``did`` (default: its current DID)."""
    did = did or issuer_did(issuer_ref)
    methods = [_verification_method(did, key) for key in keys.all_keys()]
    has_jwk = any(method["type"] == "JsonWebKey2020" for method in methods)
    return {
        "@context": [*DID_CONTEXTS, JWK_CONTEXT] if has_jwk else DID_CONTEXTS,
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def issuer_ref_of(did: str) -> str | None:
    """The issuer reference of one of this app's DIDs (current or legacy); None for any
    other DID."""
    if not isinstance(did, str):
        return None
    before, _placeholder, after = issuer_did(REF_PLACEHOLDER).partition(REF_PLACEHOLDER)
    for prefix, suffix in ((before, after), (_legacy_did_prefix(), "")):
        if did.startswith(prefix) and did.endswith(suffix) and len(did) > len(prefix + suffix):
            ref = unquote(did[len(prefix):len(did) - len(suffix)])
            return ref if ref == PLATFORM or ref.isdigit() else None
    return None


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

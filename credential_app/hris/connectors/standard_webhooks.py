"""Standard Webhooks 1.0 signatures: signing (the connector) and verifying (the simulator,
and anyone who wants to check our requests).

Signed content is ``{webhook-id}.{webhook-timestamp}.{body}``. Symmetric secrets are
``whsec_`` + base64 (HMAC-SHA256, signature ``v1,<base64>``); asymmetric keys are Ed25519,
``whsk_`` + base64 of the 32-byte private key (a 64-byte private+public form is accepted
too) and ``whpk_`` + base64 of the 32-byte public key (signature ``v1a,<base64>``).
Several secrets (rotation) give several space-separated signatures.
"""
import base64
import hashlib
import hmac
import secrets as random_secrets
import time

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

SYMMETRIC_PREFIX = "whsec_"
PRIVATE_KEY_PREFIX = "whsk_"
PUBLIC_KEY_PREFIX = "whpk_"
DEFAULT_TOLERANCE_SECONDS = 5 * 60


class InvalidSecret(ValueError):
    """A secret that is neither a ``whsec_`` nor a ``whsk_`` value of the right size."""


class VerificationFailed(Exception):
    """The request does not carry a valid signature from a trusted key."""


def _b64decode(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except ValueError as exc:
        raise InvalidSecret("not valid base64") from exc


def signed_content(message_id: str, timestamp: int, body: bytes) -> bytes:
    if "." in message_id:
        raise ValueError("A webhook id must not contain a full stop.")
    return f"{message_id}.{int(timestamp)}.".encode() + body


def new_symmetric_secret() -> str:
    return SYMMETRIC_PREFIX + base64.b64encode(random_secrets.token_bytes(32)).decode()


def new_key_pair() -> tuple[str, str]:
    """(whsk_ private key, whpk_ public key) for v1a signatures."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.Raw,
                                           serialization.PublicFormat.Raw)
    return (PRIVATE_KEY_PREFIX + base64.b64encode(private).decode(),
            PUBLIC_KEY_PREFIX + base64.b64encode(public).decode())


def public_key_of(private_secret: str) -> str:
    key = _private_key(private_secret)
    public = key.public_key().public_bytes(serialization.Encoding.Raw,
                                           serialization.PublicFormat.Raw)
    return PUBLIC_KEY_PREFIX + base64.b64encode(public).decode()


def _private_key(secret: str) -> Ed25519PrivateKey:
    raw = _b64decode(secret[len(PRIVATE_KEY_PREFIX):])
    if len(raw) not in (32, 64):
        raise InvalidSecret("an Ed25519 private key has 32 bytes")
    return Ed25519PrivateKey.from_private_bytes(raw[:32])


def check_secret(secret: str) -> None:
    """Raise ``InvalidSecret`` unless ``secret`` can sign."""
    if secret.startswith(SYMMETRIC_PREFIX):
        raw = _b64decode(secret[len(SYMMETRIC_PREFIX):])
        if not 24 <= len(raw) <= 64:
            raise InvalidSecret("a whsec_ secret has 24 to 64 random bytes")
    elif secret.startswith(PRIVATE_KEY_PREFIX):
        _private_key(secret)
    else:
        raise InvalidSecret("a signing secret starts with whsec_ or whsk_")


def sign(secrets: list[str], message_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header value: one signature per secret, space-separated."""
    content = signed_content(message_id, timestamp, body)
    signatures = []
    for secret in secrets:
        if secret.startswith(SYMMETRIC_PREFIX):
            key = _b64decode(secret[len(SYMMETRIC_PREFIX):])
            digest = hmac.new(key, content, hashlib.sha256).digest()
            signatures.append("v1," + base64.b64encode(digest).decode())
        elif secret.startswith(PRIVATE_KEY_PREFIX):
            signature = _private_key(secret).sign(content)
            signatures.append("v1a," + base64.b64encode(signature).decode())
        else:
            raise InvalidSecret("a signing secret starts with whsec_ or whsk_")
    return " ".join(signatures)


def verify(trusted: list[str], headers, body: bytes, *,
           tolerance=DEFAULT_TOLERANCE_SECONDS, now=None) -> str:
    """Check a received request; return its ``webhook-id``.

    ``trusted``: ``whsec_`` secrets and ``whpk_`` public keys the receiver accepts.
    ``headers``: a case-insensitive mapping (or a dict with lower-case names).
    """
    def header(name):
        return headers.get(name) or headers.get(name.title()) or ""

    message_id, timestamp_text, signature_header = (
        header("webhook-id"), header("webhook-timestamp"), header("webhook-signature"))
    if not (message_id and timestamp_text and signature_header):
        raise VerificationFailed("missing webhook-id, webhook-timestamp or webhook-signature")
    try:
        timestamp = int(timestamp_text)
    except ValueError as exc:
        raise VerificationFailed("webhook-timestamp is not an integer") from exc
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise VerificationFailed("webhook-timestamp is outside the tolerance")
    content = signed_content(message_id, timestamp, body)
    offered = [part.split(",", 1) for part in signature_header.split() if "," in part]
    for secret in trusted:
        for version, value in offered:
            try:
                signature = base64.b64decode(value, validate=True)
            except ValueError:
                continue
            if version == "v1" and secret.startswith(SYMMETRIC_PREFIX):
                key = _b64decode(secret[len(SYMMETRIC_PREFIX):])
                expected = hmac.new(key, content, hashlib.sha256).digest()
                if hmac.compare_digest(expected, signature):
                    return message_id
            elif version == "v1a" and secret.startswith(PUBLIC_KEY_PREFIX):
                public = Ed25519PublicKey.from_public_bytes(
                    _b64decode(secret[len(PUBLIC_KEY_PREFIX):]))
                try:
                    public.verify(signature, content)
                    return message_id
                except InvalidSignature:
                    continue
    raise VerificationFailed("no signature matches a trusted secret")

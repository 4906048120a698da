"""Public keys as JSON Web Keys: what a VC-JWT header and a DID document's
``JsonWebKey2020`` method carry, so any JOSE library can check a signature.

Ed25519 keys are ``OKP`` keys (RFC 8037), RSA keys ``RSA`` keys (RFC 7518 §6.3.1); both
members are base64url without padding, as JOSE writes them.
"""
import base64

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _b64url_uint(number: int) -> str:
    return _b64url(number.to_bytes((number.bit_length() + 7) // 8 or 1, "big"))


def public_jwk(public_key) -> dict:
    """``public_key`` (Ed25519 or RSA) as a public JWK."""
    if isinstance(public_key, rsa.RSAPublicKey):
        numbers = public_key.public_numbers()
        return {"kty": "RSA", "n": _b64url_uint(numbers.n), "e": _b64url_uint(numbers.e)}
    return {"kty": "OKP", "crv": "Ed25519",
            "x": _b64url(public_key.public_bytes(Encoding.Raw, PublicFormat.Raw))}

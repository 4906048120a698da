"""VC-JWT: the same Open Badge as a compact JWS (EdDSA), the second export format.

Open Badges 3.0 (section 8.2) puts the credential, without its Data Integrity proof,
in the ``vc`` claim, and mirrors ``iss``, ``jti``, ``nbf`` and ``exp`` from it. The
JOSE header names the signing key by ``kid``: the same verification method as the
embedded proof, found in the issuer's DID document. Ed25519 signatures are
deterministic, so one credential always exports the same token.
"""
import calendar
from datetime import datetime

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credential_app.openbadges import issuer_identity

ALGORITHM = "EdDSA"


def _timestamp(xml_datetime: str) -> int:
    return calendar.timegm(datetime.strptime(xml_datetime, "%Y-%m-%dT%H:%M:%SZ").timetuple())


def issuer_id(credential: dict) -> str:
    issuer = credential.get("issuer")
    return issuer.get("id", "") if isinstance(issuer, dict) else issuer or ""


def encode(credential: dict, *, private_key: Ed25519PrivateKey, kid: str, issued_at: int) -> str:
    """The JWT of ``credential`` (its proof, if any, left out)."""
    vc = {key: value for key, value in credential.items() if key != "proof"}
    claims = {"iss": issuer_id(vc), "jti": vc["id"], "nbf": _timestamp(vc["validFrom"]),
              "iat": issued_at, "vc": vc}
    subject = vc.get("credentialSubject", {}).get("id")
    if subject:
        claims["sub"] = subject
    if vc.get("validUntil"):
        claims["exp"] = _timestamp(vc["validUntil"])
    return jwt.encode(claims, private_key, algorithm=ALGORITHM,
                      headers={"kid": kid, "typ": "JWT"})


class JwtError(ValueError):
    """Why a VC-JWT does not hold; ``code`` as in ``VerificationResult.codes``."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def looks_like_jwt(text: str) -> bool:
    parts = text.strip().split(".")
    return len(parts) == 3 and all(parts[:2]) and all(
        c.isalnum() or c in "-_" for c in "".join(parts))


def decode(token: str) -> dict:
    """Check the token's signature with the key its ``kid`` names; return the ``vc``.

    Dates are not judged here (the verifier gives them their own reasons).
    """
    token = token.strip()
    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError as exc:
        raise JwtError("malformed", "Not a JWT.") from exc
    if header.get("alg") != ALGORITHM:
        raise JwtError("malformed", "The JWT is not signed with EdDSA.")
    resolved = issuer_identity.resolve(header.get("kid", ""))
    if resolved is None:
        raise JwtError("wrong_key", "The JWT's signing key is not the issuer's.")
    try:
        claims = jwt.decode(token, resolved.public_key, algorithms=[ALGORITHM],
                            options={"verify_exp": False, "verify_nbf": False,
                                     "verify_iat": False, "verify_aud": False,
                                     "require": ["iss", "vc"]})
    except jwt.InvalidSignatureError as exc:
        raise JwtError("tampered", "The JWT's signature does not match its content.") from exc
    except jwt.InvalidTokenError as exc:
        raise JwtError("malformed", "The JWT is not a VC-JWT.") from exc
    vc = claims.get("vc")
    if not isinstance(vc, dict):
        raise JwtError("malformed", "The JWT carries no credential.")
    if claims["iss"] != resolved.controller or issuer_id(vc) != claims["iss"]:
        raise JwtError("wrong_key", "The JWT's key does not belong to the credential's issuer.")
    if claims.get("jti") not in (None, vc.get("id")):
        raise JwtError("tampered", "The JWT's id does not match the credential's.")
    return vc

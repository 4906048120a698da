"""VC-JWT: the same Open Badge as a compact JWS, the second export format (OB 3.0 §8.2).

The JWT payload is the credential itself (without its Data Integrity proof), with the
registered claims mirrored from it: ``iss`` (issuer id), ``jti`` (credential id), ``nbf``
(validFrom), ``exp`` (validUntil, when it has one) and ``sub`` (the subject's id, when it
has one). The JOSE header has ``alg`` (RS256 with an RSA key, the algorithm every OB 3.0
verifier must accept; EdDSA with an Ed25519 key), ``typ`` "JWT", ``kid`` (the verification
method in the issuer's DID document) and ``jwk`` (the same public key, so a verifier
without DID resolution can check the signature; we trust it only when it is the key
``kid`` resolves to). Tokens in the older shape, the credential under a ``vc`` claim, are
still read. Both signatures are deterministic (Ed25519, RSASSA-PKCS1-v1_5): one credential
always exports the same token with the same key.
"""
import calendar
from datetime import datetime

import jwt

from credential_app.openbadges import issuer_identity, keys
from credential_app.openbadges.jwk import public_jwk

ALGORITHMS = (keys.RS256, keys.EDDSA)
REGISTERED_CLAIMS = ("iss", "jti", "nbf", "exp", "sub", "iat", "aud")
MAX_TOKEN_CHARS = 256 * 1024


def _timestamp(xml_datetime: str) -> int:
    return calendar.timegm(datetime.strptime(xml_datetime, "%Y-%m-%dT%H:%M:%SZ").timetuple())


def issuer_id(credential: dict) -> str:
    issuer = credential.get("issuer")
    return issuer.get("id", "") if isinstance(issuer, dict) else issuer or ""


def encode(credential: dict, *, key: keys.SigningKey, kid: str) -> str:
    """The JWT of ``credential`` (its proof, if any, left out), signed with ``key``."""
    claims = {key: value for key, value in credential.items() if key != "proof"}
    claims.update(iss=issuer_id(credential), jti=credential["id"],
                  nbf=_timestamp(credential["validFrom"]))
    subject = credential.get("credentialSubject", {}).get("id")
    if subject:
        claims["sub"] = subject
    if credential.get("validUntil"):
        claims["exp"] = _timestamp(credential["validUntil"])
    return jwt.encode(claims, key.private_key, algorithm=key.algorithm, headers={
        "kid": kid, "typ": "JWT", "jwk": public_jwk(key.public_key)})


class JwtError(ValueError):
    """Why a VC-JWT does not hold; ``code`` as in ``VerificationResult.codes``."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def looks_like_jwt(text: str) -> bool:
    parts = text.strip().split(".")
    return len(parts) == 3 and all(parts[:2]) and all(
        c.isalnum() or c in "-_" for c in "".join(parts))


def decode(token: str) -> tuple[dict, str]:
    """Check the token's signature with the key its ``kid`` names; return (the credential,
    the DID that signed). Dates are not judged here (the verifier gives them reasons)."""
    token = token.strip()
    if len(token) > MAX_TOKEN_CHARS:
        raise JwtError("malformed", "The JWT is too large to be a credential.")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError as exc:
        raise JwtError("malformed", "Not a JWT.") from exc
    algorithm = header.get("alg")
    if algorithm not in ALGORITHMS:
        raise JwtError("malformed", "The JWT is not signed with RS256 or EdDSA.")
    resolved = issuer_identity.resolve(header.get("kid", ""))
    if resolved is None:
        raise JwtError("wrong_key", "The JWT's signing key is not the issuer's.")
    if resolved.algorithm != algorithm:  # never let the token choose how its key is used
        raise JwtError("wrong_key", "The JWT's algorithm is not its signing key's.")
    if "jwk" in header and header["jwk"] != public_jwk(resolved.public_key):
        raise JwtError("wrong_key", "The JWT's embedded key is not the key its kid names.")
    try:
        claims = jwt.decode(token, resolved.public_key, algorithms=[resolved.algorithm],
                            options={"verify_exp": False, "verify_nbf": False,
                                     "verify_iat": False, "verify_aud": False,
                                     "require": ["iss"]})
    except jwt.InvalidSignatureError as exc:
        raise JwtError("tampered", "The JWT's signature does not match its content.") from exc
    except jwt.InvalidTokenError as exc:
        raise JwtError("malformed", "The JWT is not a VC-JWT.") from exc
    credential = claims["vc"] if isinstance(claims.get("vc"), dict) else {
        key: value for key, value in claims.items() if key not in REGISTERED_CLAIMS}
    if "type" not in credential:
        raise JwtError("malformed", "The JWT carries no credential.")
    if claims["iss"] != resolved.controller or issuer_id(credential) != claims["iss"]:
        raise JwtError("wrong_key", "The JWT's key does not belong to the credential's issuer.")
    if claims.get("jti") not in (None, credential.get("id")):
        raise JwtError("tampered", "The JWT's id does not match the credential's.")
    return credential, resolved.controller

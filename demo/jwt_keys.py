"""The demo's JWT signing keys, standing in for the LMS's ``JWT_AUTH`` keys.

The LMS signs its JWTs with an RSA key (``JWT_PRIVATE_SIGNING_JWK``) and every
service checks them against the public key set (``JWT_PUBLIC_SIGNING_JWK_SET``).
The demo makes one such key pair on first start and keeps it in ``var/`` so the
server, its workers and ``manage.py demo_jwt`` all agree on it.
"""
import json
import os
import secrets
import tempfile
import time
from pathlib import Path

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

KEY_FILE = "jwt-signing-jwk.json"
KEY_ID = "demo-lms-signing-key"
SECRET_FILE = "jwt-hs256-secret.txt"  # noqa: S105 (a file name; the secret is random)


def load_or_create(var_dir: Path) -> tuple[str, str]:
    """(private JWK, public JWK set) as JSON strings, made once per ``var_dir``."""
    path = Path(var_dir) / KEY_FILE
    if not path.exists():
        _create(path)
    private = json.loads(path.read_text())
    public = {key: value for key, value in private.items() if key in ("kty", "n", "e", "kid")}
    return json.dumps(private), json.dumps({"keys": [public]})


def load_or_create_secret(var_dir: Path) -> str:
    """The demo's HS256 secret (symmetric tokens, which edx-drf-extensions still accepts):
    random, made once per ``var_dir``, never a value shipped in the code, so nobody can
    mint a token for someone else's demo."""
    path = Path(var_dir) / SECRET_FILE
    if not path.exists():
        _write_once(path, secrets.token_urlsafe(48))
    return path.read_text().strip()


def _create(path: Path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = {**json.loads(RSAAlgorithm.to_jwk(key)), "kid": KEY_ID}
    _write_once(path, json.dumps(jwk))


def _write_once(path: Path, text: str):
    """Write ``text`` to ``path`` (owner-readable only) unless another process did first."""
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False) as scratch:
        os.fchmod(scratch.fileno(), 0o600)
        scratch.write(text)
    try:
        os.link(scratch.name, path)  # atomic: when processes race, the first key wins
    except FileExistsError:
        pass
    finally:
        os.unlink(scratch.name)


def mint(user, jwt_auth: dict, *, expires_in=3600) -> str:
    """A JWT for ``user`` with the claims the LMS's OAuth2 provider puts in its tokens."""
    now = int(time.time())
    payload = {
        "iss": jwt_auth["JWT_ISSUER"], "aud": jwt_auth["JWT_AUDIENCE"],
        "iat": now, "exp": now + expires_in, "version": "1.2.0",
        "preferred_username": user.username, "user_id": user.pk, "email": user.email,
        "name": user.get_full_name(), "administrator": user.is_staff,
        "scopes": ["read", "write", "email", "profile", "user_id"], "filters": [],
        "is_restricted": False,
    }
    key = RSAAlgorithm.from_jwk(jwt_auth["JWT_PRIVATE_SIGNING_JWK"])
    return jwt.encode(payload, key, algorithm=jwt_auth["JWT_SIGNING_ALGORITHM"])

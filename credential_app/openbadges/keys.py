"""The issuer's signing keys, from settings or a secret file, never the database.

``CREDENTIAL_APP["SIGNING_KEYS"]`` (or the JSON file named by
``CREDENTIAL_APP["SIGNING_KEYS_FILE"]``) lists keys newest first::

    [{"id": "2026-11", "private_key": "z3u2…"},            # current: signs new credentials
     {"id": "2026-11-rsa", "algorithm": "RS256",            # signs the VC-JWTs
      "private_key": "-----BEGIN PRIVATE KEY-----…"},
     {"id": "2025-01", "private_key_file": "/run/secrets/badge-2025"},  # older, still listed
     {"id": "2024-01", "public_key": "z6Mk…"}]             # retired: private key destroyed

Keys are Ed25519 (``"algorithm": "EdDSA"``, the default: Multikey strings) or RSA
(``"RS256"``: PEM, at least 2048 bits). Data Integrity proofs (eddsa-rdfc-2022) are signed
with the first Ed25519 key that has its private key. VC-JWTs are signed with the first RSA
key that has its private key, when there is one (RS256 is the algorithm every Open Badges
3.0 verifier must accept), else with that Ed25519 key (EdDSA). Every listed key stays in
the issuer's DID document, so what an older key signed keeps verifying after a rotation.
Rotating: put a new key first (``create_badge_signing_key``), then optionally re-sign
(``resign_open_badges``).
"""
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from credential_app.openbadges import multikey

KEY_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
EDDSA = "EdDSA"
RS256 = "RS256"
ALGORITHMS = (EDDSA, RS256)
# RSA below 2048 bits is refused (RFC 7518 §3.3); above 8192 costs a verifier for nothing.
MIN_RSA_BITS, MAX_RSA_BITS, NEW_RSA_BITS = 2048, 8192, 3072
MAX_PEM_CHARS = 16 * 1024


@dataclass(frozen=True)
class SigningKey:
    """One key pair (or a retired public key) the issuer signs or signed with."""

    id: str
    public_key: Ed25519PublicKey | rsa.RSAPublicKey = field(repr=False)
    private_key: Ed25519PrivateKey | rsa.RSAPrivateKey | None = field(default=None, repr=False)
    algorithm: str = EDDSA

    @property
    def public_key_multibase(self) -> str:
        return multikey.public_key_multibase(self.public_key)


_cache: dict = {}


def _configuration():
    """(key entries, what they were read from) — re-read when the file changes."""
    app = getattr(settings, "CREDENTIAL_APP", {}) or {}
    entries = app.get("SIGNING_KEYS")
    path = app.get("SIGNING_KEYS_FILE")
    stamp = None
    if not entries and path:
        try:
            stat = os.stat(path)
        except OSError as exc:
            raise ImproperlyConfigured(
                f"CREDENTIAL_APP['SIGNING_KEYS_FILE'] cannot be read: {path}") from exc
        stamp = (path, stat.st_mtime_ns, stat.st_size)
    return entries, path, stamp


def all_keys() -> tuple[SigningKey, ...]:
    """Every configured key, newest first. ImproperlyConfigured when there is none."""
    entries, path, stamp = _configuration()
    cache_key = (json.dumps(entries, sort_keys=True, default=str), stamp)
    if _cache.get("key") != cache_key:
        if not entries and path:
            entries = json.loads(Path(path).read_text())
        _cache["keys"] = _parse(entries or [])
        _cache["key"] = cache_key
    return _cache["keys"]


def _parse(entries) -> tuple[SigningKey, ...]:
    keys, seen = [], set()
    for entry in entries:
        key_id = entry.get("id", "") if isinstance(entry, dict) else ""
        if not KEY_ID.match(key_id) or key_id in seen:
            raise ImproperlyConfigured(
                "Each badge signing key needs a unique id of letters, digits, '.', '_' or "
                "'-' (at most 64).")
        seen.add(key_id)
        algorithm = entry.get("algorithm", EDDSA)
        if algorithm not in ALGORITHMS:
            raise ImproperlyConfigured(
                f"Badge signing key {key_id!r}: algorithm must be one of {', '.join(ALGORITHMS)}.")
        secret = entry.get("private_key")
        if not secret and entry.get("private_key_file"):
            secret = Path(entry["private_key_file"]).read_text().strip()
        parse = _parse_rsa if algorithm == RS256 else _parse_ed25519
        try:
            public, private = parse(secret, entry.get("public_key", ""))
        except (ValueError, TypeError) as exc:  # never echo the key itself
            raise ImproperlyConfigured(f"Badge signing key {key_id!r} is not " + (
                f"an RSA key in PEM of {MIN_RSA_BITS} to {MAX_RSA_BITS} bits."
                if algorithm == RS256 else "an Ed25519 Multikey.")) from exc
        keys.append(SigningKey(key_id, public, private, algorithm))
    return tuple(keys)


def _parse_ed25519(secret, public):
    if secret:
        private = multikey.private_key_from_multibase(secret)
        return private.public_key(), private
    return multikey.public_key_from_multibase(public), None


def _parse_rsa(secret, public):
    pem = (secret or public or "").encode()
    if len(pem) > MAX_PEM_CHARS:
        raise ValueError("too long")
    private = serialization.load_pem_private_key(pem, password=None) if secret else None
    key = private.public_key() if private else serialization.load_pem_public_key(pem)
    if not isinstance(key, rsa.RSAPublicKey) or not (
            MIN_RSA_BITS <= key.key_size <= MAX_RSA_BITS):
        raise ValueError("not an RSA key of an accepted size")
    return key, private


def _first_private(algorithm) -> SigningKey | None:
    return next((key for key in all_keys()
                 if key.algorithm == algorithm and key.private_key is not None), None)


def current() -> SigningKey:
    """The key Data Integrity proofs are signed with: the first Ed25519 key with its
    private key."""
    key = _first_private(EDDSA)
    if key is None:
        raise ImproperlyConfigured(
            "No Ed25519 badge signing key: set CREDENTIAL_APP['SIGNING_KEYS'] or "
            "CREDENTIAL_APP['SIGNING_KEYS_FILE'] (see the create_badge_signing_key command).")
    return key


def current_for_jwt() -> SigningKey:
    """The key VC-JWTs are signed with: the first RSA key with its private key (RS256),
    else the Data Integrity key (EdDSA)."""
    return _first_private(RS256) or current()


def by_id(key_id) -> SigningKey | None:
    return next((key for key in all_keys() if key.id == key_id), None)


def new_entry(key_id: str, algorithm: str = EDDSA) -> dict:
    """A fresh key as a settings entry (for a key file or a secret store)."""
    if not KEY_ID.match(key_id):
        raise ValueError("Key ids are letters, digits, '.', '_' or '-' (at most 64).")
    if algorithm == RS256:
        private = rsa.generate_private_key(public_exponent=65537, key_size=NEW_RSA_BITS)
        return {"id": key_id, "algorithm": RS256, "private_key": private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()).decode()}
    if algorithm != EDDSA:
        raise ValueError(f"Signing keys are {' or '.join(ALGORITHMS)}.")
    return {"id": key_id,
            "private_key": multikey.private_key_multibase(Ed25519PrivateKey.generate())}


def public_text(entry: dict) -> str:
    """The public half of a key entry as text (Multikey, or PEM for RSA): safe to print."""
    public, _private = (_parse_rsa if entry.get("algorithm") == RS256 else _parse_ed25519)(
        entry.get("private_key"), entry.get("public_key", ""))
    if isinstance(public, rsa.RSAPublicKey):
        return public.public_bytes(serialization.Encoding.PEM,
                                   serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return multikey.public_key_multibase(public)


def add_to_file(path, key_id: str, algorithm: str = EDDSA) -> dict:
    """Put a new key first in the key file at ``path`` (made readable by its owner only);
    older keys stay, so what they signed keeps verifying."""
    path = Path(path)
    entries = json.loads(path.read_text()) if path.exists() else []
    if any(entry.get("id") == key_id for entry in entries):
        raise ValueError(f"The key file already has a key {key_id!r}.")
    entry = new_entry(key_id, algorithm)
    write_file(path, [entry, *entries])
    return entry


def write_file(path: Path, entries: list) -> None:
    """Replace the key file atomically, mode 0600."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, scratch = tempfile.mkstemp(dir=path.parent, prefix=".keys-")
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, "w") as out:
            json.dump(entries, out, indent=1)
        os.replace(scratch, path)
    except BaseException:
        if os.path.exists(scratch):
            os.unlink(scratch)
        raise

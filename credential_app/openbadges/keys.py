"""The issuer's Ed25519 signing keys, from settings or a secret file, never the database.

``CREDENTIAL_APP["SIGNING_KEYS"]`` (or the JSON file named by
``CREDENTIAL_APP["SIGNING_KEYS_FILE"]``) lists keys newest first::

    [{"id": "2026-11", "private_key": "z3u2…"},            # current: signs new credentials
     {"id": "2025-01", "private_key_file": "/run/secrets/badge-2025"},  # older, still listed
     {"id": "2024-01", "public_key": "z6Mk…"}]             # retired: private key destroyed

The first key with a private key signs; every listed key stays in the issuer's DID
document, so credentials signed with an older key keep verifying after a rotation.
Rotating: put a new key first (``create_badge_signing_key``), then optionally re-sign
(``resign_open_badges``).
"""
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from credential_app.openbadges import multikey

KEY_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


@dataclass(frozen=True)
class SigningKey:
    """One Ed25519 key pair (or a retired public key) the issuer signs or signed with."""

    id: str
    public_key: Ed25519PublicKey = field(repr=False)
    private_key: Ed25519PrivateKey | None = field(default=None, repr=False)

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
        secret = entry.get("private_key")
        if not secret and entry.get("private_key_file"):
            secret = Path(entry["private_key_file"]).read_text().strip()
        try:
            if secret:
                private = multikey.private_key_from_multibase(secret)
                keys.append(SigningKey(key_id, private.public_key(), private))
            else:
                keys.append(SigningKey(key_id, multikey.public_key_from_multibase(
                    entry.get("public_key", ""))))
        except ValueError as exc:  # never echo the key itself
            raise ImproperlyConfigured(
                f"Badge signing key {key_id!r} is not an Ed25519 Multikey.") from exc
    return tuple(keys)


def current() -> SigningKey:
    """The key new credentials are signed with: the first one with a private key."""
    for key in all_keys():
        if key.private_key is not None:
            return key
    raise ImproperlyConfigured(
        "No badge signing key: set CREDENTIAL_APP['SIGNING_KEYS'] or "
        "CREDENTIAL_APP['SIGNING_KEYS_FILE'] (see the create_badge_signing_key command).")


def by_id(key_id) -> SigningKey | None:
    return next((key for key in all_keys() if key.id == key_id), None)


def new_entry(key_id: str) -> dict:
    """A fresh key as a settings entry (for a key file or a secret store)."""
    if not KEY_ID.match(key_id):
        raise ValueError("Key ids are letters, digits, '.', '_' or '-' (at most 64).")
    return {"id": key_id,
            "private_key": multikey.private_key_multibase(Ed25519PrivateKey.generate())}


def add_to_file(path, key_id: str) -> dict:
    """Put a new key first in the key file at ``path`` (made readable by its owner only);
    older keys stay, so what they signed keeps verifying."""
    path = Path(path)
    entries = json.loads(path.read_text()) if path.exists() else []
    if any(entry.get("id") == key_id for entry in entries):
        raise ValueError(f"The key file already has a key {key_id!r}.")
    entry = new_entry(key_id)
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

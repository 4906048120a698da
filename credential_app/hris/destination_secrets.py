"""Destination secrets encrypted at rest (Fernet: AES-128-CBC + HMAC-SHA256).

The key comes from ``CREDENTIAL_APP["HRIS_SECRET_KEYS"]`` (a list of Fernet keys, newest
first, so keys can be rotated: old ones still decrypt) or, when that is empty, is derived
from Django's ``SECRET_KEY``. Secrets are a dict {name: value}; they are decrypted only
when a connector is built for delivery, and never logged or shown.
"""
import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class SecretsUnreadable(Exception):
    """The stored secrets cannot be decrypted with the configured keys."""


def _fernet() -> MultiFernet:
    keys = list(settings.CREDENTIAL_APP.get("HRIS_SECRET_KEYS") or [])
    if not keys:
        digest = hashlib.sha256(b"credential_app.hris_secrets:" + settings.SECRET_KEY.encode())
        keys = [base64.urlsafe_b64encode(digest.digest())]
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(secrets: dict) -> str:
    if not secrets:
        return ""
    return _fernet().encrypt(json.dumps(secrets, sort_keys=True).encode()).decode()


def decrypt(token: str) -> dict:
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken as exc:
        raise SecretsUnreadable("The destination's secrets cannot be decrypted with the "
                                "configured keys (HRIS_SECRET_KEYS / SECRET_KEY).") from exc


def store(destination, secrets: dict) -> None:
    """Replace the destination's secrets (encrypted; saved by the caller)."""
    destination.secrets_encrypted = encrypt({k: v for k, v in secrets.items() if v})


def load(destination) -> dict:
    return decrypt(destination.secrets_encrypted)

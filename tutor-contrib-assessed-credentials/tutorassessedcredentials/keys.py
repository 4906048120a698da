"""Key material Tutor generates once per installation (template filters of the plugin).

Tutor renders each ``CONFIG_UNIQUE`` value the first time ``tutor config save`` runs and keeps
the result in ``config.yml``; these filters make values in the formats the app reads:

- an Ed25519 private key as a Multikey string (multibase base58btc of the ``ed25519-priv``
  multicodec prefix 0x80 0x26 and the 32-byte seed), what ``CREDENTIAL_APP["SIGNING_KEYS"]``
  takes for its ``private_key``;
- a Fernet key (32 random bytes, URL-safe base64), what ``HRIS_SECRET_KEYS`` lists.

Only the standard library: Tutor's host need not have the app or ``cryptography``.
"""
import base64
import secrets

ED25519_PRIVATE_PREFIX = b"\x80\x26"
BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58btc(data: bytes) -> str:
    """Bitcoin base58 (leading zero bytes as '1's), the alphabet of multibase 'z'.

    The app's ``credential_app.openbadges.multikey.b58encode`` does the same; this package
    cannot import it (Tutor's host has neither the app nor its dependencies), and
    tests/test_tutor_plugin.py checks the keys made here with the app's own parser."""
    zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, rest = divmod(number, 58)
        digits.append(BASE58_ALPHABET[rest])
    return "1" * zeros + "".join(reversed(digits))


def ed25519_private_multikey(_unused=None) -> str:
    """A new Ed25519 private key as a Multikey string (an Ed25519 key is any 32 random
    bytes)."""
    return "z" + base58btc(ED25519_PRIVATE_PREFIX + secrets.token_bytes(32))


def fernet_key(_unused=None) -> str:
    """A new Fernet key."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def python_literal(value) -> str:
    """A configuration value (string, number, boolean, null, list, mapping) written as a
    Python literal for the settings files: quotes, newlines and backslashes escaped."""
    return repr(value)

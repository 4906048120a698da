"""Ed25519 keys as Multikey strings: multibase base58btc ('z') of a multicodec-prefixed key.

Public keys carry the ``ed25519-pub`` prefix 0xed 0x01, private (secret) keys the
``ed25519-priv`` prefix 0x80 0x26, as the W3C Controlled Identifiers spec and the
eddsa-rdfc-2022 test vectors use them.
"""
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

PUBLIC_PREFIX = b"\xed\x01"
PRIVATE_PREFIX = b"\x80\x26"
_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {c: i for i, c in enumerate(_ALPHABET)}


def b58encode(data: bytes) -> str:
    """Bitcoin base58: leading zero bytes become '1's, the rest a base-58 number."""
    zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, rest = divmod(number, 58)
        digits.append(_ALPHABET[rest])
    return "1" * zeros + "".join(reversed(digits))


# Keys and signatures are under 100 characters; decoding is quadratic in the length, so a
# public verifier must not decode whatever length a stranger sends.
MAX_BASE58_CHARS = 128


def b58decode(text: str) -> bytes:
    """Inverse of ``b58encode``; ValueError for a character outside the alphabet, or for
    text longer than any key or signature (``MAX_BASE58_CHARS``)."""
    if len(text) > MAX_BASE58_CHARS:
        raise ValueError("base58 text too long for a key or signature")
    number = 0
    for char in text:
        if char not in _INDEX:
            raise ValueError("not base58btc")
        number = number * 58 + _INDEX[char]
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def multibase_decode(value: str) -> bytes:
    """Bytes of a base58btc multibase string ('z' + base58btc); ValueError otherwise."""
    if not isinstance(value, str) or not value.startswith("z"):
        raise ValueError("not a base58btc multibase value")
    return b58decode(value[1:])


def multibase_encode(data: bytes) -> str:
    return "z" + b58encode(data)


def public_key_multibase(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return multibase_encode(PUBLIC_PREFIX + raw)


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    """The Ed25519 public key of a Multikey string; ValueError if it is not one."""
    raw = multibase_decode(value)
    if not raw.startswith(PUBLIC_PREFIX) or len(raw) != 34:
        raise ValueError("not an Ed25519 public Multikey")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def private_key_multibase(key: Ed25519PrivateKey) -> str:
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return multibase_encode(PRIVATE_PREFIX + raw)


def private_key_from_multibase(value: str) -> Ed25519PrivateKey:
    """The Ed25519 private key of a secret Multikey string; ValueError if it is not one."""
    raw = multibase_decode(value)
    if not raw.startswith(PRIVATE_PREFIX) or len(raw) != 34:
        raise ValueError("not an Ed25519 secret Multikey")
    return Ed25519PrivateKey.from_private_bytes(raw[2:])

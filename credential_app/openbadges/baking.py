"""Baking: a credential carried inside its badge image (Open Badges 3.0, "Baked Badges").

* PNG: one ``iTXt`` chunk with the keyword ``openbadgecredential``, uncompressed, no
  language tag and no translated keyword, whose text is the credential: its JSON when it
  carries an embedded proof, or the compact JWS of a VC-JWT. Baking again replaces the
  chunk (an image holds one credential at most); every other chunk is kept as it was.
* SVG: the root ``<svg>`` declares ``xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"``
  and its first child is ``<openbadges:credential>``: the JSON in a CDATA section, or an
  empty element whose ``verify`` attribute holds the JWS.

Reading checks content, never names: a PNG by its signature and each chunk's CRC, an SVG
by parsing it as XML with entity expansion and external references refused
(``defusedxml``) and finding an SVG root. Anything else is refused with a message a person
can act on (``BakingError``), which :func:`unbake` turns into ``None`` for callers that
only want the payload.
"""
import re
import struct
import zlib
from xml.sax.saxutils import quoteattr

from defusedxml import ElementTree as SafeElementTree
from defusedxml.common import DefusedXmlException
from django.utils.translation import gettext as _

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_KEYWORD = b"openbadgecredential"
OB_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
SVG_PREFIX = "openbadges"
# A credential is a few kilobytes; a compressed chunk (which bakers must not write, but
# some do) is inflated only up to this size, so a small file cannot become a huge one.
MAX_PAYLOAD_BYTES = 2 * 1024 * 1024
COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+")


class BakingError(ValueError):
    """The image cannot be baked or read; the message says why, for the person asking."""


# --- PNG -----------------------------------------------------------------------------

def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """``[(type, data), ...]`` of a PNG, each chunk's length and CRC checked."""
    if not data.startswith(PNG_SIGNATURE):
        raise BakingError(_("This file is not a PNG image."))
    chunks, pos = [], len(PNG_SIGNATURE)
    while pos < len(data):
        if pos + 8 > len(data):
            raise BakingError(_("This PNG image is cut short or damaged."))
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        end = pos + 8 + length + 4
        if end > len(data):
            raise BakingError(_("This PNG image is cut short or damaged."))
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[end - 4:end])
        if zlib.crc32(kind + body) != crc:
            raise BakingError(_("This PNG image is damaged (a chunk fails its checksum)."))
        chunks.append((kind, body))
        pos = end
        if kind == b"IEND":
            break
    if not chunks or chunks[0][0] != b"IHDR" or chunks[-1][0] != b"IEND":
        raise BakingError(_("This PNG image is cut short or damaged."))
    return chunks


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def itxt_credential_chunk(payload: str) -> bytes:
    """The whole ``iTXt`` chunk (length, type, data, CRC) that carries ``payload``."""
    body = (PNG_KEYWORD + b"\0"  # keyword, null separator
            + b"\0\0"            # compression flag 0 (none), compression method 0
            + b"\0"              # empty language tag, null separator
            + b"\0"              # empty translated keyword, null separator
            + payload.encode("utf-8"))
    return _png_chunk(b"iTXt", body)


def _itxt_fields(body: bytes):
    """``(keyword, compressed, text bytes)`` of an iTXt chunk's data, or None if malformed."""
    keyword, sep, rest = body.partition(b"\0")
    if not sep or len(rest) < 2:
        return None
    compressed, rest = rest[0], rest[2:]
    language, sep1, rest = rest.partition(b"\0")
    translated, sep2, text = rest.partition(b"\0")
    if not (sep1 and sep2):
        return None
    return keyword, compressed == 1, text


def _is_credential_chunk(kind, body) -> bool:
    if kind != b"iTXt":
        return False
    fields = _itxt_fields(body)
    return fields is not None and fields[0] == PNG_KEYWORD


def bake_png(png_bytes: bytes, payload: str) -> bytes:
    """``png_bytes`` with ``payload`` baked in, replacing any credential already there."""
    _check_payload(payload)
    chunks = [(k, b) for k, b in _png_chunks(png_bytes) if not _is_credential_chunk(k, b)]
    out = [PNG_SIGNATURE]
    for kind, body in chunks:
        if kind == b"IEND":
            out.append(itxt_credential_chunk(payload))
        out.append(_png_chunk(kind, body))
    return b"".join(out)


def _read_png(data: bytes) -> str | None:
    for kind, body in _png_chunks(data):
        if not _is_credential_chunk(kind, body):
            continue
        _keyword, compressed, text = _itxt_fields(body)
        if compressed:
            inflater = zlib.decompressobj()
            try:
                text = inflater.decompress(text, MAX_PAYLOAD_BYTES)
            except zlib.error as exc:
                raise BakingError(_("The credential in this PNG image is damaged.")) from exc
            if inflater.unconsumed_tail:
                raise BakingError(_("The credential in this PNG image is too large."))
        try:
            return text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BakingError(_("The credential in this PNG image is not UTF-8 text.")) from exc
    return None


# --- SVG -----------------------------------------------------------------------------

_ATTRIBUTES = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""
_SVG_OPEN_TAG = re.compile(rf"<svg\b({_ATTRIBUTES}?)(/?)>")
_OB_XMLNS = re.compile(rf"""\sxmlns:{SVG_PREFIX}\s*=\s*("[^"]*"|'[^']*')""")
_EXISTING = re.compile(
    rf"<{SVG_PREFIX}:credential\b{_ATTRIBUTES}?(?:/>|>.*?</{SVG_PREFIX}:credential\s*>)\s*",
    re.DOTALL)
_PROLOG_ITEM = re.compile(r"""\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)""",
                          re.DOTALL | re.IGNORECASE)


def _parse_svg(text: str):
    """The root element of an SVG document; BakingError if it is not one."""
    try:
        root = SafeElementTree.fromstring(text)
    except DefusedXmlException as exc:
        raise BakingError(_("This SVG image declares entities or external references, "
                            "which are refused.")) from exc
    except SafeElementTree.ParseError as exc:
        raise BakingError(_("This file is not a well-formed SVG image.")) from exc
    if root.tag != f"{{{SVG_NAMESPACE}}}svg":
        raise BakingError(_("This file is not an SVG image."))
    return root


def _credential_elements(root):
    return root.findall(f".//{{{OB_NAMESPACE}}}credential")


def bake_svg(svg_text: str, payload: str) -> str:
    """``svg_text`` with ``payload`` baked in as the root's first child, replacing any
    credential already there; the rest of the document is kept as written."""
    _check_payload(payload)
    _parse_svg(svg_text)
    prolog_end = 0
    while match := _PROLOG_ITEM.match(svg_text, prolog_end):
        prolog_end = match.end()
    open_tag = _SVG_OPEN_TAG.match(svg_text, prolog_end + _leading_space(svg_text[prolog_end:]))
    if open_tag is None:
        raise BakingError(_("This SVG image does not start with an <svg> element."))
    attributes, self_closing = open_tag.group(1), open_tag.group(2)
    declaration = f' xmlns:{SVG_PREFIX}="{OB_NAMESPACE}"'
    attributes = (_OB_XMLNS.sub(declaration, attributes, count=1)
                  if _OB_XMLNS.search(attributes) else attributes.rstrip() + declaration)
    element = _credential_element(payload)
    rest = svg_text[open_tag.end():]
    if self_closing:
        rest = f"</svg>{rest}"
    else:
        rest = _EXISTING.sub("", rest)
    baked = f"{svg_text[:open_tag.start()]}<svg{attributes}>{element}{rest}"
    found = _credential_elements(_parse_svg(baked))
    if len(found) != 1 or _svg_payload(found[0]) != payload:
        raise BakingError(_("This SVG image already holds a credential that could not be "
                            "replaced."))
    return baked


def _leading_space(text):
    return len(text) - len(text.lstrip())


def _credential_element(payload: str) -> str:
    if _is_json(payload):
        cdata = payload.replace("]]>", "]]]]><![CDATA[>")  # "]]>" cannot sit in one section
        return f"<{SVG_PREFIX}:credential><![CDATA[{cdata}]]></{SVG_PREFIX}:credential>"
    return f"<{SVG_PREFIX}:credential verify={quoteattr(payload)}/>"


def _svg_payload(element) -> str:
    verify = element.get("verify")
    if verify is not None:
        return verify.strip()
    return (element.text or "").strip()


def _read_svg(data: bytes) -> str | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BakingError(_("This file is not a PNG or SVG image.")) from exc
    found = _credential_elements(_parse_svg(text))
    return _svg_payload(found[0]) if found else None


# --- both ----------------------------------------------------------------------------

def _is_json(payload: str) -> bool:
    return payload.lstrip().startswith("{")


def _check_payload(payload: str) -> None:
    if not isinstance(payload, str) or not payload.strip():
        raise BakingError(_("There is no credential to bake."))
    if len(payload.encode("utf-8")) > MAX_PAYLOAD_BYTES:
        raise BakingError(_("The credential is too large to bake into an image."))
    if not _is_json(payload) and not COMPACT_JWS.fullmatch(payload):
        raise BakingError(_("A baked credential is either JSON or a compact JWT."))


def _looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<")


def read_baked(data: bytes) -> str | None:
    """The credential baked into a PNG or SVG image, None if it holds none.

    Raises BakingError, saying why, for anything that is not a sound PNG or SVG image.
    """
    if data.startswith(PNG_SIGNATURE):
        return _read_png(data)
    if _looks_like_svg(data):
        return _read_svg(data)
    raise BakingError(_("This file is not a PNG or SVG image."))


def unbake(data: bytes) -> str | None:
    """The credential baked into a PNG or SVG image; None for an image without one and
    for anything that is not a sound PNG or SVG image (see ``read_baked`` for why)."""
    try:
        return read_baked(data)
    except BakingError:
        return None

"""Baked badges: the credential travels inside its PNG or SVG image (OB 3.0 baking rules)."""
import io
import json
import struct
import zlib

import pytest
from PIL import Image

from credential_app.openbadges import baking
from credential_app.openbadges.baking import (
    BakingError,
    bake_png,
    bake_svg,
    read_baked,
    unbake,
)

CREDENTIAL = json.dumps({"@context": ["https://www.w3.org/ns/credentials/v2"],
                         "type": ["VerifiableCredential", "OpenBadgeCredential"],
                         "name": "Café ]]> <b>&amp; “safety”</b>"}, ensure_ascii=False)
JWT = "eyJhbGciOiJFZERTQSJ9.eyJ2YyI6e319.c2lnbmF0dXJl_-"


def png(width=40, height=30, **info):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(buffer, format="PNG", **info)
    return buffer.getvalue()


def chunks(data):
    """Chunk types and bodies of a PNG, read independently of the code under test."""
    found, pos = [], 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        found.append((kind, data[pos + 8:pos + 8 + length]))
        pos += 12 + length
    return found


def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


SVG = ('<?xml version="1.0" encoding="UTF-8"?>\n<!-- a <svg> in a comment -->\n'
       '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" data-x="a>b">'
       '<title>Badge</title><circle cx="5" cy="5" r="4"/></svg>\n')


# --- PNG ----------------------------------------------------------------------------------

def test_png_round_trip_json_and_jwt():
    for payload in (CREDENTIAL, JWT):
        baked = bake_png(png(), payload)
        assert unbake(baked) == payload


def test_baked_png_is_one_uncompressed_itxt_chunk_before_iend_and_still_decodes():
    original = png()
    baked = bake_png(original, CREDENTIAL)
    kinds = [kind for kind, _ in chunks(baked)]
    assert kinds[-2:] == [b"iTXt", b"IEND"]
    body = chunks(baked)[-2][1]
    # keyword \0, compression flag 0, method 0, empty language tag \0, empty translated \0
    assert body == b"openbadgecredential\0\0\0\0\0" + CREDENTIAL.encode("utf-8")
    # The rest of the image is untouched and Pillow still decodes it, pixels and all.
    assert [c for c in chunks(baked) if c[0] != b"iTXt"] == chunks(original)
    image = Image.open(io.BytesIO(baked))
    image.load()
    assert image.size == (40, 30) and image.getpixel((3, 3)) == (10, 120, 200)
    assert image.text["openbadgecredential"] == CREDENTIAL  # Pillow reads the same chunk


def test_baking_again_replaces_the_credential_and_keeps_other_text():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_itxt("Author", "Badge studio")
    baked = bake_png(bake_png(png(pnginfo=info), "{\"old\": true}"), CREDENTIAL)
    credential_chunks = [b for k, b in chunks(baked)
                         if k == b"iTXt" and b.startswith(b"openbadgecredential\0")]
    assert len(credential_chunks) == 1
    assert unbake(baked) == CREDENTIAL
    assert Image.open(io.BytesIO(baked)).text["Author"] == "Badge studio"


def test_reads_a_hand_built_chunk():
    """A chunk written byte by byte here, the way the spec describes it, in the middle."""
    body = b"openbadgecredential\x00\x00\x00\x00\x00" + JWT.encode()
    original = png()
    first = 8 + 12 + struct.unpack(">I", original[8:12])[0]  # after IHDR
    data = original[:first] + chunk(b"iTXt", body) + original[first:]
    assert unbake(data) == JWT


def test_reads_a_compressed_chunk_other_bakers_write():
    body = b"openbadgecredential\x00\x01\x00\x00\x00" + zlib.compress(CREDENTIAL.encode())
    original = png()
    data = original[:-12] + chunk(b"iTXt", body) + original[-12:]
    assert unbake(data) == CREDENTIAL


def test_a_compression_bomb_is_refused():
    body = b"openbadgecredential\x00\x01\x00\x00\x00" + zlib.compress(
        b"{" + b" " * (baking.MAX_PAYLOAD_BYTES + 10) + b"}")
    original = png()
    data = original[:-12] + chunk(b"iTXt", body) + original[-12:]
    with pytest.raises(BakingError, match="too large"):
        read_baked(data)


def test_png_without_credential_has_none():
    assert read_baked(png()) is None


def test_a_damaged_chunk_is_refused_by_its_crc():
    baked = bytearray(bake_png(png(), CREDENTIAL))
    baked[-20] ^= 0x01  # a byte of the credential text
    with pytest.raises(BakingError, match="checksum"):
        read_baked(bytes(baked))
    assert unbake(bytes(baked)) is None
    with pytest.raises(BakingError):
        bake_png(bytes(baked), CREDENTIAL)


def test_a_cut_png_is_refused():
    with pytest.raises(BakingError, match="cut short"):
        read_baked(png()[:-30])


# --- SVG ----------------------------------------------------------------------------------

def test_svg_round_trip_json_in_cdata_right_after_the_svg_tag():
    baked = bake_svg(SVG, CREDENTIAL)
    assert unbake(baked.encode()) == CREDENTIAL
    assert baked.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<!-- a <svg> in a comment')
    assert ('data-x="a>b" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">'
            "<openbadges:credential><![CDATA[") in baked
    assert baked.endswith("<title>Badge</title><circle cx=\"5\" cy=\"5\" r=\"4\"/></svg>\n")


def test_svg_round_trip_jwt_in_verify_attribute():
    baked = bake_svg(SVG, JWT)
    assert f'<openbadges:credential verify="{JWT}"/><title>' in baked
    assert unbake(baked.encode()) == JWT


def test_svg_baking_again_replaces_the_credential():
    baked = bake_svg(bake_svg(SVG, CREDENTIAL), JWT)
    assert baked.count("openbadges:credential") == 1
    assert baked.count("xmlns:openbadges") == 1
    assert unbake(baked.encode()) == JWT


def test_self_closing_svg_gets_the_credential():
    baked = bake_svg('<svg xmlns="http://www.w3.org/2000/svg"/>', JWT)
    assert unbake(baked.encode()) == JWT


def test_svg_reader_refuses_entities_and_non_svg():
    bomb = ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg">&b;</svg>')
    with pytest.raises(BakingError, match="entities"):
        read_baked(bomb.encode())
    with pytest.raises(BakingError, match="not an SVG"):
        read_baked(b"<html><body>hi</body></html>")
    with pytest.raises(BakingError, match="well-formed"):
        read_baked(b"<svg xmlns='http://www.w3.org/2000/svg'><g></svg>")


def test_other_files_are_refused_by_content():
    for data in (b"GIF89a\x01\x00", b"%PDF-1.7", b"\xff\xd8\xff\xe0JFIF", b""):
        with pytest.raises(BakingError, match="not a PNG or SVG"):
            read_baked(data)
        assert unbake(data) is None
    with pytest.raises(BakingError):
        bake_png(b"GIF89a", CREDENTIAL)
    with pytest.raises(BakingError):
        bake_svg("<html/>", CREDENTIAL)


def test_only_json_or_a_compact_jwt_is_baked():
    for payload in ("", "not a jwt <script>", 'a.b.c" onload="x'):
        with pytest.raises(BakingError):
            bake_png(png(), payload)
        with pytest.raises(BakingError):
            bake_svg(SVG, payload)

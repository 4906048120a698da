"""The picture of a badge, before baking: the definition's own image, else a default one.

The default is drawn from the achievement's name (and its issuer's): an SVG rendered
from ``credential_app/badges/default_badge.svg`` (Django escapes the text) and the same
design drawn as a PNG with Pillow. A definition's uploaded image (PNG or JPEG, checked
by the admin form) is served as PNG, and wrapped in an SVG so both downloads exist.

A credential that no longer holds (revoked, expired, replaced) is drawn greyed, without
the check mark, with a band naming its state (``ended``): a picture copied from its page
must not look like a valid badge.
"""
import base64
import io
import textwrap
from pathlib import Path

from django.template.loader import render_to_string
from PIL import Image, ImageDraw, ImageFont

from credential_app.openbadges.baking import PNG_SIGNATURE, read_baked

SIZE = 512
NAVY, GOLD, WHITE = (11, 57, 84), (255, 191, 71), (255, 255, 255)
GREY, LIGHT_GREY, RED = (90, 90, 90), (200, 200, 200), (163, 0, 11)
BAND = (0, 354, 512, 396)  # the ended band, between the name and the issuer: x0, y0, x1, y1
BAND_BASELINE, BAND_FONT = 386, 30
FONT_FILES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",)
MAX_LINES = 4
# A definition's image is at most 1 MB, but a small file can decode to a huge bitmap.
MAX_SOURCE_PIXELS = 4096 * 4096


def _lines(name: str) -> list[str]:
    """The achievement's name in at most ``MAX_LINES`` short lines, cut with "…"."""
    lines = textwrap.wrap(" ".join(name.split()), width=16, break_long_words=True) or [""]
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
        lines[-1] = lines[-1][:15].rstrip() + "…"
    return lines


def _short(text: str, limit: int = 36) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _layout(lines):
    font_size = 40 if len(lines) <= 2 else 34
    line_height = font_size + 10
    first_line_y = 290 - (len(lines) - 1) * line_height // 2
    return font_size, line_height, first_line_y


def default_svg(name: str, issuer: str = "", ended: str = "") -> str:
    lines = _lines(name)
    font_size, line_height, first_line_y = _layout(lines)
    return render_to_string("credential_app/badges/default_badge.svg", {
        "size": SIZE, "name": name, "lines": lines, "issuer": _short(issuer),
        "font_size": font_size, "line_height": line_height, "first_line_y": first_line_y,
        "ended": _short(ended, 20).upper(), "band_y": BAND[1],
        "band_height": BAND[3] - BAND[1], "band_baseline": BAND_BASELINE, "band_font": BAND_FONT,
    })


def _font(size):
    for path in FONT_FILES:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def default_png(name: str, issuer: str = "", ended: str = "") -> bytes:
    lines = _lines(name)
    font_size, line_height, first_line_y = _layout(lines)
    fill, accent = (GREY, LIGHT_GREY) if ended else (NAVY, GOLD)
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 504, 504), fill=fill)
    draw.ellipse((34, 34, 478, 478), outline=accent, width=10)
    if not ended:
        draw.line([(216, 120), (244, 148), (300, 92)], fill=GOLD, width=16, joint="curve")
    font = _font(font_size)
    for number, line in enumerate(lines):  # the SVG's y is the baseline: anchor "ms"
        draw.text((256, first_line_y + number * line_height), line, fill=WHITE, font=font,
                  anchor="ms")
    if issuer:
        draw.text((256, 420), _short(issuer), fill=accent, font=_font(22), anchor="ms")
    if ended:
        _draw_band(draw, ended)
    return _png_bytes(image)


def _draw_band(draw, ended: str):
    draw.rectangle(BAND, fill=RED)
    draw.text((256, BAND_BASELINE), _short(ended, 20).upper(), fill=WHITE,
              font=_font(BAND_FONT), anchor="ms")


def _png_bytes(image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def mark_ended(png: bytes, ended: str) -> bytes:
    """A definition's own picture for a credential that no longer holds: greyed, with the
    band naming its state."""
    with Image.open(io.BytesIO(png)) as source:
        alpha = source.convert("RGBA").getchannel("A")
        image = source.convert("L").convert("RGBA").resize((SIZE, SIZE))
    image.putalpha(alpha.resize((SIZE, SIZE)))
    _draw_band(ImageDraw.Draw(image), ended)
    return _png_bytes(image)


def as_png(image_bytes: bytes) -> bytes:
    """A definition's uploaded image as PNG bytes (a sound PNG is kept byte for byte).

    Raises ValueError or OSError for anything that is not a sound PNG or JPEG image.
    """
    if image_bytes.startswith(PNG_SIGNATURE):
        read_baked(image_bytes)  # checks every chunk (BakingError is a ValueError)
        return image_bytes
    with Image.open(io.BytesIO(image_bytes)) as source:
        if source.width * source.height > MAX_SOURCE_PIXELS:
            raise ValueError("badge image too large to convert")
        source = source.convert("RGBA")
        out = io.BytesIO()
        source.save(out, format="PNG")
    return out.getvalue()


def png_in_svg(png_bytes: bytes, name: str) -> str:
    """An SVG showing a PNG (embedded as a data URL), to bake like any SVG."""
    encoded = base64.b64encode(png_bytes).decode("ascii")
    return render_to_string("credential_app/badges/image_badge.svg", {
        "size": SIZE, "name": name, "data_url": f"data:image/png;base64,{encoded}"})

"""The badge picture: the definition's own image when it has one, else a default drawn
from the achievement's name (escaped in the SVG)."""
import io

from django.core.files.base import ContentFile
from PIL import Image

from credential_app.openbadges import baking, images, pages
from tests.badge_helpers import earn


def test_default_svg_escapes_the_name_and_bakes():
    svg = images.default_svg('Safety <script>alert("x")</script> & more', "Acme & Co")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg and "Acme &amp; Co" in svg
    assert baking.unbake(baking.bake_svg(svg, '{"a": 1}').encode()) == '{"a": 1}'


def test_long_names_are_cut_to_four_lines():
    lines = images._lines("Advanced " * 20)
    assert len(lines) == 4 and lines[-1].endswith("…")


def test_default_png_is_a_square_badge_pillow_reads():
    image = Image.open(io.BytesIO(images.default_png("Forklift safety", "Acme")))
    assert image.format == "PNG" and image.size == (512, 512)
    assert image.getpixel((256, 30))[:3] == images.NAVY  # the badge's disc
    assert image.getpixel((2, 2))[3] == 0  # transparent corners


def test_the_definitions_own_image_is_used(people, definition, media):
    credential = earn(people["learner"], people["staff"])
    jpeg = io.BytesIO()
    Image.new("RGB", (300, 300), (200, 30, 30)).save(jpeg, format="JPEG")
    definition.image.save("badge.jpg", ContentFile(jpeg.getvalue()))

    png, svg = pages.badge_image(credential.uuid)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (300, 300)
    red, green, blue, _alpha = image.getpixel((150, 150))
    assert red > 180 and green < 60 and blue < 60
    assert 'href="data:image/png;base64,' in svg
    assert "<title id=\"badge-title\">Workplace Safety Practitioner</title>" in svg

    own_png = io.BytesIO()
    Image.new("RGB", (256, 256), (0, 0, 255)).save(own_png, format="PNG")
    definition.image.save("badge.png", ContentFile(own_png.getvalue()))
    assert pages.badge_image(credential.uuid)[0] == own_png.getvalue()  # kept as is


def test_without_an_image_the_default_is_drawn(people, definition):
    credential = earn(people["learner"], people["staff"])
    png, svg = pages.badge_image(credential.uuid)
    assert Image.open(io.BytesIO(png)).size == (512, 512)
    assert "Workplace Safety" in svg


def test_a_missing_or_broken_image_falls_back_to_the_default(people, definition, media):
    credential = earn(people["learner"], people["staff"])
    definition.image.save("badge.png", ContentFile(b"\x89PNG\r\n\x1a\n not really"))
    png, svg = pages.badge_image(credential.uuid)
    assert Image.open(io.BytesIO(png)).size == (512, 512)  # the default, which bakes
    assert baking.unbake(baking.bake_png(png, "{}")) == "{}"
    definition.image.save("badge.jpg", ContentFile(b"not an image at all"))
    png, svg = pages.badge_image(credential.uuid)
    assert Image.open(io.BytesIO(png)).size == (512, 512) and "Workplace Safety" in svg
    definition.image.storage.delete(definition.image.name)
    png, svg = pages.badge_image(credential.uuid)
    assert Image.open(io.BytesIO(png)).size == (512, 512)

"""Every user-facing string can be translated, by the Open edX conventions (OEP-58).

Each package keeps its English source catalogues in ``<package>/conf/locale/en/``, where
openedx-translations collects them; ``make extract_translations`` writes them with
edx-i18n-tools, and its dummy language (``eo``) compiles. Templates hold no bare text.
"""
import gettext
import re
import subprocess
from pathlib import Path

import pytest

from tests.translation_helpers import PACKAGES, make, scratch_tree

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted([*(ROOT / "credential_xblock" / "templates").glob("*.html"),
                    *(ROOT / "credential_app" / "templates").glob("**/*.html")])
# Attributes a person reads or hears: their values must be translated or template data.
SPOKEN_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "aria-description")
XBLOCK_EN = "credential_xblock/conf/locale/en/LC_MESSAGES"
APP_EN = "credential_app/conf/locale/en/LC_MESSAGES"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """``make extract_translations`` on a scratch copy, source catalogues removed first."""
    tree = scratch_tree(tmp_path_factory.mktemp("i18n") / "tree")
    for po in tree.glob("*/conf/locale/en/LC_MESSAGES/*.po"):
        po.unlink()
    make(tree, "extract_translations")
    return tree


@pytest.fixture(scope="module")
def catalogues(extracted):
    return {po.relative_to(extracted).as_posix(): po.read_text("utf-8")
            for po in extracted.glob("*/conf/locale/en/LC_MESSAGES/*.po")}


def test_each_package_has_one_english_source_folder_as_openedx_translations_expects(
        extracted, catalogues):
    """openedx-translations' extraction looks for ``conf/locale/en`` folders holding
    ``django.po`` / ``djangojs.po``; atlas brings back ``translations/*/<module>/conf/locale``."""
    english = sorted(path.relative_to(extracted).as_posix()
                     for path in extracted.glob("**/conf/locale/en") if path.is_dir())
    assert english == [f"{package}/conf/locale/en" for package in sorted(PACKAGES)]
    assert set(catalogues) == {f"{XBLOCK_EN}/django.po", f"{XBLOCK_EN}/djangojs.po",
                               f"{APP_EN}/django.po"}


@pytest.mark.parametrize("catalogue, message", [
    # Python in the app, a block handler (gettext_noop), a template, the block's JavaScript.
    (f"{APP_EN}/django.po", "Write your evidence before submitting."),
    (f"{XBLOCK_EN}/django.po", "Sign in to hand in evidence."),
    (f"{XBLOCK_EN}/django.po", "Result per criterion"),
    (f"{XBLOCK_EN}/djangojs.po", "Something went wrong; nothing was saved. Try again."),
    # badge pages: public page, evidence page, verify page, credentials page, baking and
    # sharing choices (Python), the verifier's reasons
    *((f"{APP_EN}/django.po", message) for message in (
        "Name not shown (the holder may choose to show it)",
        "The learner chose not to share their written evidence.",
        "Verify a badge", "Your name on the public pages",
        "This file is not a PNG or SVG image.", "First name and last initial",
        "The issuer revoked this credential: {reason}", "The credential expired on {date}.",
        "The credential is not valid JSON.", "Total score")),
])
def test_strings_from_every_kind_of_source_are_extracted(catalogues, catalogue, message):
    assert f'msgid "{message}"' in catalogues[catalogue]


def test_catalogues_are_valid_gettext(tmp_path, catalogues):
    for name, text in catalogues.items():
        po = tmp_path / name.replace("/", "_")
        po.write_text(text, "utf-8")
        result = subprocess.run(["msgfmt", "--check-format", "-o", "/dev/null", str(po)],
                                capture_output=True, text=True)
        assert result.returncode == 0, f"{name}: {result.stderr}"


def test_the_dummy_language_compiles_and_translates_every_package(tmp_path):
    """``make build_dummy_translations``: fake-accented ``eo`` catalogues, compiled, that
    gettext (and Django, through the app's ``locale`` folder) reads."""
    tree = scratch_tree(tmp_path / "tree")
    make(tree, "build_dummy_translations")
    for package, domain, message in (
            ("credential_app", "django", "Write your evidence before submitting."),
            ("credential_xblock", "django", "Sign in to hand in evidence."),
            ("credential_xblock", "djangojs", "Remove")):
        dummy = gettext.translation(domain, tree / package / "conf" / "locale", ["eo"])
        translated = dummy.gettext(message)
        assert translated != message and "Ⱡ'σяєм" in translated, (package, translated)
    # Django looks for an app's catalogues in its locale/ folder: the same files.
    assert (tree / "credential_app" / "locale" / "eo" / "LC_MESSAGES" / "django.mo").is_file()


def _visible_text(source):
    """What is left of a template once translated text, template code and markup are gone."""
    source = re.sub(r"{%\s*blocktrans.*?{%\s*endblocktrans\s*%}", " ", source, flags=re.S)
    source = re.sub(r"{#.*?#}|<!--.*?-->|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", " ",
                    source, flags=re.S)
    source = re.sub(r"<(script|style)\b.*?</\1>", " ", source, flags=re.S)
    source = re.sub(r"{%.*?%}|{{.*?}}", " ", source, flags=re.S)
    source = re.sub(r"<[^>]*>", " ", source, flags=re.S)
    source = re.sub(r"&[a-z]+;|&#\d+;", " ", source)
    return [word for word in source.split() if re.search(r"[^\W\d_]", word)]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_templates_have_no_untranslated_text(template):
    source = template.read_text("utf-8")
    assert _visible_text(source) == [], "wrap visible text in {% trans %} / {% blocktrans %}"
    for attribute in SPOKEN_ATTRIBUTES:
        for value in re.findall(rf'{attribute}="([^"]*)"', source):
            leftover = re.sub(r"{%.*?%}|{{.*?}}", "", value)
            assert not re.search(r"[^\W\d_]", leftover), f'{attribute}="{value}" is not translated'


def test_the_bare_text_check_can_fail():
    assert _visible_text("<p>{% trans 'Fine' %} Untranslated words</p>") == ["Untranslated",
                                                                              "words"]

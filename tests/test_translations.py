"""Every user-facing string can be translated: catalogues extract, templates hold no bare text."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted([*(ROOT / "credential_xblock" / "templates").glob("*.html"),
                    *(ROOT / "credential_app" / "templates").glob("**/*.html")])
# Attributes a person reads or hears: their values must be translated or template data.
SPOKEN_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "aria-description")


@pytest.fixture(scope="module")
def catalogues(tmp_path_factory):
    """Run the Makefile's extraction into a scratch folder (never touching the tree)."""
    out = tmp_path_factory.mktemp("po")
    subprocess.run([sys.executable, str(ROOT / "tools" / "extract_translations.py"),
                    "--output", str(out)], check=True, cwd=ROOT, capture_output=True)
    return {po.relative_to(out).as_posix(): po.read_text("utf-8") for po in out.glob("**/*.po")}


def test_extraction_writes_a_catalogue_per_package_and_domain(catalogues):
    assert set(catalogues) >= {
        "credential_xblock/translations/en/LC_MESSAGES/text.po",
        "credential_xblock/translations/en/LC_MESSAGES/djangojs.po",
        "credential_app/locale/en/LC_MESSAGES/django.po",
    }


@pytest.mark.parametrize("catalogue, message", [
    # Python in the app, a block handler (gettext_noop), a template, the block's JavaScript.
    ("credential_app/locale/en/LC_MESSAGES/django.po", "Write your evidence before submitting."),
    ("credential_xblock/translations/en/LC_MESSAGES/text.po", "Sign in to hand in evidence."),
    ("credential_xblock/translations/en/LC_MESSAGES/text.po", "Result per criterion"),
    ("credential_xblock/translations/en/LC_MESSAGES/djangojs.po",
     "Something went wrong; nothing was saved. Try again."),
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

"""Extract every translatable string into .po catalogues (``make extract_translations``).

Two catalogues per package, where each runtime looks for them:

* the XBlock's ``credential_xblock/translations/<lang>/LC_MESSAGES/``: Python and block
  templates in ``text.po`` (the domain and folder edx-platform's ``XBlockI18nService``
  loads), and the block's JavaScript in ``djangojs.po``;
* the Django app's ``credential_app/locale/<lang>/LC_MESSAGES/django.po`` (Django's
  own per-app locale folder): Python and the app's templates.

Templates are turned into gettext calls with Django's own ``templatize`` (what
``makemessages`` does) so ``{% trans %}`` and ``{% blocktrans %}`` are found.
"""
import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import django
from django.conf import settings
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parent.parent
PYTHON_KEYWORDS = ["gettext", "gettext_lazy", "gettext_noop", "_", "ngettext:1,2",
                   "ngettext_lazy:1,2", "pgettext:1c,2", "pgettext_lazy:1c,2",
                   "npgettext:1c,2,3"]
JS_KEYWORDS = ["gettext", "ngettext:1,2", "interpolate"]

CATALOGUES = {
    # (package folder, catalogue folder): {domain: [(glob root, pattern, kind)]}
    "credential_xblock": {
        "locale_dir": "credential_xblock/translations",
        "domains": {
            "text": [("credential_xblock", "**/*.py", "python"),
                     ("credential_xblock/templates", "**/*.html", "template")],
            "djangojs": [("credential_xblock/static", "**/*.js", "javascript")],
        },
    },
    "credential_app": {
        "locale_dir": "credential_app/locale",
        "domains": {
            "django": [("credential_app", "**/*.py", "python"),
                       ("credential_app/templates", "**/*.html", "template")],
        },
    },
}


def _sources(specs):
    for folder, pattern, kind in specs:
        base = ROOT / folder
        for path in sorted(base.glob(pattern)):
            if "migrations" not in path.parts:
                yield path, kind


def _templatized(path, workdir: Path) -> Path:
    """A Python-looking copy of a template that xgettext understands."""
    target = workdir / (path.relative_to(ROOT).as_posix() + ".py")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(templatize(path.read_text("utf-8"), origin=str(path)), "utf-8")
    return target


def extract(locale: str, out_root: Path) -> list[Path]:
    """Write one .po per package and domain under ``out_root``; return their paths."""
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for package in CATALOGUES.values():
            for domain, specs in package["domains"].items():
                python_files, js_files = [], []
                for path, kind in _sources(specs):
                    if kind == "template":
                        python_files.append(_templatized(path, workdir))
                    elif kind == "python":
                        python_files.append(path)
                    else:
                        js_files.append(path)
                po = out_root / package["locale_dir"] / locale / "LC_MESSAGES" / f"{domain}.po"
                po.parent.mkdir(parents=True, exist_ok=True)
                po.unlink(missing_ok=True)
                runs = [("Python", PYTHON_KEYWORDS, python_files),
                        ("JavaScript", JS_KEYWORDS, js_files)]
                for language, keywords, files in runs:
                    if not files:
                        continue
                    command = ["xgettext", f"--language={language}", "--from-code=UTF-8",
                               "--add-comments=Translators", "--sort-by-file",
                               "--package-name=openedx-assessed-credentials",
                               f"--output={po}", *(f"--keyword={k}" for k in keywords)]
                    if po.exists():
                        command.append("--join-existing")
                    names = [str(f.relative_to(ROOT)) if f.is_relative_to(ROOT) else str(f)
                             for f in files]
                    subprocess.run([*command, *names], check=True, cwd=ROOT)
                if po.exists():
                    _fix_header(po, locale, workdir)
                    written.append(po)
    return written


def _fix_header(po: Path, locale: str, workdir: Path):
    """Name real templates (not their templatized copies) and the catalogue's language."""
    text = po.read_text("utf-8")
    text = text.replace(f"{workdir}/", "").replace(".html.py:", ".html:")
    text = text.replace("charset=CHARSET", "charset=UTF-8")
    text = text.replace('"Language: \\n"', f'"Language: {locale}\\n"')
    po.write_text(text, "utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locale", default="en", help="catalogue language (default: en)")
    parser.add_argument("--output", type=Path, default=ROOT,
                        help="root to write the catalogues under (default: the source tree)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if not settings.configured:
        settings.configure()
    django.setup()
    for po in extract(args.locale, args.output):
        print(po)


if __name__ == "__main__":
    main()

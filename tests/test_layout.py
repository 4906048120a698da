"""The house rules that import-linter cannot see: imports at the top, a boundary list that
names every room, and a repository that needs nothing beside it."""
import ast
import configparser
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("credential_app", "credential_xblock")
PUBLIC_SURFACE = {"api", "data", "exceptions"}


def tracked(*patterns):
    out = subprocess.run(["git", "ls-files", *patterns], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.split()
    return [ROOT / name for name in out]


def imports_inside_functions(source: str):
    """Each import inside a function body."""
    tree = ast.parse(source)
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    yield node


def unexplained_inner_imports(source: str) -> list[int]:
    """Lines of imports inside functions with no comment saying why: on the import's own line,
    or just above the block of imports it belongs to."""
    lines = source.split("\n")
    inner = list(imports_inside_functions(source))
    import_lines = {n for node in inner for n in range(node.lineno, node.end_lineno + 1)}
    unexplained = []
    for node in inner:
        above = node.lineno - 1
        while above > 0 and (above in import_lines or not lines[above - 1].strip()):
            above -= 1
        if "#" not in lines[node.lineno - 1] and not lines[above - 1].strip().startswith("#"):
            unexplained.append(node.lineno)
    return unexplained


def test_product_imports_sit_at_the_top_unless_a_comment_says_why():
    offenders = {
        str(path.relative_to(ROOT)): lines
        for path in tracked(*(f"{package}/*.py" for package in PRODUCT))
        if "/migrations/" not in str(path)
        and (lines := unexplained_inner_imports(path.read_text()))
    }
    assert offenders == {}


def test_the_check_finds_an_unexplained_inner_import():
    assert unexplained_inner_imports("def f():\n    import os\n") == [2]
    assert unexplained_inner_imports(
        "def f():\n    # optional: only in the LMS\n    import os\n\n    import re\n") == []
    assert unexplained_inner_imports(
        "def f():\n    # why\n    import os\n    x = 1\n    import re\n") == [5]


def test_no_module_silences_the_imports_at_top_rule():
    silenced = [str(path.relative_to(ROOT)) for path in tracked("*.py")
                if re.search(r"noqa:[^\n]*E402", path.read_text())]
    assert silenced == []


def test_the_xblock_boundary_contract_names_every_room_but_the_public_surface():
    """A new subpackage of the app cannot slip past the XBlock's boundary unnoticed."""
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    forbidden = set(config["importlinter:contract:xblock-boundary"]["forbidden_modules"].split())
    rooms = {f"credential_app.{path.stem if path.is_file() else path.name}"
             for path in (ROOT / "credential_app").iterdir()
             if (path.suffix == ".py" and path.stem != "__init__")
             or (path.is_dir() and (path / "__init__.py").exists())}
    assert forbidden == rooms - {f"credential_app.{name}" for name in PUBLIC_SURFACE}


def test_nothing_reads_outside_the_repository():
    """A user's clone has nothing beside it: no code, test, Makefile or doc points there."""
    outside = [str(path.relative_to(ROOT)) for path in tracked("*.py", "*.md", "*.rst", "Makefile",
                                                                "*.toml", "*.cfg", ".ci/*")
               if path.is_file() and re.search(r"\.\./shared|shared/standards|shared/DESIGN",
                                               path.read_text(errors="replace"))]
    assert outside == []


@pytest.mark.parametrize("document", ["README.md", "docs/architecture.md"])
def test_documents_link_only_files_in_the_repository(document):
    text = (ROOT / document).read_text()
    targets = [target.split("#")[0] for target in re.findall(r"\]\(([^)\s]+)\)", text)
               if not re.match(r"[a-z]+:", target) and not target.startswith("#")]
    missing = [target for target in targets
               if not (ROOT / document).parent.joinpath(target).resolve().exists()]
    assert missing == []

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
        for path in tracked(*(f"{folder}/*.py" for folder in (*PRODUCT, "demo", "bench", "tools")))
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
                if path.name != "test_layout.py"
                and re.search(r"noqa:[^\n]*E402", path.read_text())]
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
    pointer = re.compile(r"\.\./shared|shared/standards|shared/DESIGN")
    outside = [str(path.relative_to(ROOT))
               for path in tracked("*.py", "*.md", "*.rst", "Makefile", "*.toml", "*.cfg", ".ci/*")
               if path.is_file() and path.name != "test_layout.py"
               and pointer.search(path.read_text(errors="replace"))]
    assert outside == []


@pytest.mark.parametrize("document", ["README.md", "docs/architecture.md"])
def test_documents_link_only_files_in_the_repository(document):
    text = (ROOT / document).read_text()
    targets = [target.split("#")[0] for target in re.findall(r"\]\(([^)\s]+)\)", text)
               if not re.match(r"[a-z]+:", target) and not target.startswith("#")]
    missing = [target for target in targets
               if not (ROOT / document).parent.joinpath(target).resolve().exists()]
    assert missing == []


MODEL_MODULES = ["credential_app/core/models.py", "credential_app/hris/models.py",
                 "credential_app/openbadges/models.py", "credential_app/reports/models.py"]
# What a models module may import from the app: the tables it points at, plain data, errors,
# lib, and the record checks its ``clean()`` runs (which themselves import no service).
ALLOWED_FOR_MODELS = ("credential_app.core.models", "credential_app.core.record_checks",
                      "credential_app.data", "credential_app.exceptions", "credential_app.lib")


def app_imports(source: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(
                "credential_app"):
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith(
                "credential_app")}
    return found


@pytest.mark.parametrize("module", MODEL_MODULES)
def test_models_import_no_service_module(module):
    imported = app_imports((ROOT / module).read_text())
    services = {name for name in imported
                if not any(name == allowed or name.startswith(allowed + ".")
                           for allowed in ALLOWED_FOR_MODELS)}
    assert services == set()


def test_record_checks_import_no_model_or_service():
    """The rules models call stay plain: nothing of the app but data, errors and scoring."""
    imported = app_imports((ROOT / "credential_app/core/record_checks.py").read_text())
    assert {name.rsplit(".", 1)[0] for name in imported} <= {
        "credential_app.core.scoring", "credential_app.data", "credential_app.exceptions"}


def test_the_models_check_finds_a_service_import():
    assert app_imports("from credential_app.core import policies\n") == {
        "credential_app.core.policies"}

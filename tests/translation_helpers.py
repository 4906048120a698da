"""The Makefile's translation targets (edx-i18n-tools), run on a scratch copy of the packages.

The tree is never touched: the Makefile and both packages are copied, without compiled,
dummy or pulled catalogues, and ``make`` runs there with this test run's virtual
environment on its PATH (as ``make`` does in a checkout).
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("credential_xblock", "credential_app")


def _source_only(folder, names):
    """What ``copytree`` leaves out: caches, compiled catalogues, locales other than the
    English source."""
    left_out = {name for name in names if name == "__pycache__" or name.endswith(".mo")}
    if Path(folder).parts[-2:] == ("conf", "locale"):
        left_out |= {name for name in names if name not in ("en", "config.yaml")}
    return left_out


def scratch_tree(destination: Path) -> Path:
    """A copy of the Makefile and both packages at ``destination``."""
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "Makefile", destination / "Makefile")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, destination / package, symlinks=True,
                        ignore=_source_only)
    return destination


def make(tree: Path, *targets) -> subprocess.CompletedProcess:
    """``make <targets>`` in ``tree``, failing the test with make's output if it fails."""
    # As openedx-translations' workflow runs it: no Django project around (the test run's
    # settings module is not importable from the scratch copy).
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH")}
    result = subprocess.run(["make", "--no-print-directory", *targets, f"VENV={sys.prefix}"],
                            cwd=tree, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"make {' '.join(targets)}:\n{result.stdout}\n{result.stderr}"
    return result

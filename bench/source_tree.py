"""A copy of this checkout's sources to build the plugin's wheel from: pip builds in the
source tree, so building from the checkout itself would leave build/ and *.egg-info in it
(and a stale build/ from an earlier run would end up in the wheel)."""
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEFT_OUT = shutil.ignore_patterns(".git", ".venv*", "var", "build", "dist", "*.egg-info",
                                  "__pycache__", ".*_cache", "node_modules")


def copy_source_tree(destination: Path) -> Path:
    """Copy the checkout to ``destination`` (which must not exist yet), without its
    virtualenvs, build output, caches and run-time files; returns ``destination``."""
    shutil.copytree(ROOT, destination, ignore=LEFT_OUT)
    return destination

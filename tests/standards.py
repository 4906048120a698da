"""Where the shared standards data lives (``shared/`` beside the checkout)."""
from pathlib import Path


def standards_dir() -> Path:
    for folder in Path(__file__).resolve().parents:
        candidate = folder / "shared" / "standards"
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("shared/standards not found beside the checkout")

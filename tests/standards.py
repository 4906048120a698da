"""Where the standards data the tests read lives: ``tests/standards_data/``, in the repository.

The files are published data of the standards the product implements (Open Badges 3.0 JSON
Schema, W3C eddsa-rdfc-2022 test vectors), each folder with its licence; see the README there.
"""
from pathlib import Path

STANDARDS_DATA = Path(__file__).resolve().parent / "standards_data"


def standards_dir() -> Path:
    return STANDARDS_DATA

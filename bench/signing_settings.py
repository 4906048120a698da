"""Settings of the signing benchmark: the load settings with a database of its own."""
import os

os.environ.setdefault("CREDENTIAL_DB_NAME", "credential_bench_signing")

from bench.settings import *  # noqa: E402,F403
from bench.settings import DATABASES, VAR_DIR  # noqa: E402

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["NAME"] = str(VAR_DIR / "bench-signing.sqlite3")

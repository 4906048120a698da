"""Settings of the signing benchmark: the load settings with a database of its own."""
import os

from bench.settings import *  # noqa: F403
from bench.settings import DATABASES, VAR_DIR

if DATABASES["default"]["ENGINE"].endswith("mysql"):
    DATABASES["default"]["NAME"] = os.environ.get("CREDENTIAL_DB_NAME", "credential_bench_signing")

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["NAME"] = str(VAR_DIR / "bench-signing.sqlite3")

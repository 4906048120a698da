"""The demo's settings, made fit for load: no debug, quiet logs, a database of its own.

SQLite (default) lives at ``var/bench.sqlite3`` and takes writers one at a time;
``CREDENTIAL_DB=mysql`` runs against MariaDB as production would (database
``CREDENTIAL_DB_NAME``, default ``credential_bench``).
"""
import os

os.environ.setdefault("CREDENTIAL_DB_NAME", "credential_bench")

from demo.settings import *  # noqa: E402,F403 (the demo is the product under load)
from demo.settings import DATABASES, VAR_DIR  # noqa: E402

DEBUG = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["NAME"] = str(VAR_DIR / "bench.sqlite3")
    # Writers queue for the lock instead of failing; IMMEDIATE avoids upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {"timeout": 30, "transaction_mode": "IMMEDIATE"}
DATABASES["default"]["CONN_MAX_AGE"] = 60
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "root": {"handlers": [], "level": "WARNING"}}

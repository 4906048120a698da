"""The demo's settings, made fit for load: no debug, quiet logs, a database of its own.

SQLite (default) lives at ``var/bench.sqlite3`` and takes writers one at a time;
``CREDENTIAL_DB=mysql`` runs against MariaDB as production would (database
``CREDENTIAL_DB_NAME``, default ``credential_bench``).
"""
import os

from demo.settings import *  # noqa: F403 (the demo is the product under load)
from demo.settings import DATABASES, VAR_DIR

DEBUG = False
if DATABASES["default"]["ENGINE"].endswith("mysql"):
    DATABASES["default"]["NAME"] = os.environ.get("CREDENTIAL_DB_NAME", "credential_bench")
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["NAME"] = str(VAR_DIR / "bench.sqlite3")
    # Writers queue for the lock instead of failing; IMMEDIATE avoids upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {"timeout": 30, "transaction_mode": "IMMEDIATE"}
DATABASES["default"]["CONN_MAX_AGE"] = 60
# Quiet, but a request that fails says why (on the server's standard error).
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "handlers": {"stderr": {"class": "logging.StreamHandler", "level": "ERROR"}},
           "root": {"handlers": ["stderr"], "level": "WARNING"}}

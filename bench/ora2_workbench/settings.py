"""Workbench settings with ORA2's apps, made fit for load like ``bench.settings``.

A fresh SQLite database in WAL mode (``ORA2_BENCH_DB``), or the MariaDB database
``ORA2_BENCH_MYSQL`` names; no debug, quiet logs.
"""
import os

from workbench.settings import *  # noqa: F403 (the workbench is the harness)
from workbench.settings import INSTALLED_APPS, MIDDLEWARE, WORKBENCH

from demo.databases import mysql_database

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLED_APPS = [*INSTALLED_APPS, "submissions", "openassessment", "openassessment.fileupload",
                  "openassessment.workflow", "openassessment.assessment",
                  "openassessment.staffgrader", "waffle", "bench.ora2_workbench"]
MIDDLEWARE = [*MIDDLEWARE, "bench.ora2_workbench.middleware.SessionStudentMiddleware"]
ROOT_URLCONF = "bench.ora2_workbench.urls"
DATABASES = {"default": {
    "ENGINE": "django.db.backends.sqlite3",
    "NAME": os.environ.get("ORA2_BENCH_DB", "var/ora2-bench.sqlite3"),
    # Writers queue for the lock instead of failing; IMMEDIATE avoids upgrade deadlocks.
    "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL;"},
    "CONN_MAX_AGE": 60,
}}
if os.environ.get("ORA2_BENCH_MYSQL"):  # MariaDB, as the demo's settings reach it
    DATABASES = {"default": {**mysql_database(os.environ["ORA2_BENCH_MYSQL"]),
                             "CONN_MAX_AGE": 60}}
WORKBENCH = {**WORKBENCH, "reset_state_on_restart": False,
             "services": {**WORKBENCH.get("services", {}),
                          "user": "bench.ora2_workbench.services.SessionUserService",
                          "user_state": "bench.ora2_workbench.services.NoUserStateService",
                          "teams": "bench.ora2_workbench.services.NoTeamsService",
                          "teams_configuration": "bench.ora2_workbench.services.NoTeamsService"}}
# ORA2's own defaults that the LMS would set.
ORA2_FILEUPLOAD_BACKEND = "django"
ORA2_FILEUPLOAD_ROOT = os.environ.get("ORA2_BENCH_FILES", "var/ora2-files")
FEATURES = {}
# Quiet: ORA2 logs an error per graded response when it cannot notify the learner (no LMS).
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "handlers": {"null": {"class": "logging.NullHandler"}},
           "root": {"handlers": ["null"], "level": "CRITICAL"}}

"""The MariaDB/MySQL connection the demo's settings (and the benchmark's ORA2 workbench)
use: from ``CREDENTIAL_DB_*`` variables, through PyMySQL (pure Python, nothing to compile).

No Django import here: settings modules read it before Django is set up.
"""
import os


def mysql_database(name: str) -> dict:
    """Django's ``DATABASES`` entry for database ``name`` on the configured server."""
    import pymysql  # only for MariaDB runs; the SQLite demo does not need the package

    pymysql.install_as_MySQLdb()
    return {
        "ENGINE": "django.db.backends.mysql",
        "NAME": name,
        "USER": os.environ.get("CREDENTIAL_DB_USER", "root"),
        "PASSWORD": os.environ.get("CREDENTIAL_DB_PASSWORD", ""),
        "HOST": os.environ.get("CREDENTIAL_DB_HOST", "127.0.0.1"),
        "PORT": os.environ.get("CREDENTIAL_DB_PORT", "3306"),
        "OPTIONS": {"charset": "utf8mb4", "connect_timeout": 5},
        # A connection kept (CONN_MAX_AGE) is checked before each request or task uses it
        # again: one the server ended (a restart, wait_timeout) is replaced, not failed on.
        "CONN_HEALTH_CHECKS": True,
    }

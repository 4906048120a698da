"""A fresh, migrated benchmark database: the SQLite file or the MariaDB database the
settings name is dropped and made again, so every run starts from the same empty state."""
from pathlib import Path

import django
from django.conf import settings
from django.core.management import call_command


def fresh_database():
    """Recreate the configured database, set Django up and apply every migration."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        Path(db["NAME"]).unlink(missing_ok=True)
    else:
        # Optional: PyMySQL serves MariaDB runs only (demo/settings.py imports it likewise).
        import pymysql

        server = pymysql.connect(host=db["HOST"], port=int(db["PORT"]), user=db["USER"],
                                 password=db["PASSWORD"], connect_timeout=5)
        with server.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{db['NAME']}`")
            cursor.execute(f"CREATE DATABASE `{db['NAME']}` CHARACTER SET utf8mb4")
        server.close()
    django.setup()
    call_command("migrate", verbosity=0, interactive=False)

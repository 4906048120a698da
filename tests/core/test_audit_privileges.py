"""The audit trail's triggers where the database user may not create them, as on Tutor.

Tutor's MySQL user has ``GRANT ALL`` on its database, but MySQL 8 writes a binary log by
default, and then a user without SUPER may create a trigger only when
``log_bin_trust_function_creators`` is ON; a hand-made user may lack TRIGGER itself. Either
way ``migrate`` succeeds and the guard degrades loudly: a warning naming the grant, the
system check ``credential_app.W001`` and ``manage.py check_audit_triggers`` failing with it.
The Tutor plugin's MySQL init task grants what is missing.

No MySQL 8 server can be installed here from the package registries (Debian 12 ships
MariaDB 10.11; MySQL 8 is neither on PyPI nor npm), so these run on MariaDB: the shared
server for a user without TRIGGER, and a server of the test's own with binary logging on
for the other case. MariaDB answers both with the same error codes as MySQL 8 (1142, 1419).
"""
import contextlib
import os
import re
import secrets
import subprocess
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core import checks
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection

from credential_app.core import audit_guard
from credential_app.models import AuditEntry
from tests.core.test_api import submit
from tests.private_mariadb import mariadb_with_binary_logging, root_connection
from tests.tutor_helpers import init_tasks, new_project

pytestmark = [
    pytest.mark.db_server,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "mysql",
                       reason="MySQL/MariaDB privileges; run with CREDENTIAL_DB=mysql"),
]


@contextlib.contextmanager
def app_connects_as(**settings):
    """The app's (default) connection with ``settings`` changed (another user, another
    server), as a deployment would configure it; put back afterwards."""
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(settings)
    try:
        yield connection
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def tutor_mysql_init(tmp_path, **config):
    """The plugin's MySQL init task, rendered by Tutor for ``config`` and run as Tutor runs
    it (``sh -e``): its output."""
    tasks = init_tasks(new_project(tmp_path / "tutor"), **config)
    (script,) = [script for service, script in tasks["ours"] if service == "mysql"]
    done = subprocess.run(["sh", "-e", "-c", script], capture_output=True, text=True,
                          timeout=120, check=True)
    return done.stdout + done.stderr


@pytest.fixture
def without_trigger_privilege(db):
    """The app connected as a user with every privilege on the test database but TRIGGER;
    the triggers dropped (and put back afterwards)."""
    root = dict(connection.settings_dict)
    database = root["NAME"]
    user, password = f"audit_{os.getpid()}", secrets.token_hex(12)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE USER '{user}'@'%' IDENTIFIED BY '{password}'")
        cursor.execute("GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, "
                       f"REFERENCES ON `{database}`.* TO '{user}'@'%'")
        for name in audit_guard.TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
    try:
        with app_connects_as(USER=user, PASSWORD=password):
            yield SimpleNamespace(user=user, root=root)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP USER '{user}'@'%'")
        assert audit_guard.install()


def database_problems():
    return [problem.id for problem in checks.run_checks(tags=[checks.Tags.database],
                                                        databases=["default"])]


def test_without_the_trigger_privilege_the_guard_names_the_grant(without_trigger_privilege,
                                                                 caplog):
    grant = (f"GRANT TRIGGER ON `{connection.settings_dict['NAME']}`.* TO "
             f"'{without_trigger_privilege.user}'@'%'")

    call_command("migrate", verbosity=0)  # succeeds; its post_migrate step warns
    assert "NOT protected by the database" in caplog.text and grant in caplog.text
    assert database_problems() == ["credential_app.W001"]
    with pytest.raises(CommandError, match=re.escape(grant)):
        call_command("check_audit_triggers", "--install")


def test_the_tutor_init_task_grants_it_and_the_database_guards_again(
        without_trigger_privilege, people, definition, tmp_path):
    test_db = without_trigger_privilege.root
    output = tutor_mysql_init(
        tmp_path, MYSQL_HOST=test_db["HOST"] or "127.0.0.1",
        MYSQL_PORT=int(test_db["PORT"] or 3306), MYSQL_ROOT_USERNAME=test_db["USER"],
        MYSQL_ROOT_PASSWORD=test_db["PASSWORD"], OPENEDX_MYSQL_DATABASE=test_db["NAME"],
        OPENEDX_MYSQL_USERNAME=without_trigger_privilege.user)
    assert "log_bin_trust_function_creators" not in output  # no binary log on this server

    connection.close()  # a grant on a database reaches the user's next connection (as the
    out = StringIO()    # LMS init task's, in a container of its own)
    call_command("check_audit_triggers", "--install", stdout=out)
    assert "in place" in out.getvalue()
    assert database_problems() == []

    submit(people["learner"])
    audit_guard.set_unlocked(connection, False)  # the suite's maintenance switch, off
    try:
        with pytest.raises(DatabaseError, match="append-only"), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {audit_guard.TABLE}")
    finally:
        audit_guard.set_unlocked(connection, True)
    assert AuditEntry.objects.count() == 1


def test_with_binary_logging_the_guard_names_the_variable_and_the_init_task_sets_it(
        tmp_path, caplog):
    """Tutor's own set-up (GRANT ALL on the database, a binary log), on a server of the
    test's own: creating the triggers is refused (1419) until the init task has run."""
    with mariadb_with_binary_logging(tmp_path / "mariadb") as port:
        server = root_connection(port)
        with server.cursor() as cursor:
            cursor.execute("CREATE DATABASE openedx CHARACTER SET utf8mb4 "
                           "COLLATE utf8mb4_unicode_ci")
            cursor.execute("CREATE USER 'openedx'@'%' IDENTIFIED BY 'openedx-password'")
            cursor.execute("GRANT ALL ON openedx.* TO 'openedx'@'%'")  # Tutor's mysql.sh
        with app_connects_as(HOST="127.0.0.1", PORT=port, NAME="openedx", USER="openedx",
                             PASSWORD="openedx-password"):
            with connection.cursor() as cursor:  # the audit table alone, as the model has it
                cursor.execute("SET foreign_key_checks = 0")
            with connection.schema_editor() as editor:
                editor.create_model(AuditEntry)

            assert audit_guard.install() is False
            assert "log_bin_trust_function_creators = ON" in caplog.text
            assert database_problems() == ["credential_app.W001"]

            output = tutor_mysql_init(
                tmp_path, MYSQL_HOST="127.0.0.1", MYSQL_PORT=port, MYSQL_ROOT_USERNAME="root",
                MYSQL_ROOT_PASSWORD="", OPENEDX_MYSQL_DATABASE="openedx",
                OPENEDX_MYSQL_USERNAME="openedx")
            assert "Binary logging is on" in output
            assert "until the server restarts only" in output  # MariaDB has no SET PERSIST

            call_command("check_audit_triggers", "--install", stdout=StringIO())
            assert database_problems() == []
        server.close()

"""The database itself keeps the audit trail append-only.

``AuditEntry.save``/``delete`` refuse changes, but ``QuerySet.update``/``delete`` and raw
SQL go straight past Python. Triggers on the table close that gap on SQLite and
MySQL/MariaDB: no row may be deleted, and an update may only *blank* the personal
columns (``actor_id``/``learner_id`` to NULL, ``reason`` to "", ``details`` to {}), which
is what ``audit.anonymise_user`` (retirement) and the users' ``SET_NULL`` do. Anything else
fails with an error naming the trail.

Installed after every ``migrate`` (``post_migrate``) rather than in a migration: SQLite
rebuilds a table (dropping its triggers) whenever a later migration alters it, and
re-creating them each time keeps them in step with the table whatever migrations come.

Deliberate maintenance (the test suite emptying tables between transactional tests) runs
inside :func:`unlocked`, a per-connection switch: a session variable on MySQL/MariaDB, a
function this app registers on SQLite connections. A connection that never switched is
locked. On MySQL with binary logging, creating triggers needs the TRIGGER privilege (and
``log_bin_trust_function_creators`` or SUPER); if it is missing, ``migrate`` still
succeeds and a warning says what to grant — the Python-level guard stays in force.
"""
import logging
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

log = logging.getLogger(__name__)

TABLE = "credential_app_auditentry"
FIXED_COLUMNS = ("id", "created", "action", "subject_type", "subject_id", "definition_slug",
                 "course_key")
TRIGGERS = ("credential_audit_no_delete", "credential_audit_only_blanking")
MESSAGE = "The audit trail is append-only: entries cannot be deleted or rewritten."
SQLITE_SWITCH = "credential_audit_unlocked"
MYSQL_SWITCH = "@credential_audit_unlocked"


def _allowed_update(same):
    """SQL condition: fixed columns unchanged; personal ones unchanged or blanked."""
    return " AND ".join([
        *(same(f"NEW.{c}", f"OLD.{c}") for c in FIXED_COLUMNS),
        f"({same('NEW.actor_id', 'OLD.actor_id')} OR NEW.actor_id IS NULL)",
        f"({same('NEW.learner_id', 'OLD.learner_id')} OR NEW.learner_id IS NULL)",
        f"({same('NEW.reason', 'OLD.reason')} OR NEW.reason = '')",
        f"({same('NEW.details', 'OLD.details')} OR NEW.details = '{{}}')",
    ])


def _sqlite_statements():
    allowed = _allowed_update(lambda a, b: f"{a} IS {b}")
    return [
        f"CREATE TRIGGER credential_audit_no_delete BEFORE DELETE ON {TABLE} "
        f"WHEN NOT {SQLITE_SWITCH}() BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
        f"CREATE TRIGGER credential_audit_only_blanking BEFORE UPDATE ON {TABLE} "
        f"WHEN NOT {SQLITE_SWITCH}() AND NOT ({allowed}) "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    ]


def _mysql_statements():
    allowed = _allowed_update(lambda a, b: f"{a} <=> {b}")
    refuse = f"SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '{MESSAGE}'"
    return [
        f"CREATE TRIGGER credential_audit_no_delete BEFORE DELETE ON {TABLE} FOR EACH ROW "
        f"BEGIN IF {MYSQL_SWITCH} IS NULL THEN {refuse}; END IF; END",
        f"CREATE TRIGGER credential_audit_only_blanking BEFORE UPDATE ON {TABLE} FOR EACH ROW "
        f"BEGIN IF {MYSQL_SWITCH} IS NULL AND NOT ({allowed}) THEN {refuse}; END IF; END",
    ]


STATEMENTS = {"sqlite": _sqlite_statements, "mysql": _mysql_statements}


def install(using=DEFAULT_DB_ALIAS) -> bool:
    """(Re)create the triggers on the audit table; False where not supported or allowed."""
    connection = connections[using]
    if connection.vendor not in STATEMENTS or TABLE not in connection.introspection.table_names():
        return False
    if connection.vendor == "sqlite":
        _register_sqlite_switch(connection)
    try:
        with connection.cursor() as cursor:
            for name in TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            for statement in STATEMENTS[connection.vendor]():
                cursor.execute(statement)
    except DatabaseError as exc:
        log.warning("The audit trail's database triggers could not be created (%s); grant "
                    "the TRIGGER privilege (with binary logging, also set "
                    "log_bin_trust_function_creators) and run migrate again.", exc)
        return False
    return True


def on_post_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    install(using)


def _register_sqlite_switch(connection):
    connection.ensure_connection()
    connection.connection.create_function(
        SQLITE_SWITCH, 0, lambda: int(getattr(connection, "credential_audit_unlocked", False)))


def on_connection_created(sender, connection, **kwargs):
    """Every SQLite connection gets the switch (off), so the triggers can ask it."""
    if connection.vendor == "sqlite":
        _register_sqlite_switch(connection)


def set_unlocked(connection, value: bool) -> None:
    """Turn the maintenance switch of one connection on or off."""
    if connection.vendor == "sqlite":
        connection.credential_audit_unlocked = value
    elif connection.vendor == "mysql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET {MYSQL_SWITCH} = %s", [1 if value else None])


@contextmanager
def unlocked(using=DEFAULT_DB_ALIAS):
    """Let this connection delete or rewrite audit entries (maintenance only)."""
    connection = connections[using]
    set_unlocked(connection, True)
    try:
        yield
    finally:
        set_unlocked(connection, False)

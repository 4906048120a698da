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
locked. On MySQL/MariaDB the database user needs the TRIGGER privilege, and, where binary
logging is on (the default of MySQL 8), SUPER or ``log_bin_trust_function_creators = ON``.
Without them ``migrate`` still succeeds, the Python-level guard stays in force, and the
weaker guard is said loudly: a warning naming the grant (``what_to_grant``), the system check
``credential_app.W001`` (``manage.py check --database default``) and ``manage.py
check_audit_triggers``.
"""
import logging
from contextlib import contextmanager

from django.core import checks
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils.translation import gettext as _

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

# MySQL/MariaDB errors that creating a trigger meets, by what is missing.
ER_TABLEACCESS_DENIED = 1142  # "TRIGGER command denied to user ..."
ER_SPECIFIC_ACCESS_DENIED = 1227  # "you need (at least one of) the SUPER privilege(s)"
ER_BINLOG_CREATE_ROUTINE_NEED_SUPER = 1419  # binary logging on, no SUPER


def install(using=DEFAULT_DB_ALIAS) -> bool:
    """(Re)create the triggers on the audit table; False where not supported or allowed
    (then a warning says what to grant)."""
    try:
        return create(using)
    except DatabaseError as exc:
        log.warning("The audit trail is NOT protected by the database: %s The application "
                    "still refuses changes to it, but SQL run outside it does not.",
                    what_to_grant(connections[using], exc))
        return False


def create(using=DEFAULT_DB_ALIAS) -> bool:
    """(Re)create the triggers; the database's refusal (DatabaseError) goes to the caller."""
    connection = connections[using]
    if connection.vendor not in STATEMENTS or TABLE not in connection.introspection.table_names():
        return False
    if connection.vendor == "sqlite":
        _register_sqlite_switch(connection)
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        for statement in STATEMENTS[connection.vendor]():
            cursor.execute(statement)
    return True


def what_to_grant(connection, exc: DatabaseError) -> str:
    """What the database user lacks to create the triggers, from the database's refusal."""
    code = exc.args[0] if exc.args and isinstance(exc.args[0], int) else None
    database = connection.settings_dict.get("NAME", "")
    user = connection.settings_dict.get("USER", "")
    if code == ER_TABLEACCESS_DENIED:
        return _("The database user lacks the TRIGGER privilege: as an administrator, run "
                 "GRANT TRIGGER ON `{database}`.* TO '{user}'@'%'; then migrate again.").format(
            database=database, user=user)
    if code in (ER_BINLOG_CREATE_ROUTINE_NEED_SUPER, ER_SPECIFIC_ACCESS_DENIED):
        return _("Binary logging is on, and the database user may create triggers only when "
                 "log_bin_trust_function_creators is ON: as an administrator, run SET PERSIST "
                 "log_bin_trust_function_creators = ON (MySQL 8; on MariaDB, SET GLOBAL and "
                 "the server's configuration file), then migrate again.")
    return _("The database refused to create the audit trail's triggers ({error}); the "
             "database user needs the TRIGGER privilege.").format(error=exc)


def installed(using=DEFAULT_DB_ALIAS) -> bool:
    """Whether both triggers are on the audit table."""
    connection = connections[using]
    if connection.vendor == "mysql":
        query = ("SELECT TRIGGER_NAME FROM information_schema.TRIGGERS "
                 "WHERE TRIGGER_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = %s")
    elif connection.vendor == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s"
    else:
        return False
    with connection.cursor() as cursor:
        cursor.execute(query, [TABLE])
        return set(TRIGGERS) <= {row[0] for row in cursor.fetchall()}


def supported(using=DEFAULT_DB_ALIAS) -> bool:
    """Whether the database keeps the trail append-only where the table exists."""
    connection = connections[using]
    return connection.vendor in STATEMENTS and TABLE in connection.introspection.table_names()


def check(app_configs=None, databases=None, **kwargs):
    """System check ``credential_app.W001``: the audit table without its triggers (run by
    ``manage.py check --database default`` and before ``migrate``)."""
    problems = []
    for alias in databases or ():
        if supported(alias) and not installed(alias):
            problems.append(checks.Warning(
                _("The audit trail's database triggers are missing on database '{alias}': "
                  "it is protected by the application only.").format(alias=alias),
                hint=_("Run manage.py check_audit_triggers --install: it creates them or "
                       "names the grant the database user lacks."),
                id="credential_app.W001"))
    return problems


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

"""(b) The plugin's migrations apply in the LMS, on SQLite and on MariaDB.

The platform's pytest options (``--nomigrations``) build the test database from the models;
here the plugin's real migration history is applied, with the platform's Django and the
platform's own apps it depends on, to a database of its own: a SQLite file, and a MariaDB
database (``OPENEDX_TEST_MYSQL_HOST`` / ``_PORT`` / ``_USER`` / ``_PASSWORD``, default
127.0.0.1:3306 as root without a password; the database ``test_credential_openedx`` is made
and dropped). The models must match the migrations under the platform's Django as well.
"""
import os
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models.signals import post_migrate
from django.db.utils import OperationalError
from django.test.utils import override_settings

# The platform's test database (a migrations-free SQLite in memory) is set up too: Django's
# migration loader and the platform's post_migrate receivers look at the default alias.
pytestmark = pytest.mark.django_db

APP = "credential_app"
ALIAS = "credential_migrations"
MYSQL_DATABASE = "test_credential_openedx"


@contextmanager
def extra_database(config):
    """A database alias beside the platform's test databases, for this test only."""
    connections.settings[ALIAS] = connections.configure_settings({"default": {},
                                                                  ALIAS: config})[ALIAS]
    try:
        yield connections[ALIAS]
    finally:
        connections[ALIAS].close()
        del connections[ALIAS]
        del connections.settings[ALIAS]


def migrate_the_plugin(connection):
    """Apply the plugin's migrations and those they depend on (the platform's auth,
    submissions...), then what the plugin does after every migrate (post_migrate)."""
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    # The plugin's latest migrations, and the latest of every app they need (as a full
    # ``migrate`` would leave them: contenttypes' later migrations change its table).
    needed, targets = {APP}, []
    while {app for app, _name in targets} != needed:
        targets = [key for key in graph.leaf_nodes() if key[0] in needed]
        needed |= {app for target in targets for app, _name in graph.forwards_plan(target)}
    assert any(app == APP for app, _name in targets), "the plugin has no migrations here"
    executor.migrate(targets)
    app_config = apps.get_app_config(APP)
    post_migrate.send(sender=app_config, app_config=app_config, verbosity=0,
                      interactive=False, using=connection.alias, apps=apps, plan=[])
    return executor


def applied(executor):
    executor.loader.build_graph()
    return {name for app, name in executor.loader.applied_migrations if app == APP}


def check_migrated(connection, executor):
    on_disk = {name for app, name in executor.loader.disk_migrations if app == APP}
    assert applied(executor) == on_disk
    tables = set(connection.introspection.table_names())
    missing = [model._meta.db_table for model in apps.get_app_config(APP).get_models()
               if model._meta.db_table not in tables]
    assert not missing, f"tables missing after migrate: {missing}"


@override_settings(MIGRATION_MODULES={})
def test_migrations_apply_on_sqlite(django_db_blocker, tmp_path):
    with django_db_blocker.unblock(), extra_database(
            {"ENGINE": "django.db.backends.sqlite3",
             "NAME": str(tmp_path / "migrations.sqlite3")}) as connection:
        executor = migrate_the_plugin(connection)
        check_migrated(connection, executor)


@override_settings(MIGRATION_MODULES={})
def test_migrations_apply_on_mariadb(django_db_blocker):
    config = {
        "ENGINE": "django.db.backends.mysql",
        "NAME": MYSQL_DATABASE,
        "HOST": os.environ.get("OPENEDX_TEST_MYSQL_HOST", "127.0.0.1"),
        "PORT": os.environ.get("OPENEDX_TEST_MYSQL_PORT", "3306"),
        "USER": os.environ.get("OPENEDX_TEST_MYSQL_USER", "root"),
        "PASSWORD": os.environ.get("OPENEDX_TEST_MYSQL_PASSWORD", ""),
        "OPTIONS": {"charset": "utf8mb4", "connect_timeout": 5},
    }
    with django_db_blocker.unblock(), extra_database(config) as connection:
        try:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {MYSQL_DATABASE}")
                cursor.execute(f"CREATE DATABASE {MYSQL_DATABASE} CHARACTER SET utf8mb4")
        except OperationalError as exc:
            pytest.fail(f"MariaDB/MySQL at {config['HOST']}:{config['PORT']} is not reachable "
                        f"as {config['USER']} ({exc}); start it or set OPENEDX_TEST_MYSQL_HOST "
                        "and the others.")
        try:
            executor = migrate_the_plugin(connection)
            check_migrated(connection, executor)
        finally:
            connection.close()
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {MYSQL_DATABASE}")


@override_settings(MIGRATION_MODULES={})
def test_models_match_migrations_under_the_platforms_django(django_db_blocker):
    with django_db_blocker.unblock():
        # exits with status 1 (SystemExit) when a migration is missing
        call_command("makemigrations", APP, check=True, dry_run=True, verbosity=1)

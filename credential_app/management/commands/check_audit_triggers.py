"""``manage.py check_audit_triggers``: whether the database keeps the audit trail
append-only, and if not, which grant the database user lacks."""
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credential_app.core import audit_guard


class Command(BaseCommand):
    help = gettext_lazy("Say whether the audit trail's database triggers are in place; with "
                        "--install, (re)create them. Fails naming the missing grant.")

    def add_arguments(self, parser):
        parser.add_argument("--install", action="store_true",
                            help=gettext_lazy("(Re)create the triggers first."))
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS,
                            help=gettext_lazy("The database alias (default: default)."))

    def handle(self, *args, install=False, database=DEFAULT_DB_ALIAS, **options):
        if not audit_guard.supported(database):
            raise CommandError(_("This database cannot keep the audit trail append-only "
                                 "(SQLite and MySQL/MariaDB can), or it is not migrated yet."))
        if install:
            try:
                audit_guard.create(database)
            except DatabaseError as exc:
                raise CommandError(audit_guard.what_to_grant(
                    connections[database], exc)) from exc
        if not audit_guard.installed(database):
            raise CommandError(_("The audit trail's database triggers are missing: run this "
                                 "command with --install to create them, or to learn which "
                                 "grant the database user lacks."))
        self.stdout.write(_("The audit trail's database triggers are in place: the database "
                            "refuses to delete or rewrite its entries."))

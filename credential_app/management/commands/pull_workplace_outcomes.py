"""``manage.py pull_workplace_outcomes``: ask every employer feed with a pull connector for
new outcome events (from cron, or by hand)."""
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credential_app.workplace import pull


class Command(BaseCommand):
    help = gettext_lazy("Pull new workplace outcome events from every employer feed that has "
                        "a pull connector.")

    def handle(self, *args, **options):
        failed = False
        for result in pull.pull_all():
            if result.error:
                failed = True
                self.stderr.write(_("{feed}: stopped: {error}").format(feed=result.feed,
                                                                       error=result.error))
            else:
                self.stdout.write(_("{feed}: {pages} pages, {stored} events stored, "
                                    "{not_shared} not shared (dropped).").format(
                    feed=result.feed, pages=result.pages, stored=result.stored,
                    not_shared=result.not_shared))
        if failed:
            raise CommandError(_("At least one feed could not be pulled."))

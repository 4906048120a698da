"""``manage.py expire_credentials``: the expiry sweep for operators without Celery beat."""
from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from credential_app import api


class Command(BaseCommand):
    help = gettext_lazy("Expire every active credential past its validity (run it daily "
                        "from cron if Celery beat does not run the expiry task).")

    def add_arguments(self, parser):
        parser.add_argument("--now", help=gettext_lazy("Expire as if it were this ISO 8601 time "
                                            "(for catching up or testing)."))

    def handle(self, *args, now=None, **options):
        at = None
        if now:
            at = parse_datetime(now)
            if at is None or at.tzinfo is None:
                raise CommandError(_("--now must be an ISO 8601 time with a time zone, "
                                     "e.g. 2027-01-31T00:00:00+00:00."))
        count = api.expire_due_credentials(now=at)
        self.stdout.write(ngettext("%(count)d credential expired.",
                                   "%(count)d credentials expired.", count) % {"count": count})

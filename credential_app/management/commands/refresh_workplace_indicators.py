"""``manage.py refresh_workplace_indicators``: recompute the lagging indicators (matched
comparisons) the workplace pages show; run it after outcome data arrives (e.g. nightly)."""
import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credential_app.workplace import indicators


class Command(BaseCommand):
    help = gettext_lazy("Recompute the workplace lagging indicators from the outcome events.")

    def handle(self, *args, **options):
        started = time.monotonic()
        count = indicators.refresh()
        self.stdout.write(_("{count} figures computed in {seconds:.1f} s.").format(
            count=count, seconds=time.monotonic() - started))

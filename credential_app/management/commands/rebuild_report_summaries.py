"""Make the report summaries and the assessor queue's counts again from the attempts,
assessments and credentials.

For an install whose records changed without the app (a bulk import, a restored backup,
user rows deleted): the app keeps the summaries in step itself otherwise.
"""
import time

from django.core.management.base import BaseCommand

from credential_app.core import queue_tally
from credential_app.reports import summaries


class Command(BaseCommand):
    help = "Rebuild the report summaries and the queue's counts from the records."

    def handle(self, *args, **options):
        started = time.monotonic()

        def report(done, total):
            if self.verbosity > 1 or (self.verbosity and done == total):
                self.stdout.write(f"{done:,} of {total:,} attempts counted")

        self.verbosity = options["verbosity"]
        summaries.rebuild(report=report)
        queue_tally.rebuild()
        if self.verbosity:
            self.stdout.write(self.style.SUCCESS(
                f"Report summaries rebuilt in {time.monotonic() - started:.0f} s."))

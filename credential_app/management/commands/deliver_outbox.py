"""Deliver due HRIS outbox rows: once, or in a loop for operators without Celery beat."""
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from credential_app.hris.engine import sweep


class Command(BaseCommand):
    help = ("Send every HRIS record that is due (retries included). With --loop, keep doing "
            "so every --interval seconds until stopped (SIGTERM/Ctrl-C finish the batch in "
            "hand first).")

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Run until stopped.")
        parser.add_argument("--interval", type=float, default=None,
                            help="Seconds between sweeps with --loop (default: "
                                 "CREDENTIAL_APP['HRIS_SWEEP_SECONDS']).")

    def handle(self, *args, **options):
        interval = options["interval"] or settings.CREDENTIAL_APP["HRIS_SWEEP_SECONDS"]
        stop = threading.Event()
        if options["loop"]:
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stop.set())
        while True:
            report = sweep(stop=stop)
            close_old_connections()
            if report.delivered or report.failed or not options["loop"]:
                self.stdout.write(f"Delivered {report.delivered}, failed tries "
                                  f"{report.failed}.")
            if not options["loop"] or stop.wait(interval):
                break

"""Run Ralph, the Open edX LRS, on loopback for the demo (``make demo RALPH=1``) until stopped."""
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import ralph_lrs


class Command(BaseCommand):
    help = ("A local Ralph LRS (file backend, HTTP Basic auth as the demo LMS) that the demo's "
            "xAPI destination sends statements to; statements are kept in var/ralph/.")

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8100)
        parser.add_argument("--dir", default="", help="Where statements and the auth file "
                                                      "live (default var/ralph).")

    def handle(self, *args, **options):
        folder = options["dir"] or f"{settings.VAR_DIR}/ralph"
        try:
            server = ralph_lrs.RalphServer(folder, port=options["port"],
                                           username=ralph_lrs.DEMO_USER,
                                           password=ralph_lrs.demo_password(folder)).start()
        except ralph_lrs.RalphUnavailable as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Ralph LRS listening on {server.url} (statements in {folder})")
        self.stdout.flush()
        stopped = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_args: stopped.set())
        try:
            while not stopped.wait(1) and server.proc.poll() is None:
                pass
        except KeyboardInterrupt:
            pass
        finally:
            server.stop()

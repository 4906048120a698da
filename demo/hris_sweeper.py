"""The demo web server sends waiting HRIS records from its first request on.

The embedded default (``HRIS_DELIVERY = "thread"``) wakes its sweeper after each event, so
records written before the server started (``load_demo``'s sample credential, or any left
waiting at a restart) would otherwise wait for the next event.

The sweeper starts in the process that serves the request, never when the application is
loaded: a server that loads it once and forks workers (gunicorn ``--preload``) would
otherwise run a sweeper thread, with its own database connection, in the parent, and every
worker would inherit (and finalise) a copy of that connection.
"""
import os

from credential_app.hris import engine, sweeper


class StartHrisSweeperMiddleware:
    """Wakes the sweeper on the first request a process serves (once per process)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.started_in = None  # the pid that started it: a forked worker starts its own

    def __call__(self, request):
        if self.started_in != os.getpid() and engine.setting("HRIS_DELIVERY") == "thread":
            self.started_in = os.getpid()
            sweeper.InProcessSweeper.wake()
        return self.get_response(request)

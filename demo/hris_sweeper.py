"""The demo web server sends waiting HRIS records from the moment it starts.

The embedded default (``HRIS_DELIVERY = "thread"``) wakes its sweeper after each event, so
records written before the server started (``load_demo``'s sample credential, or any left
waiting at a restart) would otherwise wait for the next event.
"""
from credential_app.hris import engine, sweeper


class StartHrisSweeperMiddleware:
    """Django builds middleware once per server process: start the sweeper then."""

    def __init__(self, get_response):
        self.get_response = get_response
        if engine.setting("HRIS_DELIVERY") == "thread":
            sweeper.InProcessSweeper.wake()

    def __call__(self, request):
        return self.get_response(request)

"""gunicorn entry point: the workbench with ORA2, the sized scenarios and the floor's
(``bench.floor``), loaded once (``--preload``)."""
import os

from django.core.wsgi import get_wsgi_application
from django.db import connections


def _add_scenarios():
    # Once Django is set up: the workbench and ORA2 need the app registry at import.
    from workbench.scenarios import get_scenarios

    from bench.floor import add_floor_scenario
    from bench.ora2_workbench.scenarios import add_sized_scenario

    get_scenarios()
    for size in (3, 30):
        add_sized_scenario(size)
    add_floor_scenario()


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.ora2_workbench.settings")
application = get_wsgi_application()
_add_scenarios()
connections.close_all()

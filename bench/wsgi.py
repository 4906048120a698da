"""gunicorn entry point of the benchmark: the demo app plus the sized scenarios and the floor's
(``bench.floor``).

Loaded once in gunicorn's master (``--preload``) so every worker shares the same
scenarios; the master's database connections are closed before workers fork.
"""
import os

from django.core.wsgi import get_wsgi_application
from django.db import connections


def _add_scenarios():
    # Imported only once Django is set up: both modules use the app registry at import.
    from workbench.scenarios import get_scenarios

    from bench.floor import add_floor_scenario
    from bench.scenarios import add_sized_scenario

    get_scenarios()
    for size in (3, 30):
        add_sized_scenario(size)
    add_floor_scenario()


def _use_the_demo_celery_app():
    # After DJANGO_SETTINGS_MODULE is set: demo.celery would otherwise name demo.settings.
    # Importing it makes its app the current one, so tasks (badge signing with
    # CREDENTIAL_BADGE_SIGNING=celery) go to its broker, as a project's celery module does.
    import demo.celery  # noqa: F401


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
application = get_wsgi_application()
_use_the_demo_celery_app()
_add_scenarios()
connections.close_all()

"""gunicorn entry point of the benchmark: the demo app plus the sized scenarios.

Loaded once in gunicorn's master (``--preload``) so every worker shares the same
scenarios; the master's database connections are closed before workers fork.
"""
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

from django.db import connections  # noqa: E402
from workbench.scenarios import get_scenarios  # noqa: E402

from bench.scenarios import add_sized_scenario  # noqa: E402

get_scenarios()
for size in (3, 30):
    add_sized_scenario(size)
connections.close_all()

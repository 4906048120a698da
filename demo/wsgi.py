"""WSGI entry point of the demo, for a real server, e.g.

    .venv/bin/gunicorn demo.wsgi:application --preload --workers 2

Loading the app in gunicorn's parent (``--preload``) is safe: the app starts no thread and
keeps no connection before a worker serves its first request (``credential_app.lib.after_fork``,
``demo.hris_sweeper``).
"""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo.settings")
application = get_wsgi_application()

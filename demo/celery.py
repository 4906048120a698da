"""The demo's Celery app (in Open edX, the LMS's own app runs the plugin's tasks).

Broker: ``CELERY_BROKER_URL`` (default Redis on localhost). Start a worker with beat:
``.venv/bin/celery -A demo.celery worker -B -l info``.
"""
import os

from celery import Celery
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo.settings")

app = Celery("demo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["credential_app"])


@app.on_after_finalize.connect
def _beat_from_plugin_settings(sender, **kwargs):
    """Use the schedule the plugin settings built, as Open edX's LMS does."""
    sender.conf.beat_schedule = getattr(settings, "CELERYBEAT_SCHEDULE", {})

"""The demo's Celery app (in Open edX, the LMS's own app runs the plugin's tasks).

Broker: ``CELERY_BROKER_URL`` (default Redis on localhost). Start a worker with beat:
``.venv/bin/celery -A demo.celery worker -B -l info``.
"""
import os

from celery import Celery
from celery.signals import task_postrun, task_prerun
from django.conf import settings
from django.db import close_old_connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo.settings")

app = Celery("demo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["credential_app"])


@app.on_after_finalize.connect
def _beat_from_plugin_settings(sender, **kwargs):
    """Use the schedule the plugin settings built, as Open edX's LMS does."""
    sender.conf.beat_schedule = getattr(settings, "CELERYBEAT_SCHEDULE", {})


@task_prerun.connect
@task_postrun.connect
def _close_old_connections(**kwargs):
    """Around each task, as Django does around each request: a connection lives
    ``CONN_MAX_AGE`` and is dropped once unusable; with ``CONN_HEALTH_CHECKS`` a kept one
    is checked before the task's first query (the server may have ended it since).
    (Celery's own Django fixup would close every connection before and after each task;
    ``CELERY_DB_REUSE_MAX`` in the settings holds it back.)"""
    close_old_connections()

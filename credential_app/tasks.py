"""Celery tasks of the app: the periodic expiry sweep.

``shared_task`` binds to whichever Celery app the host runs (the LMS's in Open
edX, ``demo.celery`` in the demo); the beat schedule entry that runs it is added
by ``settings.common.plugin_settings`` (``CELERYBEAT_SCHEDULE``).
"""
from celery import shared_task

EXPIRE_TASK = "credential_app.tasks.expire_credentials"


@shared_task(name=EXPIRE_TASK, ignore_result=True)
def expire_credentials() -> int:
    """Move every credential past its validity to expired; return how many."""
    from .expiry import expire_due  # import at run time: workers import tasks before apps

    return expire_due()

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
    from credential_app.core.expiry import (
        expire_due,  # import at run time: workers import tasks before apps
    )

    return expire_due()


# --- HRIS delivery (issue 6) ---

DELIVER_TASK = "credential_app.tasks.deliver_destination"
SWEEP_OUTBOX_TASK = "credential_app.tasks.sweep_outbox"


@shared_task(name=DELIVER_TASK, ignore_result=True, acks_late=True)
def deliver_destination(destination_id) -> int:
    """Deliver a destination's due outbox rows (queued after each event commits)."""
    from credential_app.hris.engine import drain

    return drain(destination_id).delivered


@shared_task(name=SWEEP_OUTBOX_TASK, ignore_result=True)
def sweep_outbox() -> int:
    """Deliver every destination's due rows (Celery beat): the safety net for lost tasks."""
    from credential_app.hris.engine import sweep

    return sweep().delivered

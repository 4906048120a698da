"""HRIS Celery tasks: thin wrappers that run the delivery engine (which knows nothing of Celery)."""
from celery import shared_task

from credential_app.hris import engine
from credential_app.task_names import DELIVER_TASK, SWEEP_OUTBOX_TASK


@shared_task(name=DELIVER_TASK, ignore_result=True, acks_late=True)
def deliver_destination(destination_id) -> int:
    """Deliver a destination's due outbox rows (queued after each event commits)."""
    return engine.drain(destination_id).delivered


@shared_task(name=SWEEP_OUTBOX_TASK, ignore_result=True)
def sweep_outbox() -> int:
    """Deliver every destination's due rows (Celery beat): the safety net for lost tasks."""
    return engine.sweep().delivered

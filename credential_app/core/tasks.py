"""The core's Celery task: the periodic expiry sweep (beat entry added by the plugin settings)."""
from celery import shared_task

from credential_app.core.expiry import expire_due
from credential_app.task_names import EXPIRE_TASK


@shared_task(name=EXPIRE_TASK, ignore_result=True)
def expire_credentials() -> int:
    """Move every credential past its validity to expired; return how many."""
    return expire_due()

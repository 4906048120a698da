"""Celery tasks of the app, gathered where Celery's autodiscovery looks (``<app>.tasks``).

``shared_task`` binds to whichever Celery app the host runs (the LMS's in Open edX,
``demo.celery`` in the demo); the beat entries that run the periodic ones are added by
``settings.common.plugin_settings`` (``CELERYBEAT_SCHEDULE``). Celery imports this module
after Django is set up, so the tasks may import the app's modules at the top.
"""
from credential_app.core.tasks import expire_credentials
from credential_app.hris.tasks import deliver_destination, sweep_outbox
from credential_app.openbadges.signing_queue import sign_badge
from credential_app.task_names import (
    DELIVER_TASK,
    EXPIRE_TASK,
    PULL_OUTCOMES_TASK,
    REFRESH_INDICATORS_TASK,
    SIGN_BADGE_TASK,
    SWEEP_OUTBOX_TASK,
)
from credential_app.workplace.tasks import pull_workplace_outcomes, refresh_workplace_indicators

__all__ = ["DELIVER_TASK", "EXPIRE_TASK", "PULL_OUTCOMES_TASK", "REFRESH_INDICATORS_TASK",
           "SIGN_BADGE_TASK", "SWEEP_OUTBOX_TASK", "deliver_destination", "expire_credentials",
           "pull_workplace_outcomes", "refresh_workplace_indicators", "sign_badge",
           "sweep_outbox"]

"""Workplace outcome Celery tasks (Celery beat runs them; the plugin's settings add the
entries): pull new outcome events from employers, then recompute the indicators."""
from celery import shared_task

from credential_app.task_names import PULL_OUTCOMES_TASK, REFRESH_INDICATORS_TASK
from credential_app.workplace import indicators, pull


@shared_task(name=PULL_OUTCOMES_TASK, ignore_result=True)
def pull_workplace_outcomes() -> int:
    """Every feed with a pull connector, from its cursor (hourly by default)."""
    return sum(result.stored for result in pull.pull_all())


@shared_task(name=REFRESH_INDICATORS_TASK, ignore_result=True)
def refresh_workplace_indicators() -> int:
    """The matched comparisons the pages show (daily by default)."""
    return indicators.refresh()

"""Celery beat pulls employers' outcome events hourly and recomputes the indicators daily;
an operator's own entry of the same name wins."""
from datetime import timedelta
from types import SimpleNamespace

import pytest

from credential_app import task_names
from credential_app.models import IndicatorFigure
from credential_app.settings.common import plugin_settings
from credential_app.tasks import pull_workplace_outcomes, refresh_workplace_indicators
from tests.workplace.outcome_world import standard


def test_beat_runs_the_pull_hourly_and_the_refresh_daily(settings):
    pulled = settings.CELERYBEAT_SCHEDULE["credential_app.pull_workplace_outcomes"]
    refreshed = settings.CELERYBEAT_SCHEDULE["credential_app.refresh_workplace_indicators"]
    assert (pulled["task"], pulled["schedule"]) == (task_names.PULL_OUTCOMES_TASK,
                                                    timedelta(hours=1))
    assert (refreshed["task"], refreshed["schedule"]) == (task_names.REFRESH_INDICATORS_TASK,
                                                          timedelta(days=1))


def test_an_operators_own_entry_wins():
    own = {"task": task_names.REFRESH_INDICATORS_TASK, "schedule": timedelta(hours=6)}
    host = SimpleNamespace(CELERYBEAT_SCHEDULE={"credential_app.refresh_workplace_indicators":
                                                own}, CREDENTIAL_APP={})
    plugin_settings(host)
    assert host.CELERYBEAT_SCHEDULE["credential_app.refresh_workplace_indicators"] is own


@pytest.mark.django_db
def test_the_tasks_pull_and_refresh():
    standard().store()
    assert pull_workplace_outcomes() == 0  # no feed pulls here
    assert refresh_workplace_indicators() == IndicatorFigure.objects.count() > 0

"""Connectors are plug-ins found through the entry-point group; the webhook one ships."""
import importlib
import sys

import pytest

from credential_app.hris import connectors
from credential_app.hris.connectors.webhook import StandardWebhookConnector
from tests.hris_helpers import RecordingConnector, make_destination
from tests.lifecycle_helpers import assess, submit

pytestmark = pytest.mark.usefixtures("recording_plugin")


def test_the_webhook_connector_is_registered_in_the_entry_point_group():
    assert connectors.available()["webhook"] is StandardWebhookConnector
    assert ("webhook", str(StandardWebhookConnector.label)) in [
        (name, str(label)) for name, label in connectors.choices()]


def test_an_installed_plugin_is_offered_and_used():
    assert connectors.get("recording") is RecordingConnector


def test_an_unknown_connector_says_so():
    with pytest.raises(connectors.UnknownConnector, match="nowhere"):
        connectors.get("nowhere")


def test_installed_plugins_are_read_once_per_process_not_per_attempt(people, definition,
                                                                    monkeypatch):
    """Reading the installed packages' metadata costs tens of milliseconds, and every hand-in
    and scoring asks which connectors take attempt events."""
    asked = []
    finding = connectors.entry_points
    monkeypatch.setattr(connectors, "entry_points",
                        lambda group: asked.append(group) or finding(group=group))
    connectors.rescan()
    make_destination("https://hr.example.com/", connector="recording")
    for learner in (people["learner"], people["learner2"]):
        assess(submit(learner), people["staff"], "yes")
    assert asked == [connectors.GROUP]

    connectors.rescan()  # a plug-in installed while the process runs: found when asked again
    connectors.available()
    assert asked == [connectors.GROUP] * 2


def test_celery_beat_sweeps_the_outbox(settings):
    from datetime import timedelta

    from credential_app import tasks

    entry = settings.CELERYBEAT_SCHEDULE["credential_app.sweep_outbox"]
    assert entry["task"] == tasks.SWEEP_OUTBOX_TASK == tasks.sweep_outbox.name
    assert entry["schedule"] == timedelta(
        seconds=settings.CREDENTIAL_APP["HRIS_SWEEP_SECONDS"])


@pytest.mark.parametrize("old, new", [
    ("credential_app.connectors.base", "credential_app.hris.connectors.base"),
    ("credential_app.connectors.standard_webhooks",
     "credential_app.hris.connectors.standard_webhooks"),
    ("credential_app.connectors.webhook", "credential_app.hris.connectors.webhook"),
    ("credential_app.connectors.successfactors",
     "credential_app.hris.connectors.successfactors"),
])
def test_connectors_written_for_the_old_import_path_still_work_with_a_warning(old, new,
                                                                                 monkeypatch):
    """Third-party connectors import ``credential_app.connectors.base`` (README of the first
    releases): the same classes arrive, and the import says where they live now."""
    for name in [n for n in sys.modules if n.startswith("credential_app.connectors")]:
        monkeypatch.delitem(sys.modules, name)
    with pytest.warns(DeprecationWarning, match="credential_app.hris.connectors"):
        old_module = importlib.import_module(old)
    new_module = importlib.import_module(new)
    public = [name for name in vars(new_module)
              if not name.startswith("_") and isinstance(vars(new_module)[name], type)
              and vars(new_module)[name].__module__ == new]
    assert public
    assert all(getattr(old_module, name) is getattr(new_module, name) for name in public)

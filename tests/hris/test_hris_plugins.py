"""Connectors are plug-ins found through the entry-point group; the webhook one ships."""
import pytest

from credential_app.hris import connectors
from credential_app.hris.connectors.webhook import StandardWebhookConnector
from tests.hris_helpers import RecordingConnector

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


def test_celery_beat_sweeps_the_outbox(settings):
    from datetime import timedelta

    from credential_app import tasks

    entry = settings.CELERYBEAT_SCHEDULE["credential_app.sweep_outbox"]
    assert entry["task"] == tasks.SWEEP_OUTBOX_TASK == tasks.sweep_outbox.name
    assert entry["schedule"] == timedelta(
        seconds=settings.CREDENTIAL_APP["HRIS_SWEEP_SECONDS"])

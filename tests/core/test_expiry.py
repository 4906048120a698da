"""Expiry without anyone watching: the sweep, its Celery task, beat entry and command."""
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils.timezone import now
from openedx_events.learning.data import BadgeData

from credential_app import api, tasks
from credential_app.core.audit import AuditAction
from credential_app.data import CredentialStatus
from credential_app.models import AuditEntry, Credential
from tests.lifecycle_helpers import OTHER_UNIT, assess, submit


@pytest.fixture
def expiring(people, definition):
    """Two learners' credentials valid for 30 days; the second expires a day later."""
    definition.validity_days, definition.renewal_window_days = 30, 10
    definition.save()
    first = assess(submit(people["learner"]), people["staff"], "yes").credential
    second = assess(submit(people["learner2"], unit=OTHER_UNIT), people["staff"], "yes",
                    unit=OTHER_UNIT).credential
    Credential.objects.filter(uuid=second.uuid).update(
        expires_at=second.expires_at + timedelta(days=1))
    return first, api.get_credential(second.uuid)


def test_only_credentials_past_their_expiry_expire(expiring, announced,
                                                   django_capture_on_commit_callbacks):
    first, second = expiring
    assert api.expire_due_credentials(now=first.expires_at - timedelta(seconds=1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert api.expire_due_credentials(now=first.expires_at) == 1

    expired = api.get_credential(first.uuid)
    assert (expired.status, expired.ended_at) == (CredentialStatus.EXPIRED, first.expires_at)
    assert api.get_credential(second.uuid).status == CredentialStatus.ACTIVE
    assert announced.names() == ["expired", "BADGE_REVOKED"]
    badge = announced.payloads("BADGE_REVOKED")[0]
    assert isinstance(badge, BadgeData) and badge.uuid == first.uuid
    entry = AuditEntry.objects.get(action=AuditAction.EXPIRY)
    assert entry.actor is None and entry.learner_id == first.user_id
    # a second sweep finds nothing more to do
    assert api.expire_due_credentials(now=first.expires_at) == 0


def test_credentials_that_never_expire_or_have_ended_are_left_alone(people, definition):
    forever = assess(submit(people["learner"]), people["staff"], "yes").credential
    assert forever.expires_at is None
    assert api.expire_due_credentials(now=now() + timedelta(days=100_000)) == 0
    assert api.get_credential(forever.uuid).status == CredentialStatus.ACTIVE


def test_expired_holder_may_earn_the_credential_again(expiring, people, definition):
    first, _second = expiring
    api.expire_due_credentials(now=first.expires_at)
    assert api.get_learner_credential(people["learner"].pk, definition.slug).status == "expired"
    renewed = assess(submit(people["learner"]), people["staff"], "yes").credential
    assert renewed.status == CredentialStatus.ACTIVE
    assert api.get_credential(first.uuid).status == CredentialStatus.EXPIRED  # not superseded


def test_the_celery_task_expires_due_credentials(expiring):
    first, second = expiring
    Credential.objects.filter(uuid=first.uuid).update(expires_at=now() - timedelta(minutes=1))
    result = tasks.expire_credentials.apply()  # the task body, run by Celery in-process
    assert result.successful() and result.get() == 1
    assert api.get_credential(first.uuid).status == CredentialStatus.EXPIRED
    assert api.get_credential(second.uuid).status == CredentialStatus.ACTIVE


def test_plugin_settings_schedule_the_task_with_celery_beat():
    from demo.celery import app

    entry = settings.CELERYBEAT_SCHEDULE["credential_app.expire_credentials"]
    assert entry["task"] == tasks.EXPIRE_TASK
    assert entry["schedule"] <= timedelta(days=1)
    app.loader.import_default_modules()
    assert tasks.EXPIRE_TASK in app.tasks
    app.finalize()
    assert app.conf.beat_schedule["credential_app.expire_credentials"]["task"] == \
        tasks.EXPIRE_TASK


def test_an_operators_own_beat_entry_wins():
    from types import SimpleNamespace

    from credential_app.settings.common import plugin_settings

    own = {"task": tasks.EXPIRE_TASK, "schedule": timedelta(minutes=5)}
    host = SimpleNamespace(CELERYBEAT_SCHEDULE={"credential_app.expire_credentials": own},
                           TEMPLATES=[])
    plugin_settings(host)
    assert host.CELERYBEAT_SCHEDULE["credential_app.expire_credentials"] is own


def test_management_command_expires_and_reports(expiring):
    first, second = expiring
    out = StringIO()
    call_command("expire_credentials", "--now", second.expires_at.isoformat(), stdout=out)
    assert "2 credentials expired." in out.getvalue()
    assert {api.get_credential(c.uuid).status for c in expiring} == {CredentialStatus.EXPIRED}


def test_management_command_refuses_a_time_without_zone(db):
    with pytest.raises(CommandError, match="time zone"):
        call_command("expire_credentials", "--now", "2027-01-31T00:00:00")

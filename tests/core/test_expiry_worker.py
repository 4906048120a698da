"""The expiry task through a real Celery worker and Redis broker (``worker``: conftest)."""
import threading
from datetime import timedelta

import pytest
from django.utils.timezone import now

from credential_app import api, tasks
from credential_app.core import signals
from credential_app.data import CredentialStatus
from credential_app.models import Credential
from tests.lifecycle_helpers import assess, submit


@pytest.mark.db_server
@pytest.mark.django_db(transaction=True)
def test_worker_expires_a_due_credential_sent_through_redis(people, definition, worker):
    credential = assess(submit(people["learner"]), people["staff"], "yes").credential
    Credential.objects.filter(uuid=credential.uuid).update(
        expires_at=now() - timedelta(minutes=1))
    done = threading.Event()

    def on_expired(sender, credential, **kwargs):
        done.set()

    signals.credential_expired.connect(on_expired, weak=False)
    try:
        tasks.expire_credentials.delay()
        assert done.wait(timeout=60), "the worker did not expire the credential"
    finally:
        signals.credential_expired.disconnect(on_expired)
    assert api.get_credential(credential.uuid).status == CredentialStatus.EXPIRED

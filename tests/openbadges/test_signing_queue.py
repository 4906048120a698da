"""Badges are signed after the award commits, never in the request that awarded it
(``CREDENTIAL_APP["BADGE_SIGNING"]``): a task, a background thread, or at once after
commit; when starting fails, the badge is signed the first time it is needed."""
# ruff: noqa: F811 (pytest fixtures imported from tests.openbadge_helpers)
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from credential_app import api
from credential_app.models import SignedBadge
from credential_app.openbadges import data_integrity, signing_queue
from tests.openbadge_helpers import issue, keys, new_key  # noqa: F401 (fixtures)


@pytest.fixture
def signing_threads(monkeypatch):
    """The names of the threads that signed a badge document."""
    names = []
    real = data_integrity.sign

    def spy(unsigned, **kwargs):
        if "OpenBadgeCredential" in unsigned.get("type", []):
            names.append(threading.current_thread().name)
        return real(unsigned, **kwargs)

    monkeypatch.setattr(data_integrity, "sign", spy)
    return names


def _signed(credential) -> bool:
    return SignedBadge.objects.filter(credential=credential).exclude(document="").exists()


@pytest.mark.django_db(transaction=True)
def test_thread_mode_signs_in_the_background_thread_not_the_request(
        people, definition, keys, settings, signing_threads):
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "BADGE_SIGNING": "thread"}
    credential = issue(people, definition)  # the scoring request, committed
    signing_queue.wait_for_thread()
    assert _signed(credential)
    assert signing_threads and all(name.startswith("badge-signing") for name in signing_threads)


@pytest.mark.django_db
def test_celery_mode_queues_a_task_and_the_task_signs(people, definition, keys, settings,
                                                      monkeypatch, signing_threads,
                                                      django_capture_on_commit_callbacks):
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "BADGE_SIGNING": "celery"}
    queued = []
    monkeypatch.setattr(signing_queue.sign_badge, "apply_async",
                        lambda args, **kwargs: queued.append(args[0]))
    with django_capture_on_commit_callbacks(execute=True):
        credential = issue(people, definition)
    assert queued == [str(credential.uuid)] and not _signed(credential)
    assert signing_threads == []  # nothing signed by the request
    assert signing_queue.sign_badge.apply(args=queued).get() is True  # what a worker runs
    assert _signed(credential)


@pytest.mark.django_db
def test_a_broker_that_is_down_loses_nothing_the_page_signs_on_first_view(
        client, people, definition, keys, settings, monkeypatch, caplog,
        django_capture_on_commit_callbacks):
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "BADGE_SIGNING": "celery"}

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("redis at 127.0.0.1:6379")

    monkeypatch.setattr(signing_queue.sign_badge, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        credential = issue(people, definition)  # the award stands
    assert "will be signed when first needed" in caplog.text
    assert not _signed(credential)
    page = client.get(reverse("credential_app:badge_page", args=[str(credential.uuid)]))
    assert page.status_code == 200 and _signed(credential)
    assert api.verify_open_badge(api.get_open_badge(str(credential.uuid))).valid


@pytest.mark.django_db
def test_on_demand_mode_signs_nothing_until_the_badge_is_first_needed(
        client, people, definition, keys, settings, signing_threads,
        django_capture_on_commit_callbacks):
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "BADGE_SIGNING": "on_demand"}
    with django_capture_on_commit_callbacks(execute=True):
        credential = issue(people, definition)
    assert signing_threads == [] and not _signed(credential)
    badge = client.get(reverse("credential_app:badge_json", args=[str(credential.uuid)]))
    assert badge.status_code == 200 and _signed(credential)
    assert api.verify_open_badge(badge.json()).valid


@pytest.mark.django_db
def test_signing_reads_the_attempts_assessments_once(people, definition, keys, settings):
    """What a signing worker runs per badge: the attempt's assessments feed both the result
    and the evidence's summary, and are read once for both."""
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "BADGE_SIGNING": "on_demand"}
    credential = issue(people, definition)
    with CaptureQueriesContext(connection) as queries:
        assert signing_queue.sign(credential.uuid) is True
    assessments = [q["sql"] for q in queries.captured_queries
                   if 'FROM "credential_app_assessment"' in q["sql"]]
    assert len(assessments) == 1, assessments
    assert _signed(credential)

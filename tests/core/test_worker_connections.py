"""The demo's Celery worker keeps its database connection from one task to the next.

Celery's Django fixup closes every connection before and after each task unless
``CELERY_DB_REUSE_MAX`` is set: a new connection per task. On MariaDB through PyMySQL that
connect (it builds an SSL context each time) cost the signing worker more CPU than the
signing itself (bench/README.md). The demo's worker treats a task as Django treats a
request: a connection lives ``CONN_MAX_AGE`` and is dropped once it is unusable.
"""
import threading
from contextlib import contextmanager

import pytest
from celery import signals as celery_signals
from django.db import connection

from credential_app import tasks
from tests.concurrency import on_a_database_server

TASKS = 3


@contextmanager
def watching_tasks():
    """``run_one()``: runs one task, waits for it to end, and answers its outcome and the
    DB-API connection it ran on, as the worker's thread saw them."""
    runs = []
    ended = threading.Event()

    def on_success(sender, **kwargs):
        runs.append(("succeeded", connection.connection))

    def on_failure(sender, exception=None, **kwargs):
        runs.append((f"failed: {exception!r}", connection.connection))

    def on_postrun(sender, **kwargs):
        ended.set()

    def run_one():
        ended.clear()
        tasks.expire_credentials.delay()  # reads the database, finds nothing due
        assert ended.wait(timeout=60), "the worker did not run the task"
        return runs[-1]

    hooks = ((celery_signals.task_success, on_success),
             (celery_signals.task_failure, on_failure),
             (celery_signals.task_postrun, on_postrun))
    for signal, receiver in hooks:
        signal.connect(receiver, weak=False)
    try:
        yield run_one
    finally:
        for signal, receiver in hooks:
            signal.disconnect(receiver)


@on_a_database_server("SQLite's in-memory test database is never closed")
@pytest.mark.db_server
@pytest.mark.django_db(transaction=True)
def test_the_worker_keeps_its_connection_between_tasks(worker, monkeypatch):
    # Persistent connections, as a production database setting has them (the worker's
    # thread makes its connection from this same settings dict).
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    with watching_tasks() as run_one:
        runs = [run_one() for _number in range(TASKS)]  # kept: no connection's id is reused

    assert [outcome for outcome, _raw in runs] == ["succeeded"] * TASKS
    assert len({id(raw) for _outcome, raw in runs}) == 1, "the worker connected anew for each task"


@on_a_database_server("SQLite's in-memory test database is never closed")
@pytest.mark.db_server
@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_dropped_is_replaced_before_the_next_task(worker,
                                                                          monkeypatch):
    """MariaDB restarted, or ended an idle connection (``wait_timeout``): the worker's next
    task must not fail on the dead connection it kept (the demo's settings ask Django to
    check a kept connection before it is used again, and its Celery app lets the check run
    at every task)."""
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    with watching_tasks() as run_one:
        outcome, first = run_one()
        assert outcome == "succeeded"
        with connection.cursor() as cursor:  # the test's own connection ends the worker's
            cursor.execute(f"KILL {first.thread_id()}")

        outcome, second = run_one()

    assert outcome == "succeeded"
    assert second is not first

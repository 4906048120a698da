"""The demo's Celery worker keeps its database connection from one task to the next.

Celery's Django fixup closes every connection before and after each task unless
``CELERY_DB_REUSE_MAX`` is set: a new connection per task. On MariaDB through PyMySQL that
connect (it builds an SSL context each time) cost the signing worker more CPU than the
signing itself (bench/README.md). The demo's worker treats a task as Django treats a
request: a connection lives ``CONN_MAX_AGE`` and is dropped once it is unusable.
"""
import threading

import pytest
from celery import signals as celery_signals
from django.db import connection

from credential_app import tasks
from tests.concurrency import on_a_database_server

TASKS = 3


@on_a_database_server("SQLite's in-memory test database is never closed")
@pytest.mark.db_server
@pytest.mark.django_db(transaction=True)
def test_the_worker_keeps_its_connection_between_tasks(worker, monkeypatch):
    # Persistent connections, as a production database setting has them (the worker's
    # thread makes its connection from this same settings dict).
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    used = []  # the DB-API connection each task ran on (kept: no id is reused)
    finished = threading.Event()

    def on_success(sender, **kwargs):
        used.append(connection.connection)  # in the worker's thread: its connection

    def on_postrun(sender, **kwargs):
        finished.set()

    celery_signals.task_success.connect(on_success, weak=False)
    celery_signals.task_postrun.connect(on_postrun, weak=False)
    try:
        for _number in range(TASKS):
            finished.clear()
            tasks.expire_credentials.delay()  # reads the database, finds nothing due
            assert finished.wait(timeout=60), "the worker did not run the task"
    finally:
        celery_signals.task_success.disconnect(on_success)
        celery_signals.task_postrun.disconnect(on_postrun)
    assert len(used) == TASKS and None not in used
    assert len({id(raw) for raw in used}) == 1, "the worker connected anew for each task"

"""Real concurrency for tests: threads with their own database connections, released together.

Row locks are real on MariaDB/MySQL only; SQLite locks the whole file (and its in-memory
test database refuses a second writer outright), so tests marked ``ROW_LOCKS`` skip
there with that reason; they are marked ``db_server``, so ``make test-mysql`` (and CI) runs
them on MariaDB. Mark a module with ``pytestmark = ROW_LOCKS``, one test with ``@row_locks``.
"""
import threading

import pytest
from django.db import connection


def on_a_database_server(why_not_sqlite):
    """Skip on SQLite, saying why; for tests marked ``db_server``, which CI runs on MariaDB."""
    return pytest.mark.skipif(connection.vendor == "sqlite",
                              reason=f"{why_not_sqlite}; run with CREDENTIAL_DB=mysql")


ROW_LOCKS = [
    pytest.mark.db_server,
    pytest.mark.django_db(transaction=True),
    on_a_database_server("SQLite has no row locks"),
]


# A thread of the product's own (the in-process HRIS sweeper) writing while the test's
# thread writes: SQLite's in-memory test database refuses the second writer at once
# ("database table is locked") where a file database, the demo's, makes it wait.
second_writer = on_a_database_server(
    "the in-memory SQLite test database refuses a second writer at once")


def row_locks(test):
    """``ROW_LOCKS`` for one test function."""
    for mark in reversed(ROW_LOCKS):
        test = mark(test)
    return test


def race(count, action):
    """Run ``action(i)`` in ``count`` threads released at once; ``("ok", value)`` or
    ``("error", exception)`` per thread, in order."""
    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def run(i):
        try:
            barrier.wait()
            outcomes[i] = ("ok", action(i))
        except Exception as exc:  # noqa: BLE001 - every outcome is inspected by the test
            outcomes[i] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes

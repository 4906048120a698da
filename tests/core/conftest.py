"""A real Celery worker on the Redis broker, in this process (the demo's Celery app).

Redis is one of the services this project is tested against; without it a test fails
saying how to start it, rather than hanging or passing unproven.
"""
import os

import pytest
from django.db import connection

# A Redis database of its own, apart from other test runs: one per backend, so the SQLite and
# the MariaDB passes can run at once without their workers taking each other's tasks
# (a worker of one pass would look for the credential in the other pass's database).
# CREDENTIAL_TEST_REDIS_URL picks another (e.g. for two checkouts testing at once).
BROKER = os.environ.get("CREDENTIAL_TEST_REDIS_URL") or \
    f"redis://127.0.0.1:6379/{12 if connection.vendor == 'mysql' else 11}"


REDIS_START = ('redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" '
               '--appendonly no')


@pytest.fixture
def redis_broker():
    import redis

    try:
        redis.Redis.from_url(BROKER, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.fail(f"Redis is not reachable at {BROKER} ({exc}). Start it (here: "
                    f"`{REDIS_START}`) and run the tests again.", pytrace=False)
    return BROKER


@pytest.fixture
def worker(redis_broker):
    from celery.contrib.testing.worker import start_worker

    from demo.celery import app

    app.conf.update(broker_url=redis_broker, task_ignore_result=True,
                    broker_connection_retry_on_startup=True)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield app

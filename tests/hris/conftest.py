"""Fixtures of the delivery fault harness (``tests.delivery_harness``): a Redis broker, a
Celery worker and beat on the test's database. A module using them defines ``receiver``."""
import pytest

from tests.delivery_harness import CELERY, Process, Redis, Worker, celery_env


@pytest.fixture(scope="module")
def log_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("hris-faults")


@pytest.fixture(scope="module")
def broker(log_dir):
    server = Redis(log_dir).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def processes(django_db_setup, django_db_blocker, broker, receiver, log_dir):
    """Worker and beat on the test database; beat sweeps due rows every 2 seconds."""
    worker = Worker(broker.url, log_dir).start()
    beat = Process("beat", [*CELERY, "-A", "demo.celery", "beat", "-l", "info", "-s",
                            str(log_dir / "beat-schedule")], celery_env(broker.url),
                   log_dir).start()
    yield {"worker": worker, "beat": beat, "broker": broker, "receiver": receiver}
    beat.stop()
    worker.stop()


@pytest.fixture
def celery_app(processes, settings):
    """The test process queues tasks after commit, as the LMS would."""
    from demo.celery import app

    app.conf.update(broker_url=processes["broker"].url, broker_connection_timeout=2,
                    broker_connection_max_retries=1)
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "HRIS_DELIVERY": "celery"}
    yield app



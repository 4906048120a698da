"""The delivery fault harness: real processes around the delivery engine, shared by the
HRIS (webhook simulator) and xAPI (Ralph LRS) fault tests.

A Redis broker started on a free port (so a test can restart it), a Celery worker and Celery
beat as subprocesses on the test's database, each in its own process group with a log file
to show when something goes wrong. Its fixtures (``broker``, ``processes``, ``celery_app``)
are in ``tests/hris/conftest.py``; a test module using them defines a module-scoped
``receiver`` fixture (what the worker delivers to) and sets ``pytestmark = PYTESTMARK``:
MariaDB/MySQL only, as the workers share the test's database.
"""
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from credential_app import api
from credential_app.models import EmployeeLink, HrisConsent, HrisDestination
from tests.lifecycle_helpers import assess, submit
from tests.ports import free_port  # noqa: F401 (re-exported for the fault tests)

PYTESTMARK = [
    pytest.mark.db_server,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor == "sqlite",
                       reason="The worker processes share the test's database: SQLite's "
                              "in-memory test database cannot be shared; run with "
                              "CREDENTIAL_DB=mysql"),
]

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
CELERY = [PYTHON, "-m", "celery"]  # this interpreter, whatever the script shebangs say
DOWNTIME_SECONDS = 120


def issue_and_revoke(staff, prefix, *, learners, revoked) -> list:
    """``learners`` new learners, each linked to every destination and sharing with it, hand
    in and pass; the first ``revoked`` of their credentials are then revoked. The
    credentials, in order."""
    User = get_user_model()
    issued = []
    for i in range(learners):
        learner = User.objects.create_user(f"{prefix}{i}")
        for destination in HrisDestination.objects.all():  # an employee who shares
            EmployeeLink.objects.create(destination=destination, user=learner,
                                        employee_id=f"E-{learner.pk}")
            HrisConsent.objects.create(destination=destination, user=learner, given=True)
        issued.append(assess(submit(learner), staff, "yes").credential)
    for credential in issued[:revoked]:
        api.revoke_credential(credential_uuid=credential.uuid, revoked_by=staff.pk,
                              reason="found to be copied")
    return issued


def wait_for(condition, *, timeout, what, interval=0.2):
    """Poll ``condition`` until it is truthy or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout}s waiting for {what}")


class Process:
    """A child process in its own process group (so SIGKILL takes all of it), logging to a
    file the test can show when something goes wrong."""

    def __init__(self, name, argv, env, log_dir):
        self.name, self.argv, self.env = name, argv, env
        self.log = Path(log_dir) / f"{name}.log"
        self.proc = None

    def start(self):
        handle = self.log.open("ab")
        self.proc = subprocess.Popen(self.argv, env=self.env, cwd=ROOT, stdout=handle,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        handle.close()
        return self

    def send(self, signum):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signum)

    def stop(self, signum=signal.SIGTERM, timeout=20):
        if self.proc is None:
            return
        self.send(signum)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.send(signal.SIGKILL)
            self.proc.wait(10)
        self.proc = None

    def output(self):
        return self.log.read_text(errors="replace") if self.log.exists() else ""


class Redis(Process):
    def __init__(self, log_dir):
        self.port = free_port()
        server = shutil.which("redis-server")
        if server is None:
            pytest.fail("redis-server is not installed (apt-get install redis-server).")
        super().__init__("redis", [server, "--port", str(self.port), "--bind", "127.0.0.1",
                                   "--save", "", "--appendonly", "no"], os.environ.copy(),
                         log_dir)

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        super().start()
        import redis

        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)

        def answers():
            try:
                return client.ping()
            except redis.exceptions.ConnectionError:
                return False

        wait_for(answers, timeout=20, what="redis-server")
        return self


def celery_env(broker_url):
    db = connection.settings_dict
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.hris_worker_settings",
            "CELERY_BROKER_URL": broker_url, "CREDENTIAL_DB": "mysql",
            "CREDENTIAL_DB_NAME": db["NAME"], "CREDENTIAL_DB_HOST": db["HOST"] or "127.0.0.1",
            "CREDENTIAL_DB_PORT": str(db["PORT"] or 3306),
            "CREDENTIAL_DB_USER": db["USER"], "CREDENTIAL_DB_PASSWORD": db["PASSWORD"] or ""}


class Worker(Process):
    def __init__(self, broker_url, log_dir):
        super().__init__("worker", [*CELERY, "-A", "demo.celery", "worker", "--pool=threads",
                                    "--concurrency=4", "--without-gossip", "--without-mingle",
                                    "-l", "info", "-n", f"hris-faults-{os.getpid()}@%h"],
                         celery_env(broker_url), log_dir)

    def start(self):
        before = self.output().count(" ready.")
        super().start()
        wait_for(lambda: self.output().count(" ready.") > before, timeout=60,
                 what="the Celery worker to be ready")
        return self

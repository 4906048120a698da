"""Servers that load the app once and fork workers (gunicorn ``--preload``, Celery prefork):
a worker never uses a connection or a thread of its parent's, and nothing the app starts
exists before the first request.

The fork tests fork this very test process: the child checks, reports through a pipe and
leaves with ``os._exit`` (never running pytest's teardown). On MariaDB (``make test-mysql``)
a child that used the parent's socket would break the parent's session: the parent's
connection id and transaction are checked to be intact afterwards.
"""
import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from django.db import connection, connections

from credential_app.hris import sweeper
from demo.hris_sweeper import StartHrisSweeperMiddleware

ROOT = Path(__file__).resolve().parents[1]


def in_child(check) -> dict:
    """Run ``check()`` in a forked child; what it returns (a dict), or its error."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(reader)
        try:
            said = {"result": check()}
        except BaseException as exc:  # noqa: BLE001 - reported to the parent, whatever it is
            said = {"error": f"{type(exc).__name__}: {exc}"}
        os.write(writer, json.dumps(said, default=str).encode())
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader) as pipe:
        said = json.loads(pipe.read() or '{"error": "the child died"}')
    os.waitpid(pid, 0)
    assert "error" not in said, said["error"]
    return said["result"]


def _session_id():
    with connection.cursor() as cursor:
        cursor.execute("SELECT CONNECTION_ID()" if connection.vendor == "mysql" else "SELECT 1")
        return cursor.fetchone()[0]


@pytest.mark.db_server
@pytest.mark.django_db
def test_a_forked_worker_opens_its_own_connection_and_leaves_the_parents_alone():
    before = _session_id()
    parent_raw = id(connection.connection)

    def check():
        inherited = connections["default"].connection
        _session_id()  # the child's first query
        return {"inherited": inherited is not None,
                "same_object": id(connections["default"].connection) == parent_raw}

    said = in_child(check)
    assert said == {"inherited": False, "same_object": False}
    # the parent's own session is untouched: same connection, same server session, usable
    assert id(connection.connection) == parent_raw
    assert _session_id() == before
    assert connection.in_atomic_block  # the test's transaction survived the child


def test_a_forked_worker_has_no_sweeper_of_its_parents_and_starts_its_own(settings):
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "HRIS_DELIVERY": "thread",
                               "HRIS_SWEEP_SECONDS": 3600}
    middleware = StartHrisSweeperMiddleware(lambda request: "response")
    try:
        assert not sweeper.InProcessSweeper.running()  # loading the app started nothing
        assert middleware(None) == "response"  # the first request starts it
        parent_thread = sweeper.InProcessSweeper._thread
        assert parent_thread.is_alive()

        def check():
            inherited = sweeper.InProcessSweeper._thread
            middleware(None)  # the worker's first request
            mine = sweeper.InProcessSweeper._thread
            alive = sweeper.InProcessSweeper.running()
            sweeper.InProcessSweeper.stop()
            return {"inherited": inherited is not None, "own_started": alive,
                    "is_parents": mine is parent_thread}

        assert in_child(check) == {"inherited": False, "own_started": True,
                                   "is_parents": False}
        assert parent_thread.is_alive()  # the parent's sweeper carries on
    finally:
        sweeper.InProcessSweeper.stop()


def test_the_demo_serves_under_gunicorn_preload_with_no_errors(tmp_path):
    """The demo's own settings on an SQLite file, gunicorn --preload with two workers and
    the in-process HRIS sweeper sweeping every 0.2 s: requests succeed and the server logs
    no error. (The failure this guards against took about a minute of load to show; the
    fork tests above are what catch its cause.)"""
    env = {**os.environ, "CREDENTIAL_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE":
           "demo.settings", "CREDENTIAL_HRIS_SWEEP_SECONDS": "0.2"}
    env.pop("CREDENTIAL_DB", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT,
                   timeout=300)
    subprocess.run([*manage, "load_demo", "--hris-url", "https://127.0.0.1:9/"], env=env,
                   check=True, cwd=ROOT, timeout=300, stdout=subprocess.DEVNULL)
    server = subprocess.Popen(  # noqa: S603 - a fixed command line
        [sys.executable, "-m", "gunicorn", "demo.wsgi:application", "--preload",
         "--workers", "2", "--bind", "127.0.0.1:0", "--log-level", "info"],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = []
    try:
        for line in server.stdout:  # gunicorn says where it listens once it does
            output.append(line)
            if listening := re.search(r"Listening at: (http://[0-9.:]+)", line):
                break
        assert listening, "".join(output)
        url = listening.group(1) + "/"
        statuses = []
        for path in ["", "credentials/", "badges/verify/"] * 50:
            try:
                with urllib.request.urlopen(url + path, timeout=30) as response:
                    statuses.append(response.status)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)
        assert set(statuses) <= {200, 302}, sorted(set(statuses))
    finally:
        server.terminate()
        output.append(server.communicate(timeout=30)[0])
    log = "".join(output)
    assert "disk I/O error" not in log and "Traceback" not in log, log[-3000:]

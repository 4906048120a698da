"""Benchmark the block under gunicorn: learner view, hand-in and scoring with concurrent clients.

    make bench                      # SQLite (python -m bench.run --help for options)
    CREDENTIAL_DB=mysql make bench  # MariaDB on 127.0.0.1:3306 (database credential_bench)

Each of ``--clients`` threads is a separate signed-in browser session (its own
cookies and CSRF token) talking HTTP to gunicorn on loopback. Phases:

1. learner view: every learner opens the unit (``student_view`` of a 30-criterion rubric);
2. submit: every learner hands in one attempt (the ``submit_evidence`` handler);
3. score: assessors score every attempt (the ``submit_assessment`` handler).

Then the SQL queries per request are counted in-process as the rubric grows
from 3 to 30 criteria and a learner's attempts from 1 to 20. Results print as
Markdown for bench/README.md.
"""
import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
sys.path.insert(0, str(ROOT))


def prepare_database(learners: int, assessors: int, criteria: int = 30, wal: bool = False):
    """A fresh database with the demo credential, people and their session cookies.

    Returns the usage id of the ``criteria``-criterion scenario. ``wal``: SQLite's
    write-ahead log (readers never wait for the writer), as ``bench.versus_ora2`` gives ORA2.
    """
    # bench.* resolves once ROOT is on sys.path (above), also when run as a script.
    from bench.database import fresh_database

    fresh_database()
    if wal and settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")

    # After django.setup(): the workbench and the app need the app registry at import.
    from workbench.scenarios import get_scenarios

    from bench.scenarios import add_sized_scenario
    from credential_app.models import CredentialDefinition
    from credential_xblock.demo_scenarios import DEMO_CREDENTIAL_SLUG

    CredentialDefinition.objects.create(slug=DEMO_CREDENTIAL_SLUG, name="Bench credential",
                                        pass_percentage=70)
    get_scenarios()
    for size in (3, 30):
        add_sized_scenario(size)
    usage_id = get_scenarios()[add_sized_scenario(criteria)].usage_id

    def session_of(user):
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    users = get_user_model().objects
    learner_sessions = [session_of(users.create_user(f"bench-learner-{n}"))
                        for n in range(learners)]
    assessor_sessions = [session_of(users.create_user(f"bench-assessor-{n}", is_staff=True))
                         for n in range(assessors)]
    return usage_id, learner_sessions, assessor_sessions


class Browser:
    """One signed-in session over HTTP, as a browser would hold it."""

    def __init__(self, base_url, session_cookie, usage_id):
        self.base_url = base_url
        self.usage_id = usage_id
        self.http = requests.Session()
        self.http.cookies.set("sessionid", session_cookie)

    def view(self):
        started = time.perf_counter()
        response = self.http.get(f"{self.base_url}/scenario/bench.30/", timeout=60)
        return time.perf_counter() - started, response.status_code

    def post(self, handler, payload):
        token = self.http.cookies.get("csrftoken")
        started = time.perf_counter()
        response = self.http.post(f"{self.base_url}/handler/{self.usage_id}/{handler}/",
                                  data=json.dumps(payload), timeout=60,
                                  headers={"X-CSRFToken": token or "",
                                           "Content-Type": "application/json"})
        elapsed = time.perf_counter() - started
        return elapsed, response.status_code, response.json()


def run_phase(name, jobs, clients):
    """Run ``jobs`` (callables returning (seconds, status, ...)) on ``clients`` threads."""
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(lambda job: job(), jobs))
    wall = time.perf_counter() - started
    latencies = sorted(r[0] for r in results)
    errors = [r for r in results if r[1] != 200]
    return {
        "phase": name, "requests": len(results), "errors": len(errors),
        "per_second": len(results) / wall,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "sample_error": errors[0][2] if errors and len(errors[0]) > 2 else None,
    }


def wait_for_port(port, process, limit=60.0):
    """Return once gunicorn accepts connections (or fail if it died)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited before serving; see its output above.")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)  # polling a port: there is no event to wait on
    raise SystemExit(f"gunicorn did not listen on {port} within {limit:.0f} s.")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8, help="concurrent client sessions")
    parser.add_argument("--learners", type=int, default=160, help="learners (one attempt each)")
    parser.add_argument("--assessors", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    args = parser.parse_args(argv)

    usage_id, learners, assessors = prepare_database(args.learners, args.assessors)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "bench.wsgi:application", "--preload",
         "--workers", str(args.workers), "--threads", str(args.threads),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"},
    )
    try:
        wait_for_port(port, server)
        base = f"http://127.0.0.1:{port}"
        learner_browsers = [Browser(base, cookie, usage_id) for cookie in learners]
        assessor_browsers = [Browser(base, cookie, usage_id) for cookie in assessors]
        for browser in assessor_browsers:
            browser.view()  # CSRF cookie, like a page load before scoring
        results = [run_phase("learner view (30 criteria)",
                             [b.view for b in learner_browsers], args.clients)]
        submitted = []

        def hand_in(browser):
            def job():
                outcome = browser.post("submit_evidence", {"text": "Evidence " * 40})
                if outcome[1] == 200:
                    submitted.append(outcome[2]["attempt_id"])
                return outcome
            return job

        results.append(run_phase("submit", [hand_in(b) for b in learner_browsers],
                                 args.clients))
        # bench.scenarios loads the workbench, so only after django.setup() (above).
        from bench.scenarios import passing_scores

        def score(browser, attempt_id):
            return lambda: browser.post("submit_assessment", {
                "attempt_id": attempt_id, "scores": passing_scores(30)})

        jobs = [score(assessor_browsers[i % len(assessor_browsers)], attempt_id)
                for i, attempt_id in enumerate(sorted(submitted))]
        results.append(run_phase("score (30 criteria)", jobs, args.clients))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    print(report(results, args, query_counts()))


def query_counts():
    """Queries per request for rubric sizes × attempt counts (in-process, same database)."""
    # bench.query_counts loads the workbench, so only after django.setup() (main's first step).
    from bench.query_counts import measure

    return {(criteria, attempts): measure(criteria, attempts, tag="q")
            for criteria in (3, 30) for attempts in (1, 20)}


def report(results, args, counts):
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    lines = [
        f"gunicorn {args.workers} workers × {args.threads} threads, {args.clients} concurrent "
        f"clients, {engine}, {os.cpu_count()} CPUs",
        "",
        "| phase | requests | errors | requests/s | p50 ms | p95 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(f"| {r['phase']} | {r['requests']} | {r['errors']} | "
                     f"{r['per_second']:.1f} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} |")
        if r["sample_error"]:
            lines.append(f"|  first error: {r['sample_error']} |||||")
    names = list(next(iter(counts.values())))
    lines += ["", "SQL queries per request:", "",
              "| criteria | attempts | " + " | ".join(names) + " |",
              "|---:|---:|" + "---:|" * len(names)]
    for (criteria, attempts), row in counts.items():
        lines.append(f"| {criteria} | {attempts} | "
                     + " | ".join(str(row[n]) for n in names) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()

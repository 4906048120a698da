"""Our block against ORA2, side by side: same workbench, same harness, alternating rounds.

    .venv/bin/python -m bench.versus_ora2                 # 5 rounds, 1 and 8 clients
    .venv/bin/python -m bench.versus_ora2 --rounds 3 --criteria 30
    .venv/bin/python -m bench.versus_ora2 --only score     # one operation, while iterating
    .venv/bin/python -m bench.versus_ora2 --database mysql # MariaDB, as production runs

ORA2 (``ORA2_VERSION`` from PyPI) is installed by this script into a virtualenv of its own,
``var/ora2-venv``, built once with our lock's versions of every package both share (Django,
XBlock, xblock-sdk, edx-submissions, gunicorn, ...), so the two differ only in the block;
ours runs from ``var/bench-ours-venv``, the plugin and what it needs, built alike. Each
product gets a fresh SQLite database in WAL mode (or, with ``--database mysql``, a
fresh MariaDB database of its own) and its own gunicorn (``--workers 2``, sync,
``--preload``) on loopback; both run for the whole benchmark. Each client is one signed-in
session with its cookies and CSRF token. Operations, each on a rubric of ``--criteria``
criteria:

- learner page: a learner who has handed nothing in opens the unit. *As the browser loads
  it*: ours is one GET (the page is whole); ORA2's page is a shell whose script then asks
  for each step (``LOAD_STEPS``: eight ``render_*`` POSTs, as its ``oa_base.js`` does).
  *First request only*: the GET alone, for both.
- submit: a learner hands in a text response. *As the browser does it*: ours is one
  request (``submit_evidence`` answers with the updated page part); ORA2's ``submit``, then
  its script reloads the response step and every assessment step (``oa_response.js``
  ``moveToNextStep``). *First request only*: ``submit_evidence`` against ``submit``.
- score: an assessor takes one waiting response and scores every criterion. *First two
  requests*: ours ``claim_attempt`` + ``submit_assessment``; ORA2 ``render_staff_grade_form``
  (which checks a response out to that staff member) + ``staff_assess``. *As the browser
  does it*: ours the same two (their answers carry the queue's counts); ORA2's script also
  asks for the grading counts once the form is in (``render_staff_grade_counts``,
  ``oa_staff_area.js``); the next form, which it loads after a score, is the next score's.

Two measures per operation: operations per second, the clients' view (it moves with
whatever else the machine is doing), and the servers' CPU time per operation (user +
system of gunicorn's master and workers, from ``/proc``; steadier on a shared machine).

A round measures every operation for both products, with 1 client then ``--clients``
clients; which product goes first alternates from round to round. The report gives each
product's operations per second (median over rounds) and the ratio ours ÷ ORA2 as median
(min–max over rounds).
"""
import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import requests

from bench.floor import FLOOR_SCENARIO
from bench.run import ROOT, free_port, prepare_database, wait_for_port
from bench.source_tree import copy_source_tree

ORA2_VERSION = "7.1.2"
ORA2_VENV = ROOT / "var" / "ora2-venv"
OURS_VENV = ROOT / "var" / "bench-ours-venv"
# redis and packaging: the signing worker's broker (kombu's Redis transport imports packaging)
OURS_PACKAGES = ["xblock-sdk", "gunicorn", "redis", "packaging", "pymysql"]
ORA2_PACKAGES = [f"ora2=={ORA2_VERSION}", "xblock-sdk", "gunicorn", "requests",
                 "celery",  # ORA2 imports Celery without declaring it
                 "pymysql"]  # --database mysql, as for ours
# ORA2's processes import two packages of this checkout (bench, demo) and run from a folder
# that links to those alone: with the checkout itself on their path they would also see its
# distribution metadata (an editable install, as make test-openedx makes, leaves
# *.egg-info there), and XBlock would load our block beside ORA2 and fail on it.
ORA2_IMPORTS = ROOT / "var" / "ora2-imports"
ORA2_PATH = os.pathsep.join([str(ORA2_IMPORTS),
                             str(ROOT / "bench" / "ora2_workbench" / "lms_stubs")])
GUNICORN = ["-m", "gunicorn", "--preload", "--workers", "2", "--log-level", "warning"]
UUID_IN_FORM = re.compile(r'data-submission-uuid="([0-9a-f-]{32,36})"')
# What ORA2's learner script asks for once the page is in (oa_base.js load()) and again after
# a hand-in (after reloading the response step, render_submission).
LOAD_STEPS = ("submission", "student_training", "peer_assessment", "staff_assessment",
              "self_assessment", "grade", "leaderboard", "message")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# Our badges are signed by a Celery worker, as in production; its broker (Redis database 9).
SIGNING_BROKER = os.environ.get("VERSUS_ORA2_BROKER", "redis://127.0.0.1:6379/9")
OPERATIONS = ("learner page, as the browser loads it", "learner page, first request only",
              "submit, as the browser does it", "submit, first request only",
              "score, as the browser does it", "score, first two requests",
              "workbench floor: a page with one HTML block")
FIRST_GET, FLOOR = OPERATIONS[1], OPERATIONS[6]


def ora2_imports() -> Path:
    """The folder ORA2's processes run from (``ORA2_IMPORTS``): links to bench and demo."""
    ORA2_IMPORTS.mkdir(parents=True, exist_ok=True)
    for package in ("bench", "demo"):
        link = ORA2_IMPORTS / package
        if not link.is_symlink():
            link.symlink_to(ROOT / package, target_is_directory=True)
    return ORA2_IMPORTS


def ora2_python() -> Path:
    """ORA2's virtualenv, built once (a stamp names what it holds)."""
    return product_python(ORA2_VENV, ORA2_PACKAGES)


def ours_python() -> Path:
    """Our server's virtualenv: the plugin as a wheel, what it needs at run time, and what
    the workbench and its server need (``OURS_PACKAGES``), as ORA2's holds ORA2 and what it
    needs. Not ``.venv``, with its test and development tools: XBlock's aside lookup reads
    every installed package's entry points on every render, so each server pays for what is
    installed beside it. Its code runs from this checkout (gunicorn's working directory
    comes first on the path); the wheel gives the entry points the workbench finds it by."""
    return product_python(OURS_VENV, [*OURS_PACKAGES, "-r", str(ROOT / "requirements" /
                                                                   "base.txt")],
                          with_plugin=True, stamp_extra=(ROOT / "setup.py").read_text())


def product_python(venv, packages, *, with_plugin=False, stamp_extra="") -> Path:
    """A virtualenv holding ``packages`` (and, ``with_plugin``, this checkout's wheel), at our
    lock's versions of everything our own environment shares; rebuilt when they change."""
    stamp = venv / ".installed"
    wanted = " ".join(packages) + stamp_extra
    if stamp.is_file() and stamp.read_text() == wanted:
        return venv / "bin" / "python"
    print(f"Installing {' '.join(packages)} into {venv} ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    install = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
               "--disable-pip-version-check"]
    subprocess.run([*install, *packages, "-c", str(ROOT / "requirements" / "test.txt")],
                   check=True)
    if with_plugin:
        with tempfile.TemporaryDirectory() as scratch:
            tree = copy_source_tree(Path(scratch) / "tree")
            subprocess.run([*install, "--no-deps", str(tree)], check=True)
    stamp.write_text(wanted)
    return venv / "bin" / "python"


class Session:
    """One signed-in browser session over HTTP."""

    def __init__(self, base_url, cookie, scenario, usage_id):
        self.base_url, self.scenario, self.usage_id = base_url, scenario, usage_id
        self.http = requests.Session()
        self.http.cookies.set("sessionid", cookie)

    def page(self, scenario=None):
        """The unit's page, or another scenario's (the floor's, ``bench.floor``)."""
        response = self.http.get(f"{self.base_url}/scenario/{scenario or self.scenario}/",
                                 timeout=60)
        return response.status_code == 200, response.text

    def get(self, handler):
        response = self.http.get(f"{self.base_url}/handler/{self.usage_id}/{handler}/",
                                 timeout=60)
        return response.status_code == 200, response.text

    def render(self, step):
        """One of ORA2's ``render_<step>`` handlers, as its script calls them (POST, HTML)."""
        response = self.http.post(
            f"{self.base_url}/handler/{self.usage_id}/render_{step}/", timeout=60,
            headers={"X-CSRFToken": self.http.cookies.get("csrftoken") or ""})
        return response.status_code == 200, response.text[:200]

    def post(self, handler, payload):
        response = self.http.post(
            f"{self.base_url}/handler/{self.usage_id}/{handler}/", data=json.dumps(payload),
            timeout=60, headers={"X-CSRFToken": self.http.cookies.get("csrftoken") or "",
                                 "Content-Type": "application/json"})
        try:
            body = response.json()
        except ValueError:
            body = response.text[:200]
        return response.status_code == 200, body


class Ours:
    name = "ours"

    def __init__(self, criteria):
        self.criteria = criteria
        self.python = ours_python()
        self.waiting = []  # attempt ids handed in, not yet scored

    def prepare(self, learners, staff):
        usage_id, learner_cookies, staff_cookies = prepare_database(
            learners, staff, criteria=self.criteria, wal=True)
        # After prepare_database has set Django up: bench.scenarios loads the workbench.
        from bench.scenarios import passing_scores, scenario_id

        self.scores = passing_scores(self.criteria)
        return scenario_id(self.criteria), str(usage_id), learner_cookies, staff_cookies

    def server(self, port):
        """gunicorn, and beside it the Celery worker that signs badges, as in production
        (``BADGE_SIGNING = "celery"``): signing is off the request path, in its own process."""
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings",
               "CREDENTIAL_BADGE_SIGNING": "celery", "CELERY_BROKER_URL": SIGNING_BROKER}
        self.worker = subprocess.Popen(
            [str(self.python), "-m", "celery", "-A", "demo.celery", "worker", "--pool", "solo",
             "--loglevel", "warning", "--without-heartbeat", "--without-gossip",
             "--without-mingle"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        return subprocess.Popen(
            [str(self.python), *GUNICORN, "bench.wsgi:application", "--bind",
             f"127.0.0.1:{port}"], cwd=ROOT, env=env)

    def settle(self):
        """Wait until the worker has signed every badge awarded so far, so its work never
        lands in the next operation's measurement; return the worker's CPU seconds."""
        # After prepare_database has set Django up (models need the app registry).
        from credential_app.data import CredentialStatus
        from credential_app.models import Credential

        deadline = time.monotonic() + 300
        while Credential.objects.filter(status=CredentialStatus.ACTIVE).exclude(
                open_badge__signed_at__isnull=False).exists():
            if time.monotonic() > deadline or self.worker.poll() is not None:
                raise SystemExit("The Celery worker did not sign the awarded badges; is Redis "
                                 f"at {SIGNING_BROKER} running?")
            time.sleep(0.2)  # the worker's progress is a database row: nothing to wait on
        return cpu_seconds(self.worker.pid)

    def stop(self):
        self.worker.send_signal(signal.SIGTERM)
        self.worker.wait(timeout=30)

    def page_loaded(self, session):
        return session.page()  # the whole page: nothing more is asked for on load

    def submit(self, session):
        ok, body = session.post("submit_evidence", {"text": "Evidence " * 40})
        if ok:
            self.waiting.append(body["attempt_id"])
        return ok, body

    submit_done = submit  # the answer carries the updated page part

    def score(self, session):
        attempt_id = self.waiting.pop()
        ok, body = session.post("claim_attempt", {"attempt_id": attempt_id})
        if not ok:
            return ok, body
        return session.post("submit_assessment",
                            {"attempt_id": attempt_id, "scores": self.scores})

    score_done = score  # the answers carry the queue's counts: the view asks nothing more


class Ora2:
    name = "ORA2"

    def __init__(self, criteria):
        self.criteria = criteria
        self.python = ora2_python()
        ora2_imports()
        self.env = {**os.environ, "PYTHONPATH": ORA2_PATH,
                    "DJANGO_SETTINGS_MODULE": "bench.ora2_workbench.settings",
                    "ORA2_BENCH_DB": str(ROOT / "var" / "ora2-bench.sqlite3"),
                    "ORA2_BENCH_FILES": str(ROOT / "var" / "ora2-files")}

    def prepare(self, learners, staff):
        made = subprocess.run(
            [str(self.python), "-m", "bench.ora2_workbench.prepare", str(learners), str(staff),
             str(self.criteria)], cwd=ORA2_IMPORTS, env=self.env, check=True, capture_output=True,
            text=True)
        prepared = json.loads(made.stdout.strip().splitlines()[-1])
        self.assessment = prepared["assessment"]
        return (f"ora2.{self.criteria}", prepared["usage_id"], prepared["learners"],
                prepared["staff"])

    def server(self, port):
        return subprocess.Popen(
            [str(self.python), *GUNICORN, "bench.ora2_workbench.wsgi:application", "--bind",
             f"127.0.0.1:{port}"], cwd=ORA2_IMPORTS, env=self.env)

    def settle(self):
        return 0.0  # ORA2 leaves nothing to do after a request

    def stop(self):
        pass

    def page_loaded(self, session):
        ok, body = session.page()
        for step in LOAD_STEPS:
            if ok:
                ok, body = session.render(step)
        return ok, body

    def submit(self, session):
        ok, body = session.post("submit", {"submission": ["Evidence " * 40]})
        return ok and isinstance(body, list) and body[0] is True, body

    def submit_done(self, session):
        ok, body = self.submit(session)
        for step in LOAD_STEPS:
            if ok:
                ok, body = session.render(step)
        return ok, body

    def score(self, session):
        return self._score(session, ask_counts=False)

    def score_done(self, session):
        return self._score(session, ask_counts=True)

    def _score(self, session, *, ask_counts):
        ok, form = session.get("render_staff_grade_form")
        found = UUID_IN_FORM.search(form) if ok else None
        if not found:
            return False, form[:200]
        if ask_counts:
            ok, counts = session.get("render_staff_grade_counts")
            if not ok:
                return ok, counts[:200]
        ok, body = session.post("staff_assess", {**self.assessment,
                                                 "submission_uuid": found.group(1)})
        return ok and body.get("success") is True, body

def timed(operation):
    started = time.perf_counter()
    ok, body = operation()
    return time.perf_counter() - started, ok, body


def run_phase(work_of_each_client):
    """Each client does its list of operations in turn; all clients at once.

    Returns (operations per second, operations, errors, first error)."""
    def client(operations):
        return [timed(operation) for operation in operations]

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(work_of_each_client)) as pool:
        results = [r for done in pool.map(client, work_of_each_client) for r in done]
    wall = time.perf_counter() - started
    errors = [body for _, ok, body in results if not ok]
    return len(results) / wall, len(results), len(errors), (errors[0] if errors else None)


def dealt(items, hands):
    return [items[i::hands] for i in range(hands)]


def cpu_seconds(pid):
    """User + system CPU time of a process and its children (gunicorn's workers)."""
    pids = [pid, *map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]
    total = 0
    for each in pids:
        fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / CLOCK_TICKS


def measure(product, sessions, server, clients, per_client, only=None):
    """Every operation (or those whose name starts with ``only``) with ``clients`` clients,
    ``per_client`` operations each: for each, (operations per second, server CPU seconds
    per operation, errors, first error)."""
    first = [sessions["learners"].pop() for _ in range(clients * per_client)]
    second = [sessions["learners"].pop() for _ in range(clients * per_client)]
    staff = sessions["staff"][:clients]  # one staff member per client: ORA2 checks out per staff
    plan = {
        OPERATIONS[0]: [[partial(product.page_loaded, s) for s in hand]
                        for hand in dealt(first, clients)],
        OPERATIONS[1]: [[partial(Session.page, s) for s in hand]
                        for hand in dealt(second, clients)],
        OPERATIONS[2]: [[partial(product.submit_done, s) for s in hand]
                        for hand in dealt(first, clients)],
        OPERATIONS[3]: [[partial(product.submit, s) for s in hand]
                        for hand in dealt(second, clients)],
        OPERATIONS[4]: [[partial(product.score_done, s)] * per_client for s in staff],
        OPERATIONS[5]: [[partial(product.score, s)] * per_client for s in staff],
        FLOOR: [[partial(Session.page, s, FLOOR_SCENARIO) for s in hand]
                for hand in dealt(second, clients)],
    }
    outcome = {}
    # With ``only``, what comes before it runs unmeasured: the operation needs it (page loads
    # give the CSRF cookies a hand-in sends; hand-ins give the attempts to score).
    first_measured = next((i for i, name in enumerate(OPERATIONS)
                           if not only or name.startswith(only)), 0)
    for index, (operation, work) in enumerate(plan.items()):
        if only and not operation.startswith(only):
            if index < first_measured:
                run_phase(work)
            continue
        cpu_before, after_before = cpu_seconds(server.pid), product.settle()
        per_second, done, failed, first_error = run_phase(work)
        cpu = cpu_seconds(server.pid) - cpu_before
        outcome[operation] = (per_second, cpu / done, failed, first_error)
        if operation == OPERATIONS[5]:
            outcome["signing"] = (None, (product.settle() - after_before) / done, 0, None)
    return outcome


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--per-client", type=int, default=12,
                        help="operations per client per phase")
    parser.add_argument("--criteria", type=int, default=3, choices=(3, 30),
                        help="rubric criteria")
    parser.add_argument("--database", choices=("sqlite", "mysql"), default="sqlite",
                        help="each product's own fresh SQLite file (WAL), or its own MariaDB "
                             "database on 127.0.0.1:3306 (credential_versus_ours, "
                             "credential_versus_ora2), as production runs")
    parser.add_argument("--only", choices=("learner page", "submit", "score", "workbench floor"),
                        help="measure this operation alone (quicker while iterating; what it "
                             "needs still runs, unmeasured: the page loads before a hand-in, "
                             "the page loads and hand-ins before a scoring)")
    args = parser.parse_args(argv)

    broker = urlsplit(SIGNING_BROKER)
    with socket.socket() as probe:
        probe.settimeout(3)
        if probe.connect_ex((broker.hostname, broker.port or 6379)) != 0:
            raise SystemExit(f"Redis is not answering at {SIGNING_BROKER}: our badges are "
                             "signed by a Celery worker through it (VERSUS_ORA2_BROKER).")
    if args.database == "mysql":  # read by both products' settings, before either starts
        os.environ.update(CREDENTIAL_DB="mysql", CREDENTIAL_DB_NAME="credential_versus_ours",
                          ORA2_BENCH_MYSQL="credential_versus_ora2")
    concurrencies = (1, args.clients)
    # Two learners per operation and client (one per form of each operation), plus a
    # warm-up of one operation per client (first connections, caches, imports; not counted).
    learners = (args.rounds * args.per_client * sum(concurrencies) + args.clients) * 2
    products = [Ours(args.criteria), Ora2(args.criteria)]
    sessions, servers = {}, {}
    try:
        for product in products:
            scenario, usage_id, learner_cookies, staff_cookies = product.prepare(
                learners, args.clients)
            port = free_port()
            server = servers[product.name] = product.server(port)
            wait_for_port(port, server)
            base = f"http://127.0.0.1:{port}"
            sessions[product.name] = {
                "learners": [Session(base, c, scenario, usage_id) for c in learner_cookies],
                "staff": [Session(base, c, scenario, usage_id) for c in staff_cookies]}
            for session in sessions[product.name]["staff"]:
                session.page()  # CSRF cookie, as a page load before scoring gives
            # The workbench makes a block's shared field rows on first read, without a unique
            # key: first readers racing make two, and every later read fails. Once, alone.
            sessions[product.name]["staff"][0].page(FLOOR_SCENARIO)
        for product in products:
            measure(product, sessions[product.name], servers[product.name], args.clients, 1,
                    args.only)
        results = {}  # (product, operation, clients) -> [(ops/s, CPU s per op) per round]
        errors = {}
        for round_number in range(args.rounds):
            order = products if round_number % 2 == 0 else products[::-1]
            for clients in concurrencies:
                for product in order:
                    measured = measure(product, sessions[product.name], servers[product.name],
                                       clients, args.per_client, args.only)
                    for operation, (per_second, cpu, failed, first) in measured.items():
                        key = (product.name, operation, clients)
                        results.setdefault(key, []).append((per_second, cpu))
                        errors[key] = errors.get(key, 0) + failed
                        if first is not None:
                            print(f"{key}: error {first!r}", file=sys.stderr)
            print(f"round {round_number + 1} of {args.rounds} done", file=sys.stderr)
    finally:
        for server in servers.values():
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        for product in products:
            product.stop()
    print(report(results, errors, args, concurrencies))


def report(results, errors, args, concurrencies):
    lines = [f"ORA2 {ORA2_VERSION} against ours; {args.criteria}-criterion rubric; gunicorn 2 "
             f"sync workers each; {args.rounds} rounds × {args.per_client} operations per "
             f"client; {os.cpu_count()} CPUs; database: {args.database}", "",
             "| operation | clients | ours ops/s | ORA2 ops/s | throughput ours ÷ ORA2, median "
             "(min–max) | server CPU ms per op, ours / ORA2 | CPU ORA2 ÷ ours | errors |",
             "|---|---:|---:|---:|---|---|---|---|"]
    for operation in OPERATIONS:
        if args.only and not operation.startswith(args.only):
            continue
        for clients in concurrencies:
            ours = results[("ours", operation, clients)]
            theirs = results[("ORA2", operation, clients)]
            ratios = [a[0] / b[0] for a, b in zip(ours, theirs, strict=True)]
            cpu_ours = statistics.median(c for _, c in ours) * 1000
            cpu_theirs = statistics.median(c for _, c in theirs) * 1000
            lines.append(
                f"| {operation} | {clients} | {statistics.median(r for r, _ in ours):.1f} | "
                f"{statistics.median(r for r, _ in theirs):.1f} | "
                f"{statistics.median(ratios):.2f}× ({min(ratios):.2f}–{max(ratios):.2f}) | "
                f"{cpu_ours:.0f} / {cpu_theirs:.0f} | {cpu_theirs / cpu_ours:.2f}× | "
                f"{errors[('ours', operation, clients)]} / "
                f"{errors[('ORA2', operation, clients)]} |")
    lines += above_the_floor(results, concurrencies)
    signing = [c for clients in concurrencies
               for _, c in results.get(("ours", "signing", clients), [])]
    if not signing:
        return "\n".join(lines)
    lines += ["", f"Our badges were signed off the request path by the Celery worker: "
              f"{statistics.median(signing) * 1000:.0f} ms of its CPU per scoring (median; "
              f"ORA2 issues no credential)."]
    return "\n".join(lines)


def above_the_floor(results, concurrencies):
    """The learner GET less the workbench's floor page, per product: the block's own work."""
    def cpu_ms(product, operation, clients):
        return statistics.median(cpu for _, cpu in results[(product, operation, clients)]) * 1000

    products = ("ours", "ORA2")
    if not all((p, op, c) in results for p in products for op in (FIRST_GET, FLOOR)
               for c in concurrencies):
        return []
    lines = ["", "Above the workbench floor (the learner GET less the floor page's, medians; "
             "the floor is what any block's page costs in that product's server):", ""]
    for clients in concurrencies:
        floor = {p: cpu_ms(p, FLOOR, clients) for p in products}
        above = {p: cpu_ms(p, FIRST_GET, clients) - floor[p] for p in products}
        who = f"{clients} client{'s' if clients > 1 else ''}"
        if above["ours"] <= 0:
            lines.append(f"- {who}: our GET costs no more than the floor")
            continue
        lines.append(f"- {who}: server CPU of the floor {floor['ours']:.0f} / "
                     f"{floor['ORA2']:.0f} ms (ours / ORA2); above it, ours "
                     f"{above['ours']:.0f} ms, ORA2 {above['ORA2']:.0f} ms "
                     f"({above['ORA2'] / above['ours']:.2f}× less)")
    return lines

if __name__ == "__main__":
    main()

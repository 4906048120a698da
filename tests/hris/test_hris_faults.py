"""HRIS delivery survives faults, with real processes: a Celery worker and Celery beat
(subprocesses) on a Redis broker started on a free port (so it can restart it), the bundled
HRIS simulator (a subprocess on loopback) and MariaDB (the harness: ``tests.delivery_harness``).

Each test creates credential events through the API, injects a fault, and then checks what
an HR team and an auditor care about: every record arrived, none was applied twice, a
revocation never arrived before its issuance, and the delivery audit shows every try the
receiver saw. Runs on MariaDB/MySQL only: the worker processes need a database they share
with the test (SQLite's in-memory test database is private to the test process).
"""
import os
import signal
import time
from collections import Counter
from pathlib import Path

import pytest

from credential_app.hris import payloads
from credential_app.models import (
    DeliveryAttempt,
    OutboxMessage,
)
from tests.delivery_harness import (
    DOWNTIME_SECONDS,
    PYTESTMARK,
    PYTHON,
    Process,
    free_port,
    issue_and_revoke,
    wait_for,
)
from tests.hris_helpers import SECRET, get_json, make_destination, set_faults

pytestmark = PYTESTMARK


class Simulator(Process):
    def __init__(self, log_dir):
        self.port = free_port()
        store = Path(log_dir) / "simulator.sqlite3"
        super().__init__("simulator", [PYTHON, "manage.py", "hris_simulator", "--port",
                                       str(self.port), "--store", str(store), "--secret",
                                       SECRET], {**os.environ}, log_dir)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/"

    def start(self):
        super().start()

        def answers():
            try:
                return get_json(self.url + "_stats") is not None
            except OSError:
                return False

        wait_for(answers, timeout=30, what="the HRIS simulator")
        return self


@pytest.fixture(scope="module")
def receiver(log_dir):
    server = Simulator(log_dir).start()
    yield server
    server.stop()


@pytest.fixture
def scenario(processes, celery_app, people, definition):
    for name in ("broker", "receiver", "worker"):  # whatever an earlier test left stopped
        if processes[name].proc is None:
            processes[name].start()
    set_faults(processes["receiver"].url)
    destination = make_destination(processes["receiver"].url, timeout_seconds=2, batch_size=10,
                                   concurrency=4, rate_limit_per_minute=60_000,
                                   retry_base_seconds=0.5, retry_max_seconds=5,
                                   max_tries=10_000)
    yield {**processes, "destination": destination}
    for name in ("worker", "beat", "receiver", "broker"):  # shown when the test fails
        print(f"--- {name} log (end) ---\n{processes[name].output()[-3000:]}")


LEARNERS = 24
REVOKED = 8


def make_events(staff, prefix):
    """Issue a credential to each new learner, then revoke some: 32 records."""
    return issue_and_revoke(staff, prefix, learners=LEARNERS, revoked=REVOKED)


def expected_ids():
    return set(OutboxMessage.objects.values_list("message_id", flat=True))


def all_delivered(receiver_url, ids):
    applied = {r["webhook_id"] for r in get_json(receiver_url + "_records")}
    return ids <= applied and not OutboxMessage.objects.exclude(state="delivered").exists()


def check_everything_arrived_once_in_order_and_audited(receiver_url):
    ids = expected_ids()
    assert len(ids) == LEARNERS + REVOKED
    records = [r for r in get_json(receiver_url + "_records") if r["webhook_id"] in ids]
    # every record arrived, and was applied exactly once (the receiver de-duplicates by id;
    # a second application would need a second row for the same id)
    assert sorted(r["webhook_id"] for r in records) == sorted(ids)
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"delivered"}
    # a revocation never arrived before the issuance it revokes
    order = {(r["credential_id"], r["event_type"]): r["seq"] for r in records}
    for (credential, event), seq in order.items():
        if event == payloads.REVOKED:
            assert order[(credential, payloads.ISSUED)] < seq, credential
    # the audit shows every try the receiver saw
    requests = [r for r in get_json(receiver_url + "_requests") if r["webhook_id"] in ids]
    seen = Counter(r["webhook_id"] for r in requests)
    answered = Counter((r["webhook_id"], r["status"]) for r in requests if r["status"])
    attempts = list(DeliveryAttempt.objects.select_related("message"))
    tried = Counter(a.message.message_id for a in attempts)
    recorded = Counter((a.message.message_id, a.status_code) for a in attempts
                       if a.status_code)
    interrupted = Counter(a.message.message_id for a in attempts if a.outcome == "interrupted")
    assert not [a for a in attempts if a.outcome == "in flight"]
    for message_id in ids:
        assert tried[message_id] >= seen[message_id], message_id
    for (message_id, status), count in answered.items():
        # an answer the worker received is recorded with its status; one it never read
        # (killed first) shows as an interrupted try
        assert recorded[(message_id, status)] <= count <= (
            recorded[(message_id, status)] + interrupted[message_id]), (message_id, status)
    for (message_id, status), count in recorded.items():
        assert count <= answered[(message_id, status)], (message_id, status)
    return {"requests": len(requests), "attempts": len(attempts)}


def test_thirty_percent_errors_and_429_bursts(scenario, people):
    url = scenario["receiver"].url
    set_faults(url, error_rate=0.3, throttle_count=6, throttle_retry_after=1)
    make_events(people["staff"], "errors")
    ids = expected_ids()
    wait_for(lambda: all_delivered(url, ids), timeout=90, what="every record delivered",
             interval=0.5)
    counts = check_everything_arrived_once_in_order_and_audited(url)
    outcomes = Counter(DeliveryAttempt.objects.values_list("status_code", flat=True))
    assert outcomes[500] >= 3 and outcomes[429] >= 1, outcomes
    assert counts["attempts"] > len(ids)


def test_receiver_down_for_two_minutes_then_back(scenario, people):
    receiver = scenario["receiver"]
    receiver.stop()
    started = time.monotonic()
    make_events(people["staff"], "down")
    ids = expected_ids()
    # the outage lasts DOWNTIME_SECONDS; meanwhile every issuance is tried and fails, and
    # no revocation is tried before its issuance is delivered
    tried = DeliveryAttempt.objects.filter(outcome="failed").order_by().values("message")
    wait_for(lambda: tried.filter(message__event_type=payloads.ISSUED).distinct().count()
             == LEARNERS, timeout=60, what="every issuance tried against the dead receiver")
    time.sleep(max(0.0, DOWNTIME_SECONDS - (time.monotonic() - started)))  # the outage
    assert not OutboxMessage.objects.filter(state="delivered").exists()
    assert not tried.filter(message__event_type=payloads.REVOKED).exists()
    receiver.start()
    wait_for(lambda: all_delivered(receiver.url, ids), timeout=60,
             what="every record delivered after the outage", interval=0.5)
    check_everything_arrived_once_in_order_and_audited(receiver.url)
    assert DeliveryAttempt.objects.filter(status_code__isnull=True).count() >= 3 * len(ids)


def test_worker_killed_mid_batch_and_restarted(scenario, people):
    url, worker = scenario["receiver"].url, scenario["worker"]
    set_faults(url, latency_ms=400)
    make_events(people["staff"], "killed")
    ids = expected_ids()

    def mid_batch():
        in_flight = DeliveryAttempt.objects.filter(outcome="in flight").count()
        return in_flight and get_json(url + "_stats")["requests"] > 0

    wait_for(mid_batch, timeout=30, what="a batch in flight", interval=0.05)
    worker.send(signal.SIGKILL)
    worker.proc.wait(10)
    assert OutboxMessage.objects.exclude(state="delivered").exists()
    worker.start()
    wait_for(lambda: all_delivered(url, ids), timeout=90,
             what="every record delivered after the restart", interval=0.5)
    check_everything_arrived_once_in_order_and_audited(url)
    assert DeliveryAttempt.objects.filter(outcome="interrupted").exists()


def test_broker_restarted(scenario, people):
    url, broker = scenario["receiver"].url, scenario["broker"]
    broker.stop()  # tasks queued after commit now fail; beat cannot publish sweeps
    make_events(people["staff"], "broker")
    ids = expected_ids()
    assert not OutboxMessage.objects.filter(state="delivered").exists()
    broker.start()  # on the same port, empty: every queued task message is gone
    wait_for(lambda: all_delivered(url, ids), timeout=90,
             what="every record delivered after the broker restart", interval=0.5)
    check_everything_arrived_once_in_order_and_audited(url)

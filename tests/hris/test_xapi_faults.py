"""xAPI delivery survives faults, with the delivery fault harness (``tests.delivery_harness``:
a Celery worker and beat on a Redis broker, MariaDB) and a real Ralph LRS behind a faulty
network (``tests.lrs_fault_proxy``): 5xx errors and 429 bursts with ``Retry-After``, and the
LRS itself stopped for a while then started again.

Each test makes learners' events through the API and checks what an LRS consumer and an
auditor care about: every statement is stored once, a credential's earned statement is
stored before the statement voiding it, each learner's statements arrive in the order the
events happened, and the delivery audit shows every try the LRS side saw.
"""
import random
import time
from collections import Counter

import pytest

from credential_app.hris import engine
from credential_app.models import (
    DeliveryAttempt,
    OutboxMessage,
)
from tests.delivery_harness import PYTESTMARK, issue_and_revoke, wait_for
from tests.hris_helpers import get_json, set_faults
from tests.lrs_fault_proxy import LrsFaultProxy
from tests.xapi_helpers import make_lrs_destination, start_ralph

pytestmark = PYTESTMARK

LEARNERS = 10
REVOKED = 4
OUTAGE_SECONDS = 20


class Receiver:
    """Ralph and the faulty network in front of it; ``stop``/``start`` stop Ralph itself."""

    def __init__(self, folder):
        self.ralph = start_ralph(folder)
        self.proxy = LrsFaultProxy(self.ralph.port, chance=random.Random(21).random).start()
        self.proc = self.ralph.proc

    @property
    def url(self):
        return self.proxy.url + "xAPI/"

    def start(self):
        self.ralph.start()
        self.proc = self.ralph.proc
        return self

    def stop(self):
        self.ralph.stop()
        self.proc = None

    def output(self):
        return self.ralph.output()


@pytest.fixture(scope="module")
def receiver(log_dir):
    server = Receiver(log_dir / "ralph")
    yield server
    server.ralph.stop()
    server.proxy.stop()


@pytest.fixture
def scenario(processes, celery_app, people, definition):
    for name in ("broker", "receiver", "worker"):  # whatever an earlier test left stopped
        if processes[name].proc is None:
            processes[name].start()
    receiver = processes["receiver"]
    receiver.ralph.wipe()
    set_faults(receiver.proxy.url)
    destination = make_lrs_destination(receiver.url, timeout_seconds=2, batch_size=10,
                                       concurrency=4, rate_limit_per_minute=60_000,
                                       retry_base_seconds=0.5, retry_max_seconds=5,
                                       max_tries=10_000)
    yield {**processes, "destination": destination}
    for name in ("worker", "beat", "receiver", "broker"):  # shown when the test fails
        print(f"--- {name} log (end) ---\n{processes[name].output()[-3000:]}")


def make_events(staff, prefix):
    """Each new learner hands in and passes (attempted, passed, earned); some credentials are
    then revoked (voided + revoked)."""
    return issue_and_revoke(staff, prefix, learners=LEARNERS, revoked=REVOKED)


def expected_statements(destination):
    """Each outbox row's statements, as the connector builds them: {row: [statement, …]}."""
    connector = engine.build_connector(destination)
    try:
        return {row.message_id: connector.statements(engine.to_record(row))
                for row in OutboxMessage.objects.filter(destination=destination)}
    finally:
        connector.close()


def all_delivered(receiver):
    if OutboxMessage.objects.exclude(state="delivered").exists():
        return False
    return len(receiver.ralph.statements(limit=100)) >= LEARNERS * 3 + REVOKED * 2


def stored_everything_once_in_order_and_audited(receiver, destination):
    expected = expected_statements(destination)
    assert len(expected) == LEARNERS * 3 + REVOKED
    stored = receiver.ralph.statements(limit=100)
    ids = [s["id"] for s in stored]
    assert len(ids) == len(set(ids))  # stored once, however often sent
    assert sorted(ids) == sorted(s["id"] for group in expected.values() for s in group)
    when = {s["id"]: s["stored"] for s in stored}
    by_learner = {}
    for row in OutboxMessage.objects.filter(destination=destination).order_by("id"):
        by_learner.setdefault(row.employee_id, []).extend(
            s["id"] for s in expected[row.message_id])
    for employee, statement_ids in by_learner.items():
        # attempted, passed, earned (, voided, revoked): stored in the order they happened
        assert [when[i] for i in statement_ids] == sorted(when[i] for i in statement_ids), \
            employee
    # the audit shows every try the LRS side saw
    seen = get_json(receiver.proxy.url + "_requests")
    first_id = {group[0]["id"]: message_id for message_id, group in expected.items()}
    requests = Counter(first_id[r["ids"][0]] for r in seen if r["ids"][0] in first_id)
    tried = Counter(DeliveryAttempt.objects.filter(message__destination=destination)
                    .values_list("message__message_id", flat=True))
    assert not DeliveryAttempt.objects.filter(outcome="in flight").exists()
    for message_id in expected:
        assert tried[message_id] >= requests[message_id] >= 1, message_id
    answered = Counter((first_id[r["ids"][0]], r["status"]) for r in seen
                       if r["status"] and r["ids"][0] in first_id)
    recorded = Counter(DeliveryAttempt.objects.filter(message__destination=destination)
                       .exclude(status_code=None)
                       .values_list("message__message_id", "status_code"))
    for key, count in recorded.items():  # an answer recorded was an answer given
        assert count <= answered[key], key
    return seen


def test_5xx_errors_and_429_bursts_with_retry_after(scenario, people):
    receiver, destination = scenario["receiver"], scenario["destination"]
    set_faults(receiver.proxy.url, error_rate=0.3, throttle_count=6, throttle_retry_after=1)
    make_events(people["staff"], "lrs-errors")
    wait_for(lambda: all_delivered(receiver), timeout=120, what="every statement stored",
             interval=0.5)
    stored_everything_once_in_order_and_audited(receiver, destination)
    statuses = Counter(DeliveryAttempt.objects.values_list("status_code", flat=True))
    assert statuses[500] >= 3 and statuses[429] >= 1, statuses
    throttled = DeliveryAttempt.objects.filter(status_code=429).first()
    assert "slow down" in throttled.response_excerpt


def test_lrs_down_then_back(scenario, people):
    receiver, destination = scenario["receiver"], scenario["destination"]
    receiver.stop()  # Ralph itself: nothing answers
    started = time.monotonic()
    make_events(people["staff"], "lrs-down")
    first_events = OutboxMessage.objects.filter(event_type="attempt.submitted")
    wait_for(lambda: DeliveryAttempt.objects.filter(message__in=first_events,
                                                    outcome="failed")
             .values("message").distinct().count() == LEARNERS, timeout=60,
             what="every learner's first record tried against the stopped LRS")
    time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - started)))  # the outage
    assert not OutboxMessage.objects.filter(state="delivered").exists()
    # nothing later in a learner's history was tried before their first record got through
    assert not DeliveryAttempt.objects.exclude(message__in=first_events).exists()
    receiver.start()
    wait_for(lambda: all_delivered(receiver), timeout=120,
             what="every statement stored after the outage", interval=0.5)
    stored_everything_once_in_order_and_audited(receiver, destination)
    dropped = DeliveryAttempt.objects.filter(status_code__isnull=True, outcome="failed")
    assert dropped.count() >= LEARNERS
    assert "connection" in dropped.first().error.lower()

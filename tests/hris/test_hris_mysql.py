"""HRIS delivery under real concurrency (MariaDB/MySQL row locks): workers racing for the
same destination never send a record twice, and the shared rate limit never hands out more
calls than it holds."""
import threading
import time

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from credential_app.hris import engine, throttle
from credential_app.models import DeliveryThrottle, OutboxMessage
from tests.concurrency import ROW_LOCKS, race
from tests.hris_helpers import get_json, link_everyone, make_destination
from tests.lifecycle_helpers import assess, submit

pytestmark = ROW_LOCKS


def test_racing_workers_send_each_record_exactly_once(people, definition, hris_simulator):
    destination = make_destination(hris_simulator.url, batch_size=5, concurrency=2)
    User = get_user_model()
    racers = [User.objects.create_user(f"racer{i}") for i in range(30)]
    link_everyone(destination)  # employees who share with it
    for racer in racers:
        assess(submit(racer), people["staff"], "yes")

    race(6, lambda i: engine.drain(destination.pk, budget_seconds=60))

    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"delivered"}
    stats = get_json(hris_simulator.url + "_stats")
    assert (stats["requests"], stats["applied"], stats["duplicates"]) == (30, 30, 0)


def test_the_rate_limit_is_shared_by_racing_workers(people, definition):
    destination = make_destination("https://hr.example.com/", rate_limit_per_minute=600)
    started = time.monotonic()
    outcomes = race(8, lambda i: throttle.take(destination, 50))
    elapsed = time.monotonic() - started
    granted = [value[0] for kind, value in outcomes if kind == "ok"]
    assert len(granted) == 8, [value for kind, value in outcomes if kind != "ok"]
    # the burst allowance, plus at most what refilled meanwhile (9 calls a second)
    assert 60 <= sum(granted) <= 60 + throttle.refill_per_second(600) * elapsed


def _inserts_waiting_on(table: str) -> int:
    """Other sessions whose INSERT into ``table`` is still running (here: waiting on a lock)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                       " WHERE COMMAND = 'Query' AND INFO LIKE %s", [f"INSERT INTO `{table}`%"])
        return cursor.fetchone()[0]


def test_workers_meeting_a_destination_first_neither_deadlock_nor_fail(people, definition):
    """Two workers find no bucket row while a third is creating it: both wait on its insert.
    A duplicate key inside their locking transaction would leave each holding a shared
    lock the other's ``SELECT ... FOR UPDATE`` waits on (InnoDB then kills one)."""
    destination = make_destination("https://hr.example.com/", rate_limit_per_minute=600)
    created, release = threading.Event(), threading.Event()

    def create_and_hold():
        try:
            with transaction.atomic():
                DeliveryThrottle.objects.create(destination=destination, tokens=60)
                created.set()
                release.wait(60)
        finally:
            connection.close()

    creator = threading.Thread(target=create_and_hold)
    creator.start()
    assert created.wait(30)
    outcomes = [None, None]

    def take(i):
        try:
            outcomes[i] = ("ok", throttle.take(destination, 1))
        except Exception as exc:  # noqa: BLE001 - the test inspects every outcome
            outcomes[i] = ("error", exc)
        finally:
            connection.close()

    takers = [threading.Thread(target=take, args=(i,)) for i in range(2)]
    for taker in takers:
        taker.start()
    deadline = time.monotonic() + 30
    while _inserts_waiting_on(DeliveryThrottle._meta.db_table) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)  # polling the server for the state; no event to await
    waiting = _inserts_waiting_on(DeliveryThrottle._meta.db_table)
    release.set()
    creator.join()
    for taker in takers:
        taker.join()
    assert waiting == 2, "both workers should have waited on the new row"
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    assert sorted(value[0] for _, value in outcomes) == [1, 1]

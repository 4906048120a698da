"""HRIS delivery under real concurrency (MariaDB/MySQL row locks): workers racing for the
same destination never send a record twice, and the shared rate limit never hands out more
calls than it holds."""
import time

from django.contrib.auth import get_user_model

from credential_app.hris import engine, throttle
from credential_app.models import OutboxMessage
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
    assert len(granted) == 8
    # the burst allowance, plus at most what refilled meanwhile (9 calls a second)
    assert 60 <= sum(granted) <= 60 + throttle.refill_per_second(600) * elapsed

"""What depends on the database server: event ids compared without case (as MariaDB's unique
key does), concurrent replays of one webhook message, leading figures from SQL date
arithmetic."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from credential_app.models import Attempt, OutcomeEvent, OutcomeWebhookReceipt
from credential_app.workplace import governance, ingest
from tests.concurrency import race, row_locks
from tests.reports_helpers import FAIL, PASS, UNIT_A, World
from tests.workplace_helpers import employer_with_staff, event, signed

pytestmark = pytest.mark.db_server


@pytest.mark.django_db
def test_event_ids_differing_only_by_case_are_one_event():
    feed, _users = employer_with_staff(1)
    with pytest.raises(ingest.EventsRejected):
        ingest.check([event("ev-1"), event("EV-1")])
    ingest.store(feed.destination, ingest.check([event("ev-1")]), source="csv")
    result = ingest.store(feed.destination, ingest.check([event("EV-1", value="90")]),
                          source="csv")
    assert (result.stored, result.duplicates) == (0, 1)
    assert OutcomeEvent.objects.get().value == 104


@row_locks
def test_a_message_replayed_at_once_from_many_connections_is_stored_once():
    feed, _users = employer_with_staff(3)
    body, headers = signed([event("ev-1"), event("ev-2", "E-2"), event("ev-3", "E-3")])
    url = reverse("credential_app:rest-workplace-outcomes", kwargs={"feed_id": feed.pk})

    def send(_i):
        answer = Client().post(url, data=body, content_type="application/json",
                               headers=headers)
        return answer.status_code, answer.json()["stored"]

    outcomes = race(6, send)
    assert all(kind == "ok" for kind, _value in outcomes), outcomes
    assert sorted(value for _kind, value in outcomes) == [(200, 0)] * 5 + [(200, 3)]
    assert OutcomeEvent.objects.count() == 3
    assert OutcomeWebhookReceipt.objects.count() == 1


@pytest.mark.django_db
def test_leading_figures_are_computed_in_sql():
    world = World()
    moment = timezone.now() - timedelta(days=5)
    for number in range(6):
        attempt = world.attempt(world.learner(), UNIT_A, *([PASS, PASS] if number % 3
                                                          else [FAIL, FAIL]))
        Attempt.objects.filter(pk=attempt.pk).update(
            submitted_at=moment, assessed_at=moment + timedelta(hours=36))
    rows = {r["key"]: r for r in governance.rows()}
    assert rows["pass_rate"]["value"] == "67 %", connection.vendor
    assert rows["time_to_complete"]["value"] == "1.5 days from hand-in to result"

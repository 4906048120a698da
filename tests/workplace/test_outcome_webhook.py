"""Outcome events arrive signed (Standard Webhooks): only a valid signature, a fresh
timestamp and a new webhook-id change anything; one bad event refuses the message; only
consenting linked employees' events are kept, each event id once."""
import time

import pytest
from django.urls import reverse

from credential_app.models import AuditEntry, OutcomeEvent, OutcomeFeed
from tests.workplace_helpers import employer_with_staff, event, signed

pytestmark = pytest.mark.django_db


def post(client, feed, body, headers):
    return client.post(reverse("credential_app:rest-workplace-outcomes",
                               kwargs={"feed_id": feed.pk}),
                       data=body, content_type="application/json", headers=headers)


def test_a_signed_message_stores_the_events_of_consenting_employees(client):
    feed, users = employer_with_staff(2)
    body, headers = signed([event("ev-1"), event("ev-2", "E-2", "promotion", value=""),
                            event("ev-3", "E-99")])  # E-99: nobody linked
    answer = post(client, feed, body, headers)
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"field": None, "duplicate": False, "stored": 2,
                             "already_known": 0, "not_shared": 1}
    stored = {(e.user_id, e.event_type, e.source) for e in OutcomeEvent.objects.all()}
    assert stored == {(users[0].pk, "performance", "webhook"),
                      (users[1].pk, "promotion", "webhook")}
    assert AuditEntry.objects.filter(action="outcomes_received").count() == 1


def test_employees_without_consent_are_not_stored(client):
    feed, _users = employer_with_staff(1, consent=False)
    body, headers = signed([event("ev-1")])
    answer = post(client, feed, body, headers)
    assert answer.status_code == 200
    assert answer.json()["not_shared"] == 1
    assert not OutcomeEvent.objects.exists()


@pytest.mark.parametrize("tamper", ["body", "secret", "stale", "unsigned"])
def test_a_message_without_a_valid_fresh_signature_changes_nothing(client, tamper):
    feed, _users = employer_with_staff(1)
    if tamper == "secret":
        body, headers = signed([event("ev-1")],
                               secret="whsec_" + "b3RoZXItc2VjcmV0LW5vdC10aGUtZmVlZHMtMTIzNA==")
    elif tamper == "stale":  # a captured message replayed ten minutes later
        body, headers = signed([event("ev-1")], timestamp=int(time.time()) - 600)
    else:
        body, headers = signed([event("ev-1")])
    if tamper == "body":
        body = body.replace(b"104", b"140")
    if tamper == "unsigned":
        headers.pop("webhook-signature")
    answer = post(client, feed, body, headers)
    assert answer.status_code == 401
    assert "Signature not accepted" in answer.json()["error"]
    assert not OutcomeEvent.objects.exists()


def test_a_replayed_message_is_accepted_once(client):
    feed, _users = employer_with_staff(1)
    body, headers = signed([event("ev-1")], webhook_id="msg_replayed")
    assert post(client, feed, body, headers).json()["stored"] == 1
    again = post(client, feed, body, headers)
    assert again.status_code == 200
    assert again.json()["duplicate"] is True
    assert OutcomeEvent.objects.count() == 1


def test_an_event_id_sent_again_in_a_new_message_is_stored_once(client):
    feed, _users = employer_with_staff(1)
    for _ in range(2):
        body, headers = signed([event("ev-1")])
        post(client, feed, body, headers)
    assert OutcomeEvent.objects.count() == 1


def test_one_bad_event_refuses_the_whole_message_naming_each_problem(client):
    feed, _users = employer_with_staff(1)
    body, headers = signed([event("ev-1"), event("ev-2", type_="bonus"),
                            event("ev-3", date="31/01/2026", value="lots")])
    answer = post(client, feed, body, headers)
    assert answer.status_code == 422
    problems = {(p["event"], p["field"]) for p in answer.json()["problems"]}
    assert problems == {(1, "type"), (2, "date"), (2, "value")}
    assert not OutcomeEvent.objects.exists()
    fixed, fixed_headers = signed([event("ev-1")])  # fixed and sent under a new id
    assert post(client, feed, fixed, fixed_headers).json()["stored"] == 1


def test_a_disabled_or_unknown_feed_is_not_there(client):
    feed, _users = employer_with_staff(1)
    OutcomeFeed.objects.filter(pk=feed.pk).update(webhook_enabled=False)
    body, headers = signed([event("ev-1")])
    assert post(client, feed, body, headers).status_code == 404
    feed.pk = feed.pk + 1000
    assert post(client, feed, body, headers).status_code == 404


def test_a_message_over_the_size_limit_is_refused_unread(client):
    feed, _users = employer_with_staff(1)
    body, headers = signed([event(f"ev-{n}", value="100") for n in range(1001)])
    answer = post(client, feed, body, headers)
    assert answer.status_code == 413
    assert not OutcomeEvent.objects.exists()

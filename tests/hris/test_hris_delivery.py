"""HRIS delivery: outbox rows in the event's transaction, delivery to the real simulator
over loopback HTTP, ordering, retries, Retry-After, 410, dead letters, re-drive, and an
audit of every try that never shows a secret."""
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils.timezone import now

from credential_app import api
from credential_app.hris import dispatch, engine, outbox, payloads, throttle
from credential_app.hris.connectors import standard_webhooks
from credential_app.hris.connectors.base import RecordOutcome, parse_retry_after
from credential_app.models import Credential, DeliveryAttempt, HrisDestination, OutboxMessage
from credential_app.openbadges import signing_queue, store
from tests.hris_helpers import (
    OLD_SECRET,
    PRIVATE_KEY,
    SECRET,
    get_json,
    make_destination,
    set_faults,
)
from tests.lifecycle_helpers import assess, submit

# the engine books batches on a second connection (overlapping the next batch on MariaDB)
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.db_server]


def issue(learner, staff):
    return assess(submit(learner), staff, "yes").credential


def test_issuing_writes_one_outbox_row_per_destination_in_the_same_transaction(people,
                                                                                 definition):
    first = make_destination("https://hr.example.com/hook")
    second = make_destination("https://other.example.com/hook", name="Other HR")
    credential = issue(people["learner"], people["staff"])

    rows = OutboxMessage.objects.filter(credential__uuid=credential.uuid)
    assert {(r.destination_id, r.event_type) for r in rows} == {
        (first.pk, payloads.ISSUED), (second.pk, payloads.ISSUED)}
    assert all(r.state == "pending" and r.message_id.startswith("msg_") for r in rows)
    assert rows[0].payload["credential"]["id"] == f"urn:uuid:{credential.uuid}"


def test_a_rolled_back_event_leaves_no_outbox_row(people, definition):
    make_destination("https://hr.example.com/hook")
    credential = issue(people["learner"], people["staff"])
    with pytest.raises(RuntimeError), transaction.atomic():
        api.revoke_credential(credential_uuid=credential.uuid, revoked_by=people["staff"].pk,
                              reason="fraud")
        raise RuntimeError("the request failed after the revocation")
    assert not OutboxMessage.objects.filter(event_type=payloads.REVOKED).exists()
    assert OutboxMessage.objects.filter(event_type=payloads.ISSUED).count() == 1


def test_outbox_rows_cannot_be_written_outside_a_transaction(people, definition):
    credential = issue(people["learner"], people["staff"])
    with pytest.raises(RuntimeError, match="transaction"):
        outbox.record_event(Credential.objects.get(uuid=credential.uuid), payloads.REVOKED)


def test_filters_choose_which_destinations_hear_of_a_credential(people, definition):
    from credential_app.models import CredentialDefinition

    other = CredentialDefinition.objects.create(slug="forklift", name="Forklift")
    by_definition = make_destination("https://a.example.com/", name="A")
    by_definition.definitions.add(other)
    make_destination("https://b.example.com/", name="B", organisations="OtherOrg, Acme")
    takes_org = make_destination("https://c.example.com/", name="C", organisations="Org")
    issue(people["learner"], people["staff"])  # the test unit's course org is "Org"
    assert set(OutboxMessage.objects.values_list("destination_id", flat=True)) == {takes_org.pk}


def test_a_credential_is_delivered_signed_and_applied_once(people, definition, hris_simulator):
    destination = make_destination(hris_simulator.url)
    credential = issue(people["learner"], people["staff"])

    report = engine.sweep(budget_seconds=30)

    assert report.delivered == 1
    stats = get_json(hris_simulator.url + "_stats")
    assert (stats["received"], stats["applied"]) == (1, 1)  # the simulator checked the signature
    record = get_json(hris_simulator.url + "_records")[0]
    row = OutboxMessage.objects.get(destination=destination)
    assert record["webhook_id"] == row.message_id
    assert record["credential_id"] == f"urn:uuid:{credential.uuid}"
    assert record["event_type"] == "credential.issued"
    assert row.state == "delivered" and row.delivered_at is not None
    attempt = DeliveryAttempt.objects.get(message=row)
    assert (attempt.outcome, attempt.status_code) == ("delivered", 200)


def test_the_webhook_body_carries_the_signed_open_badge(people, definition, hris_simulator):
    make_destination(hris_simulator.url)
    credential = issue(people["learner"], people["staff"])

    engine.sweep(budget_seconds=30)

    [received] = get_json(hris_simulator.url + "_bodies")
    body = received["body"]
    assert body["type"] == "credential.issued"
    badge = body["data"]["open_badge"]
    assert badge == api.get_open_badge(str(credential.uuid))
    assert badge["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    assert api.verify_open_badge(badge).valid


def test_the_event_signs_nothing_and_delivery_signs_once_for_every_destination(
        people, definition, monkeypatch, settings, django_capture_on_commit_callbacks):
    """The scoring request writes the outbox rows without signing; the worker signs the
    badge once, however many destinations, and stores it on each row before the first try
    (so every retry sends the same bytes)."""
    make_destination("http://127.0.0.1:9/", name="Acme HR")
    make_destination("http://127.0.0.1:9/", name="Beta HR")
    signed = []
    real = store.data_integrity.sign
    monkeypatch.setattr(store.data_integrity, "sign", lambda unsigned, **kwargs: signed.append(
        unsigned["id"]) or real(unsigned, **kwargs))
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "BADGE_SIGNING": "celery"}
    queued = []
    monkeypatch.setattr(signing_queue.sign_badge, "apply_async",
                        lambda args, **kwargs: queued.append(args[0]))

    with django_capture_on_commit_callbacks(execute=True):  # the request commits
        credential = issue(people["learner"], people["staff"])
    assert queued == [str(credential.uuid)]  # the signature is queued for a worker

    rows = OutboxMessage.objects.filter(credential__uuid=credential.uuid)
    assert [row.payload["open_badge"] for row in rows] == [payloads.BADGE_PENDING] * 2
    assert signed == []  # nothing signed while scoring
    engine.sweep(budget_seconds=30)  # both destinations are down: a try each, then backoff
    rows = OutboxMessage.objects.filter(credential__uuid=credential.uuid)
    assert all(row.payload["open_badge"]["proof"] for row in rows)
    assert rows[0].payload["open_badge"] == rows[1].payload["open_badge"]
    assert signed == [f"urn:uuid:{credential.uuid}"]


def test_the_same_webhook_id_is_sent_on_every_retry_and_applied_once(people, definition,
                                                                     hris_simulator):
    make_destination(hris_simulator.url)
    issue(people["learner"], people["staff"])
    set_faults(hris_simulator.url, timeout_rate=1, timeout_seconds=3)  # applied, answer lost
    row = OutboxMessage.objects.get()
    HrisDestination.objects.update(timeout_seconds=1)
    engine.sweep(budget_seconds=10)
    set_faults(hris_simulator.url)
    OutboxMessage.objects.update(next_attempt_at=now())
    engine.sweep(budget_seconds=10)

    row.refresh_from_db()
    assert row.state == "delivered" and row.tries == 2
    stats = get_json(hris_simulator.url + "_stats")
    assert (stats["received"], stats["applied"], stats["duplicates"]) == (2, 1, 1)
    assert {r["webhook_id"] for r in get_json(hris_simulator.url + "_requests")} == {
        row.message_id}


def test_a_revocation_is_never_delivered_before_its_issuance(people, definition,
                                                             hris_simulator):
    destination = make_destination(hris_simulator.url)
    credential = issue(people["learner"], people["staff"])
    api.revoke_credential(credential_uuid=credential.uuid, revoked_by=people["staff"].pk,
                          reason="fraud")
    issued, revoked = OutboxMessage.objects.order_by("id")
    assert (issued.event_type, revoked.event_type) == (payloads.ISSUED, payloads.REVOKED)
    # The issuance failed once and waits for its retry; the revocation is due already.
    OutboxMessage.objects.filter(pk=issued.pk).update(next_attempt_at=now() + timedelta(hours=1))

    engine.sweep(budget_seconds=10)
    assert get_json(hris_simulator.url + "_records") == []
    assert engine.claimable(destination).count() == 0

    OutboxMessage.objects.filter(pk=issued.pk).update(next_attempt_at=now())
    engine.sweep(budget_seconds=10)
    assert [r["event_type"] for r in get_json(hris_simulator.url + "_records")] == [
        payloads.ISSUED, payloads.REVOKED]


def test_an_ending_goes_only_to_destinations_told_of_the_credential(people, definition):
    told = make_destination("https://a.example.com/", name="A")
    credential = issue(people["learner"], people["staff"])
    make_destination("https://b.example.com/", name="B")  # added after the issuance
    api.revoke_credential(credential_uuid=credential.uuid, revoked_by=people["staff"].pk,
                          reason="fraud")
    revocations = OutboxMessage.objects.filter(event_type=payloads.REVOKED)
    assert [r.destination_id for r in revocations] == [told.pk]


def test_a_renewal_and_an_expiry_travel_the_same_path(people, definition):
    from credential_app.core import expiry

    definition.validity_days, definition.renewal_window_days = 30, 10
    definition.save()
    make_destination("https://a.example.com/")
    first = issue(people["learner"], people["staff"])
    Credential.objects.filter(uuid=first.uuid).update(expires_at=now() + timedelta(days=5))
    second = issue(people["learner"], people["staff"])
    Credential.objects.filter(uuid=second.uuid).update(expires_at=now() - timedelta(seconds=1))
    expiry.expire_due()
    events = list(OutboxMessage.objects.order_by("id").values_list("event_type", "payload"))
    assert [e for e, _p in events] == [payloads.ISSUED, payloads.RENEWED, payloads.EXPIRED]
    assert events[1][1]["replaces"] == f"urn:uuid:{first.uuid}"
    assert len(set(OutboxMessage.objects.values_list("ordering_key", flat=True))) == 1


def test_server_errors_back_off_exponentially_with_jitter(people, definition, hris_simulator):
    destination = make_destination(hris_simulator.url, retry_base_seconds=10,
                                   retry_max_seconds=1000)
    issue(people["learner"], people["staff"])
    set_faults(hris_simulator.url, error_rate=1)
    waits = []
    for _ in range(4):
        OutboxMessage.objects.update(next_attempt_at=now())
        before = now()
        engine.drain(destination.pk, budget_seconds=10)
        row = OutboxMessage.objects.get()
        waits.append((row.next_attempt_at - before).total_seconds())
    # 10, 20, 40, 80 seconds, each between half and the whole of it
    for tries, wait in enumerate(waits, start=1):
        ceiling = 10 * 2 ** (tries - 1)
        assert ceiling / 2 - 1 <= wait <= ceiling + 1, waits
    assert row.tries == 4 and row.last_error == "HTTP 500"
    assert list(DeliveryAttempt.objects.values_list("status_code", flat=True)) == [500] * 4


@pytest.mark.parametrize("http_date", [False, True])
def test_retry_after_is_honoured_and_pauses_the_destination(people, definition,
                                                             hris_simulator, http_date):
    destination = make_destination(hris_simulator.url)
    issue(people["learner"], people["staff"])
    set_faults(hris_simulator.url, throttle_count=1, throttle_retry_after=120,
               throttle_http_date=http_date)
    before = now()
    engine.drain(destination.pk, budget_seconds=5)
    row = OutboxMessage.objects.get()
    wait = (row.next_attempt_at - before).total_seconds()
    assert 115 <= wait <= 122
    paused_for = (destination.throttle.paused_until - before).total_seconds()
    assert 115 <= paused_for <= 122
    assert throttle.take(destination, 1)[0] == 0  # nobody calls it before then


def test_retry_after_parses_seconds_and_http_dates():
    assert parse_retry_after("30") == 30
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470) == 10
    assert parse_retry_after("in a while") is None and parse_retry_after(None) is None
    assert parse_retry_after("999999999") == 86_400


def test_gone_disables_the_destination_keeps_the_record_and_tells_admins(
        people, definition, hris_simulator, settings, caplog):
    settings.ADMINS = [("Ops", "ops@example.com")]
    destination = make_destination(hris_simulator.url)
    issue(people["learner"], people["staff"])
    set_faults(hris_simulator.url, gone=True)
    engine.sweep(budget_seconds=5)

    destination.refresh_from_db()
    assert not destination.enabled and "410" in destination.disabled_reason
    row = OutboxMessage.objects.get()
    assert row.state == "pending"  # kept: not the record's fault
    assert len(mail.outbox) == 1 and "Acme HR" in mail.outbox[0].subject
    assert "disabled" in caplog.text
    assert engine.sweep(budget_seconds=5).calls == 0  # nothing more is sent

    set_faults(hris_simulator.url)
    HrisDestination.objects.update(enabled=True, disabled_reason="")
    engine.sweep(budget_seconds=5)
    assert OutboxMessage.objects.get().state == "delivered"


def test_dead_letter_after_max_tries_then_redrive_delivers(people, definition, hris_simulator):
    destination = make_destination(hris_simulator.url, max_tries=2)
    issue(people["learner"], people["staff"])
    set_faults(hris_simulator.url, error_rate=1)
    for _ in range(2):
        OutboxMessage.objects.update(next_attempt_at=now())
        engine.drain(destination.pk, budget_seconds=5)
    row = OutboxMessage.objects.get()
    assert row.state == "dead" and row.tries == 2 and row.dead_at is not None

    set_faults(hris_simulator.url)
    assert dispatch.redrive([row.pk]) == 1
    engine.drain(destination.pk, budget_seconds=5)
    row.refresh_from_db()
    assert row.state == "delivered"
    assert [a.outcome for a in row.attempts.all()] == ["failed", "failed", "delivered"]


def test_dead_letter_after_max_age(people, definition, hris_simulator):
    destination = make_destination(hris_simulator.url, max_age=timedelta(hours=1))
    issue(people["learner"], people["staff"])
    OutboxMessage.objects.update(created_at=now() - timedelta(hours=2))
    set_faults(hris_simulator.url, error_rate=1)
    engine.drain(destination.pk, budget_seconds=5)
    assert OutboxMessage.objects.get().state == "dead"


def test_a_record_the_receiver_refuses_for_good_is_set_aside_at_once(people, definition,
                                                                     recording_plugin):
    RecordingConnector = recording_plugin

    destination = make_destination("https://hr.example.com/", connector="recording")
    issue(people["learner"], people["staff"])
    RecordingConnector.answer = lambda record: RecordOutcome(
        message_id=record.message_id, delivered=False, status_code=422, permanent=True)
    engine.drain(destination.pk, budget_seconds=5)
    assert OutboxMessage.objects.get().state == "dead"


def test_attempts_never_record_a_secret(people, definition, hris_simulator, recording_plugin):
    RecordingConnector = recording_plugin

    destination = make_destination(hris_simulator.url, secrets=(SECRET, PRIVATE_KEY))
    issue(people["learner"], people["staff"])
    set_faults(hris_simulator.url, drop_rate=1)
    engine.drain(destination.pk, budget_seconds=5)  # a connection error
    set_faults(hris_simulator.url)
    OutboxMessage.objects.update(next_attempt_at=now())
    engine.drain(destination.pk, budget_seconds=5)  # a success
    # a connector that echoes what it was given into the audit (a careless plug-in)
    echoing = make_destination("https://hr.example.com/", name="Echo", connector="recording",
                               secrets=(SECRET,))
    OutboxMessage.objects.filter(destination=destination).update(destination=echoing,
                                                                 state="pending")
    RecordingConnector.answer = lambda record: RecordOutcome(
        message_id=record.message_id, delivered=False, status_code=401,
        response_excerpt=f"bad secret {SECRET}", error=f"tried {SECRET}")
    engine.drain(echoing.pk, budget_seconds=5)

    texts = [f"{a.response_excerpt} {a.error}" for a in DeliveryAttempt.objects.all()]
    assert len(texts) == 3
    secret_parts = [SECRET, SECRET[len("whsec_"):], PRIVATE_KEY, PRIVATE_KEY[len("whsk_"):]]
    assert not any(part in text for part in secret_parts for text in texts), texts
    assert "[secret]" in texts[-1]
    stored = HrisDestination.objects.get(pk=destination.pk).secrets_encrypted
    assert SECRET not in stored and SECRET[len("whsec_"):] not in stored


def test_rotation_sends_one_signature_per_secret_and_either_verifies():
    body = b'{"type":"credential.issued"}'
    header = standard_webhooks.sign([SECRET, OLD_SECRET, PRIVATE_KEY], "msg_1", 1700000000, body)
    parts = header.split(" ")
    assert [p.split(",")[0] for p in parts] == ["v1", "v1", "v1a"]
    headers = {"webhook-id": "msg_1", "webhook-timestamp": "1700000000",
               "webhook-signature": header}
    public = standard_webhooks.public_key_of(PRIVATE_KEY)
    for trusted in ([SECRET], [OLD_SECRET], [public]):
        assert standard_webhooks.verify(trusted, headers, body, now=1700000010) == "msg_1"
    with pytest.raises(standard_webhooks.VerificationFailed):
        standard_webhooks.verify([SECRET], headers, body + b" ", now=1700000010)
    with pytest.raises(standard_webhooks.VerificationFailed):  # replayed too late
        standard_webhooks.verify([SECRET], headers, body, now=1700000000 + 301)


def test_hmac_signature_matches_the_standard_webhooks_reference_vector():
    # The example of the Standard Webhooks reference libraries' test suites.
    header = standard_webhooks.sign([SECRET], "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                                    b'{"test": 2432232314}')
    assert header == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_the_rate_limit_is_shared_and_refills(people, definition):
    destination = make_destination("https://hr.example.com/", rate_limit_per_minute=100)
    assert throttle.capacity(100) == 10
    granted, _wait = throttle.take(destination, 50)
    assert granted == 10  # the burst allowance
    granted, wait = throttle.take(destination, 50)
    assert granted == 0 and 0 < wait <= 60 / 90 + 0.01
    later = now() + timedelta(seconds=60)
    granted, _wait = throttle.take(destination, 500, now=later)
    assert granted == 10  # refilled, never above the burst allowance


def test_a_credential_waiting_for_approval_is_told_on_approval(people, definition):
    from credential_app.models import IssuancePolicy

    IssuancePolicy.objects.create(definition=definition, requires_approval=True)
    make_destination("https://hr.example.com/")
    credential = issue(people["learner"], people["staff"])
    assert not OutboxMessage.objects.exists()  # pending: nothing to tell an employer yet
    api.approve_credential(credential_uuid=credential.uuid, approver_id=people["staff"].pk)
    assert list(OutboxMessage.objects.values_list("event_type", flat=True)) == [
        payloads.ISSUED]


def test_a_killed_workers_lease_runs_out_and_its_rows_come_back(people, definition,
                                                                 hris_simulator):
    destination = make_destination(hris_simulator.url)
    issue(people["learner"], people["staff"])
    taken = engine.claim(destination, 10)
    engine.start_attempts(taken)  # ...and the worker dies here, mid-call
    assert engine.claim(destination, 10) == []  # leased: no second worker takes it
    OutboxMessage.objects.update(lease_until=now() - timedelta(seconds=1))

    engine.drain(destination.pk, budget_seconds=5)

    assert OutboxMessage.objects.get().state == "delivered"
    assert [a.outcome for a in DeliveryAttempt.objects.order_by("id")] == [
        "interrupted", "delivered"]

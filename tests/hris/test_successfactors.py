"""The SAP SuccessFactors Learning connector against a local SuccessFactors (real HTTP).

Proves: OAuth2 client credentials (token reused, refreshed on 401 and near expiry), the
external learning event posted with SAP's fields and nothing more, SAP's limits declared,
each HTTP answer mapped to the outcome the delivery engine acts on, and the client secret
and tokens never in a delivery attempt or the log.
"""
import json
import logging
from datetime import UTC, datetime

import pytest

from credential_app.hris import connectors, engine
from credential_app.hris.connectors import successfactors
from credential_app.hris.connectors.base import OutgoingRecord
from credential_app.models import DeliveryAttempt, OutboxMessage
from tests.fake_successfactors import FakeSuccessFactors
from tests.hris_people_helpers import SF_SECRET, sf_destination

EARNED = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def hris_settings(settings):
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "HRIS_DELIVERY": "none",
                               "HRIS_ALLOW_PRIVATE_ADDRESSES": True, "HRIS_ALLOW_HTTP": True}
    return settings


@pytest.fixture
def fake():
    server = FakeSuccessFactors().start()
    successfactors.TOKENS._tokens.clear()  # each test starts without a cached token
    yield server
    server.stop()


def record(n=1, event="credential.issued", employee="E-1001", occurred=EARNED):
    return OutgoingRecord(
        message_id=f"msg_{n}", event_type=event, occurred_at=occurred, employee_id=employee,
        payload={"credential_id": f"urn:uuid:0000000{n}-aaaa-bbbb-cccc-000000000000",
                 "name": "Workplace Safety Practitioner",
                 "issued_at": "2026-11-02T09:30:00Z"})


def connector_for(destination):
    return engine.build_connector(destination)


def test_it_is_an_installed_plugin_with_sap_limits_declared():
    cls = connectors.get("sap_successfactors")
    assert cls is successfactors.SuccessFactorsConnector
    assert cls.default_rate_limit_per_minute == 100  # SAP: at most 100 calls a minute
    assert cls.default_batch_size == 10              # SAP: at most 10 records a call
    assert [f.name for f in cls.secret_fields] == ["client_secret"]
    assert {f.name for f in cls.option_fields} >= {"client_id", "company_id", "user_id"}
    problems = cls.check_configuration(url="https://x.example", options={}, secrets={})
    assert set(problems) == {"client_secret"}
    assert {f.name for f in cls.option_fields if f.required} == {"client_id", "company_id",
                                                                  "user_id"}
    assert cls.check_configuration(url="https://x.example", secrets={"client_secret": "s"},
                                   options={"client_id": "a", "company_id": "b",
                                            "user_id": "c"}) == {}


def test_a_credential_is_posted_as_an_external_learning_event(db, hris_settings, fake):
    connector = connector_for(sf_destination(fake))
    [outcome] = connector.deliver([record()])

    assert outcome.delivered and outcome.status_code == 201 and not outcome.error
    [token_call] = fake.token_calls()
    assert json.loads(token_call.body) == {
        "grant_type": "client_credentials",
        "scope": {"userId": "lms_api_admin", "companyId": "ACME01", "userType": "admin",
                  "resourceType": "learning_public_api"}}
    assert fake.events == [{
        "description": "Workplace Safety Practitioner",
        "studentID": "E-1001",
        "completionDate": int(EARNED.timestamp() * 1000),
        "completionTimeZoneID": "Europe/Berlin",
        "grade": "PASS",
        "comments": "Credential urn:uuid:00000001-aaaa-bbbb-cccc-000000000000; "
                    "event credential.issued.",
    }]
    [call] = fake.event_calls()
    assert call.headers["authorization"] == f"Bearer {fake.tokens_issued[0]}"


def test_the_token_is_reused_until_it_expires_then_fetched_again(db, hris_settings, fake):
    destination = sf_destination(fake)
    connector_for(destination).deliver([record(1)])
    connector_for(destination).deliver([record(2)])  # a new connector: the same token
    assert len(fake.token_calls()) == 1 and len(fake.event_calls()) == 2

    fake.expire_tokens()  # SuccessFactors now answers 401 to the old token
    [outcome] = connector_for(destination).deliver([record(3)])
    assert outcome.delivered
    assert len(fake.token_calls()) == 2
    assert [c.status for c in fake.event_calls()] == [201, 201, 401, 201]
    assert fake.event_calls()[-1].headers["authorization"] == f"Bearer {fake.tokens_issued[1]}"
    assert [e["comments"][:29] for e in fake.events] == [
        f"Credential urn:uuid:0000000{n}-" for n in (1, 2, 3)]


def test_a_token_close_to_its_expiry_is_not_used(db, hris_settings, fake, monkeypatch):
    import time

    destination = sf_destination(fake)  # the fake's tokens live 1800 s
    connector_for(destination).deliver([record(1)])
    monkeypatch.setattr(successfactors.TOKENS, "clock", lambda: time.monotonic() + 1739)
    connector_for(destination).deliver([record(2)])
    assert len(fake.token_calls()) == 1  # 61 s left: still used
    monkeypatch.setattr(successfactors.TOKENS, "clock", lambda: time.monotonic() + 1741)
    connector_for(destination).deliver([record(3)])
    assert len(fake.token_calls()) == 2  # under a minute left: a new one first
    assert [c.status for c in fake.event_calls()] == [201, 201, 201] and len(fake.events) == 3


def test_ten_records_go_in_one_call_more_in_several(db, hris_settings, fake):
    connector = connector_for(sf_destination(fake))
    outcomes = connector.deliver([record(n, employee=f"E-{n}") for n in range(1, 24)])
    assert all(o.delivered for o in outcomes) and len(outcomes) == 23
    assert [len(json.loads(c.body)["externalLearningEvents"]) for c in fake.event_calls()] == [
        10, 10, 3]
    assert connector.calls_needed([record(n) for n in range(23)]) == 3
    assert [e["studentID"] for e in fake.events] == [f"E-{n}" for n in range(1, 24)]


def test_a_record_successfactors_did_not_take_is_set_aside_the_others_delivered(
        db, hris_settings, fake):
    fake.known_students = {"E-1", "E-3"}
    outcomes = connector_for(sf_destination(fake)).deliver(
        [record(n, employee=f"E-{n}") for n in (1, 2, 3)])
    assert [(o.delivered, o.permanent) for o in outcomes] == [
        (True, False), (False, True), (True, False)]
    assert outcomes[1].error == "SuccessFactors did not record it: Student E-2 does not exist."
    assert [e["studentID"] for e in fake.events] == ["E-1", "E-3"]


def test_revocation_and_expiry_are_recorded_as_graded_events_or_skipped(db, hris_settings,
                                                                      fake):
    revoked_at = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    connector = connector_for(sf_destination(fake))
    outcomes = connector.deliver([record(1, event="credential.revoked", occurred=revoked_at),
                                  record(2, event="credential.expired", occurred=revoked_at)])
    assert all(o.delivered for o in outcomes)
    assert [(e["grade"], e["completionDate"]) for e in fake.events] == [
        ("Revoked", int(revoked_at.timestamp() * 1000)),
        ("Expired", int(revoked_at.timestamp() * 1000))]

    skipping = connector_for(sf_destination(fake, name="Skips ends",
                                            options={"end_events": "skip"}))
    calls = len(fake.event_calls())
    [outcome] = skipping.deliver([record(3, event="credential.revoked")])
    assert outcome.delivered and "skips" in outcome.error
    assert len(fake.event_calls()) == calls  # nothing sent


@pytest.mark.parametrize(("status", "retry_after", "expected"), [
    (429, "7", {"delivered": False, "retry_after": 7.0, "permanent": False, "gone": False}),
    (503, "30", {"delivered": False, "retry_after": 30.0, "permanent": False, "gone": False}),
    (500, None, {"delivered": False, "retry_after": None, "permanent": False, "gone": False}),
    (410, None, {"delivered": False, "permanent": False, "gone": True}),
    (400, None, {"delivered": False, "permanent": True, "gone": False}),
    (404, None, {"delivered": False, "permanent": True, "gone": False}),
])
def test_each_answer_maps_to_what_the_engine_does(db, hris_settings, fake, status, retry_after,
                                                  expected):
    connector = connector_for(sf_destination(fake))
    fake.fail_next(status, retry_after=retry_after)
    outcomes = connector.deliver([record(1), record(2)])
    assert len(outcomes) == 2
    for outcome in outcomes:
        assert outcome.status_code == status
        assert {name: getattr(outcome, name) for name in expected} == expected
        assert "Scripted failure" in outcome.response_excerpt
    assert fake.events == []


def test_over_sap_call_limit_the_answer_says_when_to_come_back(db, hris_settings, fake):
    fake.calls_per_minute = 2  # SAP's real limit is 100; two keeps the test small
    connector = connector_for(sf_destination(fake))
    assert [o.delivered for n in (1, 2) for o in connector.deliver([record(n)])] == [True, True]
    [outcome] = connector.deliver([record(3)])
    assert (outcome.delivered, outcome.status_code) == (False, 429)
    assert 55 <= outcome.retry_after <= 61 and not outcome.permanent
    assert len(fake.events) == 2


def test_timeouts_and_unreachable_servers_are_retried(db, hris_settings, fake):
    import socket

    silent = socket.socket()  # accepts connections, never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    try:
        destination = sf_destination(fake, timeout_seconds=0.5)
        destination.url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        [outcome] = connector_for(destination).deliver([record()])
        assert not outcome.delivered and not outcome.permanent and not outcome.gone
        assert "did not answer in time" in outcome.error
    finally:
        silent.close()
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    destination.url = f"http://127.0.0.1:{port}"
    [outcome] = connector_for(destination).deliver([record()])
    assert not outcome.delivered and not outcome.permanent
    assert outcome.error.startswith("Could not reach SuccessFactors")


def test_wrong_client_credentials_keep_the_records_for_later(db, hris_settings, fake):
    connector = connector_for(sf_destination(fake, secret="not-the-secret"))
    [outcome] = connector.deliver([record()])
    assert not outcome.delivered and not outcome.permanent and outcome.status_code == 401
    assert "refused the client credentials" in outcome.error
    assert fake.event_calls() == []


def test_ssrf_rules_apply_to_successfactors_too(db, hris_settings, fake):
    hris_settings.CREDENTIAL_APP = {**hris_settings.CREDENTIAL_APP,
                                    "HRIS_ALLOW_PRIVATE_ADDRESSES": False}
    [outcome] = connector_for(sf_destination(fake)).deliver([record()])
    assert not outcome.delivered and "Could not reach" in outcome.error
    assert fake.calls == []  # never connected to the loopback address


@pytest.mark.db_server
@pytest.mark.django_db(transaction=True)  # the engine books a batch on its own connection
def test_through_the_engine_every_try_is_recorded_without_a_secret(hris_settings, fake,
                                                                   people, definition, caplog):
    """Delivery end to end: outbox rows drained by the engine to the fake SuccessFactors,
    with a 429 and an expired token on the way; attempts and log keep no secret."""
    from tests.hris_people_helpers import link
    from tests.rest.test_rest_api import passed_attempt

    caplog.set_level(logging.DEBUG)
    destination = sf_destination(fake)
    link(destination, people["learner"], "E-1001")
    credential = passed_attempt(people["learner"], people["staff"]).credential
    [message] = OutboxMessage.objects.filter(destination=destination)
    assert message.payload == {"credential_id": f"urn:uuid:{credential.uuid}",
                               "name": "Workplace Safety Practitioner",
                               "issued_at": message.payload["issued_at"]}

    fake.fail_next(429, retry_after=1)
    engine.drain(destination.pk, budget_seconds=5)
    message.refresh_from_db()
    assert message.state == "pending" and message.tries == 1
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=EARNED)
    from credential_app.models import DeliveryThrottle

    DeliveryThrottle.objects.filter(destination=destination).update(paused_until=None)
    fake.expire_tokens()
    engine.drain(destination.pk, budget_seconds=5)
    message.refresh_from_db()
    assert message.state == "delivered"
    assert [e["studentID"] for e in fake.events] == ["E-1001"]

    attempts = list(DeliveryAttempt.objects.filter(message=message).order_by("id"))
    assert [a.status_code for a in attempts] == [429, 201]
    texts = [a.response_excerpt + a.error for a in attempts] + [message.last_error]
    texts += [r.getMessage() for r in caplog.records]
    for secret in [SF_SECRET, *fake.tokens_issued]:
        assert not any(secret in text for text in texts)


# --- configured in the destination admin ---

def sf_form(**overrides):
    data = {"name": "Acme SF", "connector": "sap_successfactors",
            "url": "https://93.184.215.14/", "enabled": "on", "organisations": "",
            "timeout_seconds": "15", "rate_limit_per_minute": "600", "batch_size": "50",
            "concurrency": "8", "max_tries": "25", "max_age": "7 00:00:00",
            "retry_base_seconds": "5", "retry_max_seconds": "3600",
            "option__client_id": "edx-client", "option__company_id": "ACME01",
            "option__user_id": "lms_api_admin", "option__time_zone": "UTC",
            "option__grade": "Pass", "option__end_events": "record",
            "secret__client_secret": SF_SECRET}
    data.update(overrides)
    return data


def test_an_admin_configures_a_successfactors_destination(client, db):
    from django.contrib.auth import get_user_model

    from credential_app.hris import destination_secrets
    from credential_app.models import HrisDestination

    client.force_login(get_user_model().objects.create_superuser("root", "r@example.com", "p"))
    add = "/admin/credential_app/hrisdestination/add/"
    page = client.get(add).content.decode()
    for label in ("OAuth client ID", "company ID", "API admin user ID", "OAuth client secret",
                  "revocation and expiry"):
        assert label in page
    response = client.post(add, sf_form())
    assert response.status_code == 302, response.content.decode()[:3000]
    destination = HrisDestination.objects.get(name="Acme SF")
    # SAP's limits replace the generic defaults the admin left as they were
    assert (destination.rate_limit_per_minute, destination.batch_size) == (100, 10)
    assert destination.options["company_id"] == "ACME01"
    assert destination_secrets.decrypt(destination.secrets_encrypted) == {
        "client_secret": SF_SECRET}
    assert SF_SECRET not in str(destination.options)
    change = f"/admin/credential_app/hrisdestination/{destination.pk}/change/"
    assert SF_SECRET not in client.get(change).content.decode()  # never shown again

    html = client.post(change, sf_form(batch_size="50", rate_limit_per_minute="100",
                                       secret__client_secret="")).content.decode()
    assert "This connector sends at most 10 records a call" in html
    missing = client.post(add, sf_form(name="Other", option__company_id="",
                                       secret__client_secret="")).content.decode()
    assert missing.count("This option is required.") == 1  # the company ID
    assert missing.count("This field is required.") == 1   # the client secret
    assert not HrisDestination.objects.filter(name="Other").exists()


def test_a_suspension_is_graded_suspended_and_a_reinstatement_completes_when_it_happened(
        db, hris_settings, fake):
    suspended_at = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    reinstated_at = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    connector = connector_for(sf_destination(fake))
    outcomes = connector.deliver([
        record(1, event="credential.suspended", occurred=suspended_at),
        record(2, event="credential.reinstated", occurred=reinstated_at)])
    assert all(o.delivered for o in outcomes)
    assert [(e["grade"], e["completionDate"]) for e in fake.events] == [
        ("Suspended", int(suspended_at.timestamp() * 1000)),
        ("PASS", int(reinstated_at.timestamp() * 1000))]

"""The xAPI connector against a real LRS: Ralph (the Open edX community's LRS, from PyPI,
file backend, HTTP Basic auth) started on a free loopback port.

Proves, as an LRS consumer would see it: a learner's attempts and credentials arrive as
statements (attempted, passed/failed with score and per-criterion levels, earned, renewed,
voided + revoked, expired), each valid under Ralph's own strict xAPI model, found by
``GET /xAPI/statements?agent=…`` for the account the employer configured (or the mbox);
sending a record again stores nothing twice; the LRS password is stored encrypted and never
reaches the delivery log. Runs on SQLite (delivery is driven in the test's own process).
"""
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from credential_app import api
from credential_app.hris import engine
from credential_app.hris.connectors import xapi_statements
from credential_app.lib import public_urls
from credential_app.models import DeliveryAttempt, HrisDestination, OutboxMessage
from demo import ralph_lrs
from demo.management.commands.load_demo import DEMO_LRS_DESTINATION
from tests.hris_helpers import make_destination
from tests.lifecycle_helpers import OTHER_UNIT, assess, submit
from tests.xapi_helpers import (
    EMPLOYER,
    LRS_PASSWORD,
    account,
    free_port,
    make_lrs_destination,
    ralph_validates,
    start_ralph,
)

VOIDED = "http://adlnet.gov/expapi/verbs/voided"


@pytest.fixture(scope="module")
def ralph(tmp_path_factory):
    server = start_ralph(tmp_path_factory.mktemp("ralph"))
    yield server
    server.stop()


@pytest.fixture
def lrs(ralph, settings, db):
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "HRIS_DELIVERY": "none",
                               "HRIS_ALLOW_PRIVATE_ADDRESSES": True, "HRIS_ALLOW_HTTP": True}
    ralph.wipe()
    return ralph


def deliver(destination):
    report = engine.drain(destination.pk, budget_seconds=60)
    left = OutboxMessage.objects.filter(destination=destination).exclude(state="delivered")
    assert not left.exists(), [(r.event_type, r.last_error) for r in left]
    return report


def verbs(statements):
    return [s["verb"]["id"].rsplit("/", 1)[1] for s in
            sorted(statements, key=lambda s: (s["timestamp"], s["stored"]))]


def test_a_learners_journey_arrives_valid_and_is_found_by_their_account(lrs, people,
                                                                        definition):
    destination = make_lrs_destination(lrs.url)
    learner = people["learner"]
    attempt = submit(learner)
    outcome = assess(attempt, people["staff"], "some")
    deliver(destination)

    mine = lrs.statements(agent=account(f"E-{learner.pk}"))
    assert verbs(mine) == ["attempted", "passed", "earned"]
    assert ralph_validates(mine) == []
    assert not lrs.statements(agent=account(f"E-{people['learner2'].pk}"))
    attempted, passed, earned = sorted(mine, key=lambda s: (s["timestamp"], s["stored"]))
    site = public_urls.base_url()  # activities are named as event-routing-backends does
    unit = f"{site}/xblock/{attempt.usage_key}"
    assert attempted["object"]["id"] == passed["object"]["id"] == unit
    assert attempted["object"]["definition"]["type"] == \
        "http://adlnet.gov/expapi/activities/assessment"
    assert attempted["context"]["extensions"][xapi_statements.EXTENSION_ATTEMPT] == 1
    course = attempted["context"]["contextActivities"]["parent"][0]
    assert course["id"] == f"{site}/course/course-v1:Org+Course+Run"
    assert passed["result"]["score"] == {"scaled": 0.8, "raw": 4, "min": 0, "max": 5}
    assert passed["result"]["success"] is True and passed["result"]["completion"] is True
    criteria = passed["result"]["extensions"][xapi_statements.extension("criteria")]
    assert [(c["criterion"], c["level"], c["points"], c["max_points"]) for c in criteria] == \
        [("a", "yes", 3, 3), ("b", "some", 1, 2)]
    assert earned["verb"]["id"] == "http://id.tincanapi.com/verb/earned"
    assert earned["object"]["definition"]["type"] == "http://activitystrea.ms/schema/1.0/badge"
    assert earned["object"]["definition"]["name"] == {"en-US": definition.name}
    page = earned["result"]["extensions"][xapi_statements.extension("credential")]
    assert page.endswith(f"/badges/{outcome.credential.uuid}/")
    for statement in mine:
        assert statement["actor"]["account"] == {"homePage": EMPLOYER,
                                                 "name": f"E-{learner.pk}"}
        assert statement["version"] == "1.0.3"  # Ralph's /xAPI/about does not list 2.0


def test_a_failed_attempt_is_recorded_as_failed_and_earns_nothing(lrs, people, definition):
    destination = make_lrs_destination(lrs.url)
    assess(submit(people["learner"]), people["staff"], "no")  # 3 of 5, below 70 %
    deliver(destination)
    mine = lrs.statements(agent=account(f"E-{people['learner'].pk}"))
    assert verbs(mine) == ["attempted", "failed"]
    failed = mine[-1] if mine[-1]["verb"]["id"].endswith("failed") else mine[0]
    assert failed["result"]["success"] is False
    assert failed["result"]["score"]["raw"] == 3
    assert ralph_validates(mine) == []


def test_revocation_voids_the_earned_statement_and_says_revoked(lrs, people, definition):
    destination = make_lrs_destination(lrs.url)
    learner = people["learner"]
    credential = assess(submit(learner), people["staff"], "yes").credential
    api.revoke_credential(credential_uuid=credential.uuid, revoked_by=people["staff"].pk,
                          reason="copied evidence")
    deliver(destination)

    mine = lrs.statements(agent=account(f"E-{learner.pk}"))
    assert ralph_validates(mine) == []
    by_verb = {s["verb"]["id"].rsplit("/", 1)[1]: s for s in mine}
    assert set(by_verb) == {"attempted", "passed", "earned", "voided", "revoked"}
    assert by_verb["voided"]["verb"]["id"] == VOIDED
    assert by_verb["voided"]["object"] == {"objectType": "StatementRef",
                                           "id": by_verb["earned"]["id"]}
    assert by_verb["revoked"]["object"]["id"] == by_verb["earned"]["object"]["id"]
    # Ralph stores in order: the earned statement before the one voiding it
    assert by_verb["earned"]["stored"] < by_verb["voided"]["stored"] \
        <= by_verb["revoked"]["stored"]
    assert "copied evidence" not in str(mine)  # the reason stays with the issuer


def test_renewal_and_expiry_are_recorded(lrs, people, definition):
    definition.validity_days = 30
    definition.save()
    destination = make_lrs_destination(lrs.url)
    learner = people["learner"]
    first_attempt, second_attempt = submit(learner), submit(learner, unit=OTHER_UNIT)
    first = assess(first_attempt, people["staff"], "yes").credential
    second = assess(second_attempt, people["staff"], "yes", unit=OTHER_UNIT).credential
    api.expire_due_credentials(now=second.expires_at + timedelta(seconds=1))
    deliver(destination)

    mine = lrs.statements(agent=account(f"E-{learner.pk}"))
    assert ralph_validates(mine) == []
    earned = [s for s in mine if s["verb"]["id"].endswith("/earned")]
    assert len(earned) == 2
    renewal = next(s for s in earned if xapi_statements.extension("renews")
                   in s["context"]["extensions"])
    assert renewal["context"]["extensions"][xapi_statements.extension("renews")].endswith(
        f"/badges/{first.uuid}/")
    assert renewal["result"]["extensions"][xapi_statements.extension("credential")].endswith(
        f"/badges/{second.uuid}/")
    [expired] = [s for s in mine if s["verb"]["id"] == xapi_statements.verb_expired()]
    assert expired["result"]["extensions"][xapi_statements.extension("credential")] == \
        renewal["result"]["extensions"][xapi_statements.extension("credential")]


def test_sending_a_record_again_stores_nothing_twice(lrs, people, definition):
    destination = make_lrs_destination(lrs.url)
    assess(submit(people["learner"]), people["staff"], "yes")
    deliver(destination)
    before = lrs.statements(agent=account(f"E-{people['learner'].pk}"))
    # the LRS stored them but the answers were lost: every record goes again
    OutboxMessage.objects.update(state="pending", next_attempt_at=OutboxMessage.objects
                                 .order_by("created_at").first().created_at)
    deliver(destination)
    after = lrs.statements(agent=account(f"E-{people['learner'].pk}"))
    assert sorted(s["id"] for s in after) == sorted(s["id"] for s in before)
    assert len(after) == 3
    assert DeliveryAttempt.objects.filter(outcome="delivered").count() == 6


def test_learners_named_by_email_are_found_by_mbox(lrs, people, definition):
    learner = people["learner"]
    learner.email = "lee@example.com"
    learner.save()
    destination = make_lrs_destination(lrs.url, options={"xapi_actor": "mbox"})
    assess(submit(learner), people["staff"], "yes")
    deliver(destination)
    mine = lrs.statements(agent={"objectType": "Agent", "mbox": "mailto:lee@example.com"})
    assert verbs(mine) == ["attempted", "passed", "earned"]
    assert all("account" not in s["actor"] for s in mine)


def test_without_consent_nothing_reaches_the_lrs(lrs, people, definition):
    destination = make_lrs_destination(lrs.url)
    learner = people["learner"]
    api.set_employer_sharing(user_id=learner.pk, destination_id=destination.pk, share=False)
    assess(submit(learner), people["staff"], "yes")
    deliver(destination)
    assert lrs.statements(agent=account(f"E-{learner.pk}")) == []
    assert not OutboxMessage.objects.filter(destination=destination,
                                            attempt__user=learner).exists()


def test_the_lrs_password_is_stored_encrypted_and_never_logged(lrs, people, definition,
                                                               caplog):
    destination = make_lrs_destination(lrs.url, secrets={"xapi_password": "wrong-password"})
    assess(submit(people["learner"]), people["staff"], "yes")
    engine.drain(destination.pk, budget_seconds=10)
    stored = HrisDestination.objects.get(pk=destination.pk).secrets_encrypted
    assert "wrong-password" not in stored and LRS_PASSWORD not in stored
    attempts = list(DeliveryAttempt.objects.all())
    assert attempts and {a.status_code for a in attempts} == {401}
    assert all("credentials" in a.error for a in attempts)  # says what to check
    assert OutboxMessage.objects.filter(state="pending").exists()  # the records wait
    for text in [a.error + a.response_excerpt for a in attempts] + [caplog.text]:
        assert "wrong-password" not in text
    assert lrs.statements(agent=account(f"E-{people['learner'].pk}")) == []


def test_attempt_events_go_only_to_connectors_that_take_them(lrs, people, definition,
                                                             hris_simulator):
    webhook = make_destination(hris_simulator.url)
    make_lrs_destination(lrs.url)
    assess(submit(people["learner"]), people["staff"], "yes")
    kinds = sorted(OutboxMessage.objects.filter(destination=webhook)
                   .values_list("event_type", flat=True))
    assert kinds == ["credential.issued"]
    lrs_kinds = set(OutboxMessage.objects.exclude(destination=webhook)
                    .values_list("event_type", flat=True))
    assert lrs_kinds == {"attempt.submitted", "attempt.assessed", "credential.issued"}


def test_make_demo_with_ralph_sends_lees_records_to_the_local_lrs(scenario, settings,
                                                                   tmp_path):
    """What ``make demo RALPH=1`` sets up: load_demo's xAPI destination, as the demo account
    whose password it made once, reaches the Ralph the demo starts; without RALPH the
    destination is disabled."""
    settings.VAR_DIR = tmp_path
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "HRIS_DELIVERY": "none",
                               "HRIS_ALLOW_PRIVATE_ADDRESSES": True, "HRIS_ALLOW_HTTP": True}
    server = ralph_lrs.RalphServer(
        tmp_path / "lrs", port=free_port(), username=ralph_lrs.DEMO_USER,
        password=ralph_lrs.demo_password(tmp_path / "ralph")).start()
    try:
        call_command("load_demo", "--hris-url", "https://127.0.0.1:8025/", "--hris-tls-dir",
                     str(tmp_path / "tls"), "--lrs-url", server.url, stdout=StringIO())
        destination = HrisDestination.objects.get(name=DEMO_LRS_DESTINATION)
        assert destination.connector == "xapi" and destination.enabled
        assert OutboxMessage.objects.filter(destination=destination).exists()
        deliver(destination)
        lee = {"objectType": "Agent", "account": {"homePage": "https://127.0.0.1:8025",
                                                  "name": "DEMO-1001"}}
        statements = server.statements(agent=lee)
        assert "earned" in verbs(statements)
        assert ralph_validates(statements) == []
        call_command("load_demo", "--hris-url", "https://127.0.0.1:8025/", "--hris-tls-dir",
                     str(tmp_path / "tls"), stdout=StringIO())
        assert not HrisDestination.objects.get(name=DEMO_LRS_DESTINATION).enabled
    finally:
        server.stop()

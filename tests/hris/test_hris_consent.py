"""People and privacy: who is sent to an employer (link AND consent AND filters), consent on
the learner's credentials page, what a withdrawal cancels, what each connector receives, and
what retirement erases."""
import json
import re

import pytest
from django.urls import reverse, reverse_lazy

from credential_app.hris import consent, employees, payloads
from credential_app.models import (
    AuditEntry,
    CredentialDefinition,
    EmployeeLink,
    HrisConsent,
    HrisDestination,
    OutboxMessage,
)
from credential_app.platform_hooks import retirement
from tests.hris_people_helpers import link, sf_destination, webhook_destination
from tests.rest.test_rest_api import passed_attempt

PAGE = reverse_lazy("credential_app:learner-credentials")
SHARING = reverse_lazy("credential_app:learner-consent")


@pytest.fixture(autouse=True)
def no_background_delivery(settings):
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "HRIS_DELIVERY": "none"}


@pytest.fixture
def acme(db):
    return webhook_destination("https://hr.acme.example/hooks", name="Acme HR")


def earn(learner, staff):
    """A passed attempt's credential (the model: outbox rows point at it)."""
    from credential_app.models import Credential

    return Credential.objects.get(uuid=passed_attempt(learner, staff).credential.uuid)


def outbox(destination):
    return list(OutboxMessage.objects.filter(destination=destination).order_by("id"))


# --- who hears of a credential ---

def test_nothing_is_sent_without_both_a_link_and_consent(people, definition, acme):
    globex = webhook_destination("https://hr.globex.example/", name="Globex HR")
    initech = webhook_destination("https://hr.initech.example/", name="Initech HR")
    link(acme, people["learner"], "A-1")                    # linked, consent given
    link(globex, people["learner"], "G-1", consent=False)   # linked, consent withdrawn
    link(initech, people["learner"], "I-1", consent=None)   # linked, never asked
    HrisConsent.objects.create(destination=initech, user=people["learner2"], given=True)
    # learner2 consented to Initech but has no link there: nothing either
    credential = earn(people["learner"], people["staff"])
    passed_attempt(people["learner2"], people["staff"])

    assert [(d.name, e) for d, e in employees.recipients_for(credential)] == [("Acme HR", "A-1")]
    [message] = OutboxMessage.objects.all()
    assert (message.destination, message.employee_id) == (acme, "A-1")


def test_only_destinations_whose_filters_match(people, definition, acme):
    other = CredentialDefinition.objects.create(slug="forklift", name="Forklift")
    acme.definitions.add(other)
    orgs = webhook_destination("https://hr.orgs.example/", name="Org HR", organisations="Org")
    link(acme, people["learner"], "A-1")
    link(orgs, people["learner"], "O-1")
    credential = earn(people["learner"], people["staff"])
    assert credential.attempt.course_key.org == "Org"
    assert [d.name for d, _e in employees.recipients_for(credential)] == ["Org HR"]


# --- consent on the credentials page ---

def test_a_learner_gives_and_withdraws_consent_on_their_page(client, people, definition, acme):
    link(acme, people["learner"], "A-1", consent=None)
    client.force_login(people["learner"])
    html = client.get(PAGE).content.decode()
    assert '<h2 id="ca-sharing-heading">Sharing with employers</h2>' in html
    assert "Acme HR</strong>:\n          you do not share your credentials" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "Share my credentials with Acme HR" in html

    response = client.post(SHARING, {"destination": acme.pk, "share": "yes"}, follow=True)
    assert response.redirect_chain[-1][0] == f"{PAGE}#sharing"
    html = response.content.decode()
    assert 'role="status"' in html and "You now share your credentials with Acme HR." in html
    assert "Stop sharing with Acme HR" in html
    assert consent.has_consent(user_id=people["learner"].pk, destination_id=acme.pk)

    client.post(SHARING, {"destination": acme.pk, "share": "no"})
    assert not consent.has_consent(user_id=people["learner"].pk, destination_id=acme.pk)
    assert list(AuditEntry.objects.filter(action__startswith="hris_consent")
                .order_by("id").values_list("action", "actor", "learner")) == [
        ("hris_consent_given", people["learner"].pk, people["learner"].pk),
        ("hris_consent_withdrawn", people["learner"].pk, people["learner"].pk)]


def test_starting_to_share_sends_the_credentials_already_held(client, people, definition,
                                                             acme):
    """A learner who earned a credential before sharing shares it when they start: it goes
    to that employer (only that one), once, even if they stop and start again."""
    globex = webhook_destination("https://hr.globex.example/", name="Globex HR")
    link(acme, people["learner"], "A-1", consent=None)
    link(globex, people["learner"], "G-1", consent=True)
    credential = earn(people["learner"], people["staff"])
    assert outbox(acme) == [] and len(outbox(globex)) == 1

    client.force_login(people["learner"])
    response = client.post(SHARING, {"destination": acme.pk, "share": "yes"}, follow=True)
    assert "the 1 credential you hold goes to them now" in response.content.decode()
    [sent] = outbox(acme)
    assert (sent.credential, sent.event_type, sent.employee_id) == (
        credential, payloads.ISSUED, "A-1")
    assert sent.payload["credential"]["id"] == f"urn:uuid:{credential.uuid}"
    assert len(outbox(globex)) == 1  # the other employer is not told twice
    assert AuditEntry.objects.filter(action="hris_consent_given").get().details["sent"] == 1

    client.post(SHARING, {"destination": acme.pk, "share": "no"})  # still waiting: cancelled
    client.post(SHARING, {"destination": acme.pk, "share": "yes"})
    assert [m.state for m in outbox(acme)] == ["cancelled", "pending"]
    OutboxMessage.objects.filter(destination=acme).update(state="delivered")
    client.post(SHARING, {"destination": acme.pk, "share": "no"})
    client.post(SHARING, {"destination": acme.pk, "share": "yes"})
    assert len(outbox(acme)) == 2  # delivered once already: not sent again


def test_the_page_says_what_sharing_sends(client, people, acme):
    link(acme, people["learner"], "A-1", consent=None)
    client.force_login(people["learner"])
    html = client.get(PAGE).content.decode()
    assert "the credentials you hold now and every later change to them" in html
    assert "It never sends your evidence or your name" in html


def test_learners_see_and_change_only_their_own_employers(client, people, definition, acme):
    globex = webhook_destination("https://hr.globex.example/", name="Globex HR")
    link(acme, people["learner"], "A-1", consent=None)
    link(globex, people["learner2"], "G-1", consent=True)
    client.force_login(people["learner"])
    html = client.get(PAGE).content.decode()
    assert "Acme HR" in html and "Globex HR" not in html

    # another learner's employer, an unknown one, bad input: 404 and nothing changes
    for data in ({"destination": globex.pk, "share": "no"},
                 {"destination": 999999, "share": "yes"},
                 {"destination": "x", "share": "yes"},
                 {"destination": acme.pk, "share": "maybe"}):
        assert client.post(SHARING, data).status_code == 404
    assert HrisConsent.objects.get(user=people["learner2"]).given is True
    assert not HrisConsent.objects.filter(user=people["learner"]).exists()
    assert client.get(SHARING).status_code == 405


def test_consent_needs_a_signed_in_learner_and_a_csrf_token(client, people, acme):
    from django.test import Client

    link(acme, people["learner"], "A-1", consent=None)
    response = client.post(SHARING, {"destination": acme.pk, "share": "yes"})
    assert response.status_code == 302 and "sign-in" in response["Location"]
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people["learner"])
    assert strict.post(SHARING, {"destination": acme.pk, "share": "yes"}).status_code == 403
    assert not HrisConsent.objects.exists()


def test_a_disabled_destination_is_not_offered(client, people, acme):
    link(acme, people["learner"], "A-1", consent=None)
    HrisDestination.objects.filter(pk=acme.pk).update(enabled=False)
    client.force_login(people["learner"])
    assert "Sharing with employers" not in client.get(PAGE).content.decode()
    assert client.post(SHARING, {"destination": acme.pk, "share": "yes"}).status_code == 404


def test_withdrawing_cancels_what_is_still_waiting_and_stops_what_follows(people, definition,
                                                                         acme):
    from credential_app import api

    link(acme, people["learner"], "A-1")
    link(acme, people["learner2"], "A-2")
    credential = earn(people["learner"], people["staff"])
    passed_attempt(people["learner2"], people["staff"])
    [waiting] = OutboxMessage.objects.filter(credential=credential)
    assert waiting.state == "pending"

    consent.set_consent(user_id=people["learner"].pk, destination_id=acme.pk, given=False)
    waiting.refresh_from_db()
    assert waiting.state == "cancelled"
    assert waiting.last_error == "Cancelled: the learner withdrew consent."
    # the other learner's record is untouched
    assert OutboxMessage.objects.get(credential__user=people["learner2"]).state == "pending"
    entry = AuditEntry.objects.get(action="hris_consent_withdrawn")
    assert entry.details == {"destination": acme.pk, "cancelled": 1}

    api.revoke_credential(credential_uuid=credential.uuid, revoked_by=people["staff"].pk,
                          reason="Copied.")
    assert OutboxMessage.objects.filter(credential=credential).count() == 1  # nothing new

    # a cancelled row cannot be re-driven, and does not hold back later rows once consent
    # is given again
    from credential_app.hris import dispatch, engine

    assert dispatch.redrive([waiting.pk]) == 0
    consent.set_consent(user_id=people["learner"].pk, destination_id=acme.pk, given=True)
    again = earn(people["learner"], people["staff"])
    [new] = OutboxMessage.objects.filter(credential=again)
    assert new.ordering_key == waiting.ordering_key
    assert engine.claimable(acme).filter(pk=new.pk).exists()


# --- payload minimisation ---

def test_each_connector_receives_only_what_its_destination_needs(people, definition, acme):
    from tests.fake_successfactors import FakeSuccessFactors

    learner = people["learner"]
    learner.email, learner.first_name, learner.last_name = "lee.private@example.com", "Lee", \
        "Learner-Surname"
    learner.save()
    fake = FakeSuccessFactors()  # not started: only its address is needed here
    fake.url = "http://127.0.0.1:9"
    sf = sf_destination(fake)
    link(acme, learner, "A-1")
    link(sf, learner, "S-1")
    credential = earn(learner, people["staff"])

    webhook_row, sf_row = outbox(acme)[0], outbox(sf)[0]
    assert webhook_row.payload["open_badge"] == payloads.BADGE_PENDING  # signed at delivery
    payloads.complete([webhook_row, sf_row])  # what the delivery worker does first
    assert set(webhook_row.payload) == {"event", "event_key", "employee_id", "credential",
                                        "open_badge"}
    subject = webhook_row.payload["open_badge"]["credentialSubject"]
    assert subject["identifier"][0]["hashed"] is True  # the email only as a salted hash
    assert webhook_row.payload["employee_id"] == "A-1"
    assert webhook_row.payload["credential"]["id"] == f"urn:uuid:{credential.uuid}"
    assert sf_row.payload == {"credential_id": f"urn:uuid:{credential.uuid}",
                              "name": "Workplace Safety Practitioner",
                              "issued_at": sf_row.payload["issued_at"]}
    assert sf_row.employee_id == "S-1"
    for row in (webhook_row, sf_row):
        # The signed badge names the kind of its hashed identifier ("emailAddress").
        text = json.dumps(row.payload).replace('"identityType": "emailAddress"', "")
        for personal in ("learner", "lee.private@example.com", "Lee", "Learner-Surname",
                         f'"{learner.pk}"', "user_id", "username", "email"):
            # As a word of its own: the proof's random characters may spell "Lee" inside.
            as_a_word = rf"(?<![A-Za-z0-9_]){re.escape(personal)}(?![A-Za-z0-9_])"
            assert not re.search(as_a_word, text), (row.destination.name, personal)


def test_a_member_a_connector_did_not_ask_for_never_reaches_it(people, definition, acme):
    """Should the record ever grow a personal member, the allow-lists keep it home."""
    from credential_app.hris import connectors, payloads

    link(acme, people["learner"], "A-1")
    credential = earn(people["learner"], people["staff"])
    full = payloads.build(credential, payloads.ISSUED, employee_id="A-1")
    grown = {**full, "learner_email": "lee@example.com", "learner_name": "Lee Learner"}
    for name, cls in connectors.available().items():
        kept = json.dumps(cls.minimise(grown))
        assert "lee@example.com" not in kept and "Lee Learner" not in kept, name
    assert connectors.get("webhook").minimise(grown) == full


# --- retirement ---

def test_retirement_erases_links_and_consent_and_cancels_waiting_records(people, definition,
                                                                         acme):
    link(acme, people["learner"], "A-1")
    link(acme, people["learner2"], "A-2")
    credential = earn(people["learner"], people["staff"])
    retirement.retire_user(people["learner"].pk)

    assert not EmployeeLink.objects.filter(user=people["learner"]).exists()
    assert not HrisConsent.objects.filter(user=people["learner"]).exists()
    assert EmployeeLink.objects.filter(user=people["learner2"]).exists()
    rows = OutboxMessage.objects.filter(credential=credential)
    assert [r.state for r in rows] == ["cancelled"]  # issued never sent; no revocation sent
    assert rows[0].last_error == "Cancelled: the learner's account was retired."
    assert rows[0].employee_id == "" and rows[0].payload["employee_id"] == ""


def test_retirement_blanks_the_employee_id_of_records_already_delivered(people, definition,
                                                                        acme):
    link(acme, people["learner"], "A-1")
    link(acme, people["learner2"], "A-2")
    mine = earn(people["learner"], people["staff"])
    theirs = earn(people["learner2"], people["staff"])
    OutboxMessage.objects.update(state="delivered")
    retirement.retire_user(people["learner"].pk)
    [row] = OutboxMessage.objects.filter(credential=mine)
    assert (row.state, row.employee_id, row.payload["employee_id"]) == ("delivered", "", "")
    [kept] = OutboxMessage.objects.filter(credential=theirs)
    assert (kept.employee_id, kept.payload["employee_id"]) == ("A-2", "A-2")


def test_the_consent_url_is_named(db):
    assert reverse("credential_app:learner-consent") == SHARING


# --- the same through the REST API (for a Learner Record MFE) ---

API = reverse_lazy("credential_app:my-employers")


def test_a_learner_reads_and_sets_their_sharing_through_the_api(people, acme):
    from tests.rest.test_rest_api import jwt_client, lms_jwt

    globex = webhook_destination("https://hr.globex.example/", name="Globex HR")
    link(acme, people["learner"], "A-1", consent=None)
    link(globex, people["learner2"], "G-1", consent=True)
    as_learner = jwt_client(lms_jwt(people["learner"]))
    assert as_learner.get(API).json() == {"results": [
        {"destination_id": acme.pk, "name": "Acme HR", "sharing": False}]}

    response = as_learner.put(f"{API}{acme.pk}/sharing/", {"share": True},
                              content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {"destination_id": acme.pk, "name": "Acme HR", "sharing": True}
    assert consent.has_consent(user_id=people["learner"].pk, destination_id=acme.pk)

    # someone else's employer: 404 in the API's error shape, nothing changed
    response = as_learner.put(f"{API}{globex.pk}/sharing/", {"share": False},
                              content_type="application/json")
    assert response.status_code == 404
    assert response.json() == {"error": "You are not linked to this employer.", "field": None}
    assert consent.has_consent(user_id=people["learner2"].pk, destination_id=globex.pk)
    bad = as_learner.put(f"{API}{acme.pk}/sharing/", {"share": "perhaps"},
                         content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "share"
    from django.test import Client

    assert Client().get(API).status_code == 401


# --- in the browser, by keyboard ---

@pytest.mark.browser
def test_a_learner_gives_and_withdraws_consent_by_keyboard(page, people, settings):
    from playwright.sync_api import expect

    from tests.helpers import blocking_violations

    acme = webhook_destination("https://hr.acme.example/hooks", name="Acme HR")
    link(acme, people["learner"], "A-1", consent=None)
    earn(people["learner"], people["staff"])
    page.goto(f"/demo/sign-in/?next={PAGE}")
    page.get_by_role("button", name="Sign in as Lee Learner").click()
    sharing = page.get_by_role("region", name="Sharing with employers")
    expect(sharing).to_contain_text("Acme HR: you do not share your credentials")

    def tab_to(name):
        """Press Tab until the named button has focus (it must be reachable)."""
        target = page.get_by_role("button", name=name)
        for _ in range(40):
            page.keyboard.press("Tab")
            if target.evaluate("el => el === document.activeElement"):
                return
        raise AssertionError(f"Tab never reached “{name}”")

    tab_to("Share my credentials with Acme HR")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(
        "You now share your credentials with Acme HR")
    expect(sharing).to_contain_text("Acme HR: you share your credentials")
    assert consent.has_consent(user_id=people["learner"].pk, destination_id=acme.pk)
    assert blocking_violations(page) == []

    tab_to("Stop sharing with Acme HR")
    page.keyboard.press("Space")
    expect(page.get_by_role("status")).to_contain_text(
        "You no longer share your credentials with Acme HR.")
    expect(sharing).to_contain_text("Acme HR: you do not share your credentials")
    assert not consent.has_consent(user_id=people["learner"].pk, destination_id=acme.pk)


def test_the_demo_employer_knows_both_learners_and_only_lee_shares(client, scenario):
    from io import StringIO

    from django.core.management import call_command

    from demo.management.commands.load_demo import DEMO_HRIS_DESTINATION

    call_command("load_demo", stdout=StringIO())
    demo = HrisDestination.objects.get(name=DEMO_HRIS_DESTINATION)
    learners = ("learner", "learner2")  # the demo workforce (workplace outcomes) is linked too
    assert sorted(EmployeeLink.objects.filter(destination=demo, user__username__in=learners)
                  .values_list("user__username", "employee_id")) == [
        ("learner", "DEMO-1001"), ("learner2", "DEMO-1002")]
    kim = EmployeeLink.objects.get(employee_id="DEMO-1002").user
    client.force_login(kim)
    client.post(SHARING, {"destination": demo.pk, "share": "yes"})
    call_command("load_demo", stdout=StringIO())  # loading again keeps her choice
    assert consent.has_consent(user_id=kim.pk, destination_id=demo.pk)
    lee = EmployeeLink.objects.get(employee_id="DEMO-1001").user
    assert consent.has_consent(user_id=lee.pk, destination_id=demo.pk)

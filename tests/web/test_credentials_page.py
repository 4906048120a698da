"""The learner's credentials page: their own credentials, each status and expiry, accessible."""
import re
import uuid
from datetime import UTC, datetime

import pytest
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode

from credential_app import api
from credential_app.data import CredentialData, CredentialStatus
from credential_app.lib.dates import human_date
from tests.rest.test_rest_api import passed_attempt

PAGE = reverse_lazy("credential_app:learner-credentials")


def credential(status, name, *, expires_at=None, revoked_reason=""):
    from credential_app.data import CredentialDefinitionData

    return CredentialData(
        uuid=str(uuid.uuid5(uuid.NAMESPACE_URL, name)), user_id=1, status=status, attempt_id=1,
        issued_at=datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
        definition=CredentialDefinitionData(slug=name.lower(), name=name, description="",
                                            pass_percentage=70),
        expires_at=expires_at, revoked_reason=revoked_reason)


def rows(html):
    """Each body row of the table as (header cell, data cells) with tags and spaces squeezed."""
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    found = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        found.append([" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells])
    return found


def test_the_page_needs_a_signed_in_person(client, db, settings):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"] == f"/demo/sign-in/?{urlencode({'next': PAGE})}"
    # The view itself (as in the LMS, without the demo's sign-in middleware) asks to log in.
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from credential_app.web.views import learner_credentials

    request = RequestFactory().get(PAGE)
    request.user = AnonymousUser()
    assert learner_credentials(request)["Location"].startswith(f"{settings.LOGIN_URL}?next=")


def test_a_learner_sees_their_credential_in_an_accessible_table(client, people, definition):
    outcome = passed_attempt(people["learner"], people["staff"])
    passed_attempt(people["learner2"], people["staff"])  # someone else's: never shown
    client.force_login(people["learner"])
    html = client.get(PAGE).content.decode()

    assert "<caption>You hold 1 valid credential.</caption>" in html
    for header in ("Credential", "Status", "Issued", "Valid until"):
        assert f'<th scope="col">{header}</th>' in html
    assert re.search(r'<th scope="row"><img class="ca-thumb" [^>]+> '
                     r'Workplace Safety Practitioner</th>', html)
    [row] = rows(html)
    issued = outcome.credential.issued_at
    assert row[1:] == ["Active", human_date(issued), "No expiry"]
    assert f'datetime="{outcome.credential.issued_at.isoformat()}"' in html


def test_every_status_is_named_with_expiry_and_revocation_reason(client, people, monkeypatch):
    shown = [
        credential(CredentialStatus.PENDING_APPROVAL, "Forklift"),
        credential(CredentialStatus.ACTIVE, "First aid",
                   expires_at=datetime(2027, 3, 1, tzinfo=UTC)),
        credential(CredentialStatus.EXPIRED, "Ladders", expires_at=datetime(2026, 1, 1,
                                                                             tzinfo=UTC)),
        credential(CredentialStatus.REVOKED, "Scaffolds", expires_at=datetime(2027, 1, 1,
                                                                               tzinfo=UTC),
                   revoked_reason="Copied <script>alert(1)</script> evidence"),
        credential(CredentialStatus.SUPERSEDED, "Safety v1"),
    ]
    asked_for = []
    monkeypatch.setattr(api, "get_learner_credentials",
                        lambda user_id: asked_for.append(user_id) or shown)
    client.force_login(people["learner"])
    html = client.get(PAGE).content.decode()

    assert asked_for == [people["learner"].pk]  # only ever the signed-in person's
    assert ("<caption>You hold 1 valid credential. 4 more are waiting for approval or no "
            "longer valid.</caption>") in html  # the revoked one is not "held"
    assert rows(html) == [
        ["Forklift", "Waiting for approval", "1 March 2026", "Starts when approved"],
        ["First aid", "Active", "1 March 2026", "1 March 2027"],
        ["Ladders", "Expired", "1 March 2026", "1 January 2026"],
        ["Scaffolds", "Revoked Reason: Copied &lt;script&gt;alert(1)&lt;/script&gt; evidence",
         "1 March 2026", "No longer valid"],
        ["Safety v1", "Replaced by a newer version", "1 March 2026", "No longer valid"],
    ]
    assert "<script>alert(1)" not in html


def test_the_block_can_ask_the_api_where_the_page_is(client, people):
    assert api.get_credentials_page_url() == PAGE
    client.force_login(people["learner"])
    assert client.get(api.get_credentials_page_url()).status_code == 200


def test_studio_links_learners_to_the_lms(settings):
    """Studio (its preview of the block, its admin) serves none of the app's pages."""
    settings.LMS_ROOT_URL = "https://lms.example.org"
    assert api.get_credentials_page_url() == f"https://lms.example.org{PAGE}"


def test_an_operator_may_send_learners_to_another_credentials_page(settings):
    """E.g. the Learner Record MFE: the block's link follows CREDENTIALS_PAGE_URL."""
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP,
                               "CREDENTIALS_PAGE_URL": "https://apps.example.com/learner-record/"}
    assert api.get_credentials_page_url() == "https://apps.example.com/learner-record/"


def test_a_learner_without_credentials_is_told_how_to_earn_one(client, people):
    client.force_login(people["learner"])
    html = client.get(PAGE).content.decode()
    assert "You have no credentials yet." in html and "<table" not in html


def test_the_demo_home_links_to_the_page_which_keeps_the_demo_frame(client, people):
    client.force_login(people["learner"])
    assert f'href="{PAGE}"' in client.get("/").content.decode()
    html = client.get(PAGE).content.decode()
    assert "Switch user" in html  # rendered inside demo/base.html (PAGE_BASE_TEMPLATE)
    assert "<h1>My credentials</h1>" in html


def test_outside_the_demo_the_page_stands_alone_and_declares_its_language(client, people,
                                                                          settings):
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP,
                               "PAGE_BASE_TEMPLATE": "credential_app/base.html"}
    client.force_login(people["learner"])
    html = client.get(PAGE).content.decode()
    assert '<html lang="en-us" dir="ltr">' in html and "<main>" in html
    assert "Switch user" not in html


def test_a_credential_waiting_for_approval_then_approved(client, people, definition):
    from credential_app.models import IssuancePolicy

    IssuancePolicy.objects.create(definition=definition, requires_approval=True)
    definition.validity_days = 365
    definition.save()
    outcome = passed_attempt(people["learner"], people["staff"])
    client.force_login(people["learner"])
    [row] = rows(client.get(PAGE).content.decode())
    assert row[1:] == ["Waiting for approval", human_date(outcome.credential.issued_at),
                       "Starts when approved"]
    approved = api.approve_credential(credential_uuid=outcome.credential.uuid,
                                      approver_id=people["staff"].pk)
    [row] = rows(client.get(PAGE).content.decode())
    assert row[1] == "Active"
    assert approved.expires_at is not None  # a year's validity counts from approval
    assert row[3] == human_date(approved.expires_at)


def test_a_revoked_credential_shows_its_reason(client, people, definition):
    outcome = passed_attempt(people["learner"], people["staff"])
    api.revoke_credential(credential_uuid=outcome.credential.uuid, revoked_by=people["staff"].pk,
                          reason="Evidence was copied.")
    client.force_login(people["learner"])
    [row] = rows(client.get(PAGE).content.decode())
    assert row[1] == "Revoked Reason: Evidence was copied."


@pytest.mark.browser
def test_axe_finds_no_serious_problem_on_the_page(page, people):
    from tests.helpers import blocking_violations

    passed_attempt(people["learner"], people["staff"])
    page.goto(f"/demo/sign-in/?next={PAGE}")
    page.get_by_role("button", name="Sign in as Lee Learner").click()
    page.get_by_role("table", name="You hold 1 valid credential.").wait_for()
    assert blocking_violations(page) == []


def test_every_status_is_named_from_real_credentials_made_through_the_api(client, people):
    """The same page, fed by real credentials brought into each state the way it happens."""
    from datetime import timedelta

    from django.utils.timezone import now
    from opaque_keys.edx.keys import UsageKey

    from credential_app.models import CredentialDefinition, IssuancePolicy
    from tests.rest.test_rest_api import RUBRIC

    learner, staff = people["learner"], people["staff"]

    def earn(name, **fields):
        definition = CredentialDefinition.objects.get_or_create(
            slug=name.lower().replace(" ", "-"),
            defaults={"name": name, "pass_percentage": 70, **fields})[0]
        unit = UsageKey.from_string(
            f"block-v1:Org+Course+Run+type@credential_assessment+block@{definition.slug}")
        attempt = api.submit_attempt(user_id=learner.pk, usage_key=unit,
                                     credential_slug=definition.slug, rubric=RUBRIC,
                                     evidence_text="done", max_evidence_length=100)
        return api.record_assessment(attempt_id=attempt.id, usage_key=unit,
                                     assessor_id=staff.pk,
                                     scores=[api.CriterionScore("a", "yes")]).credential

    forklift = CredentialDefinition.objects.create(slug="forklift", name="Forklift",
                                                   pass_percentage=70)
    IssuancePolicy.objects.create(definition=forklift, requires_approval=True)
    pending = earn("Forklift")
    first_aid = earn("First aid", validity_days=365)
    ladders = earn("Ladders", validity_days=1)
    scaffolds = earn("Scaffolds", validity_days=365)
    api.revoke_credential(credential_uuid=scaffolds.uuid, revoked_by=staff.pk,
                          reason="Copied <script>alert(1)</script> evidence")
    old_safety = earn("Safety", validity_days=30)  # renewal window (60 days) already open
    new_safety = earn("Safety")
    assert api.expire_due_credentials(now=now() + timedelta(days=2)) == 1  # Ladders only

    client.force_login(learner)
    html = client.get(PAGE).content.decode()

    def day(value):
        return human_date(value)

    assert pending.status == CredentialStatus.PENDING_APPROVAL
    assert ("<caption>You hold 2 valid credentials. 4 more are waiting for approval or no "
            "longer valid.</caption>") in html
    assert sorted(rows(html)) == sorted([
        ["Forklift", "Waiting for approval", day(pending.issued_at), "Starts when approved"],
        ["First aid", "Active", day(first_aid.issued_at), day(first_aid.expires_at)],
        ["Ladders", "Expired", day(ladders.issued_at), day(ladders.expires_at)],
        ["Scaffolds", "Revoked Reason: Copied &lt;script&gt;alert(1)&lt;/script&gt; evidence",
         day(scaffolds.issued_at), "No longer valid"],
        ["Safety", "Replaced by a newer version", day(old_safety.issued_at),
         "No longer valid"],
        ["Safety", "Active", day(new_safety.issued_at), day(new_safety.expires_at)],
    ])
    assert "<script>alert(1)" not in html
    # nobody else's credentials: the other learner holds none, and sees none
    client.force_login(people["learner2"])
    assert "Forklift" not in client.get(PAGE).content.decode()


def test_each_public_credential_shows_its_picture(client, people, definition):
    from tests.badge_helpers import earn as earn_badge

    held = earn_badge(people["learner"], people["staff"])
    client.force_login(people["learner"])
    html = client.get(PAGE).content.decode()
    picture = reverse("credential_app:badge_png", args=[held.uuid])
    assert f'<img class="ca-thumb" src="{picture}" alt=""' in html
    assert client.get(picture)["Content-Type"] == "image/png"

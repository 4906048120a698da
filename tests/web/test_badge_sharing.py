"""What the holder shares on a credential's public pages, and the assessed-evidence page.

The holder chooses per credential, on their credentials page: name in full, first name and
last initial, or withheld (the default); written evidence shown or not (default not).
Files and assessors' comments are never public. Pending credentials have no public page.
"""
import re

import pytest
from django.test import Client
from django.urls import reverse

from credential_app import api
from credential_app.data import CredentialStatus, NameDisplay
from credential_app.models import AuditEntry, BadgeSharing, EvidenceFile, IssuancePolicy
from credential_app.openbadges import pages
from tests.badge_helpers import EVIDENCE, UNIT, earn, second_assessor

SAVED = "Your choices are saved."


def evidence_url(credential):
    return reverse("credential_app:badge_evidence", args=[credential.uuid])


def sharing_url(credential):
    return reverse("credential_app:badge_sharing", args=[credential.uuid])


def text_of(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def credential(people, definition):
    return earn(people["learner"], people["staff"])


# --- the holder's name ------------------------------------------------------------------

def test_holder_name_follows_the_choice(people):
    learner = people["learner"]  # Lee Learner
    assert pages.holder_name(learner, NameDisplay.FULL) == "Lee Learner"
    assert pages.holder_name(learner, NameDisplay.INITIAL) == "Lee L."
    assert pages.holder_name(learner, NameDisplay.HIDDEN) == ""


def test_holder_name_falls_back_to_the_open_edx_profile_name(people):
    class Profile:
        name = "Amara  Nwosu Obi"

    learner = people["learner"]
    learner.first_name = learner.last_name = ""
    learner.profile = Profile()
    assert pages.holder_name(learner, NameDisplay.FULL) == "Amara Nwosu Obi"
    assert pages.holder_name(learner, NameDisplay.INITIAL) == "Amara N."
    del learner.profile
    assert pages.holder_name(learner, NameDisplay.FULL) == ""


def test_the_default_withholds_name_and_evidence(credential):
    badge = api.get_public_badge(credential.uuid)
    assert badge.sharing.name_display == NameDisplay.HIDDEN
    assert badge.holder_name == "" and badge.evidence_text == ""


# --- choosing, on the credentials page ---------------------------------------------------

def test_the_learner_chooses_on_their_credentials_page_and_it_is_audited(client, people,
                                                                         credential):
    client.force_login(people["learner"])
    html = client.get(reverse("credential_app:learner-credentials")).content.decode()
    assert f'action="{sharing_url(credential)}"' in html
    assert re.search(rf'value="hidden" id="name-{credential.uuid}-hidden" checked', html)
    assert f'href="{reverse("credential_app:badge_page", args=[credential.uuid])}"' in html

    response = client.post(sharing_url(credential), {"name_display": "initial",
                                                     "share_evidence": "on"})
    assert response.status_code == 302
    uuid = credential.uuid
    assert response["Location"] == (
        f"{reverse('credential_app:learner-credentials')}?saved={uuid}#sharing-{uuid}")
    html = client.get(response["Location"]).content.decode()
    assert SAVED in html
    assert re.search(rf'value="initial" id="name-{credential.uuid}-initial" checked', html)
    assert re.search(rf'id="evidence-{credential.uuid}" checked', html)

    badge = api.get_public_badge(credential.uuid)
    assert badge.holder_name == "Lee L." and badge.evidence_text == EVIDENCE
    entry = AuditEntry.objects.get(action="sharing")
    assert entry.actor_id == entry.learner_id == people["learner"].pk
    assert entry.details["before"] == {"name_display": "hidden", "share_evidence": False}
    assert entry.details["after"] == {"name_display": "initial", "share_evidence": True}

    client.post(sharing_url(credential), {"name_display": "initial", "share_evidence": "on"})
    assert AuditEntry.objects.filter(action="sharing").count() == 1  # nothing changed


def test_nobody_changes_someone_elses_choice(client, people, credential):
    client.force_login(people["learner2"])
    response = client.post(sharing_url(credential), {"name_display": "full"})
    assert response.status_code == 404
    assert not BadgeSharing.objects.exists()
    client.logout()
    response = client.post(sharing_url(credential), {"name_display": "full"})
    assert response.status_code == 302 and "sign-in" in response["Location"]
    assert not BadgeSharing.objects.exists()


def test_the_choice_needs_csrf_post_and_a_known_value(people, credential):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["learner"])
    assert client.post(sharing_url(credential), {"name_display": "full"}).status_code == 403
    client = Client()
    client.force_login(people["learner"])
    assert client.get(sharing_url(credential)).status_code == 405
    response = client.post(sharing_url(credential), {"name_display": "<b>everyone</b>"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert not BadgeSharing.objects.exists()


def test_pending_credentials_have_no_public_page_or_sharing_form(client, people, definition):
    IssuancePolicy.objects.create(definition=definition, requires_approval=True)
    pending = earn(people["learner"], people["staff"])
    assert pending.status == CredentialStatus.PENDING_APPROVAL
    for name in ("badge_page", "badge_evidence", "badge_json", "badge_png", "badge_svg"):
        url = reverse(f"credential_app:{name}", args=[pending.uuid])
        assert client.get(url).status_code == 404, url
    nobody = "00000000-0000-0000-0000-000000000000"
    unknown = reverse("credential_app:badge_page", args=[nobody])
    assert client.get(unknown).status_code == 404
    assert client.get(unknown.replace(nobody, "not-a-uuid")).status_code == 404
    client.force_login(people["learner"])
    assert f"sharing-{pending.uuid}" not in client.get(
        reverse("credential_app:learner-credentials")).content.decode()


# --- the assessed-evidence page ---------------------------------------------------------

def test_evidence_page_shows_what_was_assessed_and_hides_the_text(client, people, definition):
    IssuancePolicy.objects.create(definition=definition, required_assessments=2)
    credential = earn(people["learner"], people["staff"], second_assessor())
    EvidenceFile.objects.create(
        user=people["learner"], course_key=UNIT.course_key, usage_key=UNIT,
        attempt_id=credential.attempt_id, storage_key="k/secret", display_name="site-plan.pdf",
        size=10, content_type="application/pdf", sha256="0" * 64)

    html = client.get(evidence_url(credential)).content.decode()  # nobody signed in
    text = text_of(html)
    assert "Assessed task Warehouse safety walk" in text
    assert "Credential Workplace Safety Practitioner" in text
    assert "Scored independently by 2 assessors" in text
    assert "Hazard identification Every serious hazard 4 of 4" in text
    assert "Controls &lt;chosen&gt; Matched to each hazard 4 of 4" in text
    assert "Name not shown (the holder may choose to show it)" in text
    assert "The learner chose not to share their written evidence." in text
    assert "warehouse floor" not in html
    assert "Private note" not in html  # assessors' comments are for the learner only
    assert "site-plan.pdf" not in html and "k/secret" not in html


def test_evidence_page_shows_shared_text_escaped(client, people, credential):
    api.set_badge_sharing(user_id=people["learner"].pk, credential_uuid=credential.uuid,
                          name_display="full", share_evidence=True)
    html = client.get(evidence_url(credential)).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; warehouse floor" in html
    assert "<script>alert" not in html
    assert "Forklift route &amp; walkway." in html
    assert "Lee Learner" in html



def test_a_renewal_keeps_the_name_choice_but_not_the_evidence_choice(people, credential):
    from credential_app.models import Credential

    api.set_badge_sharing(user_id=people["learner"].pk, credential_uuid=credential.uuid,
                          name_display="full", share_evidence=True)
    # The learner passes again later: a renewal replaces the credential.
    Credential.objects.filter(uuid=credential.uuid).update(status="expired",
                                                           live_state=None)
    renewed = earn(people["learner"], people["staff"], evidence="New evidence.")
    assert renewed.uuid != credential.uuid
    badge = api.get_public_badge(renewed.uuid)
    assert badge.holder_name == "Lee Learner"  # as chosen before
    assert badge.evidence_text == "" and not badge.sharing.share_evidence
    assert api.get_badge_sharing(people["learner"].pk)[renewed.uuid].name_display == "full"
    # Another learner's choices never leak across.
    other = earn(people["learner2"], people["staff"])
    assert api.get_public_badge(other.uuid).holder_name == ""


def test_a_retired_learner_is_no_longer_named(people, credential):
    api.set_badge_sharing(user_id=people["learner"].pk, credential_uuid=credential.uuid,
                          name_display="full", share_evidence=True)
    api.retire_user(people["learner"].pk)
    badge = api.get_public_badge(credential.uuid)  # still public: it now says "revoked"
    assert badge.credential.status == CredentialStatus.REVOKED
    assert badge.holder_name == "" and badge.evidence_text == ""
    assert not BadgeSharing.objects.exists()

"""Admin for credential definitions (validated, with help) and credential approve/revoke."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from credential_app import api, credentials
from credential_app.data import CredentialStatus
from credential_app.models import Credential, CredentialDefinition
from tests.lifecycle_helpers import assess, passed_attempt, submit

ADD_URL = "/admin/credential_app/credentialdefinition/add/"
CREDENTIALS_URL = "/admin/credential_app/credential/"


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (200, 200), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def definition_form(issuer, /, **overrides):
    form = {
        "name": "Forklift Operator", "slug": "forklift-operator", "description": "",
        "criteria_narrative": "Operated a forklift safely in a live warehouse.",
        "issuer": issuer.pk, "pass_percentage": 70, "validity_days": 730,
        "renewal_window_days": 60, "old_holders": "keep", "bridging_days": "",
        "previous_version": "",
        "alignments-TOTAL_FORMS": 1, "alignments-INITIAL_FORMS": 0,
        "alignments-MIN_NUM_FORMS": 0, "alignments-MAX_NUM_FORMS": 1000,
        "alignments-0-framework": "ESCO", "alignments-0-code": "8344",
        "alignments-0-name": "Lifting truck operators",
        "alignments-0-url": "https://esco.example.org/8344",
    }
    for inline in ("issuance_policy", "retake_policy"):  # the policy inlines, left empty
        form.update({f"{inline}-TOTAL_FORMS": 0, f"{inline}-INITIAL_FORMS": 0,
                     f"{inline}-MIN_NUM_FORMS": 0, f"{inline}-MAX_NUM_FORMS": 1})
    form.update(overrides)
    return form


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def test_definition_is_created_with_image_issuer_and_alignment(admin_client, issuer, media):
    page = admin_client.get(ADD_URL)
    assert page.status_code == 200
    assert b"never expires" in page.content  # help text explains the validity field
    response = admin_client.post(ADD_URL, definition_form(
        issuer, image=SimpleUploadedFile("badge.png", png_bytes(), "image/png")))
    assert response.status_code == 302, response.content.decode()[:2000]
    created = CredentialDefinition.objects.get(slug="forklift-operator")
    assert created.image.name.startswith("credential_images/")
    assert (media / created.image.name).exists()
    data = api.get_credential_definition("forklift-operator")
    assert data.image_url.endswith(".png") and data.issuer.email == issuer.email
    assert data.alignments[0].code == "8344" and data.validity_days == 730


@pytest.mark.parametrize("overrides, field, message", [
    ({"image": SimpleUploadedFile("badge.png", b"not an image at all", "image/png")},
     "image", "Upload a valid image"),
    ({"validity_days": 30, "renewal_window_days": 30}, "renewal_window_days", "shorter"),
    ({"old_holders": "bridge"}, "bridging_days", "how many days"),
    ({"issuer": ""}, "issuer", "required"),
    ({"alignments-0-url": "not a url"}, "url", "valid URL"),
])
def test_bad_definition_values_are_refused_naming_the_field(admin_client, issuer, media,
                                                            overrides, field, message):
    response = admin_client.post(ADD_URL, definition_form(issuer, **overrides))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    inline_errors = [e for formset in response.context["inline_admin_formsets"]
                     for e in formset.formset.errors]
    found = {**errors, **{k: v for e in inline_errors for k, v in e.items()}}
    assert field in found and message in " ".join(found[field])
    assert not CredentialDefinition.objects.filter(slug="forklift-operator").exists()


def test_publish_action_puts_a_draft_in_force(admin_client, people, definition, issuer):
    draft = CredentialDefinition.objects.create(slug="v2", name="Safety v2", issuer=issuer,
                                                previous_version=definition, version=2)
    response = admin_client.post("/admin/credential_app/credentialdefinition/",
                                 {"action": "publish_new_version",
                                  "_selected_action": [draft.pk]}, follow=True)
    assert b"now in force" in response.content
    assert api.get_credential_definition(definition.slug).slug == "v2"


def select(admin_client, action, credential, **extra):
    return admin_client.post(CREDENTIALS_URL, {"action": action,
                                               "_selected_action": [credential.pk], **extra})


def test_revoke_action_asks_for_a_reason_first(admin_client, people, definition):
    issued = assess(submit(people["learner"]), people["staff"], "yes").credential
    credential = Credential.objects.get(uuid=issued.uuid)

    ask = select(admin_client, "revoke_credentials", credential)
    assert ask.status_code == 200 and b"Why is it revoked?" in ask.content
    assert b'<label for="id_reason">' in ask.content
    empty = select(admin_client, "revoke_credentials", credential, confirm="yes", reason=" ")
    assert empty.status_code == 200 and b"required" in empty.content
    assert api.get_credential(issued.uuid).status == CredentialStatus.ACTIVE

    done = select(admin_client, "revoke_credentials", credential, confirm="yes",
                  reason="Evidence <b>copied</b>")
    assert done.status_code == 302
    revoked = api.get_credential(issued.uuid)
    assert (revoked.status, revoked.revoked_reason) == (CredentialStatus.REVOKED,
                                                        "Evidence <b>copied</b>")


def test_approve_action_activates_pending_credentials(admin_client, people, definition):
    pending = credentials.issue_for_attempt(passed_attempt(people["learner"]),
                                            needs_approval=True)
    assert b"approve_credentials" in admin_client.get(CREDENTIALS_URL).content
    response = select(admin_client, "approve_credentials",
                      Credential.objects.get(uuid=pending.uuid))
    assert response.status_code == 302
    assert api.get_credential(pending.uuid).status == CredentialStatus.ACTIVE


def test_staff_without_the_permission_cannot_approve_or_revoke(client, people, definition):
    staff = people["staff"]
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="view_credential"))
    client.force_login(staff)
    pending = credentials.issue_for_attempt(passed_attempt(people["learner"]),
                                            needs_approval=True)
    listing = client.get(CREDENTIALS_URL)
    assert listing.status_code == 200 and b"approve_credentials" not in listing.content
    select(client, "approve_credentials", Credential.objects.get(uuid=pending.uuid))
    select(client, "revoke_credentials", Credential.objects.get(uuid=pending.uuid),
           confirm="yes", reason="because")
    assert api.get_credential(pending.uuid).status == CredentialStatus.PENDING_APPROVAL

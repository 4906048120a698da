"""Admin for credential definitions (validated, with help) and credential approve/revoke."""
import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from credential_app import api
from credential_app.core import credentials
from credential_app.data import CredentialStatus
from credential_app.models import Credential, CredentialDefinition
from tests.core.test_policies import change_page_data
from tests.lifecycle_helpers import assess, passed_attempt, submit

ADD_URL = "/admin/credential_app/credentialdefinition/add/"
CREDENTIALS_URL = "/admin/credential_app/credential/"


def image_bytes(kind="PNG", size=200, noise=False):
    buffer = io.BytesIO()
    if noise:  # random pixels do not compress: a large file
        image = Image.frombytes("RGB", (size, size), os.urandom(size * size * 3))
    else:
        image = Image.new("RGB", (size, size), "teal")
    image.save(buffer, kind)
    return buffer.getvalue()


def png_bytes():
    return image_bytes()


def definition_form(client, issuer, /, **overrides):
    """The add page as a browser would post it (every inline included), filled in."""
    form = change_page_data(client, ADD_URL)
    form.update({
        "name": "Forklift Operator", "slug": "forklift-operator",
        "criteria_narrative": "Operated a forklift safely in a live warehouse.",
        "issuer": issuer.pk, "pass_percentage": 70, "validity_days": 730,
        "renewal_window_days": 60, "old_holders": "keep",
        "alignments-0-framework": "ESCO", "alignments-0-code": "8344",
        "alignments-0-name": "Lifting truck operators",
        "alignments-0-url": "https://esco.example.org/8344",
    })
    form.update(overrides)
    return {key: value for key, value in form.items() if value is not None}


def test_definition_is_created_with_image_issuer_and_alignment(admin_client, issuer, media):
    page = admin_client.get(ADD_URL)
    assert page.status_code == 200
    assert b"never expires" in page.content  # help text explains the validity field
    response = admin_client.post(ADD_URL, definition_form(
        admin_client, issuer, image=SimpleUploadedFile("badge.png", png_bytes(), "image/png")))
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
    ({"image": SimpleUploadedFile("badge.gif", image_bytes("GIF"), "image/gif")},
     "image", "not allowed"),
    ({"image": SimpleUploadedFile("badge.png", image_bytes(size=700, noise=True),
                                  "image/png")}, "image", "the limit is 1.0"),
    ({"validity_days": 30, "renewal_window_days": 30}, "renewal_window_days", "shorter"),
    ({"validity_days": 0}, "validity_days", "greater than or equal to 1"),
    ({"old_holders": "bridge"}, "bridging_days", "how many days"),
    ({"issuer": ""}, "issuer", "required"),
    ({"alignments-0-url": "not a url"}, "url", "valid URL"),
])
def test_bad_definition_values_are_refused_naming_the_field(admin_client, issuer, media,
                                                            overrides, field, message):
    response = admin_client.post(ADD_URL, definition_form(admin_client, issuer, **overrides))
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


def test_revoking_all_across_pages_revokes_every_one_the_page_named(admin_client, people,
                                                                    definition, monkeypatch):
    """"Select all N" across list pages: the confirmation lists them all and revokes them all,
    not only those on the page the action was chosen from."""
    from credential_app.core.admin import CredentialAdmin

    monkeypatch.setattr(CredentialAdmin, "list_per_page", 1)
    issued = [credentials.issue_for_attempt(passed_attempt(people[name]))
              for name in ("learner", "learner2")]
    first = Credential.objects.get(uuid=issued[0].uuid)

    ask = select(admin_client, "revoke_credentials", first, select_across="1")
    assert ask.status_code == 200
    hidden = ask.context["selected"]
    assert sorted(hidden) == sorted(str(c.pk) for c in Credential.objects.all())

    done = admin_client.post(CREDENTIALS_URL, {
        "action": "revoke_credentials", "_selected_action": hidden, "confirm": "yes",
        "reason": "Assessor found to be unqualified."})
    assert done.status_code == 302
    assert {api.get_credential(c.uuid).status for c in issued} == {CredentialStatus.REVOKED}


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


def test_only_the_version_in_force_can_be_replaced_and_history_is_fixed(admin_client,
                                                                      definition, issuer):
    draft = CredentialDefinition.objects.create(slug="v2", name="Safety v2", issuer=issuer,
                                                previous_version=definition, version=2)
    choices = admin_client.get(ADD_URL).context["adminform"].form.fields[
        "previous_version"].queryset
    assert list(choices) == []  # v1 already has a draft successor; drafts are not in force
    api.publish_new_version(slug="v2", actor_id=None)
    choices = admin_client.get(ADD_URL).context["adminform"].form.fields[
        "previous_version"].queryset
    assert list(choices) == [draft]
    change = admin_client.get(f"/admin/credential_app/credentialdefinition/{draft.pk}/change/")
    assert "previous_version" not in change.context["adminform"].form.fields

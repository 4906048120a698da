"""Issued credentials as signed Open Badges 3.0: content, schema, proof, status, keys."""
# ruff: noqa: F811 (pytest fixtures imported from tests.openbadge_helpers)
import json

import pytest
from django.urls import reverse

from credential_app import api
from credential_app.models import SignedBadge
from credential_app.openbadges import (
    data_integrity,
    issuer_identity,
    status_list,
)
from credential_app.openbadges import (
    keys as signing_keys,
)
from tests.openbadge_helpers import (  # noqa: F401 (fixtures)
    BASE_URL,
    OLD_KEY,
    assert_valid_ob3,
    issue,
    key_settings,
    keys,
    new_key,
)

pytestmark = pytest.mark.django_db


def badge_of(credential):
    return api.get_open_badge(str(credential.uuid))


def test_credential_says_what_was_achieved_and_validates_against_the_schema(
        people, definition, keys):
    credential = issue(people, definition, alignments=True, validity_days=365)
    badge = badge_of(credential)

    assert_valid_ob3(badge)
    assert badge["@context"] == ["https://www.w3.org/ns/credentials/v2",
                                 "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
                                 "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"]
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    # did:web: the DID document's address, https://learn.example.org/credential-app/...
    issuer_did = ("did:web:learn.example.org:credential-app:openbadges:issuers:"
                  f"{definition.issuer_id}")
    assert badge["issuer"] == {"id": issuer_did, "type": ["Profile"], "name": "Safety Board",
                               "url": "https://safety.example.org",
                               "email": "badges@safety.example.org"}
    achievement = badge["credentialSubject"]["achievement"]
    assert achievement["criteria"] == {"narrative": "Shows safe work on site."}
    assert achievement["alignment"] == [{
        "type": ["Alignment"], "targetName": "Apply health and safety standards",
        "targetUrl": "https://esco.example.org/skill/s1-2", "targetFramework": "ESCO",
        "targetCode": "S1.2"}]
    criteria = {d["name"]: d for d in achievement["resultDescription"]}
    assert criteria["A"]["resultType"] == "RubricCriterionLevel"
    assert [level["name"] for level in criteria["B"]["rubricCriterionLevel"]] == \
        ["no", "some", "yes"]
    assert [level["points"] for level in criteria["B"]["rubricCriterionLevel"]] == \
        ["0", "1", "2"]
    # the achieved level per criterion points at that criterion's level
    results = {r["resultDescription"]: r for r in badge["credentialSubject"]["result"]}
    b_levels = {level["name"]: level["id"] for level in criteria["B"]["rubricCriterionLevel"]}
    assert results[criteria["B"]["id"]]["achievedLevel"] == b_levels["some"]
    assert results[criteria["A"]["id"]]["achievedLevel"].endswith("level-yes")
    score = next(d for d in achievement["resultDescription"] if d["resultType"] == "RubricScore")
    assert results[score["id"]]["value"] == "4"
    assert badge["validFrom"] == credential.issued_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert badge["validUntil"] == credential.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert badge["credentialStatus"]["type"] == "BitstringStatusListEntry"
    assert badge["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    assert badge["proof"][0]["verificationMethod"] == f"{issuer_did}#key-2026"


def test_recipient_is_a_salted_hash_never_the_email(people, definition, keys):
    import hashlib

    credential = issue(people, definition)
    text = json.dumps(badge_of(credential))
    assert "learner@example.com" not in text
    identity = badge_of(credential)["credentialSubject"]["identifier"][0]
    assert identity["hashed"] is True and identity["identityType"] == "emailAddress"
    assert identity["identityHash"] == "sha256$" + hashlib.sha256(
        ("learner@example.com" + identity["salt"]).encode()).hexdigest()


def test_evidence_is_a_summary_and_a_link_never_the_files(people, definition, keys):
    credential = issue(people, definition)
    [evidence] = badge_of(credential)["evidence"]
    assert evidence["id"] == BASE_URL + reverse("credential_app:badge_evidence",
                                                kwargs={"uuid": credential.uuid})
    assert evidence["name"] == "Site inspection"
    assert "4 of 5 points" in evidence["description"]
    assert "evidence" not in json.dumps(evidence).replace("/evidence/", "").replace(
        "Evidence", "").lower().replace("evidence handed", "")


def test_without_expiry_without_issuer_and_without_alignments(people, definition, keys):
    credential = issue(people, definition, issuer=False)
    badge = badge_of(credential)
    assert_valid_ob3(badge)
    assert "validUntil" not in badge
    assert "alignment" not in badge["credentialSubject"]["achievement"]
    assert badge["issuer"]["id"].endswith(":openbadges:issuers:platform")


def test_revoked_credential_still_validates_and_its_bit_is_published(people, definition,
                                                                     keys, client):
    credential = issue(people, definition, validity_days=30)
    badge = badge_of(credential)
    api.revoke_credential(credential_uuid=str(credential.uuid), revoked_by=people["staff"].pk,
                          reason="Evidence was copied.")
    status_list.on_status_changed(None, api.get_credential(str(credential.uuid)))
    assert_valid_ob3(badge_of(credential))
    assert badge_of(credential) == badge  # revocation does not change the credential
    entry = badge["credentialStatus"]
    response = client.get(entry["statusListCredential"].removeprefix(BASE_URL))
    assert response.status_code == 200
    published = response.json()
    assert published["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    bits = status_list.decode(published["credentialSubject"]["encodedList"])
    assert len(bits) >= 16 * 1024
    assert status_list.bit(bits, int(entry["statusListIndex"]))
    assert sum(bin(b).count("1") for b in bits) == 1
    key = issuer_identity.resolve(published["proof"]["verificationMethod"]).public_key
    data_integrity.verify(published, key)


def test_served_document_is_stable_and_stored(people, definition, keys):
    credential = issue(people, definition)
    first = badge_of(credential)
    assert badge_of(credential) == first
    stored = SignedBadge.objects.get(credential=credential)
    assert json.loads(stored.document) == first
    assert "private" not in stored.document.lower()


def test_pending_credential_has_no_badge_yet(people, definition, keys):
    from credential_app.core.credentials import issue_for_attempt
    from tests.lifecycle_helpers import passed_attempt

    definition.save()
    pending = issue_for_attempt(passed_attempt(people["learner"]), needs_approval=True)
    with pytest.raises(api.CredentialNotFound, match="waiting for approval"):
        api.get_open_badge(pending.uuid)


def test_did_document_lists_current_and_retired_keys(people, definition, keys, client):
    credential = issue(people, definition)
    did = badge_of(credential)["issuer"]["id"]
    path = reverse("credential_app:badge-issuer-did", args=[definition.issuer_id])
    assert "https://" + did.removeprefix("did:web:").replace(":", "/") + "/did.json" == \
        BASE_URL + path  # did:web resolution
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/did+json"
    document = response.json()
    assert document["id"] == did
    assert [m["id"] for m in document["verificationMethod"]] == [f"{did}#key-2026",
                                                                  f"{did}#key-2025"]
    assert all(m["type"] == "Multikey" and m["publicKeyMultibase"].startswith("z6Mk")
               for m in document["verificationMethod"])
    assert document["assertionMethod"] == [f"{did}#key-2026", f"{did}#key-2025"]
    assert client.get(reverse("credential_app:badge-issuer-did", args=[999])).status_code == 404


def test_key_rotation_new_credentials_use_new_key_old_ones_keep_verifying(
        people, definition, new_key):
    with key_settings(OLD_KEY):
        old = issue(people, definition)
        old_badge = badge_of(old)
    assert old_badge["proof"][0]["verificationMethod"].endswith("#key-2025")
    retired = {"id": "key-2025", "public_key": "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}
    with key_settings(new_key, retired):
        assert api.verify_open_badge(old_badge).valid
        new = issue(people, definition, issuer=False, learner="learner2")
        assert badge_of(new)["proof"][0]["verificationMethod"].endswith("#key-2026")
        assert api.verify_open_badge(badge_of(new)).valid
        assert badge_of(old) == old_badge  # not re-signed by itself
    with key_settings(new_key):  # the old key is no longer listed at all
        assert api.verify_open_badge(old_badge).codes == ("wrong_key",)


@pytest.mark.db_server  # raw rows
def test_signing_keys_never_reach_the_database(people, definition, keys, django_db_blocker):
    from django.db import connection

    issue(people, definition)
    secret = keys["private_key"]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            assert secret not in repr(cursor.fetchall()), table


def test_misconfigured_keys_are_refused_without_echoing_them(settings):
    from django.core.exceptions import ImproperlyConfigured

    with key_settings({"id": "bad", "private_key": "zNotAKeyAtAll"}):
        with pytest.raises(ImproperlyConfigured) as caught:
            signing_keys.current()
    assert "zNotAKeyAtAll" not in str(caught.value)


def test_retirement_forgets_the_recipient_hash_but_keeps_the_revocation(people, definition,
                                                                       keys):
    credential = issue(people, definition)
    badge = badge_of(credential)
    old_hash = badge["credentialSubject"]["identifier"][0]["identityHash"]
    api.retire_user(people["learner"].pk)
    stored = SignedBadge.objects.get(credential=credential)
    assert old_hash not in stored.document  # the stored document is gone
    result = api.verify_open_badge(badge)  # a copy kept by someone says: revoked
    assert result.status == "revoked"
    assert old_hash not in json.dumps(badge_of(credential))


def test_the_achievement_names_its_picture_and_the_site_serves_it(client, people, definition,
                                                                   keys):
    badge = badge_of(issue(people, definition))
    image = badge["credentialSubject"]["achievement"]["image"]
    assert image["type"] == "Image" and image["caption"] == definition.name
    assert image["id"] == BASE_URL + reverse("credential_app:achievement-image",
                                             args=[definition.slug])
    response = client.get(image["id"].removeprefix(BASE_URL))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    no_such = reverse("credential_app:achievement-image", args=["no-such"])
    assert client.get(no_such).status_code == 404
    assert_valid_ob3(badge)

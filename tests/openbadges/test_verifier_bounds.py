"""The public verifier costs little whatever a stranger sends: each attack from the review
is answered quickly with a reason (never a 500, never minutes of CPU), and a status list
of another issuer is not trusted. Timings are in ``bench/verify_adversarial.py``."""
# ruff: noqa: F811 (pytest fixtures imported from tests.openbadge_helpers)
import json

import pytest
from django.urls import reverse, reverse_lazy

from credential_app import api
from credential_app.models import BadgeStatusList
from credential_app.openbadges import (
    data_integrity,
    issuer_identity,
    jsonld,
    openbadge_credential,
    status_list,
)
from credential_app.openbadges import keys as signing_keys
from credential_app.openbadges.multikey import multibase_decode
from tests.openbadge_helpers import issue, keys, new_key  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
VERIFY = reverse_lazy("credential_app:rest-verify")


@pytest.fixture
def badge(people, definition, keys):
    return api.get_open_badge(str(issue(people, definition).uuid))


def linked_blank_nodes(count: int) -> list[dict]:
    """``count`` look-alike blank nodes, each linked to all the others: RDFC-1.0's worst
    case (eight of them once took over a minute)."""
    return [{"id": f"_:n{i}", "type": ["Evidence"],
             "endorsement": [{"id": f"_:n{j}"} for j in range(count) if j != i]}
            for i in range(count)]


def test_linked_blank_nodes_are_refused_as_too_complex(badge):
    unsecured = {key: value for key, value in badge.items() if key != "proof"}
    unsecured["evidence"] = linked_blank_nodes(10)
    with pytest.raises(jsonld.TooComplex):
        jsonld.canonicalize(unsecured)
    forged = {**unsecured, "proof": badge["proof"]}  # names our issuer and our key
    result = api.verify_open_badge(forged)
    assert (result.valid, result.codes) == (False, ("too_complex",))
    assert "too long to check" in result.reasons[0]


def test_a_long_proof_value_is_refused_before_any_decoding(badge):
    forged = json.loads(json.dumps(badge))
    forged["proof"][0]["proofValue"] = "z" + "2" * 200_000
    result = api.verify_open_badge(forged)
    assert (result.valid, result.codes) == (False, ("malformed",))
    with pytest.raises(ValueError):
        multibase_decode("z" + "2" * 200_000)  # never quadratic work on a long string


@pytest.mark.parametrize("depth", [40, 50_000])
def test_deeply_nested_json_is_a_400_with_a_reason(client, badge, depth):
    nested = "[" * depth + "]" * depth
    body = json.dumps(badge).replace('"name":', f'"deep": {nested}, "name":', 1)
    response = client.post(VERIFY, body, content_type="application/json")
    assert response.status_code == 400
    assert "nested" in response.json()["error"] or "not valid JSON" in response.json()["error"]
    page = client.post(reverse("credential_app:badge_verify"), {"credential": body})
    assert page.status_code == 200 and "Not valid" in page.content.decode()


def test_a_status_list_of_another_issuer_is_not_trusted(badge):
    """Signed by its issuer, but naming the revocation list of another issuer of this site
    (whose bits say nothing about it): the Bitstring Status List spec says not to trust it."""
    other = BadgeStatusList.objects.create(issuer_ref=issuer_identity.PLATFORM,
                                           size=status_list.list_size())
    url = openbadge_credential.status_list_url(other.pk)
    unsecured = {key: value for key, value in badge.items() if key != "proof"}
    unsecured["credentialStatus"] = {**badge["credentialStatus"], "statusListCredential": url,
                                     "id": f"{url}#5", "statusListIndex": "5"}
    forged = data_integrity.sign(unsecured, private_key=signing_keys.current().private_key,
                                 verification_method=badge["proof"][0]["verificationMethod"],
                                 created=badge["proof"][0]["created"])
    result = api.verify_open_badge(forged)
    assert not result.valid and "belongs to another issuer" in " ".join(result.reasons)
    assert api.verify_open_badge(badge).valid  # its own list is fine


def test_the_verify_page_names_the_signer_not_the_claimed_name(client, badge):
    page = client.post(reverse("credential_app:badge_verify"),
                       {"credential": json.dumps(badge)}).content.decode()
    assert "Valid credential" in page
    assert badge["issuer"]["id"] in page and "one of this site’s issuers" in page

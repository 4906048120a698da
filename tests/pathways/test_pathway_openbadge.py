"""A pathway credential is an Open Badges 3.0 credential like any other: schema-valid, its
achievement naming its components as ``related`` achievements, its evidence the component
credentials' own pages, and verified by software we did not write (``tests/independent``)."""
# ruff: noqa: F811 (pytest fixtures imported from tests.openbadge_helpers)
import json

import pytest
from django.urls import reverse

from credential_app import api
from credential_app.models import Credential
from credential_app.openbadges import baking
from tests import independent
from tests.openbadge_helpers import (  # noqa: F401 (fixtures)
    assert_valid_ob3,
    keys,
    new_key,
)
from tests.openbadges.test_independent_verification import fetch, world_of
from tests.pathway_helpers import PATHWAY, earn, make_pathway

pytestmark = pytest.mark.django_db


@pytest.fixture
def pathway_badge(people, keys):
    make_pathway()
    people["learner"].email = "lee@example.com"
    people["learner"].save()
    parts = [earn(people, "hazard-spotting"), earn(people, "safe-lifting")]
    held = Credential.objects.get(definition__slug=PATHWAY)
    return held, parts


def test_the_pathway_achievement_names_its_components_and_is_schema_valid(pathway_badge):
    held, parts = pathway_badge
    badge = api.get_open_badge(str(held.uuid))
    assert_valid_ob3(badge)
    achievement = badge["credentialSubject"]["achievement"]
    components = [api.get_open_badge(part.uuid)["credentialSubject"]["achievement"]
                  for part in parts]
    assert achievement["related"] == [{"id": c["id"], "type": ["Related"], "version": "1"}
                                      for c in components]
    assert achievement["achievementType"] == "Certificate"
    assert achievement["criteria"]["narrative"] == "Holds the site safety units."
    assert "result" not in badge["credentialSubject"]  # nothing was scored for it
    assert [e["name"] for e in badge["evidence"]] == ["Hazard Spotting", "Safe Lifting"]
    assert [e["id"].rsplit("/badges/", 1)[1] for e in badge["evidence"]] == [
        f"{part.uuid}/" for part in parts]


def test_the_pathway_badge_verifies_in_an_independent_verifier(client, pathway_badge):
    held, _parts = pathway_badge
    uuid = str(held.uuid)
    as_json = json.loads(fetch(client, reverse("credential_app:badge_json", args=[uuid])))
    from_png = json.loads(baking.unbake(fetch(client, reverse("credential_app:badge_png",
                                                               args=[uuid]))))
    world = world_of(client, as_json)
    said = independent.run(credentials=[as_json, from_png], documents=[as_json], **world)
    assert [(r["verified"], r["errors"]) for r in said["credentials"]] == [(True, [])] * 2
    assert [r["revoked"] for r in said["credentials"]] == [False, False]
    assert said["documents"] == [{"canonical": True, "error": None}]


def test_a_pathway_revoked_with_its_requirement_is_revoked_for_a_verifier(
        client, people, pathway_badge):
    held, parts = pathway_badge
    api.get_open_badge(str(held.uuid))  # signed before the revocation, as in life
    api.revoke_credential(credential_uuid=parts[0].uuid, revoked_by=people["staff"].pk,
                          reason="Evidence was copied.")
    as_json = json.loads(fetch(client, reverse("credential_app:badge_json",
                                               args=[str(held.uuid)])))
    said = independent.run(credentials=[as_json], **world_of(client, as_json))
    assert [r["revoked"] for r in said["credentials"]] == [True]

"""Shared steps of the badge page tests: a credential earned on a two-criterion rubric."""
import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from opaque_keys.edx.keys import UsageKey

from credential_app import api
from credential_app.data import CriterionScore, EvidenceSettings, Rubric
from credential_xblock.demo_scenarios import DEMO_CREDENTIAL_SLUG

UNIT = UsageKey.from_string("block-v1:Org+Course+Run+type@credential_assessment+block@badge1")
RUBRIC = Rubric.from_dict({"criteria": [
    {"name": "hazards", "label": "Hazard identification", "levels": [
        {"name": "missed", "label": "Missed hazards", "points": 0},
        {"name": "complete", "label": "Every serious hazard", "points": 4}]},
    {"name": "controls", "label": "Controls <chosen>", "levels": [
        {"name": "generic", "label": "Generic", "points": 1},
        {"name": "matched", "label": "Matched to each hazard", "points": 4}]},
]})
EVIDENCE = "I walked the <script>alert('x')</script> warehouse floor.\n\nForklift route & walkway."
SCORES = [CriterionScore("hazards", "complete", "Private note for the learner."),
          CriterionScore("controls", "matched", "")]


def register_unit(rubric=RUBRIC):
    api.register_assessment_unit(usage_key=UNIT, credential_slug=DEMO_CREDENTIAL_SLUG,
                                 display_name="Warehouse safety walk", rubric=rubric,
                                 evidence=EvidenceSettings())


def sized_rubric(criteria):
    """A rubric of ``criteria`` criteria, and scores reaching the top level of each."""
    rubric = Rubric.from_dict({"criteria": [
        {"name": f"c{n}", "label": f"Criterion {n}", "levels": [
            {"name": "no", "points": 0}, {"name": "yes", "points": 2}]}
        for n in range(criteria)]})
    return rubric, [CriterionScore(f"c{n}", "yes", "") for n in range(criteria)]


def earn(learner, *assessors, evidence=EVIDENCE, rubric=RUBRIC, scores=SCORES):
    """``learner`` hands in evidence and each assessor scores it; returns the credential."""
    register_unit(rubric)
    attempt = api.submit_attempt(user_id=learner.pk, usage_key=UNIT,
                                 credential_slug=DEMO_CREDENTIAL_SLUG, rubric=rubric,
                                 evidence_text=evidence, max_evidence_length=1000)
    outcome = None
    for assessor in assessors:
        outcome = api.record_assessment(attempt_id=attempt.id, usage_key=UNIT,
                                        assessor_id=assessor.pk, scores=scores)
    assert outcome.credential is not None
    return outcome.credential


def second_assessor():
    return get_user_model().objects.create_user("assessor2", first_name="Ada",
                                                last_name="Second", is_staff=True)


@pytest.fixture(autouse=True)
def fresh_rate_counts():
    """Verifications are rate-limited per address in Django's cache: each test starts afresh
    (use with ``from .badge_helpers import fresh_rate_counts``)."""
    cache.clear()
    yield
    cache.clear()

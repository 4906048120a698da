"""Shared steps of the pathway tests: component credentials with their own units, a pathway
that stacks them, and earning a component the real way (submit, assess, pass)."""
from django.db import transaction
from opaque_keys.edx.keys import UsageKey

from credential_app import api
from credential_app.core import credentials
from credential_app.data import AttemptStatus, CriterionScore, EvidenceSettings
from credential_app.models import (
    Attempt,
    CredentialDefinition,
    IssuancePolicy,
    Issuer,
    Pathway,
    PathwayRequirement,
)
from tests.core.test_api import RUBRIC

COMPONENTS = {"hazard-spotting": "Hazard Spotting",
              "safe-lifting": "Safe Lifting",
              "first-response": "First Response"}
PATHWAY = "site-safety-lead"


def unit_of(slug) -> UsageKey:
    return UsageKey.from_string(
        f"block-v1:Org+Course+Run+type@credential_assessment+block@{slug}")


def component(slug, name=None, *, issuer=None) -> CredentialDefinition:
    definition = CredentialDefinition.objects.create(
        slug=slug, name=name or COMPONENTS[slug], pass_percentage=60, issuer=issuer,
        description=f"Can do {slug.replace('-', ' ')}.")
    api.register_assessment_unit(usage_key=unit_of(slug), credential_slug=slug,
                                 display_name=f"{definition.name} unit", rubric=RUBRIC,
                                 evidence=EvidenceSettings())
    return definition


def make_pathway(slugs=tuple(COMPONENTS)[:2], *, required_count=None, rule="revoke",
                 approval=False, slug=PATHWAY, name="Site Safety Lead", issuer=True
                 ) -> Pathway:
    """Components (created if missing) and a pathway credential that requires them."""
    owner = None
    if issuer:
        owner = Issuer.objects.first() or Issuer.objects.create(
            name="Safety Board", url="https://safety.example.org",
            email="badges@safety.example.org")
    parts = [CredentialDefinition.objects.filter(slug=s).first() or component(s, issuer=owner)
             for s in slugs]
    definition = CredentialDefinition.objects.create(
        slug=slug, name=name, issuer=owner, description="Leads safety on a site.",
        criteria_narrative="Holds the site safety units.")
    if approval:
        IssuancePolicy.objects.create(definition=definition, requires_approval=True)
    pathway = Pathway.objects.create(definition=definition, required_count=required_count,
                                     when_requirement_lost=rule)
    for position, part in enumerate(parts):
        PathwayRequirement.objects.create(pathway=pathway, definition=part, position=position)
    return pathway


def hand_in(user, slug):
    return api.submit_attempt(user_id=user.pk, usage_key=unit_of(slug), credential_slug=slug,
                              rubric=RUBRIC, evidence_text="evidence",
                              max_evidence_length=100)


def assess_pass(attempt, assessor, slug):
    return api.record_assessment(
        attempt_id=attempt.id, usage_key=unit_of(slug), assessor_id=assessor.pk,
        scores=[CriterionScore("a", "yes"), CriterionScore("b", "yes")])


def earn(people, slug, learner="learner"):
    """The learner passes the unit of ``slug``; the credential it issued."""
    outcome = assess_pass(hand_in(people[learner], slug), people["staff"], slug)
    assert outcome.credential is not None, outcome
    return outcome.credential


def renew(people, slug, learner="learner"):
    """Another pass at ``slug`` issued straight away, past the retake rule (which would make
    the holder wait for the renewal window): a renewal, as issuance sees it."""
    user = people[learner]
    definition = CredentialDefinition.objects.get(slug=slug)
    attempt = Attempt.objects.create(
        user=user, course_key=unit_of(slug).course_key, usage_key=unit_of(slug),
        definition=definition, evidence_text="evidence", rubric=RUBRIC.to_dict(),
        number=Attempt.objects.filter(user=user, usage_key=unit_of(slug)).count() + 1,
        max_score=RUBRIC.max_points, score=5, status=AttemptStatus.PASSED)
    with transaction.atomic():
        return credentials.issue_for_attempt(attempt)

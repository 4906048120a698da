"""The app's public Python API: the only door the XBlock (or anything else) uses.

Functions take and return the data classes of ``credential_app.data``; they
raise the errors of ``credential_app.exceptions`` (re-exported here) with a
message fit to show the person who caused them, having changed nothing.
"""
from opaque_keys.edx.keys import UsageKey

from . import assessment, attempts, credentials, units
from .data import (
    AssessmentOutcome,
    AssessmentUnitData,
    AttemptData,
    CredentialData,
    CredentialDefinitionData,
    CriterionScore,
    EvidenceSettings,
    RetakeStatus,
    Rubric,
)
from .exceptions import (  # noqa: F401 (re-exported for callers)
    AssessmentNotAllowed,
    AttemptNotAllowed,
    AttemptNotFound,
    CredentialAppError,
    InvalidAssessment,
    InvalidEvidence,
    InvalidRubric,
    UnknownCredential,
)


def list_credential_definitions() -> list[CredentialDefinitionData]:
    """Every credential an assessment unit can be linked to, by name."""
    return credentials.list_definitions()


def get_credential_definition(slug: str) -> CredentialDefinitionData:
    """The definition with this slug; raises UnknownCredential."""
    return credentials.get_definition(slug)


def submit_attempt(*, user_id: int, usage_key: UsageKey, credential_slug: str, rubric: Rubric,
                   evidence_text: str, max_evidence_length: int) -> AttemptData:
    """Hand in evidence as a new attempt, if the learner may start one now."""
    return attempts.submit(
        user_id=user_id, usage_key=usage_key, credential_slug=credential_slug, rubric=rubric,
        evidence_text=evidence_text, max_evidence_length=max_evidence_length,
    )


def get_retake_status(user_id: int, usage_key: UsageKey) -> RetakeStatus:
    """May this learner start an attempt at this unit now; if not, why and from when?

    The one answer to that question: ``submit_attempt`` enforces the same rule, and
    every page that shows it asks here.
    """
    return attempts.retake_status(user_id, usage_key)


def evidence_length_limit(unit_limit: int) -> int:
    """Most characters of text evidence a unit asking for ``unit_limit`` really accepts."""
    return attempts.evidence_limit(unit_limit)


def get_latest_attempt(user_id: int, usage_key: UsageKey) -> AttemptData | None:
    """The learner's most recent attempt at this unit, with its result once assessed."""
    return attempts.latest_for_learner(user_id, usage_key)


def get_attempts_awaiting_assessment(usage_key: UsageKey) -> list[AttemptData]:
    """Attempts at this unit that no assessor has scored yet, oldest first."""
    return attempts.awaiting_assessment(usage_key)


def record_assessment(*, attempt_id: int, usage_key: UsageKey, assessor_id: int,
                      scores: list[CriterionScore]) -> AssessmentOutcome:
    """Score every criterion of an attempt; compute its result and issue on a pass."""
    return assessment.record(attempt_id=attempt_id, usage_key=usage_key,
                             assessor_id=assessor_id, scores=list(scores))


def get_learner_credential(user_id: int, credential_slug: str) -> CredentialData | None:
    """The learner's credential for this definition, if they have earned it."""
    return credentials.for_learner(user_id, credential_slug)


def get_learner_credentials(user_id: int) -> list[CredentialData]:
    """Every credential the learner holds, newest first."""
    return credentials.all_for_learner(user_id)


def register_assessment_unit(*, usage_key: UsageKey, credential_slug: str, display_name: str,
                             rubric: Rubric, evidence: EvidenceSettings) -> AssessmentUnitData:
    """Tell the app what a unit asks (called when an author saves it); idempotent."""
    return units.register(usage_key=usage_key, credential_slug=credential_slug,
                          display_name=display_name, rubric=rubric, evidence=evidence)


def list_assessment_units(credential_slug: str) -> list[AssessmentUnitData]:
    """Every unit registered as leading to this credential."""
    return units.for_definition(credential_slug)


# --- A learner's records for the REST API and the credentials page (restapi helper) ---

def get_learner_attempts(user_id: int) -> list[AttemptData]:
    """Every attempt the learner made, at any unit, newest first, with results once assessed."""
    return attempts.all_for_learner(user_id)


def get_credentials_page_url() -> str:
    """Path of the signed-in learner's credentials page, for links from the block."""
    from django.urls import reverse  # imported here to leave the shared imports alone

    return reverse("credential_app:learner-credentials")

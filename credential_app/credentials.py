"""Credential definitions and the credentials issued from them.

Issuance is idempotent: one credential per learner and definition, enforced by
a unique constraint, so a repeated or concurrent pass never issues twice.
"""
from django.utils.translation import gettext as _

from . import audit
from .data import CredentialData, CredentialDefinitionData, CredentialStatus
from .exceptions import UnknownCredential
from .models import Credential, CredentialDefinition


def get_definition_model(slug) -> CredentialDefinition:
    if not slug:
        raise UnknownCredential(
            _("This assessment is not linked to a credential yet. Ask the course team to "
              "link it before submitting."),
            field="credential",
        )
    try:
        return CredentialDefinition.objects.get(slug=slug)
    except CredentialDefinition.DoesNotExist as exc:
        raise UnknownCredential(
            _("No credential “{slug}” is defined. Ask the course team to check the link "
              "of this assessment.").format(slug=slug),
            field="credential",
        ) from exc


def get_definition(slug) -> CredentialDefinitionData:
    return definition_to_data(get_definition_model(slug))


def list_definitions() -> list[CredentialDefinitionData]:
    return [definition_to_data(d) for d in CredentialDefinition.objects.order_by("name")]


def issue_for_attempt(attempt) -> CredentialData:
    """Issue the credential a passed attempt earns (or return the one already issued)."""
    credential, _created = Credential.objects.select_related("definition").get_or_create(
        user_id=attempt.user_id,
        definition_id=attempt.definition_id,
        defaults={"attempt": attempt},
    )
    if _created:
        audit.record(audit.AuditAction.ISSUANCE, actor_id=None, learner_id=attempt.user_id,
                     subject=credential, definition_slug=credential.definition.slug,
                     course_key=attempt.course_key,
                     details={"uuid": str(credential.uuid), "attempt_id": attempt.id})
    return credential_to_data(credential)


def for_learner(user_id, slug) -> CredentialData | None:
    credential = (
        Credential.objects.select_related("definition")
        .filter(user_id=user_id, definition__slug=slug)
        .first()
    )
    return credential_to_data(credential) if credential else None


def all_for_learner(user_id) -> list[CredentialData]:
    return [
        credential_to_data(c)
        for c in Credential.objects.select_related("definition")
        .filter(user_id=user_id).order_by("-issued_at")
    ]


def definition_to_data(definition: CredentialDefinition) -> CredentialDefinitionData:
    return CredentialDefinitionData(
        slug=definition.slug,
        name=definition.name,
        description=definition.description,
        pass_percentage=definition.pass_percentage,
    )


def credential_to_data(credential: Credential) -> CredentialData:
    return CredentialData(
        uuid=str(credential.uuid),
        user_id=credential.user_id,
        definition=definition_to_data(credential.definition),
        status=CredentialStatus(credential.status),
        issued_at=credential.issued_at,
        attempt_id=credential.attempt_id,
    )


# --- Minimal stand-in by the policy helper; the lifecycle helper's version replaces it. ---


def live_credential_blocks_attempt(user_id, definition_id) -> str | None:
    """Why a learner holding this credential may not start a new attempt; None if they may.

    A credential that is active or waiting for approval blocks; a revoked, expired or
    superseded one does not, so the learner can earn it again.
    """
    live = Credential.objects.filter(
        user_id=user_id, definition_id=definition_id,
        status__in=[CredentialStatus.ACTIVE, CredentialStatus.PENDING_APPROVAL],
    ).exists()
    if live:
        return _("You already hold this credential.")
    return None

"""When a learner has completed a pathway: the one rule, used when issuing, when a
requirement is lost, and when showing progress.

A requirement is met by an **active** credential of its definition's family (any version
from ``minimum_version`` on); expired, revoked, superseded and pending credentials do not
count. A pathway is complete when ``Pathway.needed`` of its requirements are met.
"""
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from credential_app.core import credentials as core_credentials
from credential_app.core import versions
from credential_app.core.models import Credential, CredentialDefinition
from credential_app.data import CredentialStatus
from credential_app.pathways.models import Pathway, PathwayRequirement, WhenRequirementLost


@dataclass(frozen=True)
class Standing:
    """How far one learner is through one pathway."""

    pathway: Pathway
    met: dict  # requirement id -> the active Credential that meets it
    needed: int

    @property
    def complete(self) -> bool:
        return len(self.met) >= self.needed


def in_force():
    """Definitions in force (neither drafts nor replaced): only their pathways apply."""
    return versions.in_force()


def pathways_requiring(family_id) -> list[Pathway]:
    """Pathways in force (their credential neither a draft nor replaced) that list a
    credential of this family."""
    in_force = versions.in_force()
    ids = PathwayRequirement.objects.filter(family_id=family_id).values_list("pathway_id")
    return list(Pathway.objects.filter(pk__in=ids, definition__in=in_force)
                .select_related("definition").prefetch_related("requirements"))


def suspends(definition) -> bool:
    """Whether this definition's credentials are suspended (not revoked) when the pathway
    it is the credential of is no longer complete (Open Badges then puts their status bit
    on a suspension list)."""
    return Pathway.objects.filter(definition=definition,
                                  when_requirement_lost=WhenRequirementLost.SUSPEND).exists()


def pathway_slugs() -> set[str]:
    """Slugs of every definition that is a pathway (any version)."""
    return set(Pathway.objects.values_list("definition__slug", flat=True))


def pathway_of(definition) -> Pathway | None:
    """The pathway this definition is the credential of (None: an assessed credential)."""
    return (Pathway.objects.filter(definition=definition)
            .prefetch_related("requirements__definition").first())


def requirement_sentence(pathway: Pathway | None) -> str:
    """What a learner must hold, in words: "Hold all of: A, B." / "Hold 2 of: A, B, C."."""
    if pathway is None:
        return _("Hold the credentials this pathway requires.")
    names = [r.definition.name for r in pathway.requirements.all()]
    needed = pathway.needed(len(names))
    if needed >= len(names):
        return _("Hold all of these credentials: {names}.").format(names=", ".join(names))
    return ngettext("Hold {count} of these credentials: {names}.",
                    "Hold {count} of these credentials: {names}.", needed).format(
                        count=needed, names=", ".join(names))


def locked(credentials) -> list[Credential]:
    """The learner's credentials, locked row by row (``core.credentials.lock_each``)."""
    return core_credentials.lock_each(credentials)


def standing(pathway: Pathway, user_id, *, lock=False) -> Standing:
    """Which of ``pathway``'s requirements the learner meets now. With ``lock``, the
    credentials read are locked (a locking read also sees rows committed after the
    transaction began), so a concurrent revocation or issuance waits for this decision."""
    requirements = list(pathway.requirements.all())
    held = Credential.objects.filter(user_id=user_id, status=CredentialStatus.ACTIVE,
                                     family_id__in=[r.family_id for r in requirements])
    held = sorted((c for c in (locked(held) if lock else held)
                   if c.status == CredentialStatus.ACTIVE), key=lambda c: (c.issued_at, c.pk))
    versions_of = dict(CredentialDefinition.objects.filter(
        pk__in={c.definition_id for c in held}).values_list("pk", "version"))
    met = {}
    for requirement in requirements:
        for credential in held:
            if (credential.family_id == requirement.family_id
                    and versions_of[credential.definition_id]
                    >= (requirement.minimum_version or 0)):
                met[requirement.pk] = credential
                break
    return Standing(pathway=pathway, met=met, needed=pathway.needed(len(requirements)))

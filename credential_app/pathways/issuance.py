"""Pathway credentials follow their requirements: issued when the last one becomes active,
kept, suspended or revoked (the pathway's rule) when one is lost; a suspended one is
reinstated (the same credential) when the pathway is complete again.

``on_credential_changing`` is connected to the core's ``credential_changing`` in ``apps.py``,
after the HRIS outbox: it runs inside the transaction that changes the requirement, so the
pathway credential, its audit entries and its outbox rows commit or roll back with it. The
core issues and revokes (``credentials``) as for any credential; a pathway credential
announces its own changes, so a pathway inside a pathway follows in turn.
"""
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credential_app.core import audit, credentials, policies, signals
from credential_app.core.models import Credential
from credential_app.data import CredentialStatus
from credential_app.pathways import rules
from credential_app.pathways.models import WhenRequirementLost

GAINED = (signals.ISSUED, signals.RENEWED, signals.REINSTATED)
LOST = (signals.REVOKED, signals.EXPIRED, signals.SUSPENDED)


LOST_REASONS = {
    signals.REVOKED: gettext_lazy("“{name}”, which this pathway requires, was revoked."),
    signals.EXPIRED: gettext_lazy("“{name}”, which this pathway requires, has expired."),
    signals.SUSPENDED: gettext_lazy("“{name}”, which this pathway requires, was "
                                    "suspended."),
}


def on_credential_changing(sender, *, credential, event, **kwargs):
    if event in GAINED and credential.status == CredentialStatus.ACTIVE:
        complete_pathways(credential)
    elif event in LOST:
        requirement_lost(credential, event)


def complete_pathways(credential: Credential) -> list:
    """Issue (or reinstate) every pathway this newly active credential completes for its
    holder; returns the credentials issued or reinstated (None from the core: a pathway
    already held)."""
    issued = []
    for pathway in rules.pathways_requiring(credential.family_id):
        standing = rules.standing(pathway, credential.user_id, lock=True)
        if not standing.complete:
            continue
        data = _complete(pathway, standing, completed_by=credential)
        if data is not None:
            issued.append(data)
    return issued


def _complete(pathway, standing, *, completed_by):
    """The learner completes ``pathway``: their suspended credential of it is reinstated
    (not a new issuance), else one is issued unless they hold one already."""
    requirements = sorted(str(c.uuid) for c in standing.met.values())
    suspended = [c for c in rules.locked(_live_of(pathway, completed_by.user_id))
                 if c.status == CredentialStatus.SUSPENDED]
    if suspended:
        return credentials.reinstate(
            suspended[0], requirements=requirements,
            reason=_("The learner holds the credentials this pathway requires again."))
    return credentials.issue_through_pathway(
        pathway.definition, completed_by=completed_by,
        needs_approval=policies.issuance_rules(pathway.definition).requires_approval,
        requirements=requirements)


def _live_of(pathway, user_id):
    """The learner's live credentials of the pathway (a plain read, under their lock)."""
    return Credential.objects.filter(user_id=user_id,
                                     family_id=pathway.definition.family_root().pk,
                                     live_state__isnull=False)


def complete_for_current_holders(pathway) -> int:
    """Issue ``pathway`` to every learner who already meets it (a pathway created or widened
    after they earned its requirements), or reinstate theirs; each learner in a
    transaction of their own, under their lock, so it can run beside ordinary issuance.
    Returns how many were issued or reinstated."""
    families = [r.family_id for r in pathway.requirements.all()]
    learners = (Credential.objects.filter(family_id__in=families,
                                          status=CredentialStatus.ACTIVE)
                .values_list("user_id", flat=True).distinct().order_by("user_id"))
    issued = 0
    for user_id in learners:
        with transaction.atomic():
            credentials.serialise_learner(user_id)
            standing = rules.standing(pathway, user_id, lock=True)
            if not standing.complete:
                continue
            latest = max(standing.met.values(), key=lambda c: (c.issued_at, c.pk))
            issued += _complete(pathway, standing, completed_by=latest) is not None
    return issued


def requirement_lost(credential: Credential, event) -> None:
    """Apply each affected pathway's rule to the holder's live pathway credential when this
    credential's loss leaves the pathway incomplete (one already suspended stays so)."""
    for pathway in rules.pathways_requiring(credential.family_id):
        credentials.serialise_learner(credential.user_id)  # held already: see ``rules.locked``
        held = [c for c in rules.locked(_live_of(pathway, credential.user_id))
                if c.status in (CredentialStatus.ACTIVE, CredentialStatus.PENDING_APPROVAL)]
        if not held or rules.standing(pathway, credential.user_id, lock=True).complete:
            continue
        lost = LOST_REASONS[event].format(name=credential.definition.name)
        for pathway_credential in held:
            rule = pathway.when_requirement_lost
            if rule == WhenRequirementLost.SUSPEND and pathway_credential.status == (
                    CredentialStatus.ACTIVE):
                credentials.suspend(pathway_credential, reason=lost)
            elif rule == WhenRequirementLost.KEEP:
                audit.record(audit.AuditAction.PATHWAY_KEPT, actor_id=None,
                             learner_id=credential.user_id, subject=pathway_credential,
                             reason=lost, definition_slug=pathway.definition.slug,
                             details={"uuid": str(pathway_credential.uuid),
                                      "requirement": str(credential.uuid), "rule": "keep"})
            else:
                credentials.revoke(pathway_credential, actor_id=None, reason=lost)

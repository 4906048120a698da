"""Versions of a credential definition, and what a new version means for holders.

A new version is a definition of its own (own slug, criteria, alignments...) whose
``previous_version`` points at the one it replaces. It is a draft until published
(:func:`publish`); from then on the previous version's slug leads to it: units
linked to any version submit attempts to the current one, and only the current
version is offered for linking.

On publication, the new version's ``old_holders`` decides what happens to people
holding an active credential of an earlier version:

- ``keep``: nothing changes for them; their credential stays valid until it
  expires (or forever), and they renew into the new version like any renewal,
  from their renewal window on.
- ``bridge``: they must pass the new version within ``bridging_days``. Their
  credential stays valid meanwhile, but its expiry is brought forward to the end of
  the bridging period (never pushed back), and they may start an attempt at the
  new version at once, whatever their renewal window. Passing it issues the new
  version and supersedes the old credential; not passing lets it expire. An attempt
  at the old version still in flight at publication earns an old-version credential
  ending with the same bridging period.
"""
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.timezone import now
from django.utils.translation import gettext as _

from credential_app.core import audit, signals
from credential_app.core.models import AssessmentUnit, Credential, CredentialDefinition
from credential_app.core.read_once import remembered
from credential_app.core.record_checks import BRIDGE, KEEP, check_definition  # noqa: F401 (KEEP: part of this module's vocabulary)
from credential_app.data import CredentialStatus
from credential_app.exceptions import InvalidDefinition


def current(definition: CredentialDefinition) -> CredentialDefinition:
    """The version in force: follow published successors from ``definition``."""
    while True:
        successor = remembered("successor", definition.pk, lambda d=definition: (
            CredentialDefinition.objects.filter(previous_version=d, published_at__isnull=False)
            .first()))
        if successor is None:
            return definition
        definition = successor


def bridging_deadline(definition: CredentialDefinition):
    """When holders of ``definition`` must have bridged to the version in force (None: they
    need not)."""
    in_force = current(definition)
    if in_force.pk == definition.pk or in_force.old_holders != BRIDGE:
        return None
    return in_force.published_at + timedelta(days=in_force.bridging_days)


def is_draft(definition: CredentialDefinition) -> bool:
    return definition.previous_version_id is not None and definition.published_at is None


def in_force():
    """Definitions offered for linking: neither drafts nor replaced by a published version."""
    return CredentialDefinition.objects.exclude(
        Q(previous_version__isnull=False, published_at__isnull=True)
    ).exclude(next_version__published_at__isnull=False)


@transaction.atomic
def publish(*, slug, actor_id) -> CredentialDefinition:
    """Put a draft version in force, re-link units and apply its ``old_holders`` rule."""
    definition = CredentialDefinition.objects.select_for_update().filter(slug=slug).first()
    if definition is None:
        raise InvalidDefinition(_("No credential “{slug}” is defined.").format(slug=slug),
                                field="slug")
    if definition.previous_version_id is None:
        raise InvalidDefinition(_("“{name}” has no previous version to replace.").format(
            name=definition.name), field="previous_version")
    if definition.published_at is not None:
        raise InvalidDefinition(_("“{name}” is already published.").format(
            name=definition.name), field="slug")
    previous = definition.previous_version
    if current(previous) != previous or is_draft(previous):
        raise InvalidDefinition(
            _("The previous version “{name}” is not the one in force; publish the versions "
              "in order.").format(name=previous.name), field="previous_version")
    try:
        check_definition(definition)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise InvalidDefinition(messages[0], field=field) from exc

    at = now()
    definition.published_at = at
    definition.save(update_fields=["published_at", "version"])
    units = AssessmentUnit.objects.filter(definition=previous).update(definition=definition)
    carried = carry_over_settings(previous, definition)
    signals.definition_published.send(sender=CredentialDefinition, previous=previous,
                                      definition=definition)
    bridged = 0
    bridge_until = None
    if definition.old_holders == BRIDGE:
        bridge_until = at + timedelta(days=definition.bridging_days)
        holders = Credential.objects.filter(
            family=definition.family_root(), status=CredentialStatus.ACTIVE
        ).exclude(definition=definition).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=bridge_until))
        bridged = holders.update(expires_at=bridge_until)
    audit.record(audit.AuditAction.POLICY_CHANGE, actor_id=actor_id, subject=definition,
                 definition_slug=definition.slug,
                 details={"published_version": definition.version, "replaces": previous.slug,
                          "old_holders": definition.old_holders, "units_moved": units,
                          "settings_carried_over": carried,
                          "credentials_bridging": bridged,
                          "bridging_until": bridge_until.isoformat() if bridge_until else None})
    return definition


def carry_over_settings(previous, draft) -> list[str]:
    """Copy the previous version's one-per-definition settings (issuance and retake
    policies, edited inline on a definition) that the draft does not define itself, so
    publishing never silently drops back to the defaults. Returns the models copied."""
    copied = []
    for relation in CredentialDefinition._meta.related_objects:
        if not relation.one_to_one or relation.related_model is CredentialDefinition:
            continue
        model, field = relation.related_model, relation.field.name
        if model.objects.filter(**{field: draft}).exists():
            continue
        row = model.objects.filter(**{field: previous}).first()
        if row is None:
            continue
        row.pk = None
        row._state.adding = True
        setattr(row, field, draft)
        row.save()
        copied.append(model._meta.model_name)
    return copied

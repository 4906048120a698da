"""A new version of a pathway's credential stays that pathway.

The core carries a definition's one-per-definition settings over to its new version on
publication, the ``Pathway`` row among them, but knows nothing of what hangs below it:
``on_definition_published`` (connected to ``core.signals.definition_published`` in
``apps.py``, inside the publishing transaction) copies the requirements too.
"""
from credential_app.pathways import rules
from credential_app.pathways.models import PathwayRequirement


def on_definition_published(sender, *, previous, definition, **kwargs):
    """Copy the previous version's requirements to the new version's pathway, unless the
    new version lists its own."""
    old = rules.pathway_of(previous)
    new = rules.pathway_of(definition)
    if old is None or new is None or new.requirements.exists():
        return
    PathwayRequirement.objects.bulk_create([
        PathwayRequirement(pathway=new, definition=r.definition, family_id=r.family_id,
                           minimum_version=r.minimum_version, position=r.position)
        for r in old.requirements.all()])

"""The field checks of pathway records, run by ``clean()`` (the admin shows each message next
to the field at fault). They read other rows through the app registry, so ``models`` can call
them without importing a service module."""
from django.apps import apps
from django.utils.translation import gettext as _

MAX_REQUIREMENTS = 20  # credentials one pathway may list
MAX_DEPTH = 3  # pathways inside pathways: how deep requirements may nest


def pathway_errors(pathway) -> dict[str, list[str]]:
    """A pathway credential is earned through its requirements only: it has no units."""
    if pathway.definition_id is None:
        return {}
    unit = apps.get_model("credential_app", "AssessmentUnit")
    if unit.objects.filter(definition_id=pathway.definition_id).exists():
        return {"definition": [_(
            "This credential is earned in assessment units; a pathway is earned by holding "
            "other credentials. Choose a credential without units, or create a new one.")]}
    return {}


def requirement_errors(requirement) -> dict[str, list[str]]:
    """A pathway cannot require itself, directly or through other pathways, nor nest deeper
    than ``MAX_DEPTH``."""
    if requirement.definition_id is None or requirement.pathway_id is None:
        return {}
    own = requirement.pathway.definition.family_root().pk
    required = requirement.definition.family_root().pk
    if required == own:
        return {"definition": [_("A pathway cannot require its own credential.")]}
    depth = nesting_below(required, forbidden=own)
    if depth is None:
        return {"definition": [_("This credential is a pathway that requires this pathway, "
                                 "directly or through another: that would be a circle.")]}
    if depth >= MAX_DEPTH:
        return {"definition": [_("Pathways may nest at most {depth} deep; this credential "
                                 "already contains pathways {below} deep.").format(
                                     depth=MAX_DEPTH, below=depth)]}
    return {}


def nesting_below(family_id, *, forbidden, level=0):
    """How many pathway levels lie below the credential family ``family_id`` (0: not a
    pathway); None when ``forbidden`` is among them (a circle)."""
    if family_id == forbidden:
        return None
    if level > MAX_DEPTH:
        return level
    requirement = apps.get_model("credential_app", "PathwayRequirement")
    deepest = 0
    rows = requirement.objects.filter(
        pathway__definition__in=_family_members(family_id)).select_related("definition")
    for row in rows:
        below = nesting_below(row.definition.family_root().pk, forbidden=forbidden,
                              level=level + 1)
        if below is None:
            return None
        deepest = max(deepest, below + 1)
    return deepest


def _family_members(family_id):
    """Every version of the family whose first version is ``family_id``."""
    definition = apps.get_model("credential_app", "CredentialDefinition")
    members, frontier = [family_id], [family_id]
    while frontier and len(members) < 100:
        frontier = list(definition.objects.filter(previous_version_id__in=frontier)
                        .values_list("pk", flat=True))
        members += frontier
    return members

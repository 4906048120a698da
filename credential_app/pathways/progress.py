"""Where a learner stands on pathways: which components are done, which in progress, and
the next unit to take, with links. Read-only; a handful of queries whatever the number of
pathways (they are read together)."""
from django.conf import settings

from credential_app.core.models import AssessmentUnit, Attempt, Credential
from credential_app.data import (
    AttemptStatus,
    CredentialStatus,
    PathwayComponentData,
    PathwayProgressData,
)
from credential_app.pathways import rules
from credential_app.pathways.models import Pathway, PathwayRequirement

DONE, IN_PROGRESS, TODO = "done", "in_progress", "todo"
DEFAULT_UNIT_URL = "{lms_root}/courses/{course_key}/jump_to/{usage_key}"


def unit_url(unit: AssessmentUnit | None) -> str:
    """Where a learner opens ``unit`` in the LMS (``CREDENTIAL_APP["UNIT_URL"]``, a template
    with ``{lms_root}``, ``{course_key}`` and ``{usage_key}``); "" for no unit."""
    if unit is None:
        return ""
    template = (getattr(settings, "CREDENTIAL_APP", {}) or {}).get("UNIT_URL") or DEFAULT_UNIT_URL
    root = (getattr(settings, "LMS_ROOT_URL", "") or "").rstrip("/")
    return template.format(lms_root=root, course_key=unit.course_key, usage_key=unit.usage_key)


def components(pathway: Pathway, user_id=None) -> list[PathwayComponentData]:
    """The pathway's requirements in order; with ``user_id``, where that learner stands."""
    requirements = list(pathway.requirements.select_related("definition"))
    first_units = _first_units([r.definition_id for r in requirements])
    met, started = {}, set()
    if user_id is not None:
        met = rules.standing(pathway, user_id).met
        started = _started_families(user_id, [r.family_id for r in requirements])
    return [_component(r, met, started, first_units) for r in requirements]


def components_of(pathways) -> dict[int, list[PathwayComponentData]]:
    """Pathway id → its requirements in order (no learner), for several pathways read
    together (two queries however many: the catalogue lists them all)."""
    pathways = list(pathways)
    if not pathways:
        return {}
    requirements = list(PathwayRequirement.objects.filter(pathway__in=pathways)
                        .select_related("definition"))
    first_units = _first_units({r.definition_id for r in requirements})
    found = {pathway.pk: [] for pathway in pathways}
    for requirement in requirements:
        found[requirement.pathway_id].append(_component(requirement, {}, set(), first_units))
    return found


def _component(r, met, started, first_units) -> PathwayComponentData:
    return PathwayComponentData(
        slug=r.definition.slug, name=r.definition.name, minimum_version=r.minimum_version,
        state=DONE if r.pk in met else IN_PROGRESS if r.family_id in started else TODO,
        badge_uuid=str(met[r.pk].uuid) if r.pk in met else "",
        unit_url=unit_url(first_units.get(r.definition_id)))


def for_learner(user_id) -> list[PathwayProgressData]:
    """Every pathway the learner has started (holds or is working on a component of) or
    completed, with the next component to take."""
    held_families = set(Credential.objects.filter(user_id=user_id).values_list(
        "family_id", flat=True))
    started = _started_families(user_id, None)
    touched = held_families | started
    pathways = Pathway.objects.filter(
        definition__in=rules.in_force(), requirements__family_id__in=touched).distinct()
    progress = []
    for pathway in pathways.select_related("definition").order_by("definition__name"):
        parts = components(pathway, user_id)
        held = Credential.objects.filter(
            user_id=user_id, family_id=pathway.definition.family_root().pk,
            live_state__isnull=False).first()  # active, pending or suspended
        needed = pathway.needed(len(parts))
        upcoming = [p for p in parts if p.state != DONE]
        progress.append(PathwayProgressData(
            slug=pathway.definition.slug, name=pathway.definition.name,
            components=tuple(parts), needed=needed,
            done=sum(p.state == DONE for p in parts),
            credential_uuid=str(held.uuid) if held else "",
            credential_status=CredentialStatus(held.status) if held else None,
            next_component=(upcoming[0] if upcoming and sum(p.state == DONE for p in parts)
                            < needed else None)))
    return progress


def _first_units(definition_ids) -> dict:
    """Each definition's first registered unit (by course, then name): where to take it."""
    first = {}
    for unit in AssessmentUnit.objects.filter(definition_id__in=definition_ids).order_by(
            "course_key", "display_name", "id"):
        first.setdefault(unit.definition_id, unit)
    return first


def _started_families(user_id, families) -> set:
    """Families the learner is working on: an attempt waiting for its result, or a
    credential waiting for approval."""
    waiting = Attempt.objects.filter(user_id=user_id, status=AttemptStatus.SUBMITTED)
    pending = Credential.objects.filter(user_id=user_id,
                                        status=CredentialStatus.PENDING_APPROVAL)
    if families is not None:
        pending = pending.filter(family_id__in=families)
    found = set(pending.values_list("family_id", flat=True))
    for definition in {a.definition for a in waiting.select_related("definition")}:
        found.add(definition.family_root().pk)
    return found if families is None else found & set(families)

"""The catalogue's entries: each credential and pathway in force, in plain language, with how
it is assessed, how long it lasts, which job tasks it maps to and which pathways it belongs
to; searched and filtered with a bounded cost (a term of at most ``MAX_TERM`` characters,
``PAGE_SIZE`` entries a page, a fixed number of queries a page)."""
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from credential_app.catalogue.models import CompetencyLevel, JobRole, TaskMapping
from credential_app.core import credentials, versions
from credential_app.core.models import AssessmentUnit, CredentialDefinition, IssuancePolicy
from credential_app.data import CatalogueEntryData, JobTaskData, Rubric
from credential_app.exceptions import InvalidRubric
from credential_app.pathways import progress
from credential_app.pathways.models import Pathway, PathwayRequirement

PAGE_SIZE = 25
MAX_TERM = 100  # characters of a search term that are looked at
MAX_CRITERIA = 30  # rubric criteria listed per credential
PATHWAYS, CREDENTIALS = "pathways", "credentials"


@dataclass(frozen=True)
class CataloguePage:
    entries: tuple[CatalogueEntryData, ...]
    total: int
    page: int
    pages: int


def search(*, term="", kind="", role_id=None, level=None, page=1) -> CataloguePage:
    """Entries matching every filter given, by name, one page of them."""
    found = versions.in_force().select_related("issuer")
    term = " ".join((term or "").split())[:MAX_TERM]
    for word in term.split()[:5]:
        found = found.filter(
            Q(name__icontains=word) | Q(description__icontains=word)
            | Q(criteria_narrative__icontains=word)
            | Q(task_mappings__task__statement__icontains=word)
            | Q(task_mappings__task__role__name__icontains=word)
            | Q(alignments__name__icontains=word) | Q(alignments__code__iexact=word)
            | Q(task_mappings__task__code__iexact=word)
            | Q(task_mappings__task__role__code__iexact=word))
    if kind == PATHWAYS:
        found = found.filter(pathway__isnull=False)
    elif kind == CREDENTIALS:
        found = found.filter(pathway__isnull=True)
    if role_id:
        found = found.filter(task_mappings__task__role_id=role_id)
    if level:
        found = found.filter(task_mappings__level=level)
    ids = list(found.order_by("name", "pk").values_list("pk", flat=True).distinct())
    ids = list(dict.fromkeys(ids))
    pages = max(1, -(-len(ids) // PAGE_SIZE))
    page = min(max(1, page), pages)
    shown = ids[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    return CataloguePage(entries=tuple(entries_for(shown)), total=len(ids), page=page,
                         pages=pages)


def entry(slug) -> CatalogueEntryData | None:
    """One credential's entry (a replaced version's slug leads to the one in force)."""
    definition = CredentialDefinition.objects.filter(slug=slug).first()
    if definition is None or versions.is_draft(definition):
        return None
    found = entries_for([versions.current(definition).pk])
    return found[0] if found else None


def entries_for(ids) -> list[CatalogueEntryData]:
    """The entries of these definitions, in the order given, with a fixed number of queries."""
    definitions = {d.pk: d for d in CredentialDefinition.objects.filter(pk__in=ids)
                   .select_related("issuer", "previous_version").prefetch_related("alignments")}
    units = {}
    for unit in AssessmentUnit.objects.filter(definition_id__in=ids).order_by("id"):
        units.setdefault(unit.definition_id, []).append(unit)
    policies = {p.definition_id: p for p in IssuancePolicy.objects.filter(definition_id__in=ids)}
    tasks = tasks_for(ids)
    pathways = {p.definition_id: p for p in Pathway.objects.filter(definition_id__in=ids)}
    components_of = progress.components_of(pathways.values())
    member_of = _pathways_containing(definitions.values())
    entries = []
    for pk in ids:
        definition = definitions.get(pk)
        if definition is None:
            continue
        pathway = pathways.get(pk)
        components = components_of[pathway.pk] if pathway else []
        policy = policies.get(pk)
        entries.append(CatalogueEntryData(
            definition=credentials.definition_to_data(definition),
            is_pathway=pathway is not None,
            evidence_types=_evidence_types(units.get(pk, [])),
            rubric_criteria=_criteria(units.get(pk, [])),
            assessments_required=policy.required_assessments if policy else 1,
            requires_approval=bool(policy and policy.requires_approval),
            tasks=tuple(tasks.get(pk, ())),
            pathways=tuple(member_of.get(definition.family_root().pk, ())),
            components=tuple(components),
            components_needed=pathway.needed(len(components)) if pathway else 0))
    return entries


def tasks_for(definition_ids) -> dict[int, list[JobTaskData]]:
    """Each definition's job tasks, by role and task order."""
    found = {}
    for mapping in TaskMapping.objects.filter(definition_id__in=list(definition_ids)) \
            .select_related("task__role"):
        found.setdefault(mapping.definition_id, []).append(task_data(mapping))
    return found


def tasks_of(slug) -> list[JobTaskData]:
    definition_id = CredentialDefinition.objects.filter(slug=slug).values_list(
        "pk", flat=True).first()
    return tasks_for([definition_id]).get(definition_id, []) if definition_id else []


def task_data(mapping) -> JobTaskData:
    task, role = mapping.task, mapping.task.role
    return JobTaskData(
        role=role.name, task=task.statement, level=mapping.level,
        level_label=str(CompetencyLevel(mapping.level).label),
        role_framework=role.framework, role_code=role.code, role_url=role.framework_url,
        task_framework=task.framework, task_code=task.code, task_url=task.framework_url)


def roles() -> list[tuple[int, str]]:
    """(id, name) of the roles some credential maps to: the catalogue's role filter."""
    return list(JobRole.objects.filter(tasks__mappings__isnull=False).distinct()
                .order_by("name").values_list("pk", "name"))


def levels() -> list[tuple[int, str]]:
    return [(level.value, str(level.label)) for level in CompetencyLevel]


def _pathways_containing(definitions) -> dict[int, list[tuple[str, str]]]:
    """Family id → (slug, name) of the pathways in force that list it."""
    families = {d.family_root().pk for d in definitions}
    found = {}
    for requirement in PathwayRequirement.objects.filter(
            family_id__in=families, pathway__definition__in=versions.in_force()) \
            .select_related("pathway__definition").order_by("pathway__definition__name"):
        definition = requirement.pathway.definition
        found.setdefault(requirement.family_id, []).append((definition.slug, definition.name))
    return found


def _evidence_types(units) -> tuple[str, ...]:
    kinds = set()
    for unit in units:
        if unit.evidence.get("text_enabled", True):
            kinds.add("text")
        if unit.evidence.get("files_enabled"):
            kinds.add("files")
        if unit.evidence.get("links_enabled"):
            kinds.add("links")
    return tuple(k for k in ("text", "files", "links") if k in kinds)


def _criteria(units) -> tuple[tuple[str, str], ...]:
    """The rubric criteria of the credential's units (label, description), each once."""
    seen = {}
    for unit in units:
        try:
            rubric = Rubric.from_dict(unit.rubric)
        except InvalidRubric:  # stored under older rules: left out rather than fail the page
            continue
        for criterion in rubric.criteria:
            seen.setdefault(criterion.label or criterion.name, criterion.description)
    return tuple(list(seen.items())[:MAX_CRITERIA])


def evidence_label(kind) -> str:
    return {"text": _("written evidence"), "files": _("files"),
            "links": _("links to work")}.get(kind, kind)

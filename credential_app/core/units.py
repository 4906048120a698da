"""Assessment units: what each block linked to a credential asks of learners.

The block owns its content; the app keeps a copy of the parts its rules need
(rubric and evidence settings), refreshed each time an author saves, so that
policies can be checked against the rubrics that really lead to a credential.
"""
import dataclasses

from credential_app.core.credentials import get_definition_model
from credential_app.core.models import AssessmentUnit
from credential_app.data import AssessmentUnitData, EvidenceSettings, Rubric


def register(*, usage_key, credential_slug, display_name, rubric: Rubric,
             evidence: EvidenceSettings, grade_weight: float | None = None) -> AssessmentUnitData:
    definition = get_definition_model(credential_slug)
    unit, _created = AssessmentUnit.objects.update_or_create(
        usage_key=usage_key,
        defaults={
            "course_key": usage_key.course_key,
            "definition": definition,
            "display_name": display_name,
            "rubric": rubric.to_dict(),
            "evidence": _evidence_to_dict(evidence),
            "grade_weight": grade_weight,
        },
    )
    unit.definition = definition
    return to_data(unit)


def grade_weight(usage_key) -> float | None:
    """Points the unit is worth in the course grade, as its author last saved it (None: the
    rubric's total, or a unit never saved since it was registered)."""
    return AssessmentUnit.objects.filter(usage_key=usage_key).values_list(
        "grade_weight", flat=True).first()


def for_definition(credential_slug) -> list[AssessmentUnitData]:
    units = AssessmentUnit.objects.select_related("definition").filter(
        definition__slug=credential_slug).order_by("course_key", "usage_key")
    return [to_data(unit) for unit in units]


def to_data(unit: AssessmentUnit) -> AssessmentUnitData:
    evidence = dict(unit.evidence)
    evidence["file_types"] = tuple(evidence.get("file_types", ()))
    return AssessmentUnitData(
        usage_key=unit.usage_key,
        credential_slug=unit.definition.slug,
        display_name=unit.display_name,
        rubric=Rubric.from_dict(unit.rubric),
        evidence=EvidenceSettings(**evidence),
    )


def _evidence_to_dict(evidence: EvidenceSettings) -> dict:
    value = dataclasses.asdict(evidence)
    value["file_types"] = list(evidence.file_types)
    return value

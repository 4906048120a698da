"""Calibration: assessors score attempts whose levels a panel agreed, to see how they compare.

An admin builds a calibration set (attempts of one credential with agreed levels per
criterion) and sends it to assessors. An assessor's calibration scores are kept apart
(``CalibrationScore``): they never create an ``Assessment``, so real results, grades
and credentials cannot change.
"""
from django.db import transaction
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from credential_app.core.assessment import score_against
from credential_app.core.models import (
    CalibrationAgreedScore,
    CalibrationAssignment,
    CalibrationItem,
    CalibrationScore,
)
from credential_app.data import CriterionScore, Rubric
from credential_app.exceptions import InvalidAssessment


def save_agreed(item: CalibrationItem) -> None:
    """Keep the agreed levels as rows (with their points) for the reports to compare."""
    rubric = Rubric.from_dict(item.attempt.rubric)
    scored = score_against(rubric, [CriterionScore(criterion=c, level=v, comment="")
                                    for c, v in item.agreed_levels.items()])
    with transaction.atomic():
        CalibrationAgreedScore.objects.filter(item=item).delete()
        CalibrationAgreedScore.objects.bulk_create(
            CalibrationAgreedScore(item=item, criterion=score.criterion, level=score.level,
                                   points=points) for score, points in scored.values())


def assignments_for(assessor_id):
    return (CalibrationAssignment.objects.filter(assessor_id=assessor_id)
            .select_related("calibration_set__definition"))


def items_of(assignment):
    return list(CalibrationItem.objects.filter(calibration_set_id=assignment.calibration_set_id)
                .select_related("attempt").order_by("position", "id"))


def chosen_levels(assignment) -> dict:
    """(item id, criterion) → level the assessor chose, for showing their answers."""
    return {(s.item_id, s.criterion): s.level
            for s in CalibrationScore.objects.filter(assignment=assignment)}


def record(assignment, answers: dict) -> None:
    """Store the assessor's levels for every item: ``answers`` maps item id → list of
    ``data.CriterionScore``. All or nothing; raises InvalidAssessment naming the item."""
    items = items_of(assignment)
    rows = []
    for position, item in enumerate(items, start=1):
        try:
            scored = score_against(Rubric.from_dict(item.attempt.rubric),
                                   answers.get(item.pk, []))
        except InvalidAssessment as exc:
            raise InvalidAssessment(
                _("Attempt {number} of the set: {problem}").format(number=position,
                                                                  problem=exc),
                field=f"item-{item.pk}") from exc
        rows += [CalibrationScore(assignment=assignment, item=item, criterion=score.criterion,
                                  level=score.level, points=points)
                 for score, points in scored.values()]
    with transaction.atomic():
        CalibrationScore.objects.filter(assignment=assignment).delete()
        CalibrationScore.objects.bulk_create(rows)
        assignment.completed_at = timezone.now()
        assignment.save(update_fields=["completed_at"])


def comparison(calibration_set):
    """Per assessor: scores given, exact matches with the agreed level, and the mean
    difference in points, aggregated in the database; plus the grouped (their points,
    agreed points) counts for alpha."""
    agreed = Subquery(CalibrationAgreedScore.objects.filter(
        item_id=OuterRef("item_id"), criterion=OuterRef("criterion")).values("points")[:1],
        output_field=IntegerField())
    agreed_level = Subquery(CalibrationAgreedScore.objects.filter(
        item_id=OuterRef("item_id"), criterion=OuterRef("criterion")).values("level")[:1])
    scores = (CalibrationScore.objects.filter(assignment__calibration_set=calibration_set)
              .annotate(agreed_points=agreed, agreed_level=agreed_level))
    summary = (scores.values("assignment__assessor_id").annotate(
        scores=Count("id"), matches=Count("id", filter=Q(level=F("agreed_level")))))
    pairs = (scores.values("assignment__assessor_id", "points", "agreed_points")
             .annotate(n=Count("id")).order_by())
    details = (scores.values("assignment__assessor_id", "item__attempt_id", "criterion",
                             "level", "agreed_level", "points", "agreed_points")
               .order_by("assignment__assessor_id", "item__position", "item_id", "criterion"))
    return list(summary), list(pairs), list(details)

"""Scoring against a rubric: do the chosen levels fit it exactly, and what are they worth.

Plain rules over ``data`` classes, with no storage, so the assessment service, calibration
and the models' own field checks share them.
"""
from django.utils.translation import gettext as _

from credential_app.data import CriterionScore, Rubric
from credential_app.exceptions import InvalidAssessment

MAX_COMMENT_LENGTH = 5000


def score_against(rubric: Rubric, scores: list[CriterionScore]
                  ) -> dict[str, tuple[CriterionScore, int]]:
    """Check the scores fit the rubric exactly; return each criterion's score and points."""
    scored, seen = {}, set()
    for score in scores:
        criterion = rubric.criterion(score.criterion)
        if criterion is None:
            raise InvalidAssessment(
                _("The rubric has no criterion “{name}”.").format(name=score.criterion),
                field="scores")
        if score.criterion in seen:
            raise InvalidAssessment(
                _("Criterion “{name}” was scored more than once.").format(name=criterion.label),
                field="scores")
        seen.add(score.criterion)
        if not score.level:
            continue  # no level chosen: reported with every other missing criterion below
        level = criterion.level(score.level)
        if level is None:
            raise InvalidAssessment(
                _("Criterion “{name}” has no level “{level}”.").format(
                    name=criterion.label, level=score.level),
                field="scores")
        if len(score.comment) > MAX_COMMENT_LENGTH:
            raise InvalidAssessment(
                _("The comment on “{name}” is longer than {limit} characters.").format(
                    name=criterion.label, limit=MAX_COMMENT_LENGTH),
                field="scores")
        scored[score.criterion] = (score, level.points)
    missing = [c.label for c in rubric.criteria if c.name not in scored]
    if missing:
        raise InvalidAssessment(
            _("Choose a level for every criterion; still missing: {names}.").format(
                names=", ".join(missing)),
            field="scores")
    return scored

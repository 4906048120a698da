"""Assessor agreement's pairs counted from the criterion scores themselves, before
``ScorePair``: the reference the summary-based reliability report must equal. A copy of the
app's query before decision 0016."""
from django.db.models import Count, F, IntegerField, OuterRef, Subquery

from credential_app.core.models import Assessment, CriterionScore
from credential_app.data import AttemptStatus
from credential_app.reports.filters import Scope


def _pairs(scope: Scope, definition):
    """Every ordered pair of two assessors' points on one attempt's criterion."""
    attempt = "assessment__attempt__"
    other = attempt + "assessments__"
    return (CriterionScore.objects.filter(
        scope.q(moment=attempt + "submitted_at", definition=attempt + "definition",
                course=attempt + "course_key", user=attempt + "user"),
        assessment__attempt__definition_id=definition.pk)
        .exclude(assessment__attempt__status=AttemptStatus.RESET)
        .annotate(other_assessment=F(other + "id"), other_assessor=F(other + "assessor_id"),
                  other_criterion=F(other + "criterion_scores__criterion"),
                  other_points=F(other + "criterion_scores__points"))
        .filter(other_criterion=F("criterion"))
        .exclude(other_assessment=F("assessment_id")))


def grouped_pairs(scope, definition):
    """Pairs counted per criterion, assessors, points and assessments of the attempt."""
    assessments = Subquery(
        Assessment.objects.filter(attempt_id=OuterRef("assessment__attempt_id")).order_by()
        .values("attempt_id").annotate(n=Count("id")).values("n"), output_field=IntegerField())
    # One grouped query serves every figure: per criterion, assessor pair and values.
    grouped = (_pairs(scope, definition).annotate(m=assessments)
               .values("criterion", "assessment__assessor_id", "other_assessor", "points",
                       "other_points", "m")
               .annotate(n=Count("id")).order_by())
    return list(grouped)

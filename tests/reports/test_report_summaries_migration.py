"""Migration 0020 fills the report summaries and the queue's tally from the records an
install already has."""
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.db_server  # the additive inserts differ by backend

BEFORE = [("credential_app", "0017_outbox_attempt_events")]
AFTER = [("credential_app", "0020_report_summaries")]


@pytest.mark.django_db(transaction=True)
def test_existing_records_are_counted():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    User = apps.get_model("auth", "User")
    Definition = apps.get_model("credential_app", "CredentialDefinition")
    Attempt = apps.get_model("credential_app", "Attempt")
    Assessment = apps.get_model("credential_app", "Assessment")
    Score = apps.get_model("credential_app", "CriterionScore")
    learner, first, second = (User.objects.create(username=n) for n in ("l", "a", "b"))
    definition = Definition.objects.create(slug="s", name="S")
    submitted = datetime(2026, 3, 1, 9, tzinfo=UTC)
    unit = "block-v1:A+B+C+type@credential_assessment+block@u"
    attempts = [Attempt.objects.create(
        user=learner, definition=definition, number=n, evidence_text="x", rubric={},
        max_score=1, submitted_at=submitted, course_key="course-v1:A+B+C", usage_key=unit,
        status=status) for n, status in ((1, "failed"), (2, "submitted"))]
    for assessor, points in ((first, 0), (second, 1)):
        assessment = Assessment.objects.create(attempt=attempts[0], assessor=assessor,
                                               created=submitted)
        Score.objects.create(assessment=assessment, criterion="c", level=f"l{points}",
                             points=points)
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    summary = apps.get_model("credential_app", "AttemptSummary").objects
    assert sorted(summary.values_list("number", "status", "attempts")) == [
        (1, "failed", 1), (2, "submitted", 1)]
    assert apps.get_model("credential_app", "ScoreSummary").objects.get(
        points=1).scores == 1
    pair = apps.get_model("credential_app", "ScorePair").objects.get()
    assert (pair.points, pair.other_points, pair.assessments) == (0, 1, 2)
    tally = apps.get_model("credential_app", "QueueTally").objects
    assert sum(tally.filter(usage_key=unit, assessor_id=0).values_list(
        "waiting", flat=True)) == 1
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

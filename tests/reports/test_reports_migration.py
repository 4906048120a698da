"""Migration 0010_reports fills the turnaround of assessments made before it, in SQL."""
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# a data migration written in SQL, run on the backend at hand
pytestmark = pytest.mark.db_server

BEFORE = [("credential_app", "0009_hris_outbox")]
AFTER = [("credential_app", "0010_reports")]


@pytest.mark.django_db(transaction=True)
def test_existing_assessments_get_their_turnaround():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    User = apps.get_model("auth", "User")
    Definition = apps.get_model("credential_app", "CredentialDefinition")
    Attempt = apps.get_model("credential_app", "Attempt")
    Assessment = apps.get_model("credential_app", "Assessment")
    learner, assessor = User.objects.create(username="l"), User.objects.create(username="a")
    definition = Definition.objects.create(slug="s", name="S")
    submitted = datetime(2026, 3, 1, 9, tzinfo=UTC)
    attempt = Attempt.objects.create(
        user=learner, definition=definition, number=1, evidence_text="x", rubric={},
        max_score=1, submitted_at=submitted, course_key="course-v1:A+B+C",
        usage_key="block-v1:A+B+C+type@credential_assessment+block@u")
    Assessment.objects.create(attempt=attempt, assessor=assessor,
                              created=submitted + timedelta(days=2, hours=3))
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    waited = apps.get_model("credential_app", "Assessment").objects.get().waited
    assert waited == timedelta(days=2, hours=3)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

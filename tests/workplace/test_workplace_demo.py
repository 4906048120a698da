"""``make demo`` shows workplace outcomes: the demo employer's outcome events pulled from
the HRIS simulator over HTTPS, lagging indicators with matched comparisons, ROI and the
governance dashboard, all with figures."""
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from credential_app.models import AuditEntry, OutcomeEvent
from credential_app.workplace import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(scenario, tmp_path):
    for _ in range(2):  # made once
        call_command("load_demo", "--hris-tls-dir", str(tmp_path), "--hris-store",
                     str(tmp_path / "hris.sqlite3"), stdout=StringIO())
    return get_user_model().objects.get(username="staff")


def test_the_demo_employers_outcomes_arrive_through_the_pull_connector(demo):
    assert OutcomeEvent.objects.exclude(source="pull").count() == 0
    assert OutcomeEvent.objects.values("user_id").distinct().count() == 60 + 8  # + starters
    pages = AuditEntry.objects.filter(action="outcomes_received")
    assert pages.exists() and {p.details["source"] for p in pages} == {"pull"}
    assert sum(p.details["not_shared"] for p in pages) > 0  # the two who did not consent


def test_the_demo_has_lagging_indicators_roi_and_governance(client, demo):
    client.force_login(demo)
    lagging = client.get(reverse("credential_app:workplace-indicators")).content.decode()
    table = report.indicator_table(*report.group_choices()[0][0].split(":", 1))
    shown = [row for row in table.rows if row["holders"] is not None]
    assert {row["indicator"] for row in shown} >= {"Performance attainment 90 days after",
                                                    "Still employed 180 days after"}
    assert "Holders higher." in lagging
    roi = client.get(reverse("credential_app:workplace-roi")).content.decode()
    assert "No ROI unit values" not in roi and "Hiring cost savings" in roi
    governance = client.get(reverse("credential_app:workplace-governance")).content.decode()
    assert "Learner confidence change" in governance and "points on a 1–5 scale" in governance

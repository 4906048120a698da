"""ROI: benefits (unit values × measured differences × holders) minus programme costs
(entered costs, assessor time from the assessment records, credential operations), the
formula and every input shown, CSV and chart."""
import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from credential_app.models import Assessment, ProgrammeCost, RoiAssumptions
from credential_app.workplace import indicators, roi
from tests.workplace.outcome_world import TODAY, standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def priced():
    force = standard()
    force.store()
    indicators.refresh(TODAY)
    aid = force.world.aid
    RoiAssumptions.objects.create(
        definition=aid, currency="EUR", cost_per_hire=Decimal("5000"),
        cost_per_failed_hire=Decimal("8000"), incremental_revenue=Decimal("1200"),
        assessor_minutes_per_assessment=45, assessor_hourly_cost=Decimal("60"),
        operations_cost_per_credential=Decimal("15"))
    ProgrammeCost.objects.create(definition=aid, period_start=date(2025, 1, 1),
                                 period_end=date(2025, 6, 30), amount=Decimal("3000"),
                                 currency="EUR")
    ProgrammeCost.objects.create(definition=aid, period_start=date(2025, 1, 1),
                                 period_end=date(2025, 6, 30), amount=Decimal("999"),
                                 currency="USD")
    return force


def rows_of(table):
    return {row.get("component") or row.get("measure"): row for row in table.rows}


def test_every_component_and_the_roi_follow_the_formula(priced):
    tables, notes = roi.roi_tables(priced.world.aid)
    summary, components = rows_of(tables[0]), rows_of(tables[1])
    retention_gain = Decimal(str(round(100 - 100 * 16 / 18, 4))) / 100
    hiring = next(v for k, v in components.items() if k.startswith("Hiring cost savings"))
    assert hiring["amount"] == (Decimal(5000) * retention_gain * 6).quantize(Decimal("0.01"))
    assert hiring["formula"] == f"5000.00 × {retention_gain:.4f} × 6"
    failed = next(v for k, v in components.items() if k.startswith("Fewer failed hires"))
    # every comparison employee is below target (93–98 %), no holder is: 100 points fewer
    assert failed["amount"] == Decimal("48000.00")  # 8000 × 1.0000 × 6
    assessor = next(v for k, v in components.items() if k.startswith("Assessor time"))
    assessments = Assessment.objects.count()
    assert assessor["amount"] == (Decimal(assessments) * 45 / 60 * 60).quantize(Decimal("0.01"))
    operations = next(v for k, v in components.items() if k.startswith("Credential oper"))
    assert operations["amount"] == Decimal("90.00")  # 6 credentials × 15
    benefits = sum(r["amount"] or 0 for r in components.values() if r["kind"] == "benefit")
    costs = sum(r["amount"] for r in components.values() if r["kind"] == "cost")
    assert costs == Decimal("3000") + assessor["amount"] + Decimal("90")  # USD not added
    assert summary["ROI"]["value"] == ((benefits - costs) / costs).quantize(Decimal("0.001"))
    assert any("USD" in note for note in notes)


def test_the_page_and_its_csv(client, priced):
    client.force_login(get_user_model().objects.create_user("cfo", is_staff=True))
    page = client.get(reverse("credential_app:workplace-roi"),
                      {"credential": priced.world.aid.pk})
    text = page.content.decode()
    assert page.status_code == 200
    assert "(benefits − costs) ÷ costs" in text and "role=\"img\"" in text
    answer = client.get(reverse("credential_app:workplace-roi-csv",
                                kwargs={"table": "components"}),
                        {"credential": priced.world.aid.pk})
    lines = list(csv.reader(io.StringIO(answer.content.decode())))
    assert lines[0] == ["Component", "Kind", "Inputs", "Amount (EUR)",
                        "Difference clear (95 percent)"]
    assert any(line[0].startswith("Hiring cost savings") for line in lines[1:])


def test_without_unit_values_the_page_says_what_is_missing(client):
    force = standard()
    force.store()
    client.force_login(get_user_model().objects.create_user("cfo", is_staff=True))
    text = client.get(reverse("credential_app:workplace-roi"),
                      {"credential": force.world.aid.pk}).content.decode()
    assert "No ROI unit values are entered" in text

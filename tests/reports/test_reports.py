"""Outcome reports: each figure, every filter, the pages' permissions, CSV and REST."""
import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from opaque_keys.edx.keys import UsageKey

from credential_app import api
from credential_app.data import CredentialStatus, EvidenceSettings
from credential_app.models import Cohort, Credential, ProgrammeCost
from credential_app.reports import outcomes
from credential_app.reports.filters import BY_COURSE, ReportFilterForm, Scope
from credential_app.reports.tables import safe_cell, to_csv
from tests.reports_helpers import (
    COURSE_A,
    COURSE_B,
    FAIL,
    PASS,
    RUBRIC,
    UNIT_A,
    UNIT_B,
    World,
    at,
    changed_behind_the_apps_back,
    date_attempt,
)

pytestmark = [pytest.mark.django_db, pytest.mark.db_server]  # figures computed in SQL


def report(slug):
    return reverse("credential_app:report", kwargs={"slug": slug})


def report_csv(slug, table):
    return reverse("credential_app:report-csv", kwargs={"slug": slug, "table": table})


@pytest.fixture
def world(db):
    """Safety (course A, two assessors): learner 0 fails then passes, learner 1 passes.
    First aid (course B, one assessor): learner 2 passes, 3 fails, 4 waits."""
    w = World()
    l0, l1, l2, l3, l4 = (w.learner() for _ in range(5))
    w.first_fail = w.attempt(l0, UNIT_A, FAIL, FAIL)
    w.second_pass = w.attempt(l0, UNIT_A, PASS, PASS)
    w.l1_pass = w.attempt(l1, UNIT_A, PASS, PASS)
    # first aid is scored by the third assessor alone
    w.assessors = [w.assessors[2], *w.assessors[:2]]
    w.aid_pass = w.attempt(l2, UNIT_B, PASS)
    w.aid_fail = w.attempt(l3, UNIT_B, FAIL)
    w.aid_wait = w.attempt(l4, UNIT_B)
    w.assessors = [*w.assessors[1:], w.assessors[0]]
    return w


def rows_by(table, column="group"):
    return {row[column]: row for row in table.rows}


def test_submissions_and_pass_rate_per_credential(world):
    table = outcomes.summary(Scope())
    rows = rows_by(table)
    assert {k: rows["Site safety"][k] for k in ("submissions", "passed", "failed", "waiting",
                                               "pass_rate")} == {
        "submissions": 3, "passed": 2, "failed": 1, "waiting": 0, "pass_rate": 66.7}
    assert {k: rows["First aid"][k] for k in ("submissions", "passed", "failed", "waiting",
                                             "pass_rate")} == {
        "submissions": 3, "passed": 1, "failed": 1, "waiting": 1, "pass_rate": 50.0}


def test_figures_per_course(world):
    rows = rows_by(outcomes.summary(Scope(by=BY_COURSE)))
    assert set(rows) == {COURSE_A, COURSE_B}
    assert rows[COURSE_A]["submissions"] == 3


def test_filters_narrow_every_figure(world):
    cohort = Cohort.objects.create(name="Night shift")
    cohort.members.add(world.learners[0], world.learners[3])
    rows = rows_by(outcomes.summary(Scope(cohort=cohort)))
    assert rows["Site safety"]["submissions"] == 2 and rows["First aid"]["submissions"] == 1
    assert set(rows_by(outcomes.summary(Scope(definition=world.aid)))) == {"First aid"}
    assert set(rows_by(outcomes.summary(Scope(course=COURSE_A)))) == {"Site safety"}
    date_attempt(world.first_fail, at(2026, 1, 10))
    only_january = Scope(start=date(2026, 1, 1), end=date(2026, 1, 31))
    assert [r["submissions"] for r in outcomes.summary(only_january).rows] == [1]
    assert outcomes.summary(Scope(start=date(2026, 1, 11), end=date(2026, 1, 31))).rows == []


def test_attempts_per_learner(world):
    rows = {(r["group"], r["attempt"]): r for r in outcomes.attempts_per_learner(Scope()).rows}
    assert rows[("Site safety", "1")]["learners"] == 2
    assert rows[("Site safety", "1")]["stopped"] == 1  # learner 1 passed at once
    assert rows[("Site safety", "2")]["stopped"] == 1  # learner 0 needed two
    assert rows[("Site safety", "2")]["pass_rate"] == 100.0
    assert rows[("Site safety", "1")]["pass_rate"] == 50.0


def test_time_from_first_attempt_to_credential(world):
    date_attempt(world.first_fail, at(2026, 3, 1))
    date_attempt(world.second_pass, at(2026, 3, 10))  # credential on 11 March: 10 days
    date_attempt(world.l1_pass, at(2026, 3, 1))  # credential the next day
    row = rows_by(outcomes.time_to_credential(Scope(definition=world.safety)))["Site safety"]
    assert row["credentials"] == 2
    assert row["mean_days"] == 5.5
    assert (row["b0"], row["b1"], row["b2"], row["b3"]) == (1, 1, 0, 0)


def test_level_distribution_and_the_criteria_failed_most(world):
    table = outcomes.criteria(Scope(definition=world.safety))
    rows = {(r["criterion"], r["level"]): r for r in table.rows}
    # two assessors × (fail, pass, pass): hazards "none" twice, "complete" four times
    assert rows[("Hazards", "none")]["scores"] == 2
    assert rows[("Hazards", "none")]["below"] == "yes"  # under the minimum "partial"
    assert rows[("Hazards", "complete")]["share"] == 66.7
    assert rows[("Communication", "missing")]["below"] == "yes"  # lowest level, no minimum
    assert rows[("Controls", "thorough")]["below"] == ""
    assert table.chart.categories[0] in ("Hazards", "Controls", "Communication")


def test_top_scores_are_never_below_the_minimum(db):
    """Only passes observed: the lowest level *chosen* is the top one, and it is not a
    failing level (the rubric's lowest level is what fails where there is no minimum)."""
    w = World()
    w.attempt(w.learner(), UNIT_A, PASS, PASS)
    table = outcomes.criteria(Scope(definition=w.safety))
    assert {(r["criterion"], r["level"]): r["below"] for r in table.rows} == {
        ("Hazards", "complete"): "", ("Controls", "thorough"): "",
        ("Communication", "present"): ""}
    assert set(table.chart.series[0].values) == {0.0}


def test_a_learner_with_two_units_of_a_credential_counts_once(world):
    second_unit = UsageKey.from_string(
        "block-v1:Acme+Safety+2026+type@credential_assessment+block@c")
    api.register_assessment_unit(usage_key=second_unit, credential_slug="safety",
                                 display_name="second", rubric=RUBRIC,
                                 evidence=EvidenceSettings())
    learner = world.learner()  # one attempt at each unit, then a second at unit A
    world.attempt(learner, second_unit, FAIL, FAIL)
    world.attempt(learner, UNIT_A, FAIL, FAIL)
    world.attempt(learner, UNIT_A, FAIL, FAIL)
    rows = {(r["group"], r["attempt"]): r for r in outcomes.attempts_per_learner(Scope()).rows}
    assert rows[("Site safety", "1")]["learners"] == 3  # not 4: the new learner once
    assert rows[("Site safety", "1")]["stopped"] == 1  # learner 1 passed at once
    assert rows[("Site safety", "2")]["learners"] == 2
    assert rows[("Site safety", "2")]["stopped"] == 2


def test_assessor_workload_and_turnaround(world):
    date_attempt(world.aid_pass, at(2026, 2, 1), assessed_after=timedelta(days=2))
    date_attempt(world.aid_fail, at(2026, 2, 1), assessed_after=timedelta(days=10))
    rows = rows_by(outcomes.assessors(Scope(definition=world.aid)), "assessor")
    third = rows["Asa Sessor2"]
    assert third["assessments"] == 2 and third["mean_days"] == 6.0
    assert (third["b0"], third["b1"], third["b2"], third["later"]) == (0, 1, 0, 1)


def test_credentials_issued_expired_revoked_per_month(world):
    date_attempt(world.l1_pass, at(2026, 1, 5))
    date_attempt(world.second_pass, at(2026, 2, 5))
    date_attempt(world.aid_pass, at(2026, 2, 6))
    revoked = Credential.objects.get(attempt=world.second_pass)
    api.revoke_credential(credential_uuid=str(revoked.uuid), revoked_by=world.admin.pk,
                          reason="Evidence copied.")
    with changed_behind_the_apps_back([world.second_pass.pk, world.l1_pass.pk]):
        Credential.objects.filter(pk=revoked.pk).update(ended_at=at(2026, 3, 2))
        Credential.objects.filter(attempt=world.l1_pass).update(
            status=CredentialStatus.EXPIRED, live_state=None, ended_at=at(2026, 3, 9))
    rows = rows_by(outcomes.credentials_over_time(Scope()), "month")
    assert rows["2026-01"]["issued"] == 1
    assert rows["2026-02"]["issued"] == 2
    assert (rows["2026-03"]["expired"], rows["2026-03"]["revoked"]) == (1, 1)


def test_cost_per_issued_credential(world):
    for attempt in (world.second_pass, world.l1_pass):
        date_attempt(attempt, at(2026, 4, 3))
    ProgrammeCost.objects.create(definition=world.safety, period_start=date(2026, 4, 1),
                                 period_end=date(2026, 4, 30), amount=Decimal("1000.00"),
                                 currency="EUR")
    ProgrammeCost.objects.create(course_key=COURSE_B, period_start=date(2026, 4, 1),
                                 period_end=date(2026, 4, 30), amount=Decimal("90"),
                                 currency="GBP")
    rows = {r["currency"]: r for r in outcomes.cost_per_credential(Scope()).rows}
    assert rows["EUR"]["issued"] == 2 and rows["EUR"]["per_credential"] == Decimal("500.00")
    assert rows["GBP"]["issued"] == 0 and rows["GBP"]["per_credential"] is None
    in_course_a = outcomes.cost_per_credential(Scope(course=COURSE_A)).rows
    assert [r["currency"] for r in in_course_a] == ["EUR"]  # costs of every course, or A's


def test_a_cost_names_its_programme_and_a_valid_period():
    from django.core.exceptions import ValidationError

    cost = ProgrammeCost(period_start=date(2026, 5, 1), period_end=date(2026, 4, 1),
                         amount=1, currency="euro")
    with pytest.raises(ValidationError) as caught:
        cost.full_clean()
    assert {"definition", "period_end", "currency"} <= set(caught.value.message_dict)
    from credential_app.reports.admin import ProgrammeCostForm

    form = ProgrammeCostForm({"course_key": "not a course", "period_start": "2026-04-01",
                              "period_end": "2026-04-01", "amount": "1", "currency": "eur"})
    assert not form.is_valid()
    assert "is not a course id" in form.errors["course_key"][0]
    form = ProgrammeCostForm({"course_key": COURSE_A, "period_start": "2026-04-01",
                              "period_end": "2026-04-01", "amount": "1", "currency": "eur"})
    assert form.is_valid(), form.errors
    assert form.save().currency == "EUR"


def test_bad_filters_are_reported_and_filter_nothing(world):
    form = ReportFilterForm({"start": "2026-05-01", "end": "2026-04-01", "course": "nope"})
    assert not form.is_valid()
    assert {"end", "course"} <= set(form.errors)
    assert form.scope() == Scope()


# --- CSV ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "cell"), [("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"),
                                             ("-x", "'-x"), ("@cmd", "'@cmd"),
                                             ("plain", "plain"), (-3, "-3"), (None, "")])
def test_csv_cells_never_start_a_formula(value, cell):
    assert safe_cell(value) == cell


def test_csv_holds_the_table(world):
    world.aid.name = "=HYPERLINK(\"http://evil\")"
    world.aid.save()
    rows = list(csv.reader(io.StringIO(to_csv(outcomes.summary(Scope())))))
    assert rows[0][:2] == ["Credential", "Submissions"]
    assert ["'=HYPERLINK(\"http://evil\")", "3"] in [row[:2] for row in rows[1:]]


# --- pages ----------------------------------------------------------------------------------

PAGES = ["overview", "time-to-credential", "criteria", "assessors", "reliability",
         "over-time", "cost", "delivery"]


@pytest.mark.parametrize("slug", PAGES)
def test_staff_see_every_report_page_with_charts_tables_and_csv(client, world, slug):
    client.force_login(world.admin)
    response = client.get(report(slug), {"credential": world.safety.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<form method=\"get\"" in html and ".csv?" in html
    if slug in ("overview", "criteria", "assessors", "reliability"):
        assert 'role="img"' in html and "<title id=" in html and "<table>" in html


@pytest.mark.parametrize("slug", PAGES)
def test_learners_are_refused_and_visitors_sent_to_sign_in(client, world, slug):
    assert client.get(report(slug)).status_code == 302
    client.force_login(world.learners[0])
    assert client.get(report(slug)).status_code == 403
    assert client.get(report_csv(slug, "summary")).status_code == 403


def test_csv_download_follows_the_filters(client, world):
    client.force_login(world.admin)
    response = client.get(report_csv("overview", "summary"), {"credential": world.aid.pk})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [r[0] for r in rows[1:]] == ["First aid"]
    assert client.get(report_csv("overview", "nothing")).status_code == 404


def test_a_page_shows_what_is_wrong_with_its_filters(client, world):
    client.force_login(world.admin)
    response = client.get(report("overview"), {"start": "2026-05-01", "end": "2026-04-01"})
    assert response.status_code == 200
    assert "The end date must be on or after the start date." in response.content.decode()


# --- REST -----------------------------------------------------------------------------------

def test_rest_gives_staff_the_same_figures(client, world):
    client.force_login(world.admin)
    body = client.get(reverse("credential_app:rest-report-overview"), {"by": "course"}).json()
    assert body["report"] == "overview"
    summary = next(t for t in body["tables"] if t["key"] == "summary")
    assert {r["group"]: r["submissions"] for r in summary["rows"]} == {COURSE_A: 3,
                                                                     COURSE_B: 3}
    assert [c["key"] for c in summary["columns"]][:2] == ["group", "submissions"]


def test_rest_refuses_learners_and_bad_filters(client, world):
    client.force_login(world.learners[0])
    assert client.get(reverse("credential_app:rest-report-overview")).status_code == 403
    client.force_login(world.admin)
    response = client.get(reverse("credential_app:rest-report-cost"), {"start": "yesterday"})
    assert response.status_code == 400
    assert response.json()["field"] == "start"


# --- HRIS delivery health -------------------------------------------------------------------

def test_delivery_health_per_destination(world):
    from datetime import timedelta

    from credential_app.models import DeliveryAttempt, HrisDestination, OutboxMessage

    workday = HrisDestination.objects.create(name="Workday", url="https://hr.example.com/hook")
    sap = HrisDestination.objects.create(name="SAP", url="https://sap.example.com/hook")
    credential = Credential.objects.get(attempt=world.l1_pass)
    aid = Credential.objects.get(attempt=world.aid_pass)
    made = at(2026, 6, 1)

    def message(destination, number, state, credential=credential):
        row = OutboxMessage.objects.create(
            message_id=f"m{number}", destination=destination, credential=credential,
            attempt_id=credential.attempt_id, event_type="credential.issued",
            ordering_key=f"k{number}", payload={},
            state=state, created_at=made,
            delivered_at=made + timedelta(minutes=10) if state == "delivered" else None)
        return row

    first = message(workday, 1, "delivered")
    DeliveryAttempt.objects.create(message=first, outcome="failed", status_code=503,
                                   latency_ms=300)
    DeliveryAttempt.objects.create(message=first, outcome="delivered", status_code=200,
                                   latency_ms=100)
    message(workday, 2, "pending")
    dead = message(sap, 3, "dead", credential=aid)
    DeliveryAttempt.objects.create(message=dead, outcome="refused", status_code=400,
                                   latency_ms=50)
    from credential_app.reports.delivery import delivery_health

    rows = {r["destination"]: r for r in delivery_health(Scope()).rows}
    assert {k: rows["Workday"][k] for k in ("messages", "delivered", "pending", "dead",
                                            "delivered_rate", "mean_minutes", "tries",
                                            "failed_tries", "mean_latency_ms")} == {
        "messages": 2, "delivered": 1, "pending": 1, "dead": 0, "delivered_rate": 50.0,
        "mean_minutes": 10.0, "tries": 2, "failed_tries": 1, "mean_latency_ms": 200}
    assert rows["SAP"]["dead"] == 1 and rows["SAP"]["failed_tries"] == 1
    only_safety = {r["destination"] for r in delivery_health(Scope(definition=world.safety)).rows}
    assert only_safety == {"Workday"}

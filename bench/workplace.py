"""Workplace outcome pages on 1,000,000 attempts and 2,000,000 outcome events (MariaDB).

    CREDENTIAL_DB=mysql .venv/bin/python -m bench.workplace --buffer-pool 3G   # private server
    CREDENTIAL_DB=mysql .venv/bin/python -m bench.workplace                    # 127.0.0.1:3306
    CREDENTIAL_DB=mysql .venv/bin/python -m bench.workplace --reuse            # time built data

Builds ``bench.reports``' data (1,000,000 attempts, 100,000 credentials, 5 cohorts, in
database ``credential_workplace_bench``), then with bulk SQL: one employer with 200,000 of
the learners linked and sharing, and 10 outcome events each (hire with role and site,
time to productivity, six quarterly ratings, a promotion or salary band step, an exit or a
last rating): 2,000,000 events. It times ``manage.py refresh_workplace_indicators`` (the
matching and intervals, done off the request path), then requests the lagging-indicator,
ROI and governance pages and their CSVs as staff: median of 3 after a warm-up, with the
SQL queries of each request.
"""
import os
import statistics
import sys
import time
from pathlib import Path

import django
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.urls import reverse

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("CREDENTIAL_DB_NAME", "credential_workplace_bench")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

EMPLOYEES, EVENTS_EACH = 200_000, 10


def build_outcomes(employees=EMPLOYEES):
    # bench.* resolves once ROOT is on sys.path (above); the models need the app registry,
    # ready after django.setup() (bench.reports.build).
    from bench import reports
    from credential_app.models import HrisDestination, RoiAssumptions

    employer = HrisDestination.objects.create(name="Bench HR", url="https://hr.bench.example/")
    for definition_id in range(1, reports.DEFINITIONS + 1):
        RoiAssumptions.objects.create(
            definition_id=definition_id, currency="EUR", cost_per_hire=6000,
            cost_per_failed_hire=9000, value_per_ramp_day=100, cost_per_remediation=150,
            assessor_minutes_per_assessment=40, assessor_hourly_cost=50,
            operations_cost_per_credential=10)
    learner = f"{reports.LEARNER_ID0} + seq"
    steps = [
        ("employee links", f"""
            INSERT INTO credential_app_employeelink (destination_id, user_id, employee_id,
                                                     updated_at)
            SELECT {employer.pk}, {learner}, CONCAT('E', seq), NOW()
            FROM seq_1_to_{employees}"""),
        ("consents", f"""
            INSERT INTO credential_app_hrisconsent (destination_id, user_id, given, changed_at)
            SELECT {employer.pk}, {learner}, 1, NOW() FROM seq_1_to_{employees}"""),
        ("outcome events", f"""
            INSERT INTO credential_app_outcomeevent (destination_id, user_id, event_id,
                event_type, occurred_on, value, role, site, source, received_at)
            SELECT {employer.pk}, {reports.LEARNER_ID0} + e, CONCAT('E', e, '-', n),
                   CASE WHEN n = 1 THEN 'hire' WHEN n = 2 THEN 'time_to_productivity'
                        WHEN n <= 8 THEN 'performance'
                        WHEN n = 9 THEN IF(e % 5 = 0, 'promotion', 'salary_band_change')
                        ELSE IF(e % 7 = 0, 'exit', 'performance') END,
                   hired + INTERVAL CASE WHEN n = 1 THEN 0 WHEN n = 2 THEN 40 + e % 50
                                         WHEN n <= 8 THEN (n - 2) * 91
                                         WHEN n = 9 THEN 400 + e % 200
                                         ELSE 600 + e % 300 END DAY,
                   CASE WHEN n = 2 THEN 40 + e % 50
                        WHEN n BETWEEN 3 AND 8 OR (n = 10 AND e % 7 <> 0)
                             THEN 80 + (7 * e + 13 * n) % 41
                        WHEN n = 9 AND e % 5 <> 0 THEN 1 END,
                   IF(n = 1, CONCAT('Role ', e % 4), ''),
                   IF(n = 1, CONCAT('Site ', (e DIV 4) % 5), ''), 'pull', NOW()
            FROM (SELECT s.seq AS e, t.seq AS n,
                         '2023-06-01' + INTERVAL (s.seq * 7) % 540 DAY AS hired
                  FROM seq_1_to_{employees} s JOIN seq_1_to_{EVENTS_EACH} t) events"""),
    ]
    with connection.cursor() as cursor:
        for name, sql in steps:
            started = time.perf_counter()
            cursor.execute(sql)
            print(f"  {name}: {cursor.rowcount:,} rows in {time.perf_counter() - started:.1f} s",
                  flush=True)
        cursor.execute("ANALYZE TABLE credential_app_outcomeevent, credential_app_employeelink,"
                       " credential_app_hrisconsent")
        cursor.fetchall()


def refresh():
    # After django.setup(): the app's modules need the app registry at import.
    from credential_app.workplace import indicators

    started = time.perf_counter()
    rows = indicators.refresh()
    print(f"\nrefresh_workplace_indicators: {rows} figures in "
          f"{time.perf_counter() - started:.0f} s", flush=True)


def pages():
    # After django.setup(): the models need the app registry at import.
    from credential_app.models import IndicatorFigure

    course = IndicatorFigure.objects.filter(group_kind="course").values_list(
        "group_key", flat=True).first()
    cohort = IndicatorFigure.objects.filter(group_kind="cohort").values_list(
        "group_key", flat=True).first()
    return [
        ("lagging indicators", "workplace-indicators", {}, {}),
        ("… one course", "workplace-indicators", {}, {"group": f"course:{course}"}),
        ("… one cohort", "workplace-indicators", {}, {"group": f"cohort:{cohort}"}),
        ("… CSV", "workplace-indicators-csv", {"table": "lagging"}, {"group": "credential:4"}),
        ("ROI", "workplace-roi", {}, {"credential": "4"}),
        ("ROI CSV", "workplace-roi-csv", {"table": "components"}, {"credential": "4"}),
        ("governance", "workplace-governance", {}, {}),
    ]


def time_pages(repeat):
    setup_test_environment()
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    with connection.cursor() as cursor:
        for table in ("attempt", "credential", "outcomeevent"):
            cursor.execute(f"SELECT COUNT(*) FROM credential_app_{table}")  # noqa: S608
            print(f"{cursor.fetchone()[0]:,} {table} rows")
    print(f"\nMedian of {repeat} requests after one warm-up, milliseconds (queries):\n")
    print("| page | ms (queries) |\n|---|---:|")
    worst = 0.0
    for label, name, kwargs, params in pages():
        url = reverse(f"credential_app:{name}", kwargs=kwargs)
        assert client.get(url, params).status_code == 200, label
        times = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url, params)
                times.append(time.perf_counter() - started)
            assert response.status_code == 200
        median = statistics.median(times)
        worst = max(worst, median)
        print(f"| {label} | {median * 1000:.0f} ({len(queries)}) |", flush=True)
    print(f"\nSlowest page: {worst * 1000:.0f} ms")


def main():
    # bench.* resolves once ROOT is on sys.path (above), also when run as a script.
    from bench import reports

    parser = reports.argument_parser(__doc__)
    parser.add_argument("--employees", type=int, default=EMPLOYEES,
                        help=f"linked employees, {EVENTS_EACH} outcome events each")
    reports.on_the_chosen_server(parser.parse_args(), run)


def run(args):
    if not args.reuse:
        # bench.* resolves once ROOT is on sys.path (above), also when run as a script.
        from bench import reports

        started = time.perf_counter()
        print("Building the data:", flush=True)
        reports.build(args.attempts)
        build_outcomes(args.employees)
        print(f"Built in {time.perf_counter() - started:.0f} s", flush=True)
        refresh()
    else:
        django.setup()
    time_pages(args.repeat)


if __name__ == "__main__":
    main()

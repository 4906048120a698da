"""Report pages on 1,000,000 attempts and 100,000 credentials (MariaDB).

    CREDENTIAL_DB=mysql .venv/bin/python -m bench.reports            # build, then time
    CREDENTIAL_DB=mysql .venv/bin/python -m bench.reports --reuse    # time the built data

Builds database ``credential_reports_bench`` (``CREDENTIAL_DB_NAME`` to change) afresh with bulk SQL
from MariaDB's sequence engine (``seq_1_to_1000000``): 10 credentials in 20 courses,
600,000 learners (all make a first attempt, half a second, a sixth a third), 40 assessors
(one of them contrary), one assessment per assessed attempt and a second on a tenth of
them (4 criteria each), 100,000 credentials (active, expired, revoked), 5 cohorts and
programme costs. Then every report page is requested through Django's test client as a
staff user, without filters and with each filter, and the median of 3 timed requests
(after one warm-up) is printed as a Markdown table for bench/README.md. The report
summaries are rebuilt from the records after the bulk inserts
(``rebuild_report_summaries``), as an existing install's migration does.
"""
import argparse
import json
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import django
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.urls import reverse
from opaque_keys.edx.keys import UsageKey

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("CREDENTIAL_DB_NAME", "credential_reports_bench")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ATTEMPTS, ASSESSORS, DEFINITIONS = 1_000_000, 40, 10
LEARNER_ID0, ASSESSOR_ID0 = 1000, 100  # learner k has id 1000 + k, assessor i 100 + i
RUBRIC = ('{"criteria": [' + ", ".join(
    f'{{"name": "c{c}", "label": "Criterion {c}", "levels": [{{"name": "l0", "points": 0}}, '
    f'{{"name": "l1", "points": 2}}, {{"name": "l2", "points": 4}}]}}' for c in range(1, 5))
    + "]}")
SEQ = "seq_1_to_{}"


def build(attempts=ATTEMPTS):
    if not settings.DATABASES["default"]["ENGINE"].endswith("mysql"):
        sys.exit("This benchmark needs MariaDB: run it with CREDENTIAL_DB=mysql.")
    # bench.* resolves once ROOT is on sys.path (above), also when run as a script.
    from bench.database import fresh_database

    fresh_database()
    # After django.setup(): the models need the app registry at import.
    from credential_app.models import AssessmentUnit, CredentialDefinition, ProgrammeCost

    get_user_model().objects.create_user("admin", is_staff=True, first_name="Bench",
                                         last_name="Admin")
    for d in range(DEFINITIONS):
        definition = CredentialDefinition.objects.create(pk=d + 1, slug=f"bench-{d}",
                                                         name=f"Credential {d}")
        for j in range(2):
            unit = UsageKey.from_string(
                f"block-v1:Bench+C{d}x{j}+2026+type@credential_assessment+block@u")
            AssessmentUnit.objects.create(usage_key=unit, course_key=unit.course_key,
                                          definition=definition, display_name=f"Unit {d}.{j}",
                                          rubric={"criteria": []})
        for year in (2025, 2026):
            ProgrammeCost.objects.create(definition=definition, period_start=date(year, 1, 1),
                                         period_end=date(year, 12, 31), amount=50_000 + d,
                                         currency="EUR")
    AssessmentUnit.objects.update(rubric=json.loads(RUBRIC))
    learners = attempts * 6 // 10  # every learner a first attempt, half a second, a sixth a third
    first, second = learners, attempts * 9 // 10
    steps = [
        ("learners and assessors", f"""
            INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name,
                                   email, is_staff, is_active, date_joined)
            SELECT {LEARNER_ID0} + seq, '!', 0, CONCAT('learner', seq), 'Learner', seq, '',
                   0, 1, '2024-01-01' FROM {SEQ.format(learners)}
            UNION ALL
            SELECT {ASSESSOR_ID0} + seq, '!', 0, CONCAT('assessor', seq), 'Assessor', seq, '',
                   1, 1, '2024-01-01' FROM {SEQ.format(ASSESSORS)}"""),
        ("attempts", f"""
            INSERT INTO credential_app_attempt (user_id, course_key, usage_key, definition_id,
                number, status, evidence_text, rubric, score, max_score, submitted_at,
                assessed_at, links, result_changed_by_staff)
            SELECT {LEARNER_ID0} + k,
                   CONCAT('course-v1:Bench+C', k % 10, 'x', (k DIV 10) % 2, '+2026'),
                   CONCAT('block-v1:Bench+C', k % 10, 'x', (k DIV 10) % 2,
                          '+2026+type@credential_assessment+block@u'),
                   k % 10 + 1, n, status, 'Walked the site with the supervisor.', %s,
                   CASE status WHEN 'passed' THEN 12 WHEN 'failed' THEN 4 END, 16, at,
                   IF(status = 'submitted', NULL, at + INTERVAL (s % 168) + 1 HOUR), '[]', 0
            FROM (SELECT s, k, n, '2024-11-20' + INTERVAL s * {63_000_000 // attempts} SECOND AS at,
                         CASE WHEN (7 * k + n) % 10 = 0 THEN 'passed'
                              WHEN (3 * k + n) % 20 = 5 THEN 'submitted'
                              ELSE 'failed' END AS status
                  FROM (SELECT seq AS s,
                               CASE WHEN seq <= {first} THEN seq WHEN seq <= {second}
                                    THEN seq - {first} ELSE seq - {second} END AS k,
                               CASE WHEN seq <= {first} THEN 1 WHEN seq <= {second} THEN 2
                                    ELSE 3 END AS n
                        FROM {SEQ.format(attempts)}) numbered) attempts""", [RUBRIC]),
        ("first assessments", f"""
            INSERT INTO credential_app_assessment (attempt_id, assessor_id, created, waited)
            SELECT id, {ASSESSOR_ID0} + 1 + id % {ASSESSORS}, assessed_at,
                   TIMESTAMPDIFF(MICROSECOND, submitted_at, assessed_at)
            FROM credential_app_attempt WHERE status <> 'submitted'"""),
        ("second assessments", f"""
            INSERT INTO credential_app_assessment (attempt_id, assessor_id, created, waited)
            SELECT id, {ASSESSOR_ID0} + 1 + (id + 17) % {ASSESSORS},
                   assessed_at - INTERVAL 1 HOUR,
                   TIMESTAMPDIFF(MICROSECOND, submitted_at, assessed_at - INTERVAL 1 HOUR)
            FROM credential_app_attempt WHERE status <> 'submitted' AND (id DIV 10) % 10 = 3"""),
        ("criterion scores", f"""
            INSERT INTO credential_app_criterionscore (assessment_id, criterion, level, points,
                                                       comment)
            SELECT id, CONCAT('c', c), CONCAT('l', lvl), 2 * lvl, ''
            FROM (SELECT id, c,
                         CASE WHEN assessor_id = {ASSESSOR_ID0 + ASSESSORS} THEN 2 - base
                              WHEN (id + c) % 7 = 0 THEN IF(base = 2, 1, base + 1)
                              ELSE base END AS lvl
                  FROM (SELECT a.id, a.assessor_id, c.seq AS c,
                               IF(t.status = 'passed', IF((t.id + c.seq) % 3 = 0, 1, 2),
                                  IF((t.id + c.seq) % 3 = 0, 1, 0)) AS base
                        FROM credential_app_assessment a
                        JOIN credential_app_attempt t ON t.id = a.attempt_id
                        JOIN seq_1_to_4 c) based) scored"""),
        ("credentials", """
            INSERT INTO credential_app_credential (uuid, user_id, definition_id, attempt_id,
                attempt_key, status, issued_at, family_id, live_state, expires_at, ended_at,
                revoked_reason, through_pathway)
            SELECT UUID_EXPR, user_id, definition_id, id, IF(kind = 'revoked', NULL, id), kind,
                   assessed_at, definition_id, IF(kind = 'active', 'active', NULL),
                   assessed_at + INTERVAL 730 DAY,
                   IF(kind = 'active', NULL, assessed_at + INTERVAL id % 300 + 1 DAY),
                   IF(kind = 'revoked', 'Evidence not the learner''s own.', ''), 0
            FROM (SELECT id, user_id, definition_id, assessed_at,
                         CASE WHEN id % 25 < 2 THEN 'revoked' WHEN id % 25 < 5 THEN 'expired'
                              ELSE 'active' END AS kind
                  FROM credential_app_attempt WHERE status = 'passed') passed"""),
        ("cohorts", """
            INSERT INTO credential_app_cohort (id, name, description, created)
            SELECT seq, CONCAT('Intake ', seq), '', '2024-01-01' FROM seq_1_to_5"""),
        ("cohort members", f"""
            INSERT INTO credential_app_cohort_members (cohort_id, user_id)
            SELECT seq % 30 + 1, {LEARNER_ID0} + seq FROM {SEQ.format(learners)}
            WHERE seq % 30 < 5"""),
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA ="
                       " DATABASE() AND TABLE_NAME = 'credential_app_credential' AND "
                       "COLUMN_NAME = 'uuid'")
        native = cursor.fetchone()[0].lower() == "uuid"
        for name, sql, *params in steps:
            sql = sql.replace("UUID_EXPR", "UUID()" if native else "REPLACE(UUID(), '-', '')")
            started = time.perf_counter()
            if params:  # placeholders: a literal % (modulo) is doubled
                cursor.execute(sql.replace("%", "%%").replace("%%s", "%s"), *params)
            else:
                cursor.execute(sql)
            print(f"  {name}: {cursor.rowcount:,} rows in {time.perf_counter() - started:.1f} s",
                  flush=True)
    # The reports read summaries the app keeps in step with each write; bulk SQL wrote
    # behind its back, so they are made from the records as on an existing install.
    started = time.perf_counter()
    call_command("rebuild_report_summaries", verbosity=0)
    print(f"  report summaries (rebuild_report_summaries): "
          f"{time.perf_counter() - started:.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE TABLE credential_app_attempt, credential_app_assessment, "
                       "credential_app_criterionscore, credential_app_credential, "
                       "credential_app_cohort_members, auth_user, "
                       "credential_app_attemptsummary, credential_app_scoresummary, "
                       "credential_app_assessmentsummary, credential_app_credentialsummary, "
                       "credential_app_scorepair, credential_app_sharedattemptnumber")
        cursor.fetchall()


VARIANTS = {
    "no filter": {},
    "last 90 days": {"start": "2026-08-20", "end": "2026-11-17"},
    "credential": {"credential": "4"},
    "course": {"course": "course-v1:Bench+C3x0+2026"},
    "cohort": {"cohort": "2"},
    "all filters": {"start": "2025-06-01", "end": "2026-05-31", "credential": "4",
                    "course": "course-v1:Bench+C3x0+2026", "cohort": "2"},
    "per course": {"by": "course"},
}


def time_pages(repeat):
    django.setup()
    # After django.setup(): the app's modules need the app registry at import.
    from credential_app.reports.pages import PAGES

    setup_test_environment()
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM credential_app_attempt")
        attempts = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM credential_app_credential")
        credentials = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM credential_app_criterionscore")
        scores = cursor.fetchone()[0]
    print(f"\n{attempts:,} attempts, {credentials:,} credentials, {scores:,} criterion scores"
          f"\n\nMedian of {repeat} requests after one warm-up, milliseconds (queries):\n")
    print("| page | " + " | ".join(VARIANTS) + " |")
    print("|---|" + "---:|" * len(VARIANTS))
    worst = 0.0
    for slug in PAGES:
        cells = []
        for params in VARIANTS.values():
            url = reverse("credential_app:report", kwargs={"slug": slug})
            assert client.get(url, params).status_code == 200
            times = []
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url, params)
                    times.append(time.perf_counter() - started)
                assert response.status_code == 200
            median = statistics.median(times)
            worst = max(worst, median)
            cells.append(f"{median * 1000:.0f} ({len(queries)})")
        print(f"| {slug} | " + " | ".join(cells) + " |", flush=True)
    print(f"\nSlowest page: {worst * 1000:.0f} ms")


def argument_parser(doc: str) -> argparse.ArgumentParser:
    """The options of a benchmark on ``build``'s data (this one and ``bench.workplace``)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--reuse", action="store_true",
                        help="time the data already built instead of building it afresh")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--buffer-pool", metavar="SIZE",
                        help="run on a private mariadbd with this InnoDB buffer pool "
                             "(e.g. 2G) instead of the server at CREDENTIAL_DB_PORT")
    parser.add_argument("--attempts", type=int, default=ATTEMPTS,
                        help="attempts to build (default 1,000,000; a multiple of 10)")
    return parser


def on_the_chosen_server(args, run_with):
    """``run_with(args)`` on a private mariadbd when ``--buffer-pool`` asks, else as set."""
    if args.buffer_pool:
        # bench.* resolves once ROOT is on sys.path (above), also when run as a script.
        from bench.private_mariadb import private_mariadb

        with private_mariadb(args.buffer_pool) as port:
            print(f"Private MariaDB on port {port}, buffer pool {args.buffer_pool}")
            run_with(args)
    else:
        run_with(args)


def main():
    on_the_chosen_server(argument_parser(__doc__).parse_args(), run)


def run(args):
    if not args.reuse:
        started = time.perf_counter()
        print("Building the data:", flush=True)
        build(args.attempts)
        print(f"Built in {time.perf_counter() - started:.0f} s", flush=True)
    time_pages(args.repeat)


if __name__ == "__main__":
    main()

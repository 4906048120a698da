"""The assessor's view as the queue grows: 10, 1,000 and 10,000 attempts waiting.

    .venv/bin/python -m bench.assessor_queue                    # SQLite (bench settings)
    CREDENTIAL_DB=mysql .venv/bin/python -m bench.assessor_queue

The view lists a page of each list (``credential_app.core.queue.PAGE_SIZE``) with exact
counts, and "Show more" asks for the next page, so its time and queries should stay flat.
One attempt is handed in through the block; the others are copies of it for other learners
(bulk inserts, to reach 10,000 quickly). The median of 5 timed views (after one warm-up) and
the view's query count and SQL time (as Django's debug cursor measures it) are printed as a
Markdown table for bench/README.md.
"""
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("CREDENTIAL_DB_NAME", "credential_queue_bench")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SIZES = (10, 1_000, 10_000)
TIMED = 5


def main():
    # bench.* resolves once the checkout is on sys.path (above); Django is set up by
    # fresh_database, and the models and workbench need the app registry at import.
    from bench.database import fresh_database

    fresh_database()
    # Only now that fresh_database() has set Django up: these need the app registry.
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from workbench.scenarios import get_scenarios

    from bench.query_counts import Person
    from bench.scenarios import add_sized_scenario
    from credential_app.models import Attempt, CredentialDefinition
    from credential_xblock.demo_scenarios import DEMO_CREDENTIAL_SLUG

    setup_test_environment()
    CredentialDefinition.objects.create(slug=DEMO_CREDENTIAL_SLUG, name="Benchmark credential",
                                        pass_percentage=70)
    users = get_user_model().objects
    scenario = get_scenarios()[add_sized_scenario(3)]
    first = Person(users.create_user("learner-0"), scenario)
    _count, body = first.post("submit_evidence", {"text": "The first attempt, handed in."})
    template = Attempt.objects.get(pk=body["attempt_id"])
    staff = Person(users.create_user("assessor", is_staff=True), scenario)

    rows, waiting = [], 1
    for size in SIZES:
        new_users = users.bulk_create([get_user_model()(username=f"learner-{n}")
                                       for n in range(waiting, size)])
        Attempt.objects.bulk_create([Attempt(
            user=user, usage_key=template.usage_key, course_key=template.course_key,
            definition_id=template.definition_id, number=1, status=template.status,
            evidence_text=template.evidence_text, rubric=template.rubric,
            max_score=template.max_score) for user in new_users], batch_size=500)
        # Bulk inserts bypass the app: count them as an existing install's migration does.
        call_command("rebuild_report_summaries", verbosity=0)
        waiting = size
        staff.view()  # warm-up
        timings, sql = [], []
        for _run in range(TIMED):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                staff.view()
            timings.append(time.perf_counter() - started)
            sql.append(sum(float(q["time"]) for q in queries.captured_queries))
        rows.append((size, statistics.median(timings) * 1000, statistics.median(sql) * 1000,
                     len(queries)))

    vendor = "MariaDB" if connection.vendor == "mysql" else "SQLite"
    print("| database | attempts waiting | assessor view (median ms) | of which SQL (ms) "
          "| queries |")
    print("|---|---:|---:|---:|---:|")
    for size, ms, sql_ms, count in rows:
        print(f"| {vendor} | {size:,} | {ms:.0f} | {sql_ms:.0f} | {count} |")


if __name__ == "__main__":
    main()

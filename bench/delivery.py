"""Benchmark HRIS delivery: records per second to the bundled simulator, beside a sequential
one-request-per-record baseline, at 0 ms and 50 ms of receiver latency, in one run.

    .venv/bin/python -m bench.delivery                     # SQLite (var/bench_delivery.sqlite3)
    CREDENTIAL_DB=mysql .venv/bin/python -m bench.delivery # MariaDB (database credential_bench)
    .venv/bin/python -m bench.delivery --records 5000 --concurrency 96

The simulator runs as its own process (``manage.py hris_simulator``) on loopback, verifying
every signature and storing every record. The engine run is ``engine.drain`` as a Celery
task runs it: leases, rate-limit tokens, batches sent in parallel over one keep-alive
session, a DeliveryAttempt row per try. The baseline is what a synchronous integration
does: for each record, in turn, one signed POST on a fresh connection, waiting for the
answer. Both send the same signed Standard Webhooks requests.

Records are outbox rows of distinct learners (distinct ordering keys), so nothing
serialises them but the engine itself. Results print as Markdown for bench/README.md.
"""
import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import django
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from opaque_keys.edx.keys import UsageKey

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
sys.path.insert(0, str(ROOT))

SECRET = "whsec_" + "YmVuY2htYXJrLXNlY3JldC1ub3QtZm9yLXByb2R1Y3Rpb24h"


def setup_django():
    settings_module = os.environ["DJANGO_SETTINGS_MODULE"]
    if settings_module == "bench.settings":
        db = Path(ROOT / "var" / "bench_delivery.sqlite3")
        os.environ.setdefault("CREDENTIAL_VAR_DIR", str(ROOT / "var"))
        django.setup()
        if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
            settings.DATABASES["default"]["NAME"] = str(db)
            db.unlink(missing_ok=True)
    else:
        django.setup()
    settings.CREDENTIAL_APP["HRIS_DELIVERY"] = "none"
    settings.CREDENTIAL_APP["HRIS_ALLOW_HTTP"] = True  # the simulator on loopback, plain HTTP
    call_command("migrate", verbosity=0, interactive=False)
    # After django.setup(): the app's modules need the app registry at import.
    from credential_app.models import HrisDestination

    HrisDestination.objects.filter(name__startswith="bench ").delete()  # an earlier run's


def start_simulator(store: Path):
    port_file = store.with_suffix(".port")
    port_file.unlink(missing_ok=True)
    store.unlink(missing_ok=True)
    proc = subprocess.Popen([sys.executable, "manage.py", "hris_simulator", "--port", "0",
                             "--port-file", str(port_file), "--store", str(store),
                             "--secret", SECRET], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not port_file.exists() or not port_file.read_text():
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise SystemExit("The HRIS simulator did not start.")
        time.sleep(0.1)
    return proc, f"http://127.0.0.1:{port_file.read_text().strip()}/"


def make_rows(destination, count, tag):
    """``count`` outbox rows for this destination, each for a different learner."""
    # After django.setup(): the app's modules need the app registry at import.
    from credential_app.hris import outbox, payloads
    from credential_app.models import Attempt, Credential, CredentialDefinition, OutboxMessage

    User = get_user_model()
    definition, _ = CredentialDefinition.objects.get_or_create(
        slug="bench-delivery", defaults={"name": "Benchmark credential"})
    unit = UsageKey.from_string("block-v1:Bench+D+1+type@credential_assessment+block@u")
    user, _ = User.objects.get_or_create(username="bench-delivery")
    attempt, _ = Attempt.objects.get_or_create(
        user=user, usage_key=unit, number=1,
        defaults={"course_key": unit.course_key, "definition": definition,
                  "evidence_text": "x", "rubric": {}, "max_score": 1, "score": 1,
                  "status": "passed"})
    credential = Credential.objects.filter(attempt=attempt).first() or Credential.objects.create(
        user=user, definition=definition, attempt=attempt)
    payload = payloads.build(credential, payloads.ISSUED, employee_id="E-0")
    OutboxMessage.objects.bulk_create([
        OutboxMessage(message_id=outbox.new_message_id(), destination=destination,
                      credential=credential, attempt=attempt, event_type=payloads.ISSUED,
                      employee_id=f"E-{tag}-{i}", ordering_key=f"bench:{tag}:{i}",
                      payload={**payload, "employee_id": f"E-{tag}-{i}"})
        for i in range(count)], batch_size=500)
    if connection.vendor == "mysql":  # fresh statistics after a bulk load, as after any
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE TABLE credential_app_outboxmessage")


def run_engine(destination, count, tag):
    # After django.setup(): the app's modules need the app registry at import.
    from credential_app.hris import engine
    from credential_app.models import OutboxMessage

    make_rows(destination, count, tag)
    started = time.monotonic()
    while OutboxMessage.objects.filter(destination=destination, state="pending").exists():
        engine.drain(destination.pk, budget_seconds=600)
    elapsed = time.monotonic() - started
    delivered = OutboxMessage.objects.filter(destination=destination,
                                             state="delivered").count()
    return delivered, elapsed


def run_baseline(destination, count):
    """One record at a time, one fresh connection per request (no pool, no parallelism)."""
    # After django.setup(): the app's modules need the app registry at import.
    from credential_app.hris import destination_secrets, engine
    from credential_app.hris.connectors.webhook import StandardWebhookConnector

    connector = StandardWebhookConnector(destination, secrets=destination_secrets.load(destination))
    rows = list(destination.messages.filter(state="delivered").order_by("id")[:count])
    started = time.monotonic()
    ok = 0
    for row in rows:
        record = engine.to_record(row)
        body = connector.body(record)
        response = requests.post(destination.url, data=body,
                                 headers={**connector.headers(record, body),
                                          "Connection": "close"},
                                 timeout=destination.timeout_seconds, allow_redirects=False)
        ok += response.status_code == 200
    elapsed = time.monotonic() - started
    connector.close()
    return ok, elapsed


def set_latency(url, latency_ms):
    request = urllib.request.Request(url + "_faults", method="POST",
                                     data=json.dumps({"latency_ms": latency_ms}).encode())
    urllib.request.urlopen(request, timeout=10).close()  # noqa: S310 - loopback simulator


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=3000, help="records per engine run")
    parser.add_argument("--baseline-records", type=int, default=200,
                        help="records per baseline run")
    parser.add_argument("--batch-size", type=int, default=640)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--latencies", default="0,50", help="receiver latencies (ms)")
    args = parser.parse_args()

    setup_django()
    # After django.setup(): the app's modules need the app registry at import.
    from credential_app.hris import destination_secrets
    from credential_app.models import HrisDestination

    store = ROOT / "var" / "bench_hris_simulator.sqlite3"
    simulator, url = start_simulator(store)
    results = []
    try:
        for latency in [int(x) for x in args.latencies.split(",")]:
            set_latency(url, latency)
            destination = HrisDestination(
                name=f"bench {latency} ms", url=url, batch_size=args.batch_size,
                concurrency=args.concurrency, rate_limit_per_minute=10_000_000,
                timeout_seconds=30)
            destination_secrets.store(destination, {"signing_secrets": SECRET})
            destination.save()
            delivered, engine_seconds = run_engine(destination, args.records, latency)
            ok, baseline_seconds = run_baseline(destination, args.baseline_records)
            results.append((latency, delivered, engine_seconds, ok, baseline_seconds))
    finally:
        simulator.terminate()
        simulator.wait(10)

    vendor = connection.vendor
    print(f"\nHRIS delivery to the simulator ({vendor}; engine: batch {args.batch_size}, "
          f"concurrency {args.concurrency}; baseline: sequential, one request per record)\n")
    print("| receiver latency | engine records | engine records/s | baseline records | "
          "baseline records/s | speed-up |")
    print("|---:|---:|---:|---:|---:|---:|")
    for latency, delivered, engine_s, ok, base_s in results:
        engine_rate, base_rate = delivered / engine_s, ok / base_s
        print(f"| {latency} ms | {delivered} | {engine_rate:.0f} | {ok} | {base_rate:.1f} | "
              f"{engine_rate / base_rate:.1f}× |")


if __name__ == "__main__":
    main()

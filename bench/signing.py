"""Benchmark Open Badges signing: credentials signed and verified per second.

    .venv/bin/python -m bench.signing                       # SQLite, 5,000 credentials
    .venv/bin/python -m bench.signing --credentials 100000  # the full goal
    CREDENTIAL_DB=mysql .venv/bin/python -m bench.signing   # MariaDB (credential_bench_signing)

In one run, on a fresh database of ``--credentials`` issued credentials (5-criterion
rubric, alignments, an issuer):

1. raw Ed25519: signatures per second of 64-byte messages (``cryptography``), the floor;
2. canonicalisation: RDFC-1.0 N-Quads of one badge per second (what dominates);
3. first signing: every credential's badge signed and stored (status bits drawn);
4. re-issue: ``manage.py resign_open_badges --workers N`` after a key rotation, the
   operation the goal is about (100,000 credentials in under 10 minutes);
5. verify: ``api.verify_open_badge`` of stored badges, single process.

Prints a Markdown table for bench/README.md with the time 100,000 re-issues take at the
measured rate.
"""
import argparse
import io
import json
import os
import resource
import sys
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.utils.timezone import now
from opaque_keys.edx.keys import UsageKey

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.signing_settings")
sys.path.insert(0, str(ROOT))

GOAL_CREDENTIALS, GOAL_SECONDS = 100_000, 600


def make_credentials(count: int):
    """``count`` active credentials, written in bulk (the engine's rules are not under test)."""
    # After django.setup(): the app's modules need the app registry at import.
    from credential_app.data import AttemptStatus, CredentialStatus, Rubric
    from credential_app.models import (
        Assessment,
        AssessmentUnit,
        Attempt,
        CompetencyAlignment,
        Credential,
        CredentialDefinition,
        CriterionScore,
        Issuer,
    )

    unit = UsageKey.from_string("block-v1:Bench+S+1+type@credential_assessment+block@signing")
    rubric = Rubric.from_dict({"criteria": [
        {"name": f"c{i}", "label": f"Criterion {i}", "description": "What is looked at.",
         "levels": [{"name": n, "label": n.title(), "points": p, "description": f"{n} work"}
                    for n, p in (("none", 0), ("partial", 1), ("good", 2), ("excellent", 3))]}
        for i in range(5)]})
    User = get_user_model()
    with transaction.atomic():
        issuer = Issuer.objects.create(name="Bench Board", url="https://bench.example.org",
                                       email="badges@bench.example.org")
        definition = CredentialDefinition.objects.create(
            slug="bench-signing", name="Bench Practitioner", issuer=issuer,
            description="Certifies benchmarked practice.", validity_days=730,
            criteria_narrative="Pass a practical assessment scored against five criteria.")
        for i in range(3):
            CompetencyAlignment.objects.create(definition=definition, framework="ESCO",
                                               code=f"S{i}", name=f"Skill {i}",
                                               url=f"https://esco.example.org/s{i}")
        AssessmentUnit.objects.create(usage_key=unit, course_key=unit.course_key,
                                      definition=definition, display_name="Bench unit",
                                      rubric=rubric.to_dict())
        assessor = User.objects.create_user("bench-assessor")
    at = now()
    for start in range(0, count, 1000):
        size = min(1000, count - start)
        with transaction.atomic():
            users = User.objects.bulk_create(
                User(username=f"bench{start + i}", email=f"learner{start + i}@example.com")
                for i in range(size))
            attempts = Attempt.objects.bulk_create(
                Attempt(user=user, course_key=unit.course_key, usage_key=unit,
                        definition=definition, number=1, status=AttemptStatus.PASSED,
                        evidence_text="Evidence.", rubric=rubric.to_dict(), score=12,
                        max_score=rubric.max_points, assessed_at=at) for user in users)
            assessments = Assessment.objects.bulk_create(
                Assessment(attempt=attempt, assessor=assessor) for attempt in attempts)
            CriterionScore.objects.bulk_create(
                CriterionScore(assessment=assessment, criterion=f"c{i}", level="good", points=2)
                for assessment in assessments for i in range(5))
            Credential.objects.bulk_create(
                Credential(user=attempt.user, definition=definition, family=definition,
                           attempt=attempt, attempt_key=attempt.pk,
                           status=CredentialStatus.ACTIVE, live_state=CredentialStatus.ACTIVE,
                           issued_at=at, expires_at=at.replace(year=at.year + 2))
                for attempt in attempts)


def rate(count, seconds):
    return count / seconds if seconds else float("inf")


def raw_ed25519(seconds=2.0) -> float:
    key, message, done = Ed25519PrivateKey.generate(), b"m" * 64, 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        for _ in range(200):
            key.sign(message)
        done += 200
    return rate(done, time.perf_counter() - started)


def canonicalisations(document, count=200) -> float:
    # The app's code is imported only once main() has set Django up.
    from credential_app.openbadges import jsonld

    unsecured = {k: v for k, v in document.items() if k != "proof"}
    jsonld.canonicalize(unsecured)  # warm the context memo
    started = time.perf_counter()
    for _ in range(count):
        jsonld.canonicalize(unsecured)
    return rate(count, time.perf_counter() - started)


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the signing workers)."""
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                         resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_command(*args) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds) of a management command."""
    started, cpu = time.perf_counter(), cpu_seconds()
    call_command(*args, stdout=io.StringIO())
    return time.perf_counter() - started, cpu_seconds() - cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--credentials", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--verify", type=int, default=500, help="badges to verify")
    args = parser.parse_args()

    # bench.* resolves once ROOT is on sys.path (above), also when run as a script.
    from bench.database import fresh_database
    from demo import badge_keys  # noqa: F401 (settings made the demo key file)

    load_before = os.getloadavg()[0]
    fresh_database()
    # After django.setup(): the app's modules need the app registry at import.
    from credential_app import api
    from credential_app.models import Credential, CredentialDefinition, SignedBadge
    from credential_app.openbadges import keys

    started = time.perf_counter()
    make_credentials(args.credentials)
    setup = time.perf_counter() - started

    ed25519 = raw_ed25519()
    first = timed_command("resign_open_badges", "--workers", str(args.workers))
    sample = json.loads(SignedBadge.objects.order_by("pk").first().document)
    canon = canonicalisations(sample)

    # key rotation: a new current key first, the old one kept for verifying
    key_file = Path(settings.CREDENTIAL_APP["SIGNING_KEYS_FILE"])
    entries = json.loads(key_file.read_text())
    scratch = key_file.with_name("bench-rotation-keys.json")
    keys.write_file(scratch, [keys.new_entry("bench-rotated"), *entries])
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "SIGNING_KEYS_FILE": str(scratch)}
    try:
        reissue = timed_command("resign_open_badges", "--workers", str(args.workers))
        assert set(SignedBadge.objects.values_list("key_id", flat=True)) == {"bench-rotated"}
        # a new version: what every credential says changes, so each is canonicalised
        CredentialDefinition.objects.update(name="Bench Practitioner (revised)")
        changed = timed_command("resign_open_badges", "--workers", str(args.workers))
        assert all("(revised)" in d for d in SignedBadge.objects.values_list("document",
                                                                             flat=True))
        uuids = list(Credential.objects.order_by("?").values_list("uuid", flat=True)
                     [:args.verify])
        documents = [api.get_open_badge(str(u)) for u in uuids]
        started, started_cpu = time.perf_counter(), time.process_time()
        results = [api.verify_open_badge(d) for d in documents]
        verify_seconds = time.perf_counter() - started
        verify_cpu = time.process_time() - started_cpu
    finally:
        scratch.unlink(missing_ok=True)
    assert all(r.valid for r in results), [r.reasons for r in results if not r.valid][:3]

    n, w = args.credentials, args.workers
    print(f"\n{connection.vendor}, {n:,} credentials, {w} workers, {os.cpu_count()} cores, "
          f"load average before {load_before:.1f} (setup {setup:.0f} s)\n")
    print("| measure | per second (wall clock) | per CPU-second |")
    print("|---|---:|---:|")
    print(f"| raw Ed25519 signatures (1 process) | {ed25519:,.0f} | |")
    print(f"| RDFC-1.0 canonicalisations of a badge (1 process) | {canon:,.0f} | |")
    for label, (wall, cpu) in (("first signing (status bits drawn)", first),
                               ("re-issue after a key rotation", reissue),
                               ("re-issue with changed content (new version)", changed)):
        print(f"| {label}, {n:,} credentials, {w} workers | {rate(n, wall):,.0f} | "
              f"{rate(n, cpu):,.0f} |")
    print(f"| verify (1 process, {len(results)} badges) | "
          f"{rate(len(results), verify_seconds):,.0f} | {rate(len(results), verify_cpu):,.0f} |")
    for what, (wall, cpu) in (("after a key rotation", reissue),
                              ("with changed content", changed)):
        measured = GOAL_CREDENTIALS / rate(n, wall)
        idle = GOAL_CREDENTIALS * (cpu / n) / min(w, os.cpu_count() or 1)
        print(f"\nRe-issuing {GOAL_CREDENTIALS:,} credentials {what}: {measured / 60:.1f} min "
              f"at the measured rate ({'meets' if measured < GOAL_SECONDS else 'misses'} the "
              f"10-minute goal); {idle / 60:.1f} min on {w} otherwise idle cores "
              f"(CPU time / {w}).")


if __name__ == "__main__":
    main()

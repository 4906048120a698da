"""The assessor queue's counts of waiting attempts (``QueueTally``), kept in step with the
attempts in the transaction that changes them, so the queue costs the same with 10 or
10,000 attempts waiting.

It listens to the core's own announcement of changed attempt records
(``record_changes.changing``): before a change it reads what the attempts count for, after
it adds the difference to what they count for now (one statement). An attempt waiting
(SUBMITTED) counts once for its unit, and once for each assessor who has scored it already.
"""
from collections import defaultdict

from django.apps import apps as installed_apps
from django.db import transaction

from credential_app.core import record_changes
from credential_app.core.models import QueueTally
from credential_app.data import AttemptStatus
from credential_app.lib import tallies

UNIT = 0  # assessor_id of a unit's own count
KEYS, SUMMED = ("usage_key", "assessor_id", "slot"), ("waiting",)


def counts_of(attempt_ids, registry=installed_apps, records=None) -> dict:
    """{(usage_key, assessor_id, slot): waiting} of these attempts, counted from their
    records (``record_changes.records_of``: read here when not given)."""
    if records is None:
        records = record_changes.records_of(attempt_ids, registry)
    counts, seen = defaultdict(int), set()
    for row in records:
        if row["status"] != AttemptStatus.SUBMITTED:
            continue
        pk, assessment_id = row["id"], row["assessments__id"]
        if pk not in seen:
            seen.add(pk)
            counts[(str(row["usage_key"]), UNIT, pk % QueueTally.SLOTS)] += 1
        if assessment_id is not None and (pk, assessment_id) not in seen:
            seen.add((pk, assessment_id))
            counts[(str(row["usage_key"]), row["assessments__assessor_id"], 0)] += 1
    return counts


def add_counts(counts, sign=1):
    rows = [(*key, sign * n) for key, n in sorted(counts.items()) if n]
    tallies.add(QueueTally._meta.db_table, KEYS, SUMMED, rows)


def on_records_changing(sender, attempt_ids, records=None, **kwargs):
    """Before a change: what the attempts count for (handed back after it)."""
    return counts_of(attempt_ids, records=records)


def on_records_changed(sender, attempt_ids, before=None, records=None, **kwargs):
    """After it: what they count for now, less what they counted for before."""
    counts = counts_of(attempt_ids, records=records)
    for key, n in ((before or {}).get(on_records_changing) or {}).items():
        counts[key] -= n
    add_counts(counts)


def rebuild(registry=installed_apps, chunk=5000):
    """Count every waiting attempt again (an install that had no tally, or attempts
    written behind the app's back)."""
    attempt = registry.get_model("credential_app", "Attempt")
    tally = registry.get_model("credential_app", "QueueTally")
    with transaction.atomic():
        tally.objects.all().delete()
        _count_again(attempt, tally, registry, chunk)


def _count_again(attempt, tally, registry, chunk):
    ids = list(attempt.objects.filter(status=AttemptStatus.SUBMITTED).order_by("pk")
               .values_list("pk", flat=True))
    total = defaultdict(int)
    for start in range(0, len(ids), chunk):
        for key, n in counts_of(ids[start:start + chunk], registry).items():
            total[key] += n
    rows = [(*key, n) for key, n in sorted(total.items())]
    for start in range(0, len(rows), 500):
        tallies.add(tally._meta.db_table, KEYS, SUMMED, rows[start:start + 500])

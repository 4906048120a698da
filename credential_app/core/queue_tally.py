"""The assessor queue's counts of waiting attempts (``QueueTally``), kept in step with the
attempts in the transaction that changes them, so the queue costs the same with 10 or
10,000 attempts waiting.

It listens to the core's own announcement of changed attempt records
(``record_changes.changing``): before a change it takes away what the attempts counted
for, after it adds what they count for now. An attempt waiting (SUBMITTED) counts once
for its unit, and once for each assessor who has scored it already.
"""
from collections import defaultdict

from django.apps import apps as installed_apps
from django.db import transaction

from credential_app.core.models import QueueTally
from credential_app.data import AttemptStatus
from credential_app.lib import tallies

UNIT = 0  # assessor_id of a unit's own count
KEYS, SUMMED = ("usage_key", "assessor_id", "slot"), ("waiting",)


def counts_of(attempt_ids, registry=installed_apps) -> dict:
    """{(usage_key, assessor_id, slot): waiting} of these attempts: two queries."""
    attempt = registry.get_model("credential_app", "Attempt")
    assessment = registry.get_model("credential_app", "Assessment")
    waiting = {pk: str(usage_key) for pk, usage_key in attempt.objects.filter(
        pk__in=list(attempt_ids), status=AttemptStatus.SUBMITTED).values_list(
        "pk", "usage_key")}
    counts = defaultdict(int)
    for pk, usage_key in waiting.items():
        counts[(usage_key, UNIT, pk % QueueTally.SLOTS)] += 1
    for attempt_id, assessor_id in assessment.objects.filter(
            attempt_id__in=list(waiting)).values_list("attempt_id", "assessor_id"):
        counts[(waiting[attempt_id], assessor_id, 0)] += 1
    return counts


def add_counts(counts, sign=1):
    rows = [(*key, sign * n) for key, n in sorted(counts.items()) if n]
    tallies.add(QueueTally._meta.db_table, KEYS, SUMMED, rows)


def on_records_changing(sender, attempt_ids, **kwargs):
    add_counts(counts_of(attempt_ids), sign=-1)


def on_records_changed(sender, attempt_ids, **kwargs):
    add_counts(counts_of(attempt_ids))


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

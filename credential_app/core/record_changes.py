"""Announce changes to what is recorded about attempts, so figures derived from those
records (the report summaries) change in the same transaction.

``changing(attempt_ids)`` wraps a change: listeners hear ``attempt_records_changing``
before it and ``attempt_records_changed`` after it, and so can change their figures by the
difference between what the records count for now and what they counted for before. What
each listener answers to the first is handed back to it with the second (``before``,
keyed by the listener), so it reads the records before the change and writes the
difference once, after it. Nested wraps of the same attempt (a
pass that issues a credential, which wraps the attempt again) announce once, around the
outermost change, or the inner pair would count the attempt twice. Deleting an attempt
(a deleted user row cascades) is announced the same way, from Django's delete signals.
"""
import threading
from contextlib import contextmanager

from django.apps import apps as installed_apps
from django.db import transaction

from credential_app.core import signals
from credential_app.core.models import Attempt

_open = threading.local()

# What ``records_of`` gives of each attempt: a row per criterion score.
RECORD_FIELDS = ("id", "user_id", "usage_key", "definition_id", "course_key", "number",
                 "status", "submitted_at", "assessments__id", "assessments__assessor_id",
                 "assessments__created", "assessments__waited",
                 "assessments__criterion_scores__criterion",
                 "assessments__criterion_scores__level",
                 "assessments__criterion_scores__points")


def records_of(attempt_ids, registry=installed_apps) -> list[dict]:
    """The attempts with their assessments and criterion scores, in one query: a row per
    score (``RECORD_FIELDS``; None where an attempt has no assessment, or an assessment no
    score yet), in attempt, assessment and score order. Read once on each side of a change
    and handed to every listener (``records``), which count from it."""
    attempt = registry.get_model("credential_app", "Attempt")
    return [dict(zip(RECORD_FIELDS, row, strict=True)) for row in attempt.objects.filter(
        pk__in=list(attempt_ids)).values_list(*RECORD_FIELDS).order_by(
        "id", "assessments__id", "assessments__criterion_scores__id")]


def _depths() -> dict:
    if not hasattr(_open, "depths"):
        _open.depths = {}
    return _open.depths


@contextmanager
def changing(attempt_ids):
    """Wrap a change to these attempts' records (inside the change's transaction)."""
    depths = _depths()
    ids = sorted({pk for pk in attempt_ids if pk is not None and pk not in depths})
    for pk in ids:
        depths[pk] = 1
    before = {}
    try:
        if ids:
            before = _announce_changing(ids)
        yield
    finally:
        for pk in ids:
            depths.pop(pk, None)
    # Not reached when the change raised: its transaction rolls back, the figures with it.
    if ids:
        _announce_changed(ids, before)


def _announce_changing(ids) -> dict:
    """Send ``attempt_records_changing``; {listener: what it answered}."""
    return dict(signals.attempt_records_changing.send(sender=Attempt, attempt_ids=ids,
                                                      records=records_of(ids)))


def _announce_changed(ids, before):
    signals.attempt_records_changed.send(sender=Attempt, attempt_ids=ids, before=before,
                                         records=records_of(ids))


def added(attempt_ids):
    """Announce new attempts (nothing was counted for them before: ``before`` is empty)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Attempt changes are announced inside their own transaction.")
    _announce_changed(sorted(attempt_ids), {})


def on_attempt_deleting(sender, instance, **kwargs):
    """``pre_delete`` of an attempt (a user row deleted cascades to theirs): what it counted
    for is read, as before any change, and kept on the instance Django deletes."""
    instance._records_before = _announce_changing([instance.pk])


def on_attempt_deleted(sender, instance, **kwargs):
    """``post_delete``: the change is over (nothing is left to count for it)."""
    _announce_changed([instance.pk], getattr(instance, "_records_before", {}))

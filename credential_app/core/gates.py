"""The learner-and-unit lock: one ``AttemptGate`` row per learner and unit, locked while
deciding anything that must not race for them (may an attempt start; may one more file be
added). Before the first attempt there is nothing else to lock, so the row is made first."""
from contextlib import contextmanager

from django.db import connection, transaction

from credential_app.core.models import AttemptGate


@contextmanager
def held(user_id, usage_key):
    """A transaction holding the learner's gate at this unit until it ends.

    On a database server the row is made where it is missing, outside the transaction
    (``_ensure``), then locked in it. SQLite's writing transaction locks the whole database:
    there the row is made as the transaction's first statement, which takes that lock at
    once (as ``BEGIN IMMEDIATE`` does), so a hand-in queues for the one lock once, not once
    for the row and again for the transaction.
    """
    on_sqlite = connection.vendor == "sqlite"
    if not on_sqlite:
        _ensure(user_id, usage_key)
    with transaction.atomic():
        if on_sqlite:
            _ensure(user_id, usage_key)
        else:
            AttemptGate.objects.select_for_update().get(user_id=user_id, usage_key=usage_key)
        yield


def _ensure(user_id, usage_key) -> None:
    """Make sure the gate row exists.

    One ``INSERT … ON CONFLICT DO NOTHING`` (``INSERT IGNORE`` on MySQL): the same single
    query whether the row is new or not, and a concurrent creator is simply ignored.
    Made before the transaction on a server, the locking read in it sees the row whatever
    the isolation level.
    """
    AttemptGate.objects.bulk_create([AttemptGate(user_id=user_id, usage_key=usage_key)],
                                    ignore_conflicts=True)

"""The learner-and-unit lock: one ``AttemptGate`` row per learner and unit, locked while
deciding anything that must not race for them (may an attempt start; may one more file be
added). Before the first attempt there is nothing else to lock, so the row is made first."""
from credential_app.core.models import AttemptGate


def ensure(user_id, usage_key) -> None:
    """Make sure the gate row exists, outside any transaction that will lock it.

    One ``INSERT … ON CONFLICT DO NOTHING`` (``INSERT IGNORE`` on MySQL): the same single
    query whether the row is new or not, and a concurrent creator is simply ignored.
    The locking read that follows sees the row whatever the isolation level.
    """
    AttemptGate.objects.bulk_create([AttemptGate(user_id=user_id, usage_key=usage_key)],
                                    ignore_conflicts=True)


def lock(user_id, usage_key) -> None:
    """Lock the gate row until the surrounding transaction ends (``ensure`` it first)."""
    AttemptGate.objects.select_for_update().get(user_id=user_id, usage_key=usage_key)

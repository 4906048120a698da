"""How delivery starts once outbox rows are committed, as ``HRIS_DELIVERY`` says: "celery"
queues a task per destination, "thread" wakes the in-process sweeper, "none" leaves it to
``manage.py deliver_outbox --loop``. The periodic sweep is the safety net, so starting
delivery never raises.
"""
import logging

from django.db import transaction
from django.utils.timezone import now as current_time

from credential_app.hris import tasks
from credential_app.hris.engine import DEAD, PENDING, lease_free, setting
from credential_app.hris.models import OutboxMessage
from credential_app.hris.sweeper import InProcessSweeper

log = logging.getLogger(__name__)


def start_after_commit(destination_ids):
    """Start delivery to these destinations once the current transaction commits."""
    transaction.on_commit(lambda: after_commit(destination_ids))


def after_commit(destination_ids):
    """Start delivery of just-written rows, the way the settings say; never raises (the
    sweep is the safety net)."""
    mode = setting("HRIS_DELIVERY")
    if mode == "celery":
        for destination_id in destination_ids:
            try:
                tasks.deliver_destination.apply_async((destination_id,), retry=False)
            except Exception as exc:  # noqa: BLE001 - broker down: the sweep delivers later
                log.warning("Could not queue HRIS delivery for destination %s (%s); the "
                            "periodic sweep will deliver it.", destination_id,
                            type(exc).__name__)
    elif mode == "thread":
        InProcessSweeper.wake()


# --- operator actions ---

def redrive(message_ids) -> int:
    """Send set-aside or waiting messages again now; set-aside ones get fresh tries and a
    fresh age. Returns how many were changed."""
    at = current_time()
    with transaction.atomic():
        waiting = OutboxMessage.objects.filter(pk__in=message_ids, state=PENDING).filter(
            lease_free(at)).update(next_attempt_at=at)
        dead = OutboxMessage.objects.filter(pk__in=message_ids, state=DEAD).update(
            state=PENDING, tries=0, dead_at=None, next_attempt_at=at, created_at=at,
            lease_token="", lease_until=None)
    destination_ids = sorted(set(OutboxMessage.objects.filter(pk__in=message_ids)
                                 .values_list("destination_id", flat=True)))
    start_after_commit(destination_ids)
    return dead + waiting

"""Per-destination rate limit shared by every worker: a token bucket kept in the database.

One ``DeliveryThrottle`` row per destination, changed under a row lock in a short
transaction, so any number of Celery workers and ``deliver_outbox`` loops together stay
within the destination's ``rate_limit_per_minute``. Tokens are taken for a whole batch at
once (one transaction per batch, not per call). The bucket holds at most a tenth of a
minute's calls and refills at the rest of the rate, so no window of 60 seconds ever sees
more than the configured number of calls (for limits of 2 or more).

The same row holds a pause the receiver asked for (429/503 with ``Retry-After``): no
worker calls the destination before it ends.
"""
import math
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils.timezone import now as current_time

from credential_app.hris.models import DeliveryThrottle, HrisDestination


def capacity(rate_per_minute: int) -> int:
    return max(1, rate_per_minute // 10)


def refill_per_second(rate_per_minute: int) -> float:
    room = rate_per_minute - capacity(rate_per_minute)
    return (room if room > 0 else rate_per_minute) / 60.0


def _ensure_row(destination: HrisDestination) -> None:
    """Create the destination's bucket if no worker has yet, in a transaction of its own.

    Never inside the locking transaction: on InnoDB a duplicate-key error leaves a shared
    lock on the row until commit, so two workers that both lost the race to create it
    would each wait for the other's lock in ``SELECT ... FOR UPDATE`` (a deadlock).
    """
    if DeliveryThrottle.objects.filter(destination=destination).exists():
        return
    try:
        with transaction.atomic():
            DeliveryThrottle.objects.create(
                destination=destination, tokens=capacity(destination.rate_limit_per_minute))
    except IntegrityError:
        pass  # another worker created it first


def _locked_row(destination: HrisDestination) -> DeliveryThrottle:
    """The bucket under a row lock; call inside ``transaction.atomic()``, after ``_ensure_row``."""
    return DeliveryThrottle.objects.select_for_update().get(destination=destination)


def take(destination: HrisDestination, want: int, *, now=None) -> tuple[int, float]:
    """Take up to ``want`` call tokens: (granted, seconds until one more is available)."""
    at = now or current_time()
    rate = destination.rate_limit_per_minute
    _ensure_row(destination)
    with transaction.atomic():
        row = _locked_row(destination)
        if row.paused_until is not None and row.paused_until > at:
            return 0, (row.paused_until - at).total_seconds()
        elapsed = max(0.0, (at - row.refilled_at).total_seconds())
        tokens = min(float(capacity(rate)), row.tokens + elapsed * refill_per_second(rate))
        granted = max(0, min(want, math.floor(tokens)))
        tokens -= granted
        row.tokens, row.refilled_at = tokens, at
        row.save(update_fields=["tokens", "refilled_at"])
    wait = 0.0 if granted else (1.0 - tokens) / refill_per_second(rate)
    return granted, wait


def give_back(destination: HrisDestination, count: int) -> None:
    """Return tokens taken but not used (fewer records were due than tokens taken)."""
    if count <= 0:
        return
    _ensure_row(destination)
    with transaction.atomic():
        row = _locked_row(destination)
        row.tokens = min(float(capacity(destination.rate_limit_per_minute)),
                         row.tokens + count)
        row.save(update_fields=["tokens"])


def pause(destination: HrisDestination, seconds: float, *, now=None) -> None:
    """No calls to this destination for ``seconds`` (the receiver's ``Retry-After``)."""
    until = (now or current_time()) + timedelta(seconds=seconds)
    _ensure_row(destination)
    with transaction.atomic():
        row = _locked_row(destination)
        if row.paused_until is None or row.paused_until < until:
            row.paused_until = until
            row.save(update_fields=["paused_until"])

"""The HRIS delivery engine: take due outbox rows, send them through the destination's
connector, record every try, and decide what happens next.

It knows nothing of who runs it (``dispatch`` starts it after an event commits):
- a Celery task per destination (``tasks.deliver_destination``);
- every ``HRIS_SWEEP_SECONDS`` the Celery beat sweep (``tasks.sweep_outbox``), and for
  operators without beat ``manage.py deliver_outbox --loop``, so a lost task message,
  a broker restart or a killed worker never loses a record;
- in the embedded default (``HRIS_DELIVERY = "thread"``, the demo) a sweeper thread in
  the web process (``sweeper``).

Safety across workers: a worker *leases* rows (a random token and an expiry set by one
conditional UPDATE, so two workers never take the same row); a killed worker's lease simply
runs out and the rows come back. A row is due only when every earlier row with the same
``ordering_key`` (learner and credential) has been delivered, so a revocation never
overtakes the issuance it revokes. Tokens of the destination's rate limit are taken before
rows are leased (``throttle``). Failed tries back off exponentially with jitter, or wait
what ``Retry-After`` asked; HTTP 410 disables the destination and tells the admins; a row
that fails ``max_tries`` times or grows older than ``max_age`` is set aside (dead letter)
until an admin re-drives it.
"""
import logging
import math
import random
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import mail_admins
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils.timezone import now as current_time
from django.utils.translation import gettext as _

from credential_app.hris import connectors, destination_secrets, payloads, throttle
from credential_app.hris.connectors.base import EXCERPT_CHARS, OutgoingRecord, RecordOutcome
from credential_app.hris.models import DeliveryAttempt, HrisDestination, OutboxMessage, OutboxState

log = logging.getLogger(__name__)

ERROR_CHARS = 1000
PENDING, DELIVERED, DEAD = OutboxState.PENDING, OutboxState.DELIVERED, OutboxState.DEAD


def setting(name):
    return settings.CREDENTIAL_APP[name]


# --- what is due ---

def lease_free(at):
    return Q(lease_until__isnull=True) | Q(lease_until__lt=at)


def claimable(destination, *, at=None):
    """Rows this destination may send now: pending, due, not leased, and nothing earlier for
    the same learner and credential still undelivered."""
    at = at or current_time()
    earlier_open = OutboxMessage.objects.filter(
        destination_id=destination.pk, ordering_key=OuterRef("ordering_key"),
        id__lt=OuterRef("id")).exclude(state__in=[DELIVERED, OutboxState.CANCELLED])
    return (OutboxMessage.objects.filter(destination=destination, state=PENDING,
                                         next_attempt_at__lte=at)
            .filter(lease_free(at)).exclude(Exists(earlier_open)))


def lease_seconds(destination) -> float:
    """Long enough for a whole batch to time out call by call, plus a margin."""
    rounds = math.ceil(destination.batch_size / destination.concurrency)
    return rounds * destination.timeout_seconds + setting("HRIS_LEASE_MARGIN_SECONDS")


def claim(destination, limit: int) -> list[OutboxMessage]:
    """Lease up to ``limit`` due rows for this worker (oldest first)."""
    at = current_time()
    ids = list(claimable(destination, at=at).order_by("id").values_list("id", flat=True)[:limit])
    if not ids:
        return []
    token = uuid.uuid4().hex
    OutboxMessage.objects.filter(id__in=ids, state=PENDING).filter(lease_free(at)).update(
        lease_token=token, lease_until=at + timedelta(seconds=lease_seconds(destination)))
    rows = list(OutboxMessage.objects.filter(id__in=ids, lease_token=token, state=PENDING)
                .order_by("id"))
    mark_interrupted([row.pk for row in rows])  # tries a dead worker left unanswered
    return rows


# --- one destination, until nothing is due or the time is up ---

@dataclass
class DrainReport:
    delivered: int = 0
    failed: int = 0
    calls: int = 0


def build_connector(destination):
    cls = connectors.get(destination.connector)
    return cls(destination, secrets=destination_secrets.load(destination))


def drain(destination_id, *, budget_seconds=None, stop: threading.Event | None = None
          ) -> DrainReport:
    """Deliver this destination's due rows in batches until none is due, the destination is
    disabled, or ``budget_seconds`` have passed.

    On a database with row locks the bookkeeping of one batch (recording its tries, moving
    its rows on) runs in a second thread while the next batch is on the wire; SQLite takes
    one writer at a time, so there it runs in turn."""
    budget = setting("HRIS_TASK_SECONDS") if budget_seconds is None else budget_seconds
    deadline = time.monotonic() + budget
    stop = stop or threading.Event()
    report = DrainReport()
    batches = _Bookkeeper(report, overlap=connection.vendor != "sqlite")
    connector = None
    try:
        while time.monotonic() < deadline and not stop.is_set():
            destination = HrisDestination.objects.filter(pk=destination_id,
                                                         enabled=True).first()
            if destination is None:
                break
            if not claimable(destination).exists():
                if batches.settle():  # the batch being booked may free later rows
                    continue
                break
            if connector is None:
                try:
                    connector = build_connector(destination)
                except (connectors.UnknownConnector, destination_secrets.SecretsUnreadable) as exc:
                    log.error("HRIS destination %s cannot deliver: %s", destination.pk, exc)
                    break
            per_record = connector.one_call_per_record
            granted, wait = throttle.take(destination,
                                          destination.batch_size if per_record else 1)
            if not granted:
                if time.monotonic() + wait > deadline:
                    break
                stop.wait(wait)  # the rate limit (or the receiver's Retry-After) says when
                continue
            rows = claim(destination, granted if per_record else destination.batch_size)
            throttle.give_back(destination, granted - (len(rows) if per_record else
                                                       min(1, len(rows))))
            if not rows:
                if batches.settle():
                    continue
                break
            payloads.complete(rows)  # the signed badge, stored before the first try
            records = [to_record(row) for row in rows]
            in_flight = start_attempts(rows)
            try:
                outcomes = connector.deliver(records)
            except Exception as exc:  # noqa: BLE001 - a plug-in's bug must not lose rows
                log.exception("HRIS connector %s failed on a batch", destination.connector)
                outcomes = [RecordOutcome(message_id=r.message_id, delivered=False,
                                          error=f"Connector error: {type(exc).__name__}")
                            for r in records]
            report.calls += connector.calls_needed(records)
            batches.book(destination, rows, outcomes, in_flight,
                         list(_secret_values(connector)))
    finally:
        batches.close()
        if connector is not None:
            connector.close()
    return report


class _Bookkeeper:
    """Runs ``finish`` for one batch at a time, in a thread of its own when ``overlap``."""

    def __init__(self, report, *, overlap):
        self.report = report
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hris-book") \
            if overlap else None
        self.pending = None

    def book(self, destination, rows, outcomes, in_flight, secrets):
        self.settle()  # at most one batch waits to be booked
        args = (destination, rows, outcomes, in_flight)
        if self.pool is None:
            self._count(rows, finish(*args, secret_values=secrets))
        else:
            self.pending = (rows, self.pool.submit(finish, *args, secret_values=secrets))

    def settle(self) -> bool:
        """Wait for the batch being booked; True if there was one."""
        if self.pending is None:
            return False
        rows, future = self.pending
        self.pending = None
        self._count(rows, future.result())
        return True

    def _count(self, rows, delivered):
        self.report.delivered += delivered
        self.report.failed += len(rows) - delivered

    def close(self):
        try:
            self.settle()
        finally:
            if self.pool is not None:
                self.pool.submit(lambda: connection.close()).result()  # its own connection
                self.pool.shutdown()


def to_record(row: OutboxMessage) -> OutgoingRecord:
    return OutgoingRecord(message_id=row.message_id, event_type=row.event_type,
                          occurred_at=row.occurred_at, employee_id=row.employee_id,
                          payload=row.payload)


def _secret_values(connector):
    for value in connector.secrets.values():
        for line in str(value).splitlines():
            if line.strip():
                yield line.strip()


# --- after a try ---

def backoff_seconds(destination, tries: int) -> float:
    """Exponential backoff with jitter: half the doubled wait fixed, half random."""
    ceiling = min(destination.retry_max_seconds,
                  destination.retry_base_seconds * (2 ** max(0, tries - 1)))
    return ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311 - jitter, not crypto


def scrub(text: str, secrets: list[str], limit: int) -> str:
    for secret in secrets:
        text = text.replace(secret, "[secret]")
    return text[:limit]


IN_FLIGHT = "in flight"
INTERRUPTED = "interrupted"


def start_attempts(rows) -> list[DeliveryAttempt]:
    """Write the tries down *before* sending, so a try whose worker dies mid-call still
    shows in the audit (as interrupted, once its row is leased again)."""
    at = current_time()
    created = DeliveryAttempt.objects.bulk_create(
        [DeliveryAttempt(message=row, at=at, outcome=IN_FLIGHT) for row in rows])
    if any(attempt.pk is None for attempt in created):  # a backend without RETURNING
        latest = {}
        for attempt in DeliveryAttempt.objects.filter(
                message__in=rows, outcome=IN_FLIGHT).order_by("id"):
            latest[attempt.message_id] = attempt
        created = [latest[row.pk] for row in rows]
    return created


def mark_interrupted(message_ids) -> int:
    """Tries left in flight by a worker that stopped: their answer is unknown."""
    return DeliveryAttempt.objects.filter(message_id__in=message_ids, outcome=IN_FLIGHT).update(
        outcome=INTERRUPTED, error="The worker stopped before the answer was recorded.")


def finish(destination, rows, outcomes, in_flight, *, secret_values=()) -> int:
    """Record each try's result and move each row on; return how many were delivered.

    The in-flight entries written before sending are replaced by the full ones in one
    transaction (a delete and an insert: cheaper than updating each row's own values)."""
    at = current_time()
    by_id = {o.message_id: o for o in outcomes}
    secrets = list(secret_values)
    delivered_ids, attempts, not_delivered = [], [], []
    for row, started in zip(rows, in_flight, strict=True):
        outcome = by_id.get(row.message_id) or RecordOutcome(
            message_id=row.message_id, delivered=False,
            error="The connector reported nothing for this record.")
        attempts.append(DeliveryAttempt(
            message=row, at=started.at, status_code=outcome.status_code,
            latency_ms=max(0, int(outcome.latency_ms)),
            outcome=("delivered" if outcome.delivered else "gone" if outcome.gone
                     else "refused" if outcome.permanent else "failed"),
            response_excerpt=scrub(outcome.response_excerpt or "", secrets, EXCERPT_CHARS),
            error=scrub(outcome.error or "", secrets, ERROR_CHARS)))
        if outcome.delivered:
            delivered_ids.append(row.pk)
        else:
            not_delivered.append((row, outcome))
    with transaction.atomic():  # the audit and the rows' next state, together
        DeliveryAttempt.objects.filter(pk__in=[a.pk for a in in_flight]).delete()
        DeliveryAttempt.objects.bulk_create(attempts)
        if delivered_ids:
            OutboxMessage.objects.filter(pk__in=delivered_ids, state=PENDING).update(
                state=DELIVERED, delivered_at=at, tries=F("tries") + 1, lease_token="",
                lease_until=None, last_error="")
        for row, outcome in not_delivered:
            if outcome.gone:
                _gone(destination, row, outcome, at)
            else:
                _failed(destination, row, outcome, at, secrets)
    return len(delivered_ids)


def _describe(outcome: RecordOutcome) -> str:
    if outcome.error:
        return outcome.error
    return f"HTTP {outcome.status_code}" if outcome.status_code else "failed"


def _failed(destination, row, outcome, at, secrets):
    tries = row.tries + 1
    error = scrub(_describe(outcome), secrets, ERROR_CHARS)
    too_old = at - row.created_at >= destination.max_age
    if outcome.permanent or tries >= destination.max_tries or too_old:
        changes = {"state": DEAD, "dead_at": at}
        log.warning("HRIS message %s set aside after %s tries: %s", row.message_id, tries,
                    error)
    else:
        wait = outcome.retry_after if outcome.retry_after is not None else \
            backoff_seconds(destination, tries)
        changes = {"next_attempt_at": at + timedelta(seconds=wait)}
        if outcome.retry_after and outcome.status_code in (429, 503):
            throttle.pause(destination, outcome.retry_after, now=at)
    OutboxMessage.objects.filter(pk=row.pk, state=PENDING, lease_token=row.lease_token).update(
        tries=tries, last_error=error, lease_token="", lease_until=None, **changes)


def _gone(destination, row, outcome, at):
    """HTTP 410: the receiver wants nothing more. The row waits (not its fault); the
    destination is disabled and the admins are told once."""
    reason = _("The receiver answered 410 Gone: it no longer accepts records from us.")
    OutboxMessage.objects.filter(pk=row.pk, state=PENDING, lease_token=row.lease_token).update(
        tries=row.tries + 1, last_error="HTTP 410 Gone", lease_token="", lease_until=None,
        next_attempt_at=at)
    turned_off = HrisDestination.objects.filter(pk=destination.pk, enabled=True).update(
        enabled=False, disabled_reason=reason, disabled_at=at)
    if turned_off:
        transaction.on_commit(lambda: tell_admins_disabled(destination, reason))


def tell_admins_disabled(destination, reason):
    log.error("HRIS destination %r (id %s) disabled: %s", destination.name, destination.pk,
              reason)
    if settings.ADMINS:
        mail_admins(_("HRIS destination “{name}” disabled").format(name=destination.name),
                    _("{reason}\n\nRecords for it are kept and will be sent when an admin "
                      "enables it again (Django admin → HRIS destinations).").format(
                        reason=reason),
                    fail_silently=True)


# --- who runs it ---

def sweep(*, budget_seconds=None, stop=None) -> DrainReport:
    """Drain every enabled destination that has due rows (beat task and command)."""
    budget = setting("HRIS_TASK_SECONDS") if budget_seconds is None else budget_seconds
    deadline = time.monotonic() + budget
    total = DrainReport()
    for destination in HrisDestination.objects.filter(enabled=True).order_by("pk"):
        left = deadline - time.monotonic()
        if left <= 0:
            break
        if not claimable(destination).exists():
            continue
        report = drain(destination.pk, budget_seconds=left, stop=stop)
        total.delivered += report.delivered
        total.failed += report.failed
        total.calls += report.calls
    return total

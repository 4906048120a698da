"""Receiving outcome events as Standard Webhooks 1.0 messages from an employer.

The message is checked before anything is read from it: a signature by one of the feed's
secrets (``whsec_`` HMAC or ``whpk_`` Ed25519 public key), a ``webhook-timestamp`` within
five minutes (replays of old captures are refused) and a ``webhook-id`` not received
before (a replay within the window is answered 200 and changes nothing). Every event is
then checked; one bad event refuses the whole message (422, each problem by position and
field), so an employer can fix and resend it under a new ``webhook-id``. Events are stored
once per event id, only for consenting linked employees (``ingest.store``).

Body: ``{"type": "workplace.outcomes", "timestamp": "…", "data": {"events": [{…}, …]}}``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from credential_app.hris.connectors import standard_webhooks
from credential_app.workplace import feeds, ingest
from credential_app.workplace.models import OutcomeFeed, OutcomeSource, OutcomeWebhookReceipt

MAX_BODY_BYTES = 1024 * 1024
MAX_EVENTS_PER_MESSAGE = 1000
MAX_WEBHOOK_ID = 100


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict = field(default_factory=dict)


def receive(feed: OutcomeFeed | None, headers, body: bytes) -> Answer:
    if feed is None or not feed.webhook_enabled:
        return Answer(404, {"error": _("No outcome webhook here.")})
    if len(body) > MAX_BODY_BYTES:
        return Answer(413, {"error": _("The message is larger than 1 MB.")})
    try:
        webhook_id = standard_webhooks.verify(feeds.webhook_secrets(feed), headers, body)
    except standard_webhooks.VerificationFailed as exc:
        return Answer(401, {"error": _("Signature not accepted: {reason}.").format(
            reason=str(exc))})
    if len(webhook_id) > MAX_WEBHOOK_ID:
        return Answer(400, {"error": _("webhook-id is longer than 100 characters.")})
    if OutcomeWebhookReceipt.objects.filter(feed=feed, webhook_id=webhook_id).exists():
        return Answer(200, {"duplicate": True, "stored": 0})
    try:
        message = json.loads(body)
        events = message["data"]["events"]
        if not isinstance(events, list):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return Answer(400, {"error": _("The body must be JSON: {\"data\": {\"events\": "
                                       "[…]}}.")})
    if len(events) > MAX_EVENTS_PER_MESSAGE:
        return Answer(413, {"error": _("At most {limit} events per message.").format(
            limit=MAX_EVENTS_PER_MESSAGE)})
    try:
        cleaned = ingest.check(events, first_position=0)
    except ingest.EventsRejected as exc:
        return Answer(422, {"error": _("No event was stored: fix these and send again."),
                            "problems": [{"event": p.position, "field": p.field,
                                          "message": p.message} for p in exc.problems]})
    try:
        with transaction.atomic():
            receipt = OutcomeWebhookReceipt.objects.create(feed=feed, webhook_id=webhook_id)
            result = ingest.store(feed.destination, cleaned, source=OutcomeSource.WEBHOOK)
            receipt.stored = result.stored
            receipt.save(update_fields=["stored"])
    except IntegrityError:  # the same message, received twice at once: the other one won
        return Answer(200, {"duplicate": True, "stored": 0})
    return Answer(200, {"duplicate": False, "stored": result.stored,
                        "already_known": result.duplicates,
                        "not_shared": result.not_shared})

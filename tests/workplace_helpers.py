"""Shared steps of the workplace outcome tests: an employer with linked employees, signed
outcome messages."""
import json
import time
import uuid

from django.contrib.auth import get_user_model

from credential_app.hris.connectors import standard_webhooks
from credential_app.models import OutcomeFeed
from credential_app.workplace import feeds
from tests.hris_people_helpers import link, webhook_destination

FEED_SECRET = "whsec_" + "dGhlLWVtcGxveWVyLW91dGNvbWUtc2VjcmV0LTEyMzQ="


def employer_with_staff(count=3, *, consent=True, name="Globex HR (webhook)"):
    """An employer whose employees E-1… are linked learners w1…; all share, or none."""
    destination = webhook_destination("https://hr.globex.example/hooks", name=name)
    User = get_user_model()
    users = []
    for number in range(1, count + 1):
        user = User.objects.create_user(f"w{number}-{destination.pk}")
        link(destination, user, f"E-{number}", consent=consent)
        users.append(user)
    feed = OutcomeFeed(destination=destination, webhook_enabled=True)
    feeds.store_secrets(feed, {"webhook_secrets": FEED_SECRET})
    feed.save()
    return feed, users


def event(event_id, employee_id="E-1", type_="performance", date="2026-01-31", value="104",
          **extra):
    return {"event_id": event_id, "employee_id": employee_id, "type": type_, "date": date,
            "value": value, **extra}


def signed(events, *, secret=FEED_SECRET, webhook_id=None, timestamp=None):
    """(body, headers) of a Standard Webhooks message carrying ``events``."""
    body = json.dumps({"type": "workplace.outcomes", "timestamp": "2026-02-01T00:00:00Z",
                       "data": {"events": events}}).encode()
    webhook_id = webhook_id or f"msg_{uuid.uuid4().hex}"
    timestamp = int(time.time()) if timestamp is None else timestamp
    return body, {"webhook-id": webhook_id, "webhook-timestamp": str(timestamp),
                  "webhook-signature": standard_webhooks.sign([secret], webhook_id,
                                                              timestamp, body)}

"""Pulling outcome events from employers whose feed names a pull connector.

Page by page: each page is checked and stored in full (one bad event stops the pull at
that page, the cursor stays before it, and the problem is reported), then the cursor is
saved. At most ``MAX_PAGES`` pages per run bound one run's work; the next run resumes.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.timezone import now

from credential_app.workplace import connectors, feeds, ingest
from credential_app.workplace.connectors.base import PullFailed
from credential_app.workplace.models import OutcomeFeed, OutcomeSource

MAX_PAGES = 200


@dataclass(frozen=True)
class PullResult:
    feed: str
    pages: int
    stored: int
    not_shared: int
    error: str = ""


def pull_feed(feed: OutcomeFeed, *, actor_id=None) -> PullResult:
    connector = connectors.get(feed.pull_connector)(feed, secrets=feeds.load_secrets(feed))
    pages = stored = not_shared = 0
    error = ""
    try:
        cursor = feed.pull_cursor
        while pages < MAX_PAGES:
            page = connector.fetch(cursor)
            pages += 1
            if page.events:
                result = ingest.store(feed.destination, ingest.check(page.events),
                                      source=OutcomeSource.PULL, actor_id=actor_id)
                stored += result.stored
                not_shared += result.not_shared
            cursor = page.cursor
            feed.pull_cursor, feed.last_pulled_at = cursor, now()
            feed.save(update_fields=["pull_cursor", "last_pulled_at"])
            if not page.more:
                break
    except PullFailed as exc:
        error = str(exc)
    except ingest.EventsRejected as exc:
        error = "; ".join(f"event {p.position} {p.field}: {p.message}"
                          for p in exc.problems[:10])
    finally:
        connector.close()
    return PullResult(str(feed), pages, stored, not_shared, error)


def pull_all(*, actor_id=None) -> list[PullResult]:
    feeds_to_pull = (OutcomeFeed.objects.exclude(pull_connector="")
                     .filter(destination__enabled=True).select_related("destination"))
    return [pull_feed(feed, actor_id=actor_id) for feed in feeds_to_pull]

"""What an outcome pull connector is: pages of raw events in, a cursor to resume from.

The connector speaks the employer's protocol and never touches the database; ``pull``
(``credential_app.workplace.pull``) checks and stores what it returns, and keeps the
cursor only once a page is stored, so a failure resumes where it stopped.
"""
from abc import ABC, abstractmethod
from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    events: list  # raw event dicts (see ``workplace.ingest``)
    cursor: str  # where the next page starts ("" for the beginning)
    more: bool  # another page is waiting


class PullFailed(Exception):
    """The employer's system could not be read; the message carries no secret."""


class OutcomeConnector(ABC):
    label = ""
    #: names of secrets the connector needs from the feed's encrypted secrets
    secret_names: tuple[str, ...] = ()

    def __init__(self, feed, *, secrets: dict):
        self.feed = feed
        self.options = dict(feed.pull_options or {})
        self.secrets = dict(secrets)

    @abstractmethod
    def fetch(self, cursor: str) -> Page:
        """The next page of events after ``cursor``."""

    def close(self):  # noqa: B027 - an optional hook
        """Release connections."""

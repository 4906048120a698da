"""What every HRIS connector plug-in is: records in, one outcome per record out.

A connector is a class registered in the entry-point group
``credential_app.hris_connectors`` (see the README, "Adding an HRIS connector"). The
delivery engine (``credential_app.hris.engine``) claims due outbox rows, turns them into
``OutgoingRecord`` values and calls ``deliver``; it never knows the protocol. The connector
never touches the database: retries, backoff, rate limits, ordering, dead letters and the
audit of each try are the engine's, decided from the ``RecordOutcome`` values returned.
"""
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime

from credential_app.core.signals import CHANGE_EVENTS

# Characters of a receiver's answer kept on a delivery attempt (the audit shows them).
EXCERPT_CHARS = 500


@dataclass(frozen=True)
class OutgoingRecord:
    """One credential event for one destination, as the connector sends it."""

    message_id: str  # stable across retries: the receiver's idempotency key
    event_type: str  # "credential.issued", "credential.renewed", "credential.expired", ...
    occurred_at: datetime
    employee_id: str
    payload: dict


@dataclass(frozen=True)
class RecordOutcome:
    """What happened to one record on this try.

    ``retry_after``: seconds the receiver asked us to wait (``Retry-After``); ``gone``: the
    receiver said it wants nothing more (HTTP 410), which disables the destination;
    ``permanent``: the receiver refused this record for good, so retrying is pointless (it is
    set aside at once). ``response_excerpt`` and ``error`` must never carry a secret.
    """

    message_id: str
    delivered: bool
    status_code: int | None = None
    retry_after: float | None = None
    gone: bool = False
    permanent: bool = False
    latency_ms: int = 0
    response_excerpt: str = ""
    error: str = ""


@dataclass(frozen=True)
class SecretField:
    """A secret the connector needs, asked for in the admin and kept encrypted."""

    name: str
    label: str
    help_text: str = ""
    multiline: bool = False


@dataclass(frozen=True)
class OptionField:
    """A plain (non-secret) option, kept in ``HrisDestination.options``."""

    name: str
    label: str
    help_text: str = ""
    default: str = ""
    required: bool = False
    choices: tuple = field(default=())
    multiline: bool = False


class Connector(ABC):
    """Base class of connector plug-ins.

    Subclasses set ``label``, ``secret_fields`` and ``option_fields`` and implement
    ``deliver``. ``check_configuration`` may refuse bad settings with a message per field;
    it runs when an admin saves the destination.
    """

    label = ""
    secret_fields: tuple[SecretField, ...] = ()
    option_fields: tuple[OptionField, ...] = ()
    #: True when each record costs one call (the rate limit counts records); False when one
    #: call carries the whole batch.
    one_call_per_record = True
    #: The receiver's own limits, proposed by the destination admin for a new destination
    #: (None: the generic defaults). With ``one_call_per_record`` False, ``default_batch_size``
    #: is also the most records one call may carry.
    default_rate_limit_per_minute: int | None = None
    default_batch_size: int | None = None

    def __init__(self, destination, *, secrets: dict | None = None):
        self.destination = destination
        self.options = dict(destination.options or {})
        self.secrets = dict(secrets or {})

    @abstractmethod
    def deliver(self, records: list[OutgoingRecord]) -> list[RecordOutcome]:
        """Send ``records``; return exactly one outcome per record (any order)."""

    # ---- payload minimisation (people and privacy) ----
    #: The members of ``payloads.build``'s record this connector may receive; anything
    #: else (added there later, say) never reaches the outbox row of its destinations.
    payload_members: tuple[str, ...] = ("event", "event_key", "employee_id", "credential",
                                        "replaces", "open_badge")
    #: The events this kind of destination hears of: credential events, and for connectors
    #: that record learning (xAPI) attempt events too (``payloads.ATTEMPT_EVENTS``).
    event_types: tuple[str, ...] = CHANGE_EVENTS

    @classmethod
    def minimise(cls, payload: dict) -> dict:
        """Only what this kind of destination needs, stored on its outbox rows."""
        return {name: value for name, value in payload.items() if name in cls.payload_members}

    @classmethod
    def wanted_members(cls, options: dict) -> tuple[str, ...]:
        """The members a destination with these options needs; ``payload_members`` unless
        an option asks for more (personal data such as ``learner_mbox`` is added to a
        record only when it is named here, and kept only if ``minimise`` keeps it)."""
        return cls.payload_members

    def close(self):  # noqa: B027 - an optional hook, empty by default
        """Release connections (called once the engine is done with this connector)."""

    def calls_needed(self, records: list[OutgoingRecord]) -> int:
        """How many calls against the destination's rate limit ``deliver`` will make."""
        return len(records) if self.one_call_per_record else 1

    @classmethod
    def check_configuration(cls, *, url: str, options: dict, secrets: dict) -> dict[str, str]:
        """Problems with these settings, as {field name: message}; empty when fine."""
        return {}


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP-date.

    None when absent or unreadable; never negative; capped at a day so a bad header cannot
    park a destination for ever.
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    return min(max(seconds, 0.0), 86_400.0)

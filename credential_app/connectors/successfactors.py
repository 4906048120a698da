"""SAP SuccessFactors Learning: credentials recorded as external learning events.

Each record becomes one entry of the learner's SuccessFactors learning history, posted to
the Learning OData API (``admin/learningevent-service/v1/ExternalLearningEvents``) as the
destination's API admin user:

* authentication is OAuth2 client credentials against ``/learning/oauth-api/rest/v1/token``
  (HTTP Basic client id and secret, a JSON scope naming the company and the admin user);
  the token is cached until shortly before it expires and fetched afresh on a 401;
* at most 10 records go in one call and SAP allows about 100 calls a minute, declared
  here as the connector's defaults so the delivery engine's limiter applies them;
* the learner is named only by their employee id (SuccessFactors ``studentID``); the
  record carries the credential's name, when it was earned, the grade, and its id and
  verification address in the comments. Nothing else about the person is sent.

SuccessFactors cannot change or delete a learning event through its API. A revocation
or expiry is therefore recorded as a new event of the same credential whose grade says
"Revoked" or "Expired" (the HR team sees the change in the history beside the original
entry), or, with the option "revocation and expiry" set to "skip", acknowledged without
a call. A renewal is a new completion with its new date.
"""
from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime

import requests
from django.utils.translation import gettext_lazy as _

from .base import Connector, ConnectorOption, OutgoingRecord, RecordOutcome

TOKEN_PATH = "/learning/oauth-api/rest/v1/token"
EVENTS_PATH = "/learning/odatav4/public/admin/learningevent-service/v1/ExternalLearningEvents"
MAX_RECORDS_PER_CALL = 10     # SAP: "each API call is an array of 10 users"
CALLS_PER_MINUTE = 100        # SAP: "we do not support more than 100 calls a minute"
TOKEN_MARGIN_SECONDS = 60     # fetch a new token this long before the old one expires
EXCERPT_CHARS = 500
COMMENT_CHARS = 4000

ISSUED, RENEWED = "credential.issued", "credential.renewed"
EXPIRED, REVOKED = "credential.expired", "credential.revoked"
END_GRADES = {REVOKED: "Revoked", EXPIRED: "Expired"}
RECORD_ENDS, SKIP_ENDS = "record", "skip"


class SuccessFactorsError(Exception):
    """A call that failed before SuccessFactors answered the learning event post."""

    def __init__(self, message, *, status_code=None, retry_after=None, permanent=False):
        super().__init__(message)
        self.status_code = status_code
        self.retry_after = retry_after
        self.permanent = permanent


@dataclass
class _Token:
    value: str
    renew_at: float  # time.monotonic()


class TokenCache:
    """Access tokens shared by every connector instance of a process, per client."""

    def __init__(self):
        self._tokens: dict[str, _Token] = {}
        self._lock = threading.Lock()

    @staticmethod
    def key(*parts) -> str:
        """A cache key that does not keep the client secret in memory in clear."""
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

    def get(self, key):
        with self._lock:
            token = self._tokens.get(key)
            if token is not None and token.renew_at > time.monotonic():
                return token.value
            return None

    def put(self, key, value, expires_in):
        renew_in = max(float(expires_in) - TOKEN_MARGIN_SECONDS, float(expires_in) / 2)
        with self._lock:
            self._tokens[key] = _Token(value, time.monotonic() + renew_in)

    def forget(self, key, value):
        with self._lock:
            if key in self._tokens and self._tokens[key].value == value:
                del self._tokens[key]


TOKENS = TokenCache()


def retry_after_seconds(value) -> float | None:
    """``Retry-After`` as seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(when.tzinfo)).total_seconds())


def epoch_millis(moment) -> int:
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return int(moment.timestamp() * 1000)


class SuccessFactorsConnector(Connector):
    """Posts credentials to SAP SuccessFactors Learning as external learning events."""

    name = "sap_successfactors"
    label = _("SAP SuccessFactors Learning")
    default_rate_limit_per_minute = CALLS_PER_MINUTE
    max_batch_size = MAX_RECORDS_PER_CALL
    # what the payload builder may hand over (payload minimisation): nothing else
    payload_fields = ("credential_id", "name", "issued_at", "verification_url")
    options = (
        ConnectorOption("client_id", _("OAuth client ID"), required=True,
                        help_text=_("The API key of the OAuth2 client registered in "
                                    "SuccessFactors (Manage OAuth2 Client Applications).")),
        ConnectorOption("client_secret", _("OAuth client secret"), secret=True, required=True,
                        help_text=_("Never shown again after saving.")),
        ConnectorOption("company_id", _("Company ID"), required=True,
                        help_text=_("Your SuccessFactors company (tenant) ID.")),
        ConnectorOption("user_id", _("API admin user ID"), required=True,
                        help_text=_("The SuccessFactors Learning admin user the events are "
                                    "recorded as.")),
        ConnectorOption("time_zone", _("Time zone"), default="UTC",
                        help_text=_("Time zone ID SuccessFactors uses for completion dates, "
                                    "e.g. UTC or Europe/Berlin.")),
        ConnectorOption("grade", _("Grade of an earned credential"), default="Pass",
                        help_text=_("As defined in your SuccessFactors grades.")),
        ConnectorOption("end_events", _("Revocation and expiry"), default=RECORD_ENDS,
                        choices=((RECORD_ENDS, _("Record a learning event graded Revoked or "
                                                 "Expired")),
                                 (SKIP_ENDS, _("Send nothing"))),
                        help_text=_("SuccessFactors cannot change or delete an event "
                                    "through its API.")),
    )

    # --- configuration ---------------------------------------------------------------
    def _base_url(self):
        return self.destination.url.rstrip("/")

    def _token_key(self):
        return TokenCache.key(self._base_url(), self.option("client_id"),
                              self.option("client_secret"), self.option("company_id"),
                              self.option("user_id"))

    def _timeout(self):
        return float(getattr(self.destination, "timeout_seconds", None) or 10)

    # --- protocol --------------------------------------------------------------------
    def deliver(self, records: list[OutgoingRecord]) -> list[RecordOutcome]:
        outcomes: dict[str, RecordOutcome] = {}
        to_send = []
        for record in records:
            if record.event_type in END_GRADES and self.option("end_events") == SKIP_ENDS:
                outcomes[record.message_id] = RecordOutcome(
                    message_id=record.message_id, delivered=True, status_code=None,
                    retry_after=None, gone=False, permanent=False, latency_ms=0,
                    response_excerpt="", error="Not sent: the destination skips "
                                                "revocations and expiries.")
            else:
                to_send.append(record)
        for start in range(0, len(to_send), MAX_RECORDS_PER_CALL):
            chunk = to_send[start:start + MAX_RECORDS_PER_CALL]
            for outcome in self._post(chunk):
                outcomes[outcome.message_id] = outcome
        return [outcomes[record.message_id] for record in records]

    def learning_event(self, record: OutgoingRecord) -> dict:
        """The SuccessFactors record of one credential event: the fields SAP defines."""
        credential = record.payload
        grade = END_GRADES.get(record.event_type, self.option("grade"))
        when = record.occurred_at if record.event_type in END_GRADES else (
            credential.get("issued_at") or record.occurred_at)
        comments = " ".join(part for part in (
            f"Credential {credential.get('credential_id', '')}.",
            f"Event: {record.event_type}.",
            f"Verify: {credential['verification_url']}"
            if credential.get("verification_url") else "",
        ) if part)
        return {
            "description": str(credential.get("name") or "")[:255],
            "studentID": record.employee_id,
            "completionDate": epoch_millis(when),
            "completionTimeZoneID": self.option("time_zone"),
            "grade": grade,
            "comments": comments[:COMMENT_CHARS],
        }

    def _post(self, records):
        body = json.dumps({"externalLearningEvents": [self.learning_event(r) for r in records]})
        started = time.monotonic()
        try:
            response = self._post_with_token(body)
        except SuccessFactorsError as exc:
            return self._outcomes(records, started, status_code=exc.status_code,
                                  retry_after=exc.retry_after, permanent=exc.permanent,
                                  error=str(exc))
        except requests.Timeout:
            return self._outcomes(records, started, error="SuccessFactors did not answer in "
                                                          "time.")
        except requests.RequestException as exc:
            return self._outcomes(records, started, error="Could not reach SuccessFactors: "
                                                          f"{type(exc).__name__}.")
        status = response.status_code
        excerpt = response.text[:EXCERPT_CHARS]
        if 200 <= status < 300:
            return self._outcomes(records, started, status_code=status, delivered=True,
                                  excerpt=excerpt)
        if status == 429:
            return self._outcomes(
                records, started, status_code=status, excerpt=excerpt,
                retry_after=retry_after_seconds(response.headers.get("Retry-After")),
                error="SuccessFactors asked to slow down (429).")
        if status == 401:  # even a brand-new token: the API user lacks the permission
            return self._outcomes(records, started, status_code=status, excerpt=excerpt,
                                  error="SuccessFactors refused a fresh token (401): check "
                                        "the API admin user's permissions.")
        if status == 410:
            return self._outcomes(records, started, status_code=status, excerpt=excerpt,
                                  gone=True, error="SuccessFactors says this endpoint is gone.")
        if status in (408, 425) or status >= 500:
            return self._outcomes(records, started, status_code=status, excerpt=excerpt,
                                  retry_after=retry_after_seconds(
                                      response.headers.get("Retry-After")),
                                  error=f"SuccessFactors failed ({status}); will retry.")
        return self._outcomes(records, started, status_code=status, excerpt=excerpt,
                              permanent=True,
                              error=f"SuccessFactors refused the record ({status}).")

    def _post_with_token(self, body):
        """Post with the cached token; on 401 fetch a new one and post once more."""
        key = self._token_key()
        for fresh in (False, True):
            token = None if fresh else TOKENS.get(key)
            if token is None:
                token = self._fetch_token(key)
            response = requests.post(
                self._base_url() + EVENTS_PATH, data=body.encode(),
                headers={"Authorization": f"Bearer {token}",
                         "Content-Type": "application/json", "Accept": "application/json"},
                timeout=self._timeout(), allow_redirects=False)
            if response.status_code != 401:
                return response
            TOKENS.forget(key, token)
        return response  # a brand-new token refused as well

    def _fetch_token(self, key):
        try:
            response = requests.post(
                self._base_url() + TOKEN_PATH,
                json={"grant_type": "client_credentials",
                      "scope": {"userId": self.option("user_id"),
                                "companyId": self.option("company_id"),
                                "userType": "admin", "resourceType": "learning_public_api"}},
                auth=(self.option("client_id"), self.option("client_secret")),
                headers={"Accept": "application/json"},
                timeout=self._timeout(), allow_redirects=False)
        except requests.Timeout as exc:
            raise SuccessFactorsError("The SuccessFactors token endpoint did not answer in "
                                      "time.") from exc
        status = response.status_code
        if status == 429:
            raise SuccessFactorsError(
                "The SuccessFactors token endpoint asked to slow down (429).", status_code=429,
                retry_after=retry_after_seconds(response.headers.get("Retry-After")))
        if status in (400, 401, 403):
            # the records are fine; the configuration is not: keep them and retry later
            raise SuccessFactorsError(
                f"SuccessFactors refused the client credentials ({status}): check the client "
                "ID, secret, company ID and API admin user ID.", status_code=status)
        if status != 200:
            raise SuccessFactorsError(f"The SuccessFactors token endpoint failed ({status}).",
                                      status_code=status)
        try:
            answer = response.json()
            token, expires_in = answer["access_token"], float(answer.get("expires_in", 0))
        except (ValueError, KeyError, TypeError) as exc:
            raise SuccessFactorsError("The SuccessFactors token endpoint sent no token.",
                                      status_code=status) from exc
        if expires_in > 0:
            TOKENS.put(key, token, expires_in)
        return token

    @staticmethod
    def _outcomes(records, started, *, status_code=None, delivered=False, retry_after=None,
                  gone=False, permanent=False, excerpt="", error=""):
        latency = int((time.monotonic() - started) * 1000)
        return [RecordOutcome(message_id=r.message_id, delivered=delivered,
                              status_code=status_code, retry_after=retry_after, gone=gone,
                              permanent=permanent, latency_ms=latency,
                              response_excerpt=excerpt, error=error) for r in records]

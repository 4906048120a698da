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
  record carries the credential's name, when it was earned, the grade, and its id in the
  comments. Nothing else about the person is sent (``minimise``);
* SuccessFactors works best effort: 2xx for the call, and the body may say some records
  were not recorded (an unknown studentID, say); those are set aside with its message.

SuccessFactors cannot change or delete a learning event through its API. A revocation,
expiry or suspension is therefore recorded as a new event of the same credential whose
grade says "Revoked", "Expired" or "Suspended" (the HR team sees the change in the history
beside the original entry), or, with the option "revocation and expiry" set to "skip",
acknowledged without a call. A renewal is a new completion with its new date; so is a
reinstatement, dated when it happened.
"""
from __future__ import annotations

import json
import time
from datetime import datetime

import requests
from django.utils.translation import gettext_lazy as _

from credential_app.hris.connectors.base import (
    EXCERPT_CHARS,
    Connector,
    OptionField,
    OutgoingRecord,
    RecordOutcome,
    SecretField,
    parse_retry_after,
)
from credential_app.hris.connectors.oauth_tokens import TokenCache
from credential_app.lib import safe_http

TOKEN_PATH = "/learning/oauth-api/rest/v1/token"  # noqa: S105 (a path, not a secret)
EVENTS_PATH = "/learning/odatav4/public/admin/learningevent-service/v1/ExternalLearningEvents"
MAX_RECORDS_PER_CALL = 10     # SAP: "each API call is an array of 10 users"
CALLS_PER_MINUTE = 100        # SAP: "we do not support more than 100 calls a minute"

EXPIRED, REVOKED = "credential.expired", "credential.revoked"
SUSPENDED, REINSTATED = "credential.suspended", "credential.reinstated"
END_GRADES = {REVOKED: "Revoked", EXPIRED: "Expired", SUSPENDED: "Suspended"}
RECORD_ENDS, SKIP_ENDS = "record", "skip"


class SuccessFactorsError(Exception):
    """A call that failed before SuccessFactors answered the learning event post."""

    def __init__(self, message, *, status_code=None, retry_after=None, permanent=False):
        super().__init__(message)
        self.status_code = status_code
        self.retry_after = retry_after
        self.permanent = permanent


TOKENS = TokenCache()


def epoch_millis(moment) -> int:
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return int(moment.timestamp() * 1000)


class SuccessFactorsConnector(Connector):
    """Posts credentials to SAP SuccessFactors Learning as external learning events."""

    label = _("SAP SuccessFactors Learning (external learning events)")
    #: SAP's limits; the destination admin proposes them for a new destination
    default_rate_limit_per_minute = CALLS_PER_MINUTE
    default_batch_size = MAX_RECORDS_PER_CALL
    one_call_per_record = False
    secret_fields = (
        SecretField("client_secret", _("OAuth client secret"), help_text=_(
            "The secret of the OAuth2 client registered in SuccessFactors (Manage OAuth2 "
            "Client Applications).")),
    )
    option_fields = (
        OptionField("client_id", _("OAuth client ID"), required=True, help_text=_(
            "The API key of that OAuth2 client.")),
        OptionField("company_id", _("company ID"), required=True, help_text=_(
            "Your SuccessFactors company (tenant) ID.")),
        OptionField("user_id", _("API admin user ID"), required=True, help_text=_(
            "The SuccessFactors Learning admin user the events are recorded as.")),
        OptionField("time_zone", _("time zone"), default="UTC", help_text=_(
            "Time zone ID of the completion dates, e.g. UTC or Europe/Berlin.")),
        OptionField("grade", _("grade of an earned credential"), default="Pass", help_text=_(
            "As defined among your SuccessFactors grades.")),
        OptionField("end_events", _("revocation and expiry"), default=RECORD_ENDS,
                    choices=((RECORD_ENDS, _("Record a learning event graded “Revoked”, "
                                             "“Expired” or “Suspended”")),
                             (SKIP_ENDS, _("Send nothing"))),
                    help_text=_("SuccessFactors cannot change or delete a learning event "
                                "through its API. A pathway credential's suspension counts "
                                "as an ending here.")),
    )

    def __init__(self, destination, *, secrets=None):
        super().__init__(destination, secrets=secrets)
        self.http = safe_http.session(pool_size=1)

    def option(self, name):
        """An option's value, or its declared default when the admin left it empty."""
        value = self.options.get(name)
        if value in (None, ""):
            value = next(f.default for f in self.option_fields if f.name == name)
        return value

    @classmethod
    def check_configuration(cls, *, url, options, secrets):
        """Required options are the admin form's check; the secret and the choice are ours."""
        problems = {}
        if not str(secrets.get("client_secret") or "").strip():
            problems["client_secret"] = str(_("This field is required."))
        if options.get("end_events") not in (None, "", RECORD_ENDS, SKIP_ENDS):
            problems["end_events"] = str(_("Choose one of the offered answers."))
        return problems

    def calls_needed(self, records):
        to_send = [r for r in records if not self._skipped(r)]
        return -(-len(to_send) // MAX_RECORDS_PER_CALL)

    def close(self):
        self.http.close()

    # --- configuration ---------------------------------------------------------------
    def _base_url(self):
        return self.destination.url.rstrip("/")

    def _token_key(self):
        return TokenCache.key(self._base_url(), self.option("client_id"),
                              self.secrets.get("client_secret", ""), self.option("company_id"),
                              self.option("user_id"))

    def _timeout(self):
        return float(self.destination.timeout_seconds)

    def _skipped(self, record):
        return record.event_type in END_GRADES and self.option("end_events") == SKIP_ENDS

    # --- protocol --------------------------------------------------------------------
    def deliver(self, records: list[OutgoingRecord]) -> list[RecordOutcome]:
        outcomes: dict[str, RecordOutcome] = {}
        to_send = []
        for record in records:
            if self._skipped(record):
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

    #: What ``minimise`` reads: never the signed credential (nor is it signed for SAP).
    payload_members = ("event", "employee_id", "credential")

    @classmethod
    def minimise(cls, payload: dict) -> dict:
        """What a learning event needs: the credential's id, name and date; the employee id
        travels on the record itself. No issuer, description or signed credential."""
        credential = payload.get("credential") or {}
        return {"credential_id": credential.get("id"),
                "name": (credential.get("achievement") or {}).get("name"),
                "issued_at": credential.get("issued_at")}

    def learning_event(self, record: OutgoingRecord) -> dict:
        """The SuccessFactors record of one credential event: the fields SAP defines."""
        credential = record.payload
        grade = END_GRADES.get(record.event_type, self.option("grade"))
        when = record.occurred_at if record.event_type in (*END_GRADES, REINSTATED) else (
            credential.get("issued_at") or record.occurred_at)
        comments = f"Credential {credential.get('credential_id')}; event {record.event_type}."
        return {
            "description": str(credential.get("name") or "")[:255],
            "studentID": record.employee_id,
            "completionDate": epoch_millis(when),
            "completionTimeZoneID": self.option("time_zone"),
            "grade": grade,
            "comments": comments,
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
            return self._accepted(records, started, response, excerpt)
        if status == 429:
            return self._outcomes(
                records, started, status_code=status, excerpt=excerpt,
                retry_after=parse_retry_after(response.headers.get("Retry-After")),
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
                                  retry_after=parse_retry_after(
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
            response = self.http.post(
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
            response = self.http.post(
                self._base_url() + TOKEN_PATH,
                json={"grant_type": "client_credentials",
                      "scope": {"userId": self.option("user_id"),
                                "companyId": self.option("company_id"),
                                "userType": "admin", "resourceType": "learning_public_api"}},
                auth=(self.option("client_id"), self.secrets.get("client_secret", "")),
                headers={"Accept": "application/json"},
                timeout=self._timeout(), allow_redirects=False)
        except requests.Timeout as exc:
            raise SuccessFactorsError("The SuccessFactors token endpoint did not answer in "
                                      "time.") from exc
        status = response.status_code
        if status == 429:
            raise SuccessFactorsError(
                "The SuccessFactors token endpoint asked to slow down (429).", status_code=429,
                retry_after=parse_retry_after(response.headers.get("Retry-After")))
        if status in (400, 401, 403):
            # the records are fine; the configuration is not: keep them and retry later
            raise SuccessFactorsError(
                f"SuccessFactors refused the client credentials ({status}): check the client "
                "ID, secret, company ID and API admin user ID.", status_code=status)
        if status != 200:
            raise SuccessFactorsError(f"The SuccessFactors token endpoint failed ({status}).",
                                      status_code=status)
        return TOKENS.take(key, response, SuccessFactorsError(
            "The SuccessFactors token endpoint sent no token.", status_code=status))

    def _accepted(self, records, started, response, excerpt):
        """SuccessFactors records what it can and answers 2xx for the call; a body listing
        one result per record may refuse some (e.g. an unknown studentID): those are set
        aside with SAP's message, the others delivered. A body of another shape: all
        delivered."""
        refused = record_failures(response, len(records))
        outcomes = []
        for index, record in enumerate(records):
            message = refused.get(index)
            outcomes += self._outcomes(
                [record], started, status_code=response.status_code, delivered=message is None,
                permanent=message is not None, excerpt=excerpt,
                error="" if message is None else
                f"SuccessFactors did not record it: {message[:300]}")
        return outcomes

    @staticmethod
    def _outcomes(records, started, *, status_code=None, delivered=False, retry_after=None,
                  gone=False, permanent=False, excerpt="", error=""):
        latency = int((time.monotonic() - started) * 1000)
        return [RecordOutcome(message_id=r.message_id, delivered=delivered,
                              status_code=status_code, retry_after=retry_after, gone=gone,
                              permanent=permanent, latency_ms=latency,
                              response_excerpt=excerpt, error=error) for r in records]


FAILED_STATUSES = {"FAILED", "FAILURE", "ERROR"}


def record_failures(response, count) -> dict[int, str]:
    """{record index: SAP's message} for records the body reports as not recorded."""
    try:
        body = response.json()
    except ValueError:
        return {}
    results = body.get("value", body.get("externalLearningEvents")) \
        if isinstance(body, dict) else None
    if not isinstance(results, list) or len(results) != count:
        return {}
    failures = {}
    for index, result in enumerate(results):
        if not isinstance(result, dict):
            continue
        message = result.get("errorMessage") or result.get("error")
        failed = str(result.get("status", "")).upper() in FAILED_STATUSES or \
            str(result.get("success", "")).lower() == "false"
        if message or failed:
            failures[index] = str(message or result.get("status") or "failed")
    return failures

"""xAPI: credentials and assessed attempts as statements to a Learning Record Store.

The destination's address is the LRS's xAPI endpoint (``https://lrs.example.com/xAPI/``).
Each record is POSTed to ``{endpoint}/statements`` as an array of its statements
(``xapi_statements``: one, two for a revocation), with ``X-Experience-API-Version``: 1.0.3,
or 2.0.0 when the LRS's ``{endpoint}/about`` lists it (asked once per delivery run; the
option "xAPI version" can fix either). Authentication is HTTP Basic or an OAuth2 bearer
token (client credentials grant, token kept until shortly before it expires and fetched
afresh on a 401); the password or client secret is a destination secret, stored encrypted.

Statement ids are deterministic, so a record sent again is stored once (a conformant LRS
answers 200/204 for a statement it already holds, 409 for a *different* one with the same
id: set aside, with the LRS's message). Every call goes through the SSRF-checked session
(``safe_http``) and never follows redirects. Records are sent in parallel like webhooks.
"""
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import requests
from django.utils.translation import gettext_lazy as _

from credential_app.core.signals import CHANGE_EVENTS
from credential_app.hris.connectors import xapi_statements
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
from credential_app.hris.connectors.webhook import describe_error, elapsed_ms
from credential_app.lib import safe_http

ACCOUNT, MBOX = "account", "mbox"
BASIC, OAUTH2 = "basic", "oauth2"
AUTO = "auto"
DEFAULT_VERSION = "1.0.3"
#: The LRS refused the statements themselves: sending them again cannot help.
PERMANENT_STATUSES = {400, 409, 413, 415, 422}
TOKENS = TokenCache()


class XapiConnector(Connector):
    """Sends statements to an xAPI 1.0.3 / 2.0 Learning Record Store (Ralph, Aspects,
    Learning Locker, an employer's LRS)."""

    label = _("xAPI Learning Record Store (statements)")
    event_types = (*CHANGE_EVENTS, "attempt.submitted", "attempt.assessed")
    payload_members = ("event", "event_key", "employee_id", "credential", "replaces",
                       "attempt", "learner_mbox")
    secret_fields = (
        SecretField("xapi_password", _("LRS password (Basic)"), help_text=_(
            "The password of the LRS account statements are sent as.")),
        SecretField("xapi_client_secret", _("OAuth2 client secret"), help_text=_(
            "With OAuth2: the secret of the client registered with the LRS's token "
            "service.")),
    )
    option_fields = (
        OptionField("xapi_actor", _("learners named by"), default=ACCOUNT,
                    choices=((ACCOUNT, _("Their employee ID, as an account on the employer's "
                                         "home page")),
                             (MBOX, _("Their email address (mbox)"))),
                    help_text=_("How statements name the learner (the xAPI actor).")),
        OptionField("xapi_home_page", _("employer's home page"), help_text=_(
            "With accounts: the address of the system that issues the employee IDs, e.g. "
            "https://hr.example.com (the account's homePage).")),
        OptionField("xapi_auth", _("LRS authentication"), default=BASIC,
                    choices=((BASIC, _("HTTP Basic (user name and password)")),
                             (OAUTH2, _("OAuth2 client credentials (bearer token)"))),),
        OptionField("xapi_username", _("LRS user name (Basic)"), help_text=_(
            "The LRS account (or key) statements are sent as.")),
        OptionField("xapi_token_url", _("OAuth2 token address"), help_text=_(
            "With OAuth2: where the client credentials are exchanged for a token.")),
        OptionField("xapi_client_id", _("OAuth2 client ID")),
        OptionField("xapi_scope", _("OAuth2 scope"), help_text=_(
            "Optional, e.g. “statements/write”.")),
        OptionField("xapi_version", _("xAPI version"), default=AUTO,
                    choices=((AUTO, _("As the LRS's /about says (2.0.0 if listed, else "
                                      "1.0.3)")),
                             ("1.0.3", "1.0.3"), ("2.0.0", "2.0.0"))),
    )

    def __init__(self, destination, *, secrets=None):
        super().__init__(destination, secrets=secrets)
        self.http = safe_http.session(pool_size=destination.concurrency)
        self._version = None
        self._token_lock = threading.Lock()

    def option(self, name):
        value = self.options.get(name)
        if value in (None, ""):
            value = next(f.default for f in self.option_fields if f.name == name)
        return value

    @classmethod
    def wanted_members(cls, options):
        """The learner's email address only for a destination that names learners by it."""
        members = tuple(m for m in cls.payload_members if m != "learner_mbox")
        return (*members, "learner_mbox") if options.get("xapi_actor") == MBOX else members

    @classmethod
    def check_configuration(cls, *, url, options, secrets):
        problems = {}
        actor = options.get("xapi_actor") or ACCOUNT
        if actor not in (ACCOUNT, MBOX):
            problems["xapi_actor"] = str(_("Choose one of the offered answers."))
        elif actor == ACCOUNT and not _is_web_address(options.get("xapi_home_page")):
            problems["xapi_home_page"] = str(_(
                "Give the employer's home page (https://…): statements name each learner "
                "by their employee ID there."))
        auth = options.get("xapi_auth") or BASIC
        if auth == BASIC:
            if not (options.get("xapi_username") or "").strip():
                problems["xapi_username"] = str(_("Give the LRS user name."))
            if not (secrets.get("xapi_password") or "").strip():
                problems["xapi_password"] = str(_("Give the LRS password."))
        elif auth == OAUTH2:
            if not _is_web_address(options.get("xapi_token_url")):
                problems["xapi_token_url"] = str(_("Give the token service's address "
                                                   "(https://…)."))
            else:
                problem = safe_http.check_destination_url(options["xapi_token_url"])
                if problem:
                    problems["xapi_token_url"] = str(problem)
            if not (options.get("xapi_client_id") or "").strip():
                problems["xapi_client_id"] = str(_("Give the OAuth2 client ID."))
            if not (secrets.get("xapi_client_secret") or "").strip():
                problems["xapi_client_secret"] = str(_("Give the OAuth2 client secret."))
        else:
            problems["xapi_auth"] = str(_("Choose one of the offered answers."))
        if (options.get("xapi_version") or AUTO) not in (AUTO,
                                                         *xapi_statements.SUPPORTED_VERSIONS):
            problems["xapi_version"] = str(_("Choose one of the offered answers."))
        return problems

    # --- sending ---------------------------------------------------------------------
    def endpoint(self, resource):
        return self.destination.url.rstrip("/") + "/" + resource

    def deliver(self, records: list[OutgoingRecord]) -> list[RecordOutcome]:
        self.version()  # asked once, before the records go out in parallel
        if len(records) <= 1 or self.destination.concurrency <= 1:
            return [self.send(record) for record in records]
        workers = min(self.destination.concurrency, len(records))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hris-xapi") as pool:
            return list(pool.map(self.send, records))

    def statements(self, record: OutgoingRecord) -> list[dict]:
        return xapi_statements.statements(
            record, destination_id=self.destination.pk, version=self.version(),
            identify_by=self.option("xapi_actor"), home_page=self.option("xapi_home_page"))

    def send(self, record: OutgoingRecord) -> RecordOutcome:
        started = time.monotonic()
        try:
            body = json.dumps(self.statements(record), separators=(",", ":")).encode()
        except xapi_statements.MissingIdentity as exc:
            return RecordOutcome(message_id=record.message_id, delivered=False, permanent=True,
                                 error=str(exc))
        except (KeyError, TypeError, ValueError) as exc:  # e.g. written for another connector
            return RecordOutcome(message_id=record.message_id, delivered=False, permanent=True,
                                 error="The record lacks what an xAPI statement needs "
                                       f"({type(exc).__name__}: {exc}); was it written for "
                                       "another connector?")
        try:
            response = self._post(body)
        except XapiAuthError as exc:
            return RecordOutcome(message_id=record.message_id, delivered=False,
                                 status_code=exc.status_code, retry_after=exc.retry_after,
                                 latency_ms=elapsed_ms(started), error=str(exc))
        except requests.RequestException as exc:
            return RecordOutcome(message_id=record.message_id, delivered=False,
                                 latency_ms=elapsed_ms(started), error=describe_error(exc))
        status = response.status_code
        error = ""
        if 300 <= status < 400:
            error = "Redirect refused: update the destination's address instead."
        elif status == 409:
            error = ("The LRS holds a different statement with this statement's id; "
                     "it was not stored again.")
        elif status in (401, 403):
            error = (f"The LRS refused our credentials ({status}): check the user name and "
                     "password or the OAuth2 client. The record waits.")
        return RecordOutcome(
            message_id=record.message_id, delivered=200 <= status < 300, status_code=status,
            retry_after=parse_retry_after(response.headers.get("Retry-After")),
            gone=status == 410, permanent=status in PERMANENT_STATUSES,
            latency_ms=elapsed_ms(started), response_excerpt=response.text[:EXCERPT_CHARS],
            error=error)

    def headers(self, *, token=None) -> dict:
        headers = {"Content-Type": "application/json", "Accept": "application/json",
                   "X-Experience-API-Version": self.version()}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return headers

    def _post(self, body: bytes):
        """POST the statements; with OAuth2, once more with a fresh token after a 401."""
        common = {"data": body, "timeout": self.destination.timeout_seconds,
                  "allow_redirects": False}
        if self.option("xapi_auth") != OAUTH2:
            return self.http.post(self.endpoint("statements"), headers=self.headers(),
                                  auth=self._basic(), **common)
        key = self._token_key()
        for fresh in (False, True):
            token = None if fresh else TOKENS.get(key)
            if token is None:
                token = self._fetch_token(key)
            response = self.http.post(self.endpoint("statements"),
                                      headers=self.headers(token=token), **common)
            if response.status_code != 401:
                return response
            TOKENS.forget(key, token)
        return response

    def _basic(self):
        return (self.option("xapi_username") or "", self.secrets.get("xapi_password", ""))

    # --- version ---------------------------------------------------------------------
    def version(self) -> str:
        """The version statements are sent as: fixed by the option, else 2.0.0 when the
        LRS's /about lists it, else 1.0.3 (also when /about cannot be read)."""
        if self._version is None:
            chosen = self.option("xapi_version")
            self._version = chosen if chosen != AUTO else self._ask_version()
        return self._version

    def _ask_version(self) -> str:
        try:
            response = self.http.get(
                self.endpoint("about"), timeout=self.destination.timeout_seconds,
                allow_redirects=False,
                auth=self._basic() if self.option("xapi_auth") == BASIC else None,
                headers={"X-Experience-API-Version": DEFAULT_VERSION,
                         "Accept": "application/json"})
            listed = response.json().get("version", []) if response.status_code == 200 else []
        except (requests.RequestException, ValueError, AttributeError):
            return DEFAULT_VERSION
        listed = [str(v) for v in listed] if isinstance(listed, list) else []
        return "2.0.0" if any(v.startswith("2.0") for v in listed) else DEFAULT_VERSION

    # --- OAuth2 ----------------------------------------------------------------------
    def _token_key(self):
        return TokenCache.key(self.option("xapi_token_url"), self.option("xapi_client_id"),
                              self.secrets.get("xapi_client_secret", ""),
                              self.option("xapi_scope") or "")

    def _fetch_token(self, key):
        with self._token_lock:  # the records of a batch share one new token
            token = TOKENS.get(key)
            if token is not None:
                return token
            form = {"grant_type": "client_credentials"}
            if self.option("xapi_scope"):
                form["scope"] = self.option("xapi_scope")
            try:
                response = self.http.post(
                    self.option("xapi_token_url"), data=form,
                    auth=(self.option("xapi_client_id"),
                          self.secrets.get("xapi_client_secret", "")),
                    headers={"Accept": "application/json"},
                    timeout=self.destination.timeout_seconds, allow_redirects=False)
            except requests.RequestException as exc:
                raise XapiAuthError("The OAuth2 token service could not be reached: "
                                    f"{describe_error(exc)}") from exc
            status = response.status_code
            if status != 200:
                raise XapiAuthError(
                    f"The OAuth2 token service answered {status}: check the client ID and "
                    "secret. The record waits.", status_code=status,
                    retry_after=parse_retry_after(response.headers.get("Retry-After")))
            return TOKENS.take(key, response, XapiAuthError(
                "The OAuth2 token service sent no token.", status_code=status))

    def close(self):
        self.http.close()


class XapiAuthError(Exception):
    """No token could be had: the records are fine, the configuration or service is not."""

    def __init__(self, message, *, status_code=None, retry_after=None):
        super().__init__(message)
        self.status_code = status_code
        self.retry_after = retry_after


def _is_web_address(value) -> bool:
    parts = urlsplit(str(value or "").strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)

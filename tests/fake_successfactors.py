"""A local SAP SuccessFactors Learning server for tests: real HTTP on loopback, port 0.

It speaks the two calls the connector makes, as SAP documents them:

* ``POST /learning/oauth-api/rest/v1/token``: OAuth2 client credentials. HTTP Basic
  (client id : client secret) and a JSON body ``{"grant_type": "client_credentials",
  "scope": {"userId", "companyId", "userType", "resourceType": "learning_public_api"}}``;
  answers ``{"access_token", "token_type": "Bearer", "expires_in"}``.
* ``POST /learning/odatav4/public/admin/learningevent-service/v1/ExternalLearningEvents``:
  ``{"externalLearningEvents": [...]}`` with at most 10 records, each with
  ``description``, ``studentID``, ``completionDate`` (epoch milliseconds) and
  ``completionTimeZoneID``, optional ``grade``, ``comments`` and hours; any other
  property is refused with 400 as OData does. Like SAP (KBA 2536556) it works best effort:
  the call answers 201 and the body says, record by record, which were recorded and which
  failed (here: a ``studentID`` not in ``known_students``).

Faults are scripted per test: ``expire_tokens()`` makes every issued token answer 401,
``fail_next(status, retry_after=...)`` queues answers for the next event posts, and
``calls_per_minute`` turns on SAP's call limit (429 with ``Retry-After``).
"""
from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN_PATH = "/learning/oauth-api/rest/v1/token"
EVENTS_PATH = "/learning/odatav4/public/admin/learningevent-service/v1/ExternalLearningEvents"
REQUIRED = {"description": str, "studentID": str, "completionDate": int,
            "completionTimeZoneID": str}
OPTIONAL = {"grade": str, "comments": str, "instructorName": str, "creditHours": (int, float),
            "cpeHours": (int, float), "contactHours": (int, float),
            "totalHours": (int, float)}
MAX_RECORDS = 10


@dataclass
class Call:
    """One request as the server saw it (headers lower-cased)."""

    path: str
    headers: dict
    body: bytes
    status: int


@dataclass
class FakeSuccessFactors:
    client_id: str = "edx-client"
    client_secret: str = "s3cr3t-Client-Secret"
    company_id: str = "ACME01"
    user_id: str = "lms_api_admin"
    token_lifetime: int = 1800
    calls_per_minute: int | None = None
    known_students: set | None = None  # None: every studentID exists
    calls: list[Call] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)  # every record accepted, in order
    tokens_issued: list[str] = field(default_factory=list)

    def __post_init__(self):
        self._lock = threading.Lock()
        self._valid_tokens: dict[str, float] = {}
        self._scripted: deque = deque()
        self._window: deque = deque()
        self.url = ""
        self._server = None

    # --- control ---------------------------------------------------------------------
    def start(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                status, headers, answer = fake._answer(self.path, self.headers, body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def expire_tokens(self):
        """Every token issued so far is now expired (the next event post gets 401)."""
        with self._lock:
            self._valid_tokens.clear()

    def fail_next(self, status, *, retry_after=None, times=1, body=None):
        """The next ``times`` event posts get ``status`` (with ``Retry-After`` if given)."""
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        answer = body or {"error": {"code": str(status), "message": "Scripted failure"}}
        with self._lock:
            for _ in range(times):
                self._scripted.append((status, headers, answer))

    def event_calls(self):
        return [c for c in self.calls if c.path == EVENTS_PATH]

    def token_calls(self):
        return [c for c in self.calls if c.path == TOKEN_PATH]

    # --- protocol --------------------------------------------------------------------
    def _answer(self, path, headers, body):
        lowered = {k.lower(): v for k, v in headers.items()}
        if path == TOKEN_PATH:
            status, extra, answer = self._token(lowered, body)
        elif path == EVENTS_PATH:
            status, extra, answer = self._events(lowered, body)
        else:
            status, extra, answer = 404, {}, {"error": {"code": "404", "message": "Not found"}}
        with self._lock:
            self.calls.append(Call(path, lowered, body, status))
        return status, extra, answer

    def _token(self, headers, body):
        expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        if headers.get("authorization") != f"Basic {expected}":
            return 401, {}, {"error": "invalid_client"}
        try:
            request = json.loads(body)
            scope = request["scope"]
            good = (request["grant_type"] == "client_credentials"
                    and scope["companyId"] == self.company_id
                    and scope["userId"] == self.user_id
                    and scope["userType"] == "admin"
                    and scope["resourceType"] == "learning_public_api")
        except (ValueError, KeyError, TypeError):
            good = False
        if not good:
            return 400, {}, {"error": "invalid_request"}
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._valid_tokens[token] = time.monotonic() + self.token_lifetime
            self.tokens_issued.append(token)
        return 200, {}, {"access_token": token, "token_type": "Bearer",
                         "expires_in": self.token_lifetime}

    def _events(self, headers, body):
        auth = headers.get("authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else None
        with self._lock:
            expiry = self._valid_tokens.get(token)
            if expiry is None or expiry < time.monotonic():
                return 401, {}, {"error": {"code": "401", "message": "Token expired"}}
            if self._scripted:
                return self._scripted.popleft()
            if self.calls_per_minute is not None:
                now = time.monotonic()
                while self._window and self._window[0] < now - 60:
                    self._window.popleft()
                if len(self._window) >= self.calls_per_minute:
                    wait = int(self._window[0] + 60 - now) + 1
                    return 429, {"Retry-After": str(wait)}, {"error": {
                        "code": "429", "message": "More than the allowed calls a minute"}}
                self._window.append(now)
        problem = self._shape_problem(headers, body)
        if problem:
            return 400, {}, {"error": {"code": "400", "message": problem}}
        # as SAP does: best effort, 201 for the call, each record's own result in the body
        results = []
        for record in json.loads(body)["externalLearningEvents"]:
            if self.known_students is not None and record["studentID"] not in self.known_students:
                results.append({"studentID": record["studentID"], "status": "FAILED",
                                "errorMessage": f"Student {record['studentID']} does not "
                                                "exist."})
                continue
            with self._lock:
                self.events.append(record)
            results.append({"studentID": record["studentID"], "status": "SUCCESS"})
        return 201, {}, {"@odata.context": "$metadata#ExternalLearningEvents",
                         "value": results}

    @staticmethod
    def _shape_problem(headers, body):
        if not headers.get("content-type", "").startswith("application/json"):
            return "Content-Type must be application/json"
        try:
            request = json.loads(body)
        except ValueError:
            return "Body is not JSON"
        records = request.get("externalLearningEvents") if isinstance(request, dict) else None
        if set(request) != {"externalLearningEvents"} or not isinstance(records, list):
            return "Expected one property: externalLearningEvents"
        if not 1 <= len(records) <= MAX_RECORDS:
            return f"Between 1 and {MAX_RECORDS} records per call"
        for record in records:
            for name, kind in REQUIRED.items():
                if not isinstance(record.get(name), kind) or record.get(name) in ("", None):
                    return f"'{name}' is required"
            for name, value in record.items():
                if name not in REQUIRED and name not in OPTIONAL:
                    return f"'{name}' can not be mapped as a property or an annotation"
                if name in OPTIONAL and not isinstance(value, OPTIONAL[name]):
                    return f"'{name}' has the wrong type"
        return ""

"""The xAPI connector's own rules, against a small LRS on loopback (real HTTP) where Ralph
cannot play the part: an LRS whose ``/about`` lists xAPI 2.0, one behind an OAuth2 token
service, one answering 409 for a conflicting statement. What Ralph can show is in
``test_xapi_ralph.py``.
"""
import base64
import json
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from credential_app.hris import connectors, engine
from credential_app.hris.connectors import xapi, xapi_statements
from credential_app.hris.connectors.base import OutgoingRecord
from tests.xapi_helpers import EMPLOYER, make_lrs_destination

WHEN = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


class StubLrs(ThreadingHTTPServer):
    """Answers /about with ``versions``, /token with a bearer token for the right client,
    and /statements with ``status`` (Basic or that bearer required); remembers requests."""

    daemon_threads = True

    def __init__(self, *, versions=("1.0.3",), status=200):
        self.versions, self.status = list(versions), status
        self.requests = []
        self.tokens_issued = 0
        super().__init__(("127.0.0.1", 0), StubHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/xAPI/"


class StubHandler(BaseHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass

    def reply(self, status, value):
        body = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802
        self.server.requests.append(("GET", self.path, dict(self.headers), b""))
        if self.path == "/xAPI/about":
            return self.reply(200, {"version": self.server.versions})
        self.reply(404, {})

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.requests.append(("POST", self.path, dict(self.headers), body))
        if self.path == "/token":
            expected = "Basic " + base64.b64encode(b"client-1:client-secret-1").decode()
            if self.headers.get("Authorization") != expected or \
                    b"grant_type=client_credentials" not in body:
                return self.reply(401, {"error": "invalid_client"})
            self.server.tokens_issued += 1
            return self.reply(200, {"access_token": f"token-{self.server.tokens_issued}",
                                    "expires_in": 3600, "token_type": "Bearer"})
        auth = self.headers.get("Authorization", "")
        if not (auth.startswith("Basic ") or auth == f"Bearer token-{self.server.tokens_issued}"):
            return self.reply(401, {"error": "who are you"})
        if self.server.status == 409:
            return self.reply(409, {"detail": "Differing statements already exist"})
        self.reply(self.server.status, [s["id"] for s in json.loads(body)])


@pytest.fixture
def allow_loopback(settings):
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "HRIS_DELIVERY": "none",
                               "HRIS_ALLOW_PRIVATE_ADDRESSES": True, "HRIS_ALLOW_HTTP": True}


@pytest.fixture
def stub(allow_loopback):
    servers = []

    def make(**kwargs):
        servers.append(StubLrs(**kwargs))
        return servers[-1]

    yield make
    for server in servers:
        server.shutdown()
        server.server_close()


def record(event="attempt.submitted", n=1):
    attempt = {"ref": "attempt:1@x", "number": 1, "course_key": "course-v1:Org+Course+Run",
               "unit": {"usage_key": "block-v1:Org+Course+Run+type@x+block@u", "name": "U"},
               "achievement": {"id": "urn:uuid:00000000-0000-5000-8000-000000000001",
                               "slug": "s", "name": "Safety"},
               "submitted_at": "2026-11-02T09:30:00Z"}
    return OutgoingRecord(message_id=f"msg_{n}", event_type=event, occurred_at=WHEN,
                          employee_id="E-1", payload={"event": event, "employee_id": "E-1",
                                                      "event_key": f"attempt:{n}:submitted",
                                                      "attempt": attempt})


def sent(server):
    return [(headers, json.loads(body)) for method, path, headers, body in server.requests
            if method == "POST" and path == "/xAPI/statements"]


def test_it_is_an_installed_plugin_that_takes_attempt_events():
    cls = connectors.get("xapi")
    assert cls is xapi.XapiConnector
    assert {"attempt.submitted", "attempt.assessed", "credential.revoked"} <= set(
        cls.event_types)
    assert "attempt.submitted" not in connectors.get("webhook").event_types
    assert {f.name for f in cls.secret_fields} == {"xapi_password", "xapi_client_secret"}


def test_an_lrs_listing_2_0_in_about_gets_2_0_statements(stub, db):
    server = stub(versions=["1.0.3", "2.0.0"])
    connector = engine.build_connector(make_lrs_destination(server.url, link=False))
    [outcome] = connector.deliver([record()])
    assert outcome.delivered
    [(headers, statements)] = sent(server)
    assert headers["X-Experience-API-Version"] == "2.0.0"
    assert statements[0]["version"] == "2.0.0"


def test_an_lrs_without_2_0_gets_1_0_3_and_the_option_can_fix_the_version(stub, db):
    server = stub(versions=["1.0.3"])
    destination = make_lrs_destination(server.url, link=False)
    engine.build_connector(destination).deliver([record()])
    destination.options = {**destination.options, "xapi_version": "2.0.0"}
    engine.build_connector(destination).deliver([record(n=2)])
    versions = [(h["X-Experience-API-Version"], s[0]["version"]) for h, s in sent(server)]
    assert versions == [("1.0.3", "1.0.3"), ("2.0.0", "2.0.0")]
    assert [p for m, p, _h, _b in server.requests if m == "GET"] == ["/xAPI/about"]


def test_oauth2_fetches_a_token_once_and_sends_it_as_a_bearer(stub, db):
    server = stub()
    xapi.TOKENS._tokens.clear()
    token_url = server.url.replace("/xAPI/", "/token")
    destination = make_lrs_destination(
        server.url, link=False, secrets={"xapi_client_secret": "client-secret-1"},
        options={"xapi_auth": "oauth2", "xapi_token_url": token_url,
                 "xapi_client_id": "client-1", "xapi_scope": "statements/write"})
    outcomes = engine.build_connector(destination).deliver([record(n=n) for n in range(1, 4)])
    assert all(o.delivered for o in outcomes)
    assert server.tokens_issued == 1
    assert {h["Authorization"] for h, _s in sent(server)} == {"Bearer token-1"}
    token_requests = [b for m, p, _h, b in server.requests if p == "/token"]
    assert token_requests == [b"grant_type=client_credentials&scope=statements%2Fwrite"]


def test_a_refused_oauth2_client_keeps_the_records_waiting(stub, db):
    server = stub()
    xapi.TOKENS._tokens.clear()
    destination = make_lrs_destination(
        server.url, link=False, secrets={"xapi_client_secret": "not-the-secret"},
        options={"xapi_auth": "oauth2", "xapi_token_url": server.url.replace("/xAPI/",
                                                                             "/token"),
                 "xapi_client_id": "client-1"})
    [outcome] = engine.build_connector(destination).deliver([record()])
    assert not outcome.delivered and not outcome.permanent
    assert "token service answered 401" in outcome.error
    assert not sent(server)


def test_a_conflicting_statement_is_set_aside_with_the_lrs_message(stub, db):
    server = stub(status=409)
    [outcome] = engine.build_connector(
        make_lrs_destination(server.url, link=False)).deliver([record()])
    assert outcome.permanent and not outcome.delivered
    assert "different statement" in outcome.error
    assert "Differing statements" in outcome.response_excerpt


def test_statement_ids_depend_on_the_event_and_the_destination_only(settings):
    first = xapi_statements.statement_id(1, "credential:abc:earned")
    assert first == xapi_statements.statement_id(1, "credential:abc:earned")
    assert first != xapi_statements.statement_id(2, "credential:abc:earned")
    assert first != xapi_statements.statement_id(1, "credential:abc:revoked")
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "PUBLIC_BASE_URL": "https://b.example"}
    assert first != xapi_statements.statement_id(1, "credential:abc:earned")  # another site


def test_mbox_without_an_email_address_is_refused_for_that_record(stub, db):
    server = stub()
    destination = make_lrs_destination(server.url, link=False, options={"xapi_actor": "mbox"})
    [outcome] = engine.build_connector(destination).deliver([record()])
    assert outcome.permanent and "email address" in outcome.error
    assert not sent(server)


@pytest.mark.parametrize("options, secrets, fields", [
    ({"xapi_actor": "account", "xapi_username": "u"}, {"xapi_password": "p"},
     {"xapi_home_page"}),
    ({"xapi_actor": "mbox", "xapi_username": "u"}, {"xapi_password": "p"}, set()),
    ({"xapi_home_page": EMPLOYER}, {}, {"xapi_username", "xapi_password"}),
    ({"xapi_home_page": EMPLOYER, "xapi_auth": "oauth2"}, {},
     {"xapi_token_url", "xapi_client_id", "xapi_client_secret"}),
    ({"xapi_home_page": EMPLOYER, "xapi_auth": "oauth2",
      "xapi_token_url": "https://id.example.com/token", "xapi_client_id": "c"},
     {"xapi_client_secret": "s"}, set()),
    ({"xapi_home_page": EMPLOYER, "xapi_username": "u", "xapi_version": "0.95"},
     {"xapi_password": "p"}, {"xapi_version"}),
])
def test_the_admin_is_told_what_a_destination_lacks(allow_loopback, monkeypatch, options,
                                                    secrets, fields):
    monkeypatch.setattr(xapi.safe_http, "check_destination_url", lambda url: None)
    problems = xapi.XapiConnector.check_configuration(url="https://lrs.example.com/xAPI/",
                                                      options=options, secrets=secrets)
    assert set(problems) == fields


def test_the_email_address_is_kept_only_for_destinations_naming_learners_by_it():
    cls = xapi.XapiConnector
    assert "learner_mbox" not in cls.wanted_members({"xapi_actor": "account"})
    assert "learner_mbox" in cls.wanted_members({"xapi_actor": "mbox"})


def test_a_record_written_for_another_connector_is_set_aside_not_crashing(stub, db):
    server = stub()
    webhook_record = OutgoingRecord(
        message_id="msg_old", event_type="credential.issued", occurred_at=WHEN,
        employee_id="E-1", payload={"event": "credential.issued", "employee_id": "E-1",
                                    "credential": {"id": "urn:uuid:x"}})
    outcomes = engine.build_connector(make_lrs_destination(server.url, link=False)).deliver(
        [webhook_record, record()])
    assert outcomes[0].permanent and "another connector" in outcomes[0].error
    assert outcomes[1].delivered

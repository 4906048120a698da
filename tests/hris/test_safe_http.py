"""The SSRF-checked client connects to the address it checked, by public means only.

DNS is the outside world here: the host names below do not resolve on any real resolver
(``.invalid``), so ``safe_http.resolve`` answers for them; the receiver is a real HTTP
server on loopback, which sees what was actually sent.
"""
import http.server
import threading

import pytest
import requests

from credential_app.lib import safe_http


class Recording(http.server.BaseHTTPRequestHandler):
    """Answers 200 and remembers the Host header of each request."""

    hosts = []

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        type(self).hosts.append(self.headers["Host"])
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    Recording.hosts = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recording)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def dns(monkeypatch):
    """The answers our resolver gives, by host name; counts the questions asked."""
    answers, asked = {}, []

    def resolve(host, port):
        asked.append(host)
        return answers[host]

    monkeypatch.setattr(safe_http, "resolve", resolve)
    return answers, asked


@pytest.fixture
def loopback_allowed(settings):
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "HRIS_ALLOW_PRIVATE_ADDRESSES": True,
                               "HRIS_ALLOW_HTTP": True}


def test_the_request_goes_to_the_checked_address_with_the_name_in_host(receiver, dns,
                                                                      loopback_allowed):
    """No real resolver knows hr.invalid: reaching the receiver proves the socket was opened
    to the address we checked, and nothing looked the name up again."""
    port = receiver.server_address[1]
    answers, asked = dns
    answers["hr.invalid"] = ["127.0.0.1"]
    with safe_http.session() as http:
        response = http.post(f"http://hr.invalid:{port}/hook", data=b"{}", timeout=5,
                             allow_redirects=False)
    assert response.status_code == 200
    assert response.url == f"http://hr.invalid:{port}/hook"  # the caller's URL, not the IP
    assert Recording.hosts == [f"hr.invalid:{port}"]
    assert asked == ["hr.invalid"]


def test_the_next_checked_address_is_tried_when_one_refuses_the_connection(receiver, dns,
                                                                           loopback_allowed):
    port = receiver.server_address[1]
    answers, _asked = dns
    answers["hr.invalid"] = ["127.0.0.2", "127.0.0.1"]  # nothing listens on 127.0.0.2
    with safe_http.session() as http:
        response = http.post(f"http://hr.invalid:{port}/hook", data=b"{}", timeout=5,
                             allow_redirects=False)
    assert response.status_code == 200
    assert Recording.hosts == [f"hr.invalid:{port}"]


def test_a_name_that_also_resolves_inside_is_refused_before_any_connection(receiver, dns,
                                                                          settings):
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "HRIS_ALLOW_PRIVATE_ADDRESSES": False,
                               "HRIS_ALLOW_HTTP": True}
    answers, _asked = dns
    answers["hr.invalid"] = ["93.184.215.14", "127.0.0.1"]
    with safe_http.session() as http, pytest.raises(requests.ConnectionError,
                                                    match="Refused: 127.0.0.1 is a loopback"):
        http.post(f"http://hr.invalid:{receiver.server_address[1]}/hook", data=b"{}",
                  timeout=5, allow_redirects=False)
    assert Recording.hosts == []


def test_the_client_uses_only_public_extension_points():
    """urllib3's connection internals changed between the versions Open edX pins and ours;
    the adapter overrides only requests' documented subclassing hooks."""
    overridden = {name for name in vars(safe_http.CheckedAdapter) if not name.startswith("__")}
    assert overridden == {"send", "build_connection_pool_key_attributes"}
    source = open(safe_http.__file__).read()
    assert "urllib3.connection" not in source and "_new_conn" not in source

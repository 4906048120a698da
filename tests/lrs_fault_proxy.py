"""A faulty network in front of a real LRS, for the xAPI fault tests.

Ralph answers every request correctly; the faults an employer's LRS shows (5xx, 429 with
``Retry-After``, connections dropped) are injected here, between the delivery worker and
Ralph, with the HRIS simulator's own fault controls (``demo.hris_simulator.Faults``, set by
``POST /_faults`` as for the simulator: ``error_rate``, ``throttle_count``,
``throttle_retry_after``, ``down``). Everything else is passed to Ralph as it came, and
Ralph's answer back. When Ralph itself is stopped the connection is dropped, as a dead LRS
would. ``GET /_requests`` lists what it saw: the statement ids of each POST and the status
the worker was given (0: dropped).
"""
import http.client
import json
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from demo.hris_simulator import Faults

MAX_BODY = 5 * 1024 * 1024
PASSED_HEADERS = ("Content-Type", "Authorization", "X-Experience-API-Version", "Accept")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def answer(self, status, body: bytes, headers=None):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def drop(self):
        self.close_connection = True
        try:
            self.connection.shutdown(2)
        except OSError:
            pass

    def do_GET(self):  # noqa: N802 - http.server's naming
        if self.path == "/_requests":
            with self.server.lock:
                seen = list(self.server.seen)
            return self.answer(200, json.dumps(seen).encode(),
                               {"Content-Type": "application/json"})
        self.relay(b"")

    def do_POST(self):  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return self.answer(413, b"{}")
        body = self.rfile.read(length)
        if self.path == "/_faults":
            self.server.faults.set(json.loads(body or b"{}"))
            return self.answer(200, json.dumps(self.server.faults.snapshot()).encode())
        self.relay(body)

    def relay(self, body: bytes):
        faults = self.server.faults
        ids = statement_ids(body)
        if faults.get("down", False):
            return self.seen(ids, 0) or self.drop()
        if faults.take_throttle():
            wait = faults.get("throttle_retry_after", 1)
            self.seen(ids, 429)
            return self.answer(429, b'{"error": "slow down"}',
                               {"Retry-After": str(int(wait)), "Date": formatdate(usegmt=True)})
        if ids and self.server.chance() < faults.get("error_rate"):
            self.seen(ids, 500)
            return self.answer(500, b'{"error": "injected failure"}')
        try:
            upstream = http.client.HTTPConnection("127.0.0.1", self.server.upstream_port,
                                                  timeout=30)
            upstream.request(self.command, self.path, body=body or None,
                             headers={h: self.headers[h] for h in PASSED_HEADERS
                                      if self.headers.get(h)})
            response = upstream.getresponse()
            data = response.read()
            upstream.close()
        except OSError:  # Ralph is down: so are we
            self.seen(ids, 0)
            return self.drop()
        self.seen(ids, response.status)
        self.answer(response.status, data,
                    {"Content-Type": response.getheader("Content-Type") or "application/json"})

    def seen(self, ids, status):
        if ids:
            with self.server.lock:
                self.server.seen.append({"ids": ids, "status": status, "at": time.time()})


def statement_ids(body: bytes) -> list[str]:
    try:
        statements = json.loads(body) if body else []
    except ValueError:
        return []
    if isinstance(statements, dict):
        statements = [statements]
    return [s.get("id", "") for s in statements if isinstance(s, dict)]


class LrsFaultProxy(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, upstream_port, *, chance):
        self.upstream_port = upstream_port
        self.faults = Faults()
        self.chance = chance
        self.lock = threading.Lock()
        self.seen = []
        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def start(self):
        threading.Thread(target=self.serve_forever, name="lrs-fault-proxy", daemon=True).start()
        return self

    def stop(self):
        self.shutdown()
        self.server_close()

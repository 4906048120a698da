"""A small HR system that receives Standard Webhooks, for the demo, the tests and the bench.

It verifies each request's signature against the secrets it was given, de-duplicates by
``webhook-id`` (a record is *applied* once however often it is *received*), stores what
it applied and a log of every request in an SQLite file (so it survives a restart), shows
the applied records on a small HTML page, and misbehaves on request:

``POST /_faults`` with JSON (any subset; ``{}`` clears all):
  ``error_rate`` (0–1) share of requests answered 500; ``throttle_count`` the next N
  requests are answered 429 with ``Retry-After: throttle_retry_after`` seconds (or an
  HTTP-date when ``throttle_http_date`` is true); ``latency_ms`` added to every answer;
  ``timeout_rate`` share of requests applied but answered only after ``timeout_seconds``
  (the sender has given up by then); ``drop_rate`` share of connections closed without an
  answer (not applied); ``down`` true: every connection closed at once; ``gone`` true:
  410 Gone.

Workplace outcomes (what the employer reports back about its employees):
``POST /_outcomes`` with a JSON list of outcome events (``event_id``, ``employee_id``,
``type``, ``date``, ``value``, ``role``, ``site``) adds them (the same ``event_id`` once);
``GET /outcomes?after=<cursor>&limit=<n>`` serves them in pages to the app's ``json_feed``
pull connector: ``{"events": [...], "next": <cursor>, "more": <bool>}``, with
``Authorization: Bearer <outcome token>`` when the simulator was given one.

Read-only: ``GET /`` (HTML), ``GET /_stats``, ``GET /_records``, ``GET /_bodies``,
``GET /_requests`` (JSON). Run with ``manage.py hris_simulator``. It listens on loopback
only by default and has no authentication on its control endpoints: a test tool, never
exposed.
"""
import datetime
import html
import ipaddress
import json
import random
import sqlite3
import ssl
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from credential_app.hris.connectors import standard_webhooks

FAULT_KEYS = {"error_rate": float, "throttle_count": int, "throttle_retry_after": float,
              "throttle_http_date": bool, "latency_ms": float, "timeout_rate": float,
              "timeout_seconds": float, "drop_rate": float, "down": bool, "gone": bool}
MAX_BODY = 5 * 1024 * 1024

SCHEMA = """
CREATE TABLE IF NOT EXISTS applied (
    webhook_id TEXT PRIMARY KEY, event_type TEXT, employee_id TEXT, credential_id TEXT,
    body TEXT, applied_at REAL, seq INTEGER);
CREATE TABLE IF NOT EXISTS outcomes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT UNIQUE, body TEXT);
CREATE TABLE IF NOT EXISTS requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT, webhook_id TEXT, at REAL, status INTEGER,
    outcome TEXT);
"""


class Store:
    """What the simulator received and applied; one SQLite file, one lock."""

    def __init__(self, path):
        self.lock = threading.Lock()
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")  # survives a killed process, not power loss
        self.db.executescript(SCHEMA)
        self.seq = self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM applied").fetchone()[0]

    def log_request(self, webhook_id, status, outcome):
        with self.lock:
            self.db.execute("INSERT INTO requests (webhook_id, at, status, outcome) "
                            "VALUES (?, ?, ?, ?)", (webhook_id, time.time(), status, outcome))

    def apply(self, webhook_id, body: bytes) -> bool:
        """Store the record unless this webhook id was applied before; True if new."""
        try:
            envelope = json.loads(body)
        except ValueError:
            envelope = {}
        data = envelope.get("data") if isinstance(envelope, dict) else None
        data = data if isinstance(data, dict) else {}
        credential = data.get("credential") if isinstance(data.get("credential"), dict) else {}
        with self.lock:
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO applied VALUES (?, ?, ?, ?, ?, ?, ?)",
                (webhook_id, str(envelope.get("type", "")), str(data.get("employee_id", "")),
                 str(credential.get("id", "")), body.decode("utf-8", "replace"), time.time(),
                 self.seq + 1))
            if cursor.rowcount == 1:
                self.seq += 1  # the order records were applied in
            return cursor.rowcount == 1

    def add_outcomes(self, events) -> int:
        """Outcome events the employer will serve at ``/outcomes``; each event id once."""
        added = 0
        with self.lock:
            for event in events:
                cursor = self.db.execute(
                    "INSERT OR IGNORE INTO outcomes (event_id, body) VALUES (?, ?)",
                    (str(event.get("event_id", "")), json.dumps(event)))
                added += cursor.rowcount
        return added

    def outcomes_after(self, after: int, limit: int):
        with self.lock:
            rows = self.db.execute("SELECT seq, body FROM outcomes WHERE seq > ? ORDER BY seq "
                                   "LIMIT ?", (after, limit + 1)).fetchall()
        page = rows[:limit]
        return ([json.loads(body) for _seq, body in page],
                page[-1][0] if page else after, len(rows) > limit)

    def stats(self):
        with self.lock:
            rows = self.db.execute("SELECT outcome, COUNT(*) FROM requests GROUP BY outcome")
            by_outcome = dict(rows.fetchall())
            applied = self.db.execute("SELECT COUNT(*) FROM applied").fetchone()[0]
        received = by_outcome.get("applied", 0) + by_outcome.get("duplicate", 0)
        return {"received": received, "applied": applied,
                "duplicates": by_outcome.get("duplicate", 0),
                "requests": sum(by_outcome.values()), "by_outcome": by_outcome}

    def records(self):
        with self.lock:
            rows = self.db.execute("SELECT webhook_id, event_type, employee_id, credential_id, "
                                   "applied_at, seq FROM applied ORDER BY seq").fetchall()
        keys = ("webhook_id", "event_type", "employee_id", "credential_id", "applied_at", "seq")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def bodies(self):
        """Each applied record's body as received (for tests and curious operators)."""
        with self.lock:
            rows = self.db.execute("SELECT webhook_id, body FROM applied ORDER BY seq").fetchall()
        return [{"webhook_id": webhook_id, "body": json.loads(body)} for webhook_id, body in rows]

    def requests(self):
        with self.lock:
            rows = self.db.execute("SELECT id, webhook_id, at, status, outcome FROM requests "
                                   "ORDER BY id").fetchall()
        keys = ("id", "webhook_id", "at", "status", "outcome")
        return [dict(zip(keys, row, strict=True)) for row in rows]


class Faults:
    def __init__(self):
        self.lock = threading.Lock()
        self.values = {}

    def set(self, values: dict):
        clean = {}
        for key, value in values.items():
            if key not in FAULT_KEYS:
                raise ValueError(f"unknown fault {key!r}")
            clean[key] = FAULT_KEYS[key](value)
        with self.lock:
            self.values = clean

    def get(self, key, default=0):
        with self.lock:
            return self.values.get(key, default)

    def take_throttle(self) -> bool:
        with self.lock:
            left = int(self.values.get("throttle_count", 0))
            if left <= 0:
                return False
            self.values["throttle_count"] = left - 1
            return True

    def snapshot(self):
        with self.lock:
            return dict(self.values)


class Handler(BaseHTTPRequestHandler):
    server_version = "HrisSimulator/1"
    protocol_version = "HTTP/1.1"  # keep-alive, like a real HR system's front end

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        if self.server.verbose:
            super().log_message(format, *args)

    # --- answers ---
    def answer(self, status, body, content_type="application/json", headers=None):
        data = body if isinstance(body, bytes) else body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def answer_json(self, status, value, headers=None):
        self.answer(status, json.dumps(value), headers=headers)

    def drop(self):
        self.close_connection = True
        try:
            self.connection.shutdown(2)
        except OSError:
            pass

    # --- reading ---
    def do_GET(self):  # noqa: N802 - http.server's naming
        store = self.server.store
        if self.path.startswith("/outcomes"):
            return self.serve_outcomes()
        if self.path == "/_stats":
            return self.answer_json(200, store.stats())
        if self.path == "/_records":
            return self.answer_json(200, store.records())
        if self.path == "/_requests":
            return self.answer_json(200, store.requests())
        if self.path == "/_bodies":
            return self.answer_json(200, store.bodies())
        if self.path == "/_faults":
            return self.answer_json(200, self.server.faults.snapshot())
        if self.path == "/":
            return self.answer(200, self.page(), "text/html; charset=utf-8")
        return self.answer_json(404, {"error": "not found"})

    def serve_outcomes(self):
        token = self.server.outcome_token
        if token and self.headers.get("Authorization", "") != f"Bearer {token}":
            return self.answer_json(401, {"error": "bearer token required"})
        query = parse_qs(urlsplit(self.path).query)
        try:
            after = int((query.get("after") or ["0"])[0] or 0)
            limit = max(1, min(int((query.get("limit") or ["500"])[0]), 1000))
        except ValueError:
            return self.answer_json(400, {"error": "after and limit are integers"})
        events, last, more = self.server.store.outcomes_after(after, limit)
        return self.answer_json(200, {"events": events, "next": str(last), "more": more})

    def page(self):
        stats = self.server.store.stats()
        rows = "".join(
            f"<tr><td>{r['seq']}</td><td>{html.escape(r['event_type'])}</td>"
            f"<td>{html.escape(r['employee_id'])}</td><td>{html.escape(r['credential_id'])}</td>"
            f"<td>{html.escape(r['webhook_id'])}</td><td>{time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime(r['applied_at']))} UTC</td></tr>"  # noqa: E501
            for r in self.server.store.records())
        return (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            "<title>HRIS simulator: received credentials</title></head><body><main>"
            "<h1>HRIS simulator: received credentials</h1>"
            f"<p>Requests received: {stats['received']}; records applied: {stats['applied']}; "
            f"duplicates ignored: {stats['duplicates']}.</p>"
            "<table><caption>Records applied, oldest first</caption><thead><tr>"
            "<th scope='col'>#</th><th scope='col'>Event</th><th scope='col'>Employee</th>"
            "<th scope='col'>Credential</th><th scope='col'>Webhook id</th>"
            "<th scope='col'>Applied</th></tr></thead><tbody>"
            f"{rows or '<tr><td colspan=6>Nothing received yet.</td></tr>'}"
            "</tbody></table></main></body></html>")

    # --- receiving ---
    def do_POST(self):  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return self.answer_json(413, {"error": "too large"})
        body = self.rfile.read(length)
        if self.path == "/_outcomes":
            try:
                events = json.loads(body or b"[]")
                if not isinstance(events, list):
                    raise TypeError("a JSON list of events")
            except (ValueError, TypeError) as exc:
                return self.answer_json(400, {"error": str(exc)})
            return self.answer_json(200, {"added": self.server.store.add_outcomes(events)})
        if self.path == "/_faults":
            try:
                self.server.faults.set(json.loads(body or b"{}"))
            except (ValueError, TypeError) as exc:
                return self.answer_json(400, {"error": str(exc)})
            return self.answer_json(200, self.server.faults.snapshot())
        self.receive(body)

    def receive(self, body):
        faults, store = self.server.faults, self.server.store
        webhook_id = self.headers.get("webhook-id", "")
        if faults.get("down", False):
            store.log_request(webhook_id, 0, "down")
            return self.drop()
        if faults.get("latency_ms"):
            time.sleep(faults.get("latency_ms") / 1000)
        if _chance() < faults.get("drop_rate"):
            store.log_request(webhook_id, 0, "dropped")
            return self.drop()
        if faults.get("gone", False):
            store.log_request(webhook_id, 410, "gone")
            return self.answer_json(410, {"error": "gone"})
        if faults.take_throttle():
            wait = faults.get("throttle_retry_after", 1)
            value = (formatdate(time.time() + wait, usegmt=True)
                     if faults.get("throttle_http_date", False) else str(int(wait)))
            store.log_request(webhook_id, 429, "throttled")
            return self.answer_json(429, {"error": "slow down"}, headers={"Retry-After": value})
        if _chance() < faults.get("error_rate"):
            store.log_request(webhook_id, 500, "error")
            return self.answer_json(500, {"error": "injected failure"})
        try:
            standard_webhooks.verify(self.server.trusted, self.headers, body)
        except standard_webhooks.VerificationFailed as exc:
            store.log_request(webhook_id, 401, "rejected")
            return self.answer_json(401, {"error": f"signature: {exc}"})
        applied = store.apply(webhook_id, body)
        if _chance() < faults.get("timeout_rate"):
            store.log_request(webhook_id, 0, "applied" if applied else "duplicate")
            time.sleep(faults.get("timeout_seconds", 30))
            return self.drop()
        store.log_request(webhook_id, 200, "applied" if applied else "duplicate")
        self.answer_json(200, {"applied": applied})


def _chance() -> float:
    return random.random()  # noqa: S311 - fault injection, not cryptography


class HrisSimulator(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, *, store_path, trusted, host="127.0.0.1", port=0, verbose=False,
                 tls_cert=None, tls_key=None, outcome_token=""):
        self.store = Store(store_path)
        self.outcome_token = outcome_token
        self.faults = Faults()
        self.trusted = list(trusted)
        self.verbose = verbose
        self.tls = None
        if tls_cert:
            self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.tls.load_cert_chain(tls_cert, tls_key)
        super().__init__((host, port), Handler)

    def get_request(self):
        """With TLS, each connection's handshake happens in its own handler thread."""
        sock, address = super().get_request()
        if self.tls is not None:
            sock = self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, address

    @property
    def url(self):
        host, port = self.server_address[:2]
        return f"{'https' if self.tls else 'http'}://{host}:{port}/"

    def start_in_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="hris-simulator",
                                  daemon=True)
        thread.start()
        return thread


def certificate_authority(directory, *, names=("localhost",), ips=("127.0.0.1",)):
    """A private CA and a server certificate it signed for ``names``/``ips``, so the
    simulator can serve HTTPS as a real HR system does (the demo, the tests): returns
    (CA certificate PEM, server certificate path, server key path). Valid for a year."""
    def name(text):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])

    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(name("Test HR CA")).issuer_name(name("Test HR CA"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(minutes=5))
          .not_valid_after(now + datetime.timedelta(days=365))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    alt = [x509.DNSName(n) for n in names] + [x509.IPAddress(ipaddress.ip_address(i))
                                                for i in ips]
    cert = (x509.CertificateBuilder().subject_name(name(names[0])).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=365))
            .add_extension(x509.SubjectAlternativeName(alt), critical=False)
            .sign(ca_key, hashes.SHA256()))
    directory = Path(directory)
    cert_path, key_path = directory / "server.pem", directory / "server.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return ca.public_bytes(serialization.Encoding.PEM).decode(), str(cert_path), str(key_path)

"""The default connector: Standard Webhooks 1.0 over HTTPS, one signed POST per record.

Body: ``{"type": <event type>, "timestamp": <event time>, "data": <record>}`` as compact
JSON. Headers: ``webhook-id`` (the outbox message id, the same on every retry: the
receiver's idempotency key), ``webhook-timestamp`` (this try) and ``webhook-signature``
(one signature per configured secret, so secrets can be rotated without downtime).
Records of a batch are sent in parallel (``concurrency``) over one keep-alive session
that connects only to checked addresses (``safe_http``) and never follows redirects.
"""
import json
import time
from concurrent.futures import ThreadPoolExecutor

import requests
from django.utils.translation import gettext_lazy as _

from credential_app.hris.connectors import standard_webhooks
from credential_app.hris.connectors.base import (
    EXCERPT_CHARS,
    Connector,
    OptionField,
    OutgoingRecord,
    RecordOutcome,
    SecretField,
    parse_retry_after,
)
from credential_app.lib import safe_http

#: The receiver refused the record itself: sending the same bytes again cannot help.
PERMANENT_STATUSES = {400, 413, 415, 422}


class StandardWebhookConnector(Connector):
    label = _("Standard Webhooks (signed HTTPS POST)")
    secret_fields = (
        SecretField("signing_secrets", _("signing secrets"), multiline=True, help_text=_(
            "One per line: whsec_… (HMAC, “v1”) or whsk_… (Ed25519 private key, “v1a”). "
            "During a rotation list the new and the old secret; each request carries a "
            "signature by each.")),
    )
    option_fields = (
        OptionField("ca_certificate", _("trusted CA certificate (PEM)"), multiline=True,
                    help_text=_("Only for a receiver whose certificate is issued by a private "
                                "CA: paste that CA's certificate. Empty: the usual public "
                                "CAs.")),
    )

    def __init__(self, destination, *, secrets=None):
        super().__init__(destination, secrets=secrets)
        self.signing_secrets = split_secrets(self.secrets.get("signing_secrets", ""))
        self.http = safe_http.session(pool_size=destination.concurrency)
        self.ca_file = None
        if self.options.get("ca_certificate", "").strip():
            self.ca_file = safe_http.ca_bundle(self.options["ca_certificate"])
            self.http.verify = self.ca_file

    @classmethod
    def check_configuration(cls, *, url, options, secrets):
        pem = (options.get("ca_certificate") or "").strip()
        if pem and not safe_http.is_pem_certificate(pem):
            return {"ca_certificate": str(_("This is not a PEM certificate (-----BEGIN "
                                            "CERTIFICATE----- …)."))}
        lines = split_secrets(secrets.get("signing_secrets", ""))
        if not lines:
            return {"signing_secrets": str(_("Give at least one signing secret."))}
        for line in lines:
            try:
                standard_webhooks.check_secret(line)
            except standard_webhooks.InvalidSecret as exc:
                return {"signing_secrets": str(_(
                    "A signing secret is not valid ({problem}).").format(problem=exc))}
        return {}

    def deliver(self, records: list[OutgoingRecord]) -> list[RecordOutcome]:
        if len(records) <= 1 or self.destination.concurrency <= 1:
            return [self.send(record) for record in records]
        workers = min(self.destination.concurrency, len(records))
        with ThreadPoolExecutor(max_workers=workers,
                                thread_name_prefix="hris-webhook") as pool:
            return list(pool.map(self.send, records))

    def body(self, record: OutgoingRecord) -> bytes:
        envelope = {"type": record.event_type,
                    "timestamp": record.occurred_at.isoformat().replace("+00:00", "Z"),
                    "data": record.payload}
        return json.dumps(envelope, separators=(",", ":"), sort_keys=True).encode()

    def headers(self, record: OutgoingRecord, body: bytes) -> dict:
        timestamp = int(time.time())
        return {
            "content-type": "application/json",
            "webhook-id": record.message_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": standard_webhooks.sign(self.signing_secrets,
                                                        record.message_id, timestamp, body),
        }

    def send(self, record: OutgoingRecord) -> RecordOutcome:
        body = self.body(record)
        started = time.monotonic()
        try:
            response = self.http.post(self.destination.url, data=body,
                                      headers=self.headers(record, body),
                                      timeout=self.destination.timeout_seconds,
                                      allow_redirects=False)
        except requests.RequestException as exc:
            return RecordOutcome(message_id=record.message_id, delivered=False,
                                 latency_ms=elapsed_ms(started), error=describe_error(exc))
        latency = elapsed_ms(started)
        status = response.status_code
        excerpt = response.text[:EXCERPT_CHARS]
        error = ""
        if 300 <= status < 400:
            error = "Redirect refused: update the destination's address instead."
        return RecordOutcome(
            message_id=record.message_id, delivered=200 <= status < 300, status_code=status,
            retry_after=parse_retry_after(response.headers.get("Retry-After")),
            gone=status == 410, permanent=status in PERMANENT_STATUSES,
            latency_ms=latency, response_excerpt=excerpt, error=error)

    def close(self):
        self.http.close()
        if self.ca_file:
            safe_http.remove_ca_bundle(self.ca_file)


def split_secrets(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def elapsed_ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def describe_error(exc: Exception) -> str:
    """What went wrong, without the request (URLs may carry tokens, headers signatures)."""
    kind = type(exc).__name__
    if isinstance(exc, requests.Timeout):
        return f"{kind}: no answer within the timeout"
    reason = exc.args[0] if exc.args else ""
    reason = getattr(reason, "reason", reason)  # urllib3 MaxRetryError wraps the cause
    text = str(reason)
    if "Plain http://" in text:
        return f"{kind}: plain http:// is not allowed; use https://"
    if "Refused:" in text:
        return f"{kind}: {text[text.index('Refused:'):]}"
    if isinstance(exc, requests.exceptions.SSLError):
        if "hostname" in text.lower() or "doesn't match" in text.lower():
            return f"{kind}: the certificate is not for this host name"
        return f"{kind}: the certificate could not be verified"
    if isinstance(exc, requests.ConnectionError):
        lowered = text.lower()
        for phrase in ("connection refused", "connection reset", "connection aborted",
                       "remote end closed", "name or service not known", "timed out"):
            if phrase in lowered:
                return f"{kind}: {phrase}"
        return f"{kind}: the connection failed"
    return kind

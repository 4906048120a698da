"""The bundled pull connector: a paged JSON feed of outcome events over HTTPS.

``GET <pull address>?after=<cursor>&limit=<n>`` with ``Authorization: Bearer <token>``;
the answer is ``{"events": [...], "next": "<cursor>", "more": true|false}``. The HRIS
simulator (``demo/hris_simulator.py``) serves this at ``/outcomes``. Connections go
through ``safe_http`` (SSRF checks, no redirects); a private CA can be trusted with the
``ca_certificate`` option, as for webhook destinations.
"""
import json

import requests
from django.utils.translation import gettext_lazy as _

from credential_app.hris.connectors.base import EXCERPT_CHARS
from credential_app.lib import safe_http
from credential_app.workplace.connectors.base import OutcomeConnector, Page, PullFailed

PAGE_SIZE = 500
MAX_ANSWER_BYTES = 4 * 1024 * 1024
TIMEOUT_SECONDS = 20


class JsonFeedConnector(OutcomeConnector):
    label = _("JSON outcome feed (HTTPS, paged, bearer token)")
    secret_names = ("token",)

    def __init__(self, feed, *, secrets):
        super().__init__(feed, secrets=secrets)
        self.http = safe_http.session(pool_size=1)
        self.ca_file = None
        pem = (self.options.get("ca_certificate") or "").strip()
        if pem:
            self.ca_file = safe_http.ca_bundle(pem)
            self.http.verify = self.ca_file

    def fetch(self, cursor: str) -> Page:
        headers = {"Accept": "application/json"}
        if self.secrets.get("token"):
            headers["Authorization"] = f"Bearer {self.secrets['token']}"
        try:
            answer = self.http.get(self.feed.pull_url, params={"after": cursor,
                                                               "limit": PAGE_SIZE},
                                   headers=headers, timeout=TIMEOUT_SECONDS,
                                   allow_redirects=False, stream=True)
            body = answer.raw.read(MAX_ANSWER_BYTES + 1, decode_content=True)
        except (requests.RequestException, safe_http.BlockedAddress) as exc:
            raise PullFailed(f"{type(exc).__name__}: could not reach the feed") from exc
        if answer.status_code != 200:
            raise PullFailed(f"HTTP {answer.status_code}: "
                             f"{body[:EXCERPT_CHARS].decode('utf-8', 'replace')}")
        if len(body) > MAX_ANSWER_BYTES:
            raise PullFailed("The answer is larger than 4 MB.")
        try:
            data = json.loads(body)
            events, next_cursor = data["events"], str(data.get("next") or cursor)
            if not isinstance(events, list) or len(events) > PAGE_SIZE:
                raise TypeError
        except (ValueError, KeyError, TypeError) as exc:
            raise PullFailed("The answer is not a page of events.") from exc
        return Page(events=events, cursor=next_cursor, more=bool(data.get("more")))

    def close(self):
        self.http.close()
        if self.ca_file:
            safe_http.remove_ca_bundle(self.ca_file)

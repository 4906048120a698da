"""OAuth2 access tokens kept between calls: the connectors that use the client credentials
grant (SAP SuccessFactors, an xAPI LRS behind OAuth2) fetch a token once and reuse it until
shortly before it expires, in every connector instance of the process.
"""
import hashlib
import threading
import time
from dataclasses import dataclass

TOKEN_MARGIN_SECONDS = 60     # fetch a new token this long before the old one expires


@dataclass
class _Token:
    value: str
    renew_at: float  # time.monotonic()


class TokenCache:
    """Access tokens shared by every connector instance of a process, per client."""

    def __init__(self, clock=time.monotonic):
        self._tokens: dict[str, _Token] = {}
        self._lock = threading.Lock()
        self.clock = clock

    @staticmethod
    def key(*parts) -> str:
        """A cache key that does not keep the client secret in memory in clear."""
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

    def get(self, key):
        with self._lock:
            token = self._tokens.get(key)
            if token is not None and token.renew_at > self.clock():
                return token.value
            return None

    def put(self, key, value, expires_in):
        renew_in = max(float(expires_in) - TOKEN_MARGIN_SECONDS, float(expires_in) / 2)
        with self._lock:
            self._tokens[key] = _Token(value, self.clock() + renew_in)

    def take(self, key, response, no_token: Exception) -> str:
        """The access token of a token endpoint's 200 answer, kept until shortly before it
        expires; ``no_token`` is raised when the answer holds none."""
        try:
            answer = response.json()
            token, expires_in = answer["access_token"], float(answer.get("expires_in", 0))
        except (ValueError, KeyError, TypeError) as exc:
            raise no_token from exc
        if expires_in > 0:
            self.put(key, token, expires_in)
        return token

    def forget(self, key, value):
        with self._lock:
            if key in self._tokens and self._tokens[key].value == value:
                del self._tokens[key]

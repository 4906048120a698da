"""Shared steps of the lifecycle tests: pass an attempt, catch what is announced."""
from openedx_events.learning.signals import BADGE_AWARDED, BADGE_REVOKED

from credential_app import signals
from credential_app.data import AttemptStatus
from credential_app.models import Attempt
from tests.test_api import OTHER_UNIT, UNIT, assess, submit

__all__ = ["OTHER_UNIT", "UNIT", "assess", "submit", "passed_attempt", "Announcements"]


def passed_attempt(user, unit=UNIT):
    """An attempt marked passed without issuing, to issue by hand (e.g. needing approval)."""
    data = submit(user, unit=unit)
    Attempt.objects.filter(pk=data.id).update(status=AttemptStatus.PASSED, score=5)
    return Attempt.objects.select_related("definition").get(pk=data.id)


class Announcements:
    """Everything this app's signals and the Open edX badge events sent, in order."""

    SIGNALS = {
        "issued": signals.credential_issued,
        "approved": signals.credential_approved,
        "revoked": signals.credential_revoked,
        "expired": signals.credential_expired,
        "superseded": signals.credential_superseded,
    }

    def __init__(self):
        self.sent = []  # (name, payload)
        self._receivers = []
        for name, signal in self.SIGNALS.items():
            self._connect(signal, name, "credential")
        self._connect(BADGE_AWARDED, "BADGE_AWARDED", "badge")
        self._connect(BADGE_REVOKED, "BADGE_REVOKED", "badge")

    def _connect(self, signal, name, key):
        def receiver(sender, **kwargs):
            self.sent.append((name, kwargs[key]))

        signal.connect(receiver, weak=False)
        self._receivers.append((signal, receiver))

    def names(self):
        return [name for name, _payload in self.sent]

    def payloads(self, name):
        return [payload for sent, payload in self.sent if sent == name]

    def disconnect(self):
        for signal, receiver in self._receivers:
            signal.disconnect(receiver)


"""Shared steps of the lifecycle tests: pass an attempt, catch what is announced."""
from openedx_events.learning.signals import BADGE_AWARDED, BADGE_REVOKED

from credential_app.core import signals
from credential_app.data import AttemptStatus
from credential_app.models import Attempt, CredentialDefinition
from credential_xblock.demo_scenarios import DEMO_CREDENTIAL_SLUG
from tests.core.test_api import OTHER_UNIT, RUBRIC, UNIT, assess, submit

__all__ = ["OTHER_UNIT", "UNIT", "assess", "submit", "passed_attempt", "Announcements"]


def passed_attempt(user, unit=UNIT):
    """An attempt stored as passed without issuing, to issue by hand (e.g. needing approval).

    Written directly, past the retake rule: these tests are about what issuance does with
    any passed attempt, including ones the rule would refuse today.
    """
    definition = CredentialDefinition.objects.get(slug=DEMO_CREDENTIAL_SLUG)
    number = Attempt.objects.filter(user=user, usage_key=unit).count() + 1
    return Attempt.objects.create(
        user=user, course_key=unit.course_key, usage_key=unit, definition=definition,
        number=number, evidence_text="evidence", rubric=RUBRIC.to_dict(),
        max_score=RUBRIC.max_points, score=5, status=AttemptStatus.PASSED)


class Announcements:
    """Everything this app's signals and the Open edX badge events sent, in order."""

    SIGNALS = {
        "issued": signals.credential_issued,
        "approved": signals.credential_approved,
        "revoked": signals.credential_revoked,
        "expired": signals.credential_expired,
        "superseded": signals.credential_superseded,
        "suspended": signals.credential_suspended,
        "reinstated": signals.credential_reinstated,
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


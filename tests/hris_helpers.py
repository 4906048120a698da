"""Shared steps of the HRIS delivery tests: a destination, the simulator, reading it back."""
import contextlib
import json
import urllib.request

from credential_app.hris import destination_secrets
from credential_app.hris.connectors import standard_webhooks
from credential_app.hris.connectors.base import Connector, RecordOutcome
from credential_app.models import HrisDestination
from demo.hris_simulator import HrisSimulator, certificate_authority  # noqa: F401

SECRET = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
OLD_SECRET = "whsec_" + "c2VjcmV0LXRoYXQtd2FzLXJvdGF0ZWQtYXdheS0xMjM0NTY="
PRIVATE_KEY, PUBLIC_KEY = standard_webhooks.new_key_pair()


@contextlib.contextmanager
def running_simulator(store_path, trusted=(SECRET, PUBLIC_KEY), **tls):
    server = HrisSimulator(store_path=str(store_path), trusted=list(trusted), **tls)
    server.start_in_thread()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def make_destination(url, *, secrets=(SECRET,), **fields) -> HrisDestination:
    values = {"name": "Acme HR", "url": url, "timeout_seconds": 5, "batch_size": 10,
              "concurrency": 4, "rate_limit_per_minute": 6000, "retry_base_seconds": 1,
              "retry_max_seconds": 5, **fields}
    destination = HrisDestination(**values)
    destination_secrets.store(destination, {"signing_secrets": "\n".join(secrets)})
    destination.save()
    link_everyone(destination)
    return destination


def link_everyone(destination):
    """Everyone known so far is an employee there and shares with it, so these tests reach
    delivery; who is (not) sent is proven in test_hris_consent."""
    from django.contrib.auth import get_user_model

    from credential_app.models import EmployeeLink, HrisConsent

    for user in get_user_model().objects.all():
        EmployeeLink.objects.get_or_create(destination=destination, user=user,
                                           defaults={"employee_id": f"E-{user.pk}"})
        HrisConsent.objects.update_or_create(destination=destination, user=user,
                                             defaults={"given": True})


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback test server
        return json.loads(response.read())


def set_faults(base_url, **faults):
    request = urllib.request.Request(base_url.rstrip("/") + "/_faults",
                                     data=json.dumps(faults).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return json.loads(response.read())


class RecordingConnector(Connector):
    """A test plug-in: answers what ``answer`` says, remembers what it was given."""

    label = "Recording (tests)"
    answer = staticmethod(lambda record: RecordOutcome(message_id=record.message_id,
                                                       delivered=True, status_code=200))
    batches = []

    def deliver(self, records):
        type(self).batches.append(list(records))
        return [type(self).answer(record) for record in records]


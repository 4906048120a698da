"""The demo's HRIS path: load_demo points a destination at the bundled simulator, the
simulator trusts its secret, and a credential issued in the demo arrives there, whether the
in-process sweeper (the demo's default) or ``deliver_outbox`` sends it."""
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from credential_app import delivery
from credential_app.management.commands.hris_simulator import _destination_secrets
from credential_app.models import HrisDestination, OutboxMessage
from demo.management.commands.load_demo import DEMO_HRIS_DESTINATION
from tests.hris_helpers import get_json, running_simulator
from tests.lifecycle_helpers import assess, submit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_simulator(scenario, tmp_path):
    """load_demo's destination and a simulator trusting what ``--trust-destination`` reads."""
    call_command("load_demo", "--hris-url", "http://127.0.0.1:9/", stdout=StringIO())
    trusted = _destination_secrets(DEMO_HRIS_DESTINATION)
    with running_simulator(tmp_path / "demo.sqlite3", trusted=trusted) as server:
        HrisDestination.objects.filter(name=DEMO_HRIS_DESTINATION).update(url=server.url)
        yield server


@pytest.fixture
def demo_people(demo_simulator):
    from django.contrib.auth import get_user_model

    return {user.username: user for user in get_user_model().objects.all()}


def test_load_demo_keeps_one_destination_and_its_secret(scenario):
    call_command("load_demo", stdout=StringIO())
    first = _destination_secrets(DEMO_HRIS_DESTINATION)
    call_command("load_demo", stdout=StringIO())
    assert HrisDestination.objects.filter(name=DEMO_HRIS_DESTINATION).count() == 1
    assert _destination_secrets(DEMO_HRIS_DESTINATION) == first
    assert first[0].startswith("whsec_")


def test_deliver_outbox_sends_the_demo_credential_to_the_simulator(demo_simulator,
                                                                  demo_people):
    people = demo_people
    assess(submit(people["learner"]), people["staff"], "yes")
    out = StringIO()
    call_command("deliver_outbox", stdout=out)
    assert "Delivered 1" in out.getvalue()
    page = get_json(demo_simulator.url + "_records")
    assert [r["event_type"] for r in page] == ["credential.issued"]
    html = demo_simulator_page(demo_simulator)
    assert "credential.issued" in html and "records applied: 1" in html


def test_the_in_process_sweeper_delivers_without_a_worker(demo_simulator, demo_people,
                                                         settings):
    people = demo_people
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "HRIS_DELIVERY": "thread",
                               "HRIS_SWEEP_SECONDS": 1}
    try:
        assess(submit(people["learner"]), people["staff"], "yes")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not OutboxMessage.objects.filter(
                state="delivered").exists():
            time.sleep(0.1)
    finally:
        delivery.InProcessSweeper.stop()
    assert OutboxMessage.objects.get().state == "delivered"
    assert get_json(demo_simulator.url + "_stats")["applied"] == 1


def test_the_simulator_command_needs_something_to_trust(db):
    with pytest.raises(CommandError, match="--secret"):
        call_command("hris_simulator", "--port", "0")
    with pytest.raises(CommandError, match="whsec_"):
        call_command("hris_simulator", "--port", "0", "--secret", "plain-password")


def demo_simulator_page(server):
    import urllib.request

    with urllib.request.urlopen(server.url, timeout=10) as response:  # noqa: S310 - loopback
        return response.read().decode()

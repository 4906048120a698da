"""The demo's HRIS path: load_demo points a destination at the bundled simulator, the
simulator trusts its secret, and a credential issued in the demo arrives there, whether the
in-process sweeper (the demo's default) or ``deliver_outbox`` sends it."""
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from credential_app.hris import sweeper
from credential_app.models import HrisDestination, OutboxMessage
from demo.catalogue import PATHWAY_SLUG
from demo.management.commands.hris_simulator import _destination_secrets
from demo.management.commands.load_demo import DEMO_HRIS_DESTINATION
from tests.concurrency import second_writer
from tests.hris_helpers import running_simulator
from tests.lifecycle_helpers import assess, submit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.db_server]  # sweeper thread


@pytest.fixture
def demo_simulator(scenario, tmp_path, settings):
    """As ``make demo`` runs it: load_demo's destination, and the simulator serving HTTPS
    with load_demo's certificate and trusting what ``--trust-destination`` reads. Plain
    http:// is refused, as in the demo."""
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "HRIS_ALLOW_HTTP": False}
    tls = tmp_path / "tls"
    call_command("load_demo", "--hris-url", "https://127.0.0.1:9/", "--hris-tls-dir", str(tls),
                 stdout=StringIO())
    trusted = _destination_secrets(DEMO_HRIS_DESTINATION)
    with running_simulator(tmp_path / "demo.sqlite3", trusted=trusted,
                           tls_cert=str(tls / "server.pem"),
                           tls_key=str(tls / "server.key")) as server:
        assert server.url.startswith("https://127.0.0.1:")
        HrisDestination.objects.filter(name=DEMO_HRIS_DESTINATION).update(url=server.url)
        yield server


@pytest.fixture
def demo_people(demo_simulator):
    from django.contrib.auth import get_user_model

    return {user.username: user for user in get_user_model().objects.all()}


def test_load_demo_keeps_one_destination_and_its_secret(scenario, tmp_path):
    tls = ["--hris-tls-dir", str(tmp_path)]
    call_command("load_demo", *tls, stdout=StringIO())
    first = _destination_secrets(DEMO_HRIS_DESTINATION)
    ca = (tmp_path / "ca.pem").read_text()
    call_command("load_demo", *tls, stdout=StringIO())
    destination = HrisDestination.objects.get(name=DEMO_HRIS_DESTINATION)
    assert destination.url.startswith("https://")
    assert destination.options["ca_certificate"] == ca == (tmp_path / "ca.pem").read_text()
    assert HrisDestination.objects.filter(name=DEMO_HRIS_DESTINATION).count() == 1
    assert _destination_secrets(DEMO_HRIS_DESTINATION) == first
    assert first[0].startswith("whsec_")


def test_deliver_outbox_sends_the_demo_credential_to_the_simulator(demo_simulator,
                                                                  demo_people):
    people = demo_people
    assess(submit(people["learner"]), people["staff"], "yes")
    out = StringIO()
    call_command("deliver_outbox", stdout=out)
    # The demo learner's sample credential (load_demo), the one just earned, and the Site
    # Safety Lead pathway credential the two complete (the demo's pathway).
    assert "Delivered 3" in out.getvalue()
    page = get_json(demo_simulator.url + "_records")
    assert [r["event_type"] for r in page] == ["credential.issued"] * 3
    assert PATHWAY_SLUG in OutboxMessage.objects.values_list("credential__definition__slug",
                                                             flat=True)
    html = read(demo_simulator.url)
    assert "credential.issued" in html and "records applied: 3" in html


@second_writer  # the sweeper delivers while the scoring's own thread still writes
def test_the_in_process_sweeper_delivers_without_a_worker(demo_simulator, demo_people,
                                                         settings):
    people = demo_people
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "HRIS_DELIVERY": "thread",
                               "HRIS_SWEEP_SECONDS": 1}
    try:
        assess(submit(people["learner"]), people["staff"], "yes")  # wakes the sweeper
        # The hand-in woke it already: a round under way as the scoring committed may end
        # idle without having seen its rows; the round after that one has seen them.
        committed = sweeper.InProcessSweeper.idle_rounds()
        assert sweeper.InProcessSweeper.wait_for_idle_round(committed + 1, timeout=120)
    finally:
        sweeper.InProcessSweeper.stop()
    # The demo learner's sample credential (load_demo), the one just earned and the
    # pathway credential they complete; a row left waiting for a retry shows its error.
    assert list(OutboxMessage.objects.values_list("state", "last_error")) == [
        ("delivered", "")] * 3
    assert get_json(demo_simulator.url + "_stats")["applied"] == 3


def test_the_demo_server_sends_what_waited_from_before_it_started(demo_simulator, settings):
    from demo.hris_sweeper import StartHrisSweeperMiddleware

    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "HRIS_DELIVERY": "thread",
                               "HRIS_SWEEP_SECONDS": 1}
    waiting = OutboxMessage.objects.get()  # load_demo's sample credential, not yet sent
    assert waiting.state == "pending"
    try:
        middleware = StartHrisSweeperMiddleware(lambda request: None)
        assert not sweeper.InProcessSweeper.running()  # loading the app starts nothing
        quiet_before = sweeper.InProcessSweeper.idle_rounds()
        middleware(None)  # the server's first request
        assert sweeper.InProcessSweeper.wait_for_idle_round(quiet_before, timeout=120)
    finally:
        sweeper.InProcessSweeper.stop()
    assert OutboxMessage.objects.get().state == "delivered"
    assert get_json(demo_simulator.url + "_stats")["applied"] == 1


def test_the_simulator_command_needs_something_to_trust(db):
    with pytest.raises(CommandError, match="--secret"):
        call_command("hris_simulator", "--port", "0")
    with pytest.raises(CommandError, match="whsec_"):
        call_command("hris_simulator", "--port", "0", "--secret", "plain-password")


def read(url) -> str:
    """A page of the simulator, whose certificate comes from the test's own demo CA."""
    import ssl
    import urllib.request

    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    with urllib.request.urlopen(url, timeout=10, context=context) as response:  # noqa: S310
        return response.read().decode()


def get_json(url):
    import json

    return json.loads(read(url))

"""HTTPS delivery through the SSRF-checked connection: the certificate is verified against
the host name although the socket is opened to the checked address, and a private CA can
be trusted per destination."""
import pytest

from credential_app.hris import engine
from credential_app.models import DeliveryAttempt, OutboxMessage
from tests.hris_helpers import (
    certificate_authority,
    get_json,
    make_destination,
    running_simulator,
)
from tests.lifecycle_helpers import assess, submit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.db_server]  # engine threads


@pytest.fixture
def https_only(settings):
    """HTTPS required as in production; loopback allowed so the test can listen."""
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "HRIS_ALLOW_HTTP": False,
                               "HRIS_ALLOW_PRIVATE_ADDRESSES": True}


def deliver_one(people, url, **fields):
    destination = make_destination(url, **fields)
    assess(submit(people["learner"]), people["staff"], "yes")
    engine.drain(destination.pk, budget_seconds=10)
    return OutboxMessage.objects.get(), DeliveryAttempt.objects.get()


def stats(server):
    import ssl
    import urllib.request

    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    with urllib.request.urlopen(server.url + "_stats", context=context,  # noqa: S310
                                timeout=10) as response:
        import json

        return json.loads(response.read())


def test_https_to_a_receiver_with_a_trusted_private_ca(people, definition, tmp_path,
                                                       https_only):
    ca, cert, key = certificate_authority(tmp_path)
    with running_simulator(tmp_path / "s.sqlite3", tls_cert=cert, tls_key=key) as server:
        port = server.server_address[1]
        row, attempt = deliver_one(people, f"https://localhost:{port}/",
                                   options={"ca_certificate": ca})
        assert server.url.startswith("https://")
        assert (row.state, attempt.status_code) == ("delivered", 200)
        assert stats(server)["applied"] == 1


def test_an_untrusted_certificate_is_refused(people, definition, tmp_path, https_only):
    _ca, cert, key = certificate_authority(tmp_path)
    with running_simulator(tmp_path / "s.sqlite3", tls_cert=cert, tls_key=key) as server:
        row, attempt = deliver_one(people, f"https://localhost:{server.server_address[1]}/")
        assert row.state == "pending"
        assert "certificate could not be verified" in attempt.error
        assert stats(server)["requests"] == 0


def test_a_certificate_for_another_host_is_refused(people, definition, tmp_path, https_only):
    ca, cert, key = certificate_authority(tmp_path, names=("hr.example.com",), ips=())
    with running_simulator(tmp_path / "s.sqlite3", tls_cert=cert, tls_key=key) as server:
        row, attempt = deliver_one(people, f"https://localhost:{server.server_address[1]}/",
                                   options={"ca_certificate": ca})
        assert row.state == "pending"
        assert "not for this host name" in attempt.error
        assert stats(server)["requests"] == 0


def test_plain_http_is_refused_at_connect_time_too(people, definition, hris_simulator,
                                                   https_only):
    row, attempt = deliver_one(people, hris_simulator.url)
    assert row.state == "pending" and "plain http:// is not allowed" in attempt.error
    assert get_json(hris_simulator.url + "_stats")["requests"] == 0

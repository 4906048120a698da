"""The pull connector plug-in reads the HRIS simulator's outcome feed over HTTPS (a private
CA, a bearer token), resumes from its cursor, and keeps only consenting employees'
events."""
import json
import ssl
import urllib.request

import pytest

from credential_app.models import AuditEntry, OutcomeEvent, OutcomeFeed
from credential_app.workplace import connectors, feeds, pull
from credential_app.workplace.connectors.json_feed import JsonFeedConnector
from tests.hris_helpers import certificate_authority, running_simulator
from tests.workplace_helpers import employer_with_staff, event

pytestmark = pytest.mark.django_db
TOKEN = "outcome-feed-token-123"  # noqa: S105 - a test value


@pytest.fixture
def loopback_https(settings):
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "HRIS_ALLOW_HTTP": False,
                               "HRIS_ALLOW_PRIVATE_ADDRESSES": True}


@pytest.fixture
def simulator(tmp_path):
    ca, cert, key = certificate_authority(tmp_path)
    with running_simulator(tmp_path / "s.sqlite3", tls_cert=cert, tls_key=key,
                           outcome_token=TOKEN) as server:
        server.ca = ca
        yield server


def give(server, events):
    context = ssl.create_default_context(cadata=server.ca)
    request = urllib.request.Request(f"https://localhost:{server.server_address[1]}/_outcomes",
                                     data=json.dumps(events).encode(), method="POST")
    with urllib.request.urlopen(request, context=context, timeout=10) as answer:  # noqa: S310
        return json.loads(answer.read())


def pulling_feed(server, token=TOKEN):
    feed, users = employer_with_staff(2)
    feed.pull_connector = "json_feed"
    feed.pull_url = f"https://localhost:{server.server_address[1]}/outcomes"
    feed.pull_options = {"ca_certificate": server.ca}
    feeds.store_secrets(feed, {**feeds.load_secrets(feed), "token": token})
    feed.save()
    return feed, users


def test_the_bundled_connector_is_an_entry_point_plugin():
    assert connectors.get("json_feed") is JsonFeedConnector
    with pytest.raises(connectors.UnknownConnector):
        connectors.get("nope")


def test_pulling_stores_events_and_resumes_from_the_cursor(simulator, loopback_https):
    feed, users = pulling_feed(simulator)
    give(simulator, [event(f"p{n}", "E-1", date=f"2026-01-{n:02d}") for n in range(1, 8)]
         + [event("q1", "E-2", "exit", value=""), event("z1", "E-404")])
    result = pull.pull_feed(feed)
    assert (result.error, result.stored, result.not_shared) == ("", 8, 1)
    assert OutcomeEvent.objects.filter(source="pull").count() == 8
    assert OutcomeFeed.objects.get(pk=feed.pk).pull_cursor == "9"
    give(simulator, [event("p8", "E-1", date="2026-01-08")])
    again = pull.pull_feed(OutcomeFeed.objects.get(pk=feed.pk))
    assert (again.stored, again.pages) == (1, 1)  # only what came after the cursor
    assert OutcomeEvent.objects.count() == 9
    assert AuditEntry.objects.filter(action="outcomes_received").count() == 2


def test_a_wrong_token_stores_nothing_and_says_why(simulator, loopback_https):
    feed, _users = pulling_feed(simulator, token="wrong")  # noqa: S106
    give(simulator, [event("p1")])
    result = pull.pull_feed(feed)
    assert "HTTP 401" in result.error
    assert not OutcomeEvent.objects.exists()
    assert OutcomeFeed.objects.get(pk=feed.pk).pull_cursor == ""


def test_an_untrusted_certificate_is_refused(simulator, loopback_https):
    feed, _users = pulling_feed(simulator)
    feed.pull_options = {}
    feed.save()
    give(simulator, [event("p1")])
    result = pull.pull_feed(feed)
    assert "could not reach" in result.error
    assert not OutcomeEvent.objects.exists()


def test_a_bad_event_in_a_page_stops_there_without_storing_it(simulator, loopback_https):
    feed, _users = pulling_feed(simulator)
    give(simulator, [event("p1", value="5000")])
    result = pull.pull_feed(feed)
    assert "value" in result.error
    assert not OutcomeEvent.objects.exists()

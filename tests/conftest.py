"""Fixtures: demo people, the demo credential, and the real workbench runtime."""
import json
import os
import threading
from pathlib import Path

import pytest
from submissions.models import score_reset, score_set

from credential_xblock.demo_scenarios import DEMO_CREDENTIAL_SLUG
from tests.helpers import browser_tab

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
MARIADB_START = "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd"


def pytest_configure(config):
    """With CREDENTIAL_DB=mysql, fail fast and clearly when the server is not there."""
    if os.environ.get("CREDENTIAL_DB") != "mysql":
        return
    import pymysql

    host = os.environ.get("CREDENTIAL_DB_HOST", "127.0.0.1")
    port = int(os.environ.get("CREDENTIAL_DB_PORT", "3306"))
    try:
        pymysql.connect(host=host, port=port, user=os.environ.get("CREDENTIAL_DB_USER", "root"),
                        password=os.environ.get("CREDENTIAL_DB_PASSWORD", ""),
                        connect_timeout=5).close()
    except pymysql.MySQLError as exc:
        pytest.exit(f"MariaDB/MySQL is not reachable at {host}:{port} ({exc}). "
                    f"Start it (here: `{MARIADB_START}`) or run `make test` for SQLite.",
                    returncode=2)


@pytest.fixture
def people(db):
    """Two learners and one course-staff assessor, as the demo creates them."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    return {
        "learner": User.objects.create_user("learner", first_name="Lee", last_name="Learner"),
        "learner2": User.objects.create_user("learner2", first_name="Kim", last_name="Okafor"),
        "staff": User.objects.create_user("staff", first_name="Sam", last_name="Assessor",
                                          is_staff=True),
    }


@pytest.fixture
def definition(db):
    from credential_app.models import CredentialDefinition

    return CredentialDefinition.objects.create(
        slug=DEMO_CREDENTIAL_SLUG, name="Workplace Safety Practitioner", pass_percentage=70)


@pytest.fixture
def scenario(db):
    """The demo scenario, loaded afresh into this test's database by the workbench."""
    from workbench.runtime import ID_MANAGER
    from workbench.scenarios import get_scenarios, init_scenarios

    ID_MANAGER.clear()
    init_scenarios()
    return get_scenarios()["credential_assessment.0"]


class Workbench:
    """Drives the demo workbench over HTTP (Django's test client) as a signed-in person."""

    def __init__(self, client, scenario):
        self.client = client
        self.scenario = scenario

    def sign_in(self, user):
        self.client.force_login(user)
        return self

    def page(self):
        response = self.client.get("/scenario/credential_assessment.0/")
        assert response.status_code == 200
        return response.content.decode()

    def post(self, handler, payload=None, raw=None):
        body = raw if raw is not None else json.dumps(payload)
        response = self.client.post(f"/handler/{self.scenario.usage_id}/{handler}/", body,
                                    content_type="application/json")
        return response.status_code, json.loads(response.content)


@pytest.fixture
def workbench(client, scenario, people, definition):
    return Workbench(client, scenario)


@pytest.fixture
def course_scores(caplog):
    """Course scores edx-submissions set or reset, as its ``score_set`` / ``score_reset``
    signals tell the LMS grades app: ``(anonymous user id, earned, possible)``, a reset as
    ``(anonymous user id, None, None)``. (The workbench's anonymous id is the username.)

    Fails the test if the block publishes a grade event: the LMS would credit it to the
    user whose request published it, an assessor's when they score.
    """
    caplog.set_level("INFO", logger="workbench.runtime")
    seen = []

    def on_set(sender, **kwargs):
        seen.append((kwargs["anonymous_user_id"], kwargs["points_earned"],
                     kwargs["points_possible"]))

    def on_reset(sender, **kwargs):
        seen.append((kwargs["anonymous_user_id"], None, None))

    score_set.connect(on_set, dispatch_uid="tests.course_scores.set")
    score_reset.connect(on_reset, dispatch_uid="tests.course_scores.reset")
    yield lambda: list(seen)
    score_set.disconnect(dispatch_uid="tests.course_scores.set")
    score_reset.disconnect(dispatch_uid="tests.course_scores.reset")
    published = [r.getMessage() for r in caplog.records if r.name == "workbench.runtime"
                 and r.getMessage().startswith("XBlock event grade ")]
    assert not published, f"the block published grade events: {published}"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium.")
    # Playwright's sync API keeps an event loop running in this thread; the test's own ORM
    # calls are still plain synchronous ones, so Django's async guard is lifted for them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import expect, sync_playwright

    # Assertions wait up to 15 s for what they expect, as actions do (page fixture): a CI
    # machine running several passes at once can take longer than Playwright's 5 s.
    expect.set_options(timeout=15_000)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser, live_server, scenario, people, definition):
    """A fresh browser tab on the demo workbench, with the demo people and credential."""
    with browser_tab(browser, live_server.url) as page:
        yield page


@pytest.fixture
def stranger(browser, live_server):
    """Someone else's browser, signed in as nobody."""
    with browser_tab(browser, live_server.url) as page:
        yield page


@pytest.fixture(autouse=True)
def live_server_done_serving(request):
    """Before the database is emptied after a test on the live server, its last requests
    have finished.

    On SQLite the server's request threads share the test's in-memory connection: a
    request still being served (a page the browser was still loading as the test ended)
    makes Django's flush fail, and the next test starts with this one's rows. The
    database fixture is asked for here so that this teardown runs before its flush;
    browser contexts, set up after this, are closed before it.
    """
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    request.getfixturevalue("live_server")
    earlier = set(threading.enumerate())  # an earlier test's, if it left a context open
    yield
    # The server runs each connection in a daemon thread of its own, which socketserver
    # does not keep track of; the thread's name carries its target's. A closed browser
    # context has closed its connections, so their threads end once their requests do.
    for thread in set(threading.enumerate()) - earlier:
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout=30)
            if thread.is_alive():
                pytest.fail("the live server is still serving a connection after the test: "
                            "close every browser context the test opens")


# --- lifecycle ---

@pytest.fixture
def announced():
    """What this app's credential signals and Open edX's badge events sent, in order."""
    from tests.lifecycle_helpers import Announcements

    catcher = Announcements()
    yield catcher
    catcher.disconnect()


@pytest.fixture
def issuer(db):
    from credential_app.models import Issuer

    return Issuer.objects.create(name="Acme Safety Board", url="https://safety.example.org",
                                 email="badges@safety.example.org")

# ---- learner: the files-and-links unit, evidence storage -----------------------------


@pytest.fixture
def hygiene_unit(scenario):
    """The demo unit that takes files and links and requires a verified identity."""
    from workbench.scenarios import get_scenarios

    from tests.learner_helpers import HYGIENE_ID

    return get_scenarios()[HYGIENE_ID]


@pytest.fixture
def media(settings, tmp_path):
    """Evidence files go to a scratch folder (Django's default storage) for this test."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture(scope="session", autouse=True)
def audit_trail_maintenance_switch():
    """The suite empties every table between transactional tests (Django's flush), which the
    audit trail's database triggers refuse; so each test connection runs with the app's
    maintenance switch on. tests/core/test_audit.py turns it off to prove the triggers."""
    from django.db import connections
    from django.db.backends.signals import connection_created

    from credential_app.core import audit_guard

    def switch_on(sender, connection, **kwargs):
        audit_guard.set_unlocked(connection, True)

    connection_created.connect(switch_on, weak=False, dispatch_uid="tests.audit_switch")
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None:
            audit_guard.set_unlocked(connection, True)
    yield
    connection_created.disconnect(dispatch_uid="tests.audit_switch")


# ---- HRIS delivery --------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def hris_delivery_by_hand():
    """Tests start HRIS delivery themselves (``engine.sweep``/``drain``, a worker they
    launch); no sweeper thread of the demo's embedded default runs behind their back."""
    from django.conf import settings

    settings.CREDENTIAL_APP["HRIS_DELIVERY"] = "none"
    settings.CREDENTIAL_APP["HRIS_ALLOW_HTTP"] = True  # the tests' simulators speak plain HTTP
    # Badges are signed in the test's own thread once the award commits (tests of the
    # background modes set them themselves).
    settings.CREDENTIAL_APP["BADGE_SIGNING"] = "inline"
    yield


@pytest.fixture
def hris_simulator(tmp_path):
    """The bundled HRIS simulator on a free loopback port, trusting ``tests.hris_helpers``'
    secrets."""
    from tests.hris_helpers import running_simulator

    with running_simulator(tmp_path / "hris.sqlite3") as server:
        yield server


@pytest.fixture
def recording_plugin(monkeypatch):
    """``tests.hris_helpers.RecordingConnector`` installed the way an operator's package
    would be: an entry point of the connector group."""
    from importlib.metadata import EntryPoint

    from credential_app.hris import connectors
    from tests.hris_helpers import RecordingConnector

    real = connectors.entry_points

    def with_recording(group):
        found = list(real(group=group))
        if group == connectors.GROUP:
            found.append(EntryPoint("recording", "tests.hris_helpers:RecordingConnector", group))
        return found

    monkeypatch.setattr(connectors, "entry_points", with_recording)
    connectors.rescan()
    RecordingConnector.batches = []
    default_answer = RecordingConnector.answer
    yield RecordingConnector
    RecordingConnector.answer = default_answer
    monkeypatch.undo()
    connectors.rescan()

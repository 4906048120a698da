"""Destination admin: SSRF rules on save and at connect time, write-only encrypted secrets,
filters, the outbox and attempts read-only, re-drive, and the disabled-destination banner."""
import http.server
import threading

import pytest
from django.contrib.auth import get_user_model
from django.utils.timezone import now

from credential_app.hris import destination_secrets, engine
from credential_app.lib import safe_http
from credential_app.models import DeliveryAttempt, HrisDestination, OutboxMessage
from tests.hris_helpers import SECRET, get_json, make_destination
from tests.lifecycle_helpers import assess, submit

PUBLIC_URL = "https://93.184.215.14/hooks/credentials"  # a public address; never called here


@pytest.fixture
def strict(settings):
    """Production's rules: HTTPS only, public addresses only."""
    app = dict(settings.CREDENTIAL_APP)
    settings.CREDENTIAL_APP = {**app, "HRIS_ALLOW_PRIVATE_ADDRESSES": False,
                               "HRIS_ALLOW_HTTP": False}
    return settings


@pytest.fixture
def admin_client(client, db):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)
    return client


def form_data(**overrides):
    data = {"name": "Acme HR", "connector": "webhook", "url": PUBLIC_URL, "enabled": "on",
            "organisations": "", "timeout_seconds": "15", "rate_limit_per_minute": "100",
            "batch_size": "50", "concurrency": "8", "max_tries": "25", "max_age": "7 00:00:00",
            "retry_base_seconds": "5", "retry_max_seconds": "3600",
            "secret__signing_secrets": SECRET}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("url, problem", [
    ("http://93.184.215.14/hook", "https://"),
    ("https://127.0.0.1/hook", "loopback"),
    ("https://[::1]/hook", "loopback"),
    ("https://10.1.2.3/hook", "private"),
    ("https://192.168.0.10/hook", "private"),
    ("https://169.254.169.254/latest/meta-data", "link-local"),
    ("https://[fe80::1]/hook", "link-local"),
    ("https://[::ffff:127.0.0.1]/hook", "loopback"),
    # IPv6 spellings that carry an IPv4 address: judged by the address they carry
    ("https://[::127.0.0.1]/hook", "loopback"),          # IPv4-compatible
    ("https://[64:ff9b::7f00:1]/hook", "loopback"),      # NAT64
    ("https://[64:ff9b::a9fe:a9fe]/hook", "link-local"),  # NAT64 to the metadata service
    ("https://[2002:7f00:1::]/hook", "loopback"),        # 6to4
    ("https://[2002:a01:203::1]/hook", "private"),       # 6to4 of 10.1.2.3
    ("https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook", "loopback"),  # Teredo, client 127.0.0.1
    ("https://0.0.0.0/hook", "address"),
    ("https://localhost/hook", "loopback"),
    ("https://user:pw@93.184.215.14/hook", "credentials"),
])
def test_unsafe_addresses_are_refused_on_save(admin_client, strict, url, problem):
    response = admin_client.post("/admin/credential_app/hrisdestination/add/",
                                 form_data(url=url))
    assert response.status_code == 200  # the form again, with the reason
    assert problem in response.content.decode()
    assert not HrisDestination.objects.exists()


def test_private_addresses_are_allowed_only_by_the_setting(admin_client, settings):
    assert settings.CREDENTIAL_APP["HRIS_ALLOW_PRIVATE_ADDRESSES"]  # demo and test settings
    response = admin_client.post("/admin/credential_app/hrisdestination/add/",
                                 form_data(url="http://127.0.0.1:9/hook"))
    assert response.status_code == 302
    assert HrisDestination.objects.get().url == "http://127.0.0.1:9/hook"


def test_secrets_are_encrypted_write_only_and_kept_when_left_empty(admin_client, strict):
    admin_client.post("/admin/credential_app/hrisdestination/add/", form_data())
    destination = HrisDestination.objects.get()
    assert SECRET not in destination.secrets_encrypted
    assert SECRET[len("whsec_"):] not in destination.secrets_encrypted
    assert destination_secrets.load(destination) == {"signing_secrets": SECRET}

    page = admin_client.get(f"/admin/credential_app/hrisdestination/{destination.pk}/change/")
    text = page.content.decode()
    assert SECRET not in text and SECRET[len("whsec_"):] not in text
    assert "A value is stored" in text

    response = admin_client.post(
        f"/admin/credential_app/hrisdestination/{destination.pk}/change/",
        form_data(name="Acme HR (renamed)", secret__signing_secrets=""))
    assert response.status_code == 302
    destination.refresh_from_db()
    assert destination.name == "Acme HR (renamed)"
    assert destination_secrets.load(destination) == {"signing_secrets": SECRET}


def test_a_bad_signing_secret_is_refused_with_a_reason(admin_client, strict):
    response = admin_client.post("/admin/credential_app/hrisdestination/add/",
                                 form_data(secret__signing_secrets="hunter2"))
    assert "whsec_" in response.content.decode()
    assert not HrisDestination.objects.exists()


def test_secrets_survive_only_with_the_configured_key(db, settings):
    destination = make_destination(PUBLIC_URL)
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "HRIS_SECRET_KEYS": [
        "Cz1rXxF8TjW1GmS3H4yV0m2bQqv6bHc9tU7dKk3wZ1s="]}
    with pytest.raises(destination_secrets.SecretsUnreadable):
        destination_secrets.load(destination)


@pytest.mark.db_server
@pytest.mark.django_db(transaction=True)
def test_the_connection_itself_refuses_what_the_rules_refuse(people, definition,
                                                             hris_simulator, settings):
    """Saved while allowed, refused at connect time once the rules change; and a name that
    resolves to loopback (a DNS answer changed after saving) is refused too."""
    port = hris_simulator.server_address[1]
    by_name = make_destination(f"http://localhost:{port}/", name="By name")
    assess(submit(people["learner"]), people["staff"], "yes")
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "HRIS_ALLOW_PRIVATE_ADDRESSES": False}

    engine.drain(by_name.pk, budget_seconds=5)

    attempt = DeliveryAttempt.objects.get()
    assert "Refused" in attempt.error and "loopback" in attempt.error
    assert get_json(hris_simulator.url + "_stats")["requests"] == 0


class Redirecting(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802
        self.send_response(307)
        self.send_header("Location", "http://169.254.169.254/latest/meta-data")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.mark.db_server
@pytest.mark.django_db(transaction=True)
def test_redirects_are_never_followed(people, definition):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirecting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        destination = make_destination(f"http://127.0.0.1:{server.server_address[1]}/")
        assess(submit(people["learner"]), people["staff"], "yes")
        engine.drain(destination.pk, budget_seconds=5)
    finally:
        server.shutdown()
        server.server_close()
    attempt = DeliveryAttempt.objects.get()
    assert attempt.status_code == 307 and "Redirect refused" in attempt.error
    assert OutboxMessage.objects.get().state == "pending"


def test_address_rules_name_what_is_wrong(strict):
    assert safe_http.address_problem("8.8.8.8") is None
    assert "loopback" in safe_http.address_problem("127.0.0.2")
    assert "link-local" in safe_http.address_problem("169.254.1.1")
    assert safe_http.address_problem("2002:808:808::1") is None  # 6to4 of 8.8.8.8: public
    assert safe_http.address_problem("2606:4700:4700::1111") is None  # plain public IPv6


@pytest.mark.db_server
@pytest.mark.django_db(transaction=True)
def test_outbox_is_read_only_with_filters_and_redrive_one_or_many(admin_client, people,
                                                                  definition):
    destination = make_destination(PUBLIC_URL)
    for learner in (people["learner"], people["learner2"]):
        assess(submit(learner), people["staff"], "yes")
    OutboxMessage.objects.update(state="dead", dead_at=now(), tries=25)
    page = admin_client.get("/admin/credential_app/outboxmessage/?state__exact=dead")
    assert page.status_code == 200 and page.content.decode().count("msg_") >= 2
    assert admin_client.get("/admin/credential_app/outboxmessage/add/").status_code == 403

    ids = list(OutboxMessage.objects.values_list("pk", flat=True))
    response = admin_client.post("/admin/credential_app/outboxmessage/", {
        "action": "redrive", "_selected_action": [str(i) for i in ids]}, follow=True)
    assert "2 records will be delivered again" in response.content.decode()
    assert set(OutboxMessage.objects.values_list("state", "tries")) == {("pending", 0)}
    assert admin_client.get(f"/admin/credential_app/outboxmessage/{ids[0]}/change/"
                            ).status_code == 200
    assert admin_client.get("/admin/credential_app/deliveryattempt/?outcome=failed"
                            ).status_code == 200
    assert destination.messages.count() == 2


def test_a_disabled_destination_shows_a_banner_with_its_reason(admin_client):
    make_destination(PUBLIC_URL, enabled=False,
                     disabled_reason="The receiver answered 410 Gone.")
    for page in ("hrisdestination", "outboxmessage"):
        text = admin_client.get(f"/admin/credential_app/{page}/").content.decode()
        assert "is disabled: The receiver answered 410 Gone." in text


def test_saving_a_destination_enabled_again_clears_why_it_was_disabled(admin_client, strict):
    destination = make_destination(PUBLIC_URL, enabled=False, disabled_reason="410 Gone")
    admin_client.post(f"/admin/credential_app/hrisdestination/{destination.pk}/change/",
                      form_data(secret__signing_secrets=""))
    destination.refresh_from_db()
    assert destination.enabled and destination.disabled_reason == ""


@pytest.mark.db_server
@pytest.mark.django_db(transaction=True)
def test_a_waiting_record_says_what_it_waits_for(admin_client, people, definition):
    from credential_app import api

    make_destination(PUBLIC_URL)
    credential = assess(submit(people["learner"]), people["staff"], "yes").credential
    api.revoke_credential(credential_uuid=credential.uuid, revoked_by=people["staff"].pk,
                          reason="fraud")
    issued, revoked = OutboxMessage.objects.order_by("id")
    OutboxMessage.objects.filter(pk=issued.pk).update(state="dead", dead_at=now())
    page = admin_client.get(f"/admin/credential_app/outboxmessage/{revoked.pk}/change/")
    text = page.content.decode()
    assert issued.message_id in text and "must be delivered first" in text

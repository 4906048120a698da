"""Verifying from outside (REST endpoint, command line), re-signing, offline operation."""
# ruff: noqa: F811 (pytest fixtures imported from tests.openbadge_helpers)
import json
import socket

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse, reverse_lazy

from credential_app import api
from credential_app.models import SignedBadge
from credential_app.openbadges import keys as signing_keys
from tests.concurrency import on_a_database_server
from tests.openbadge_helpers import (  # noqa: F401
    OLD_KEY,
    assert_valid_ob3,
    issue,
    key_settings,
    keys,
    new_key,
)

pytestmark = pytest.mark.django_db
VERIFY = reverse_lazy("credential_app:rest-verify")


@pytest.fixture
def credential(people, definition, keys):
    return issue(people, definition, validity_days=30)


@pytest.fixture
def badge(credential):
    return api.get_open_badge(str(credential.uuid))


# --- REST endpoint: public, any format, size-limited ---

def test_endpoint_needs_no_sign_in_and_accepts_json(client, badge):
    response = client.post(VERIFY, json.dumps(badge), content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert (body["valid"], body["status"], body["codes"]) == (True, "valid", [])
    assert body["credential"]["id"] == badge["id"]


def test_endpoint_accepts_a_jwt_as_text_and_a_file_upload(client, credential, badge):
    token = api.get_open_badge_jwt(str(credential.uuid))
    for content_type in ("text/plain", "application/jwt"):
        response = client.post(VERIFY, token, content_type=content_type)
        assert response.json()["valid"] is True
    upload = SimpleUploadedFile("badge.json", json.dumps(badge).encode(), "application/json")
    response = client.post(VERIFY, {"file": upload})
    assert response.status_code == 200 and response.json()["valid"] is True


def test_endpoint_says_why_a_credential_is_not_valid(client, badge):
    badge["name"] = "Forged"
    body = client.post(VERIFY, json.dumps(badge), content_type="application/json").json()
    assert (body["valid"], body["status"], body["codes"]) == (False, "invalid", ["tampered"])
    assert body["reasons"] and "changed since it was signed" in body["reasons"][0]
    response = client.post(VERIFY, "{oops", content_type="application/json")
    assert response.status_code == 400  # not a credential at all: a bad request
    assert "not valid JSON" in response.json()["error"]


def test_endpoint_refuses_empty_and_oversized_input_clearly(client, keys):
    response = client.post(VERIFY, "", content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]
    response = client.post(VERIFY, {})
    assert response.status_code == 400 and "file" in response.json()["error"]
    with key_settings(keys, VERIFY_MAX_BYTES=1000):
        response = client.post(VERIFY, "x" * 2000, content_type="text/plain")
        assert response.status_code == 413
        assert "larger than" in response.json()["error"]
        big = SimpleUploadedFile("big.json", b"{" + b" " * 5000 + b"}", "application/json")
        assert client.post(VERIFY, {"file": big}).status_code == 413


def test_endpoint_refuses_other_methods(client, keys):
    assert client.get(VERIFY).status_code == 405


# --- command line ---

def test_verify_command_prints_valid_and_exits_zero(tmp_path, badge, capsys):
    path = tmp_path / "badge.json"
    path.write_text(json.dumps(badge))
    call_command("verify_credential", str(path))
    assert capsys.readouterr().out.strip() == "valid"


def test_verify_command_prints_reasons_and_exits_non_zero(tmp_path, badge, capsys):
    badge["validFrom"] = "2020-01-01T00:00:00Z"
    path = tmp_path / "badge.json"
    path.write_text(json.dumps(badge))
    with pytest.raises(SystemExit) as exited:
        call_command("verify_credential", str(path))
    assert exited.value.code == 1
    out = capsys.readouterr().out
    assert out.startswith("invalid") and "changed since it was signed" in out


def test_verify_command_reads_standard_input_and_speaks_json(badge, credential, monkeypatch,
                                                             capsys):
    import io

    token = api.get_open_badge_jwt(str(credential.uuid))
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(token.encode())))
    call_command("verify_credential", "-", "--json")
    assert json.loads(capsys.readouterr().out)["status"] == "valid"


def test_verify_command_reports_unreadable_file(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Cannot read"):
        call_command("verify_credential", str(tmp_path / "missing.json"))


# --- key rotation and re-signing ---

def test_rotation_then_resign_moves_every_badge_to_the_new_key(people, definition, tmp_path,
                                                               capsys):
    key_file = tmp_path / "keys.json"
    signing_keys.write_file(key_file, [OLD_KEY])
    with key_settings(SIGNING_KEYS=None, SIGNING_KEYS_FILE=str(key_file)):
        first = issue(people, definition)
        second = issue(people, definition, issuer=False, learner="learner2")
        before = {c.pk: api.get_open_badge(str(c.uuid)) for c in (first, second)}
        assert {b["proof"][0]["verificationMethod"].split("#")[1] for b in before.values()} \
            == {"key-2025"}

        call_command("create_badge_signing_key", "--id", "key-2027")
        out = capsys.readouterr().out
        assert "key-2027" in out and "z3u2" not in out  # the private key is never printed
        assert oct(key_file.stat().st_mode & 0o777) == "0o600"

        call_command("resign_open_badges", "--key-id", "key-2025")
        assert "2 credentials signed anew" in capsys.readouterr().out
        for credential in (first, second):
            after = api.get_open_badge(str(credential.uuid))
            assert after["proof"][0]["verificationMethod"].endswith("#key-2027")
            assert {k: v for k, v in after.items() if k != "proof"} == \
                {k: v for k, v in before[credential.pk].items() if k != "proof"}
            assert api.verify_open_badge(after).valid
            assert api.verify_open_badge(before[credential.pk]).valid  # old copies too
        assert set(SignedBadge.objects.values_list("key_id", flat=True)) == {"key-2027"}


# --- no network, ever ---

@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a network connection fails the test."""
    attempts = []

    def refuse(self, address, *args):
        attempts.append(address)
        raise OSError(f"network blocked in this test: {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection",
                        lambda address, *a, **k: refuse(None, address))
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *a, **k: refuse(None, host))
    yield attempts
    assert attempts == []


def test_signing_and_verifying_work_with_the_network_blocked(people, definition, keys,
                                                             no_network):
    from pyld import jsonld

    from credential_app.openbadges import jsonld as jsonld_loader

    jsonld_loader._default = None  # start cold: every context loaded under the block
    credential = issue(people, definition, alignments=True, validity_days=10)
    badge = api.get_open_badge(str(credential.uuid))
    assert_valid_ob3(badge)
    assert api.verify_open_badge(badge).valid
    assert api.verify_open_badge(api.get_open_badge_jwt(str(credential.uuid))).valid
    # and pyld left to itself would indeed have gone to the network for the contexts
    with pytest.raises(jsonld.JsonLdError):
        jsonld.normalize(badge, {"algorithm": "URDNA2015", "format": "application/n-quads"})
    assert no_network  # it tried, and was stopped
    no_network.clear()


def test_rotation_reuses_the_canonical_hash_of_unchanged_content(people, definition, new_key,
                                                                 monkeypatch):
    """After a key rotation only the signature is new: the document is not canonicalised
    again (that is what makes re-issuing fast), yet the result verifies."""
    from credential_app.openbadges import data_integrity

    with key_settings(OLD_KEY):
        credential = issue(people, definition)
        api.get_open_badge(str(credential.uuid))
    with key_settings(new_key, OLD_KEY):
        monkeypatch.setattr(data_integrity, "document_hash",
                            lambda *a, **k: pytest.fail("canonicalised again"))
        call_command("resign_open_badges")
        monkeypatch.undo()
        badge = api.get_open_badge(str(credential.uuid))
        assert badge["proof"][0]["verificationMethod"].endswith("#key-2026")
        assert api.verify_open_badge(badge).valid


@pytest.mark.django_db(transaction=True)
@on_a_database_server("forked workers need a database server (SQLite test DB is in memory)")
@pytest.mark.db_server
def test_resign_with_two_worker_processes(people, definition, new_key, capsys):
    with key_settings(OLD_KEY):
        first = issue(people, definition)
        second = issue(people, definition, issuer=False, learner="learner2")
    with key_settings(new_key, OLD_KEY):
        call_command("resign_open_badges", "--workers", "2", "--batch-size", "1")
        assert "2 credentials signed anew" in capsys.readouterr().out
        for credential in (first, second):
            badge = api.get_open_badge(str(credential.uuid))
            assert badge["proof"][0]["verificationMethod"].endswith("#key-2026")
            assert api.verify_open_badge(badge).valid


def test_verify_endpoint_is_in_the_openapi_schema(client, keys):
    schema = client.get(reverse("credential_app:rest-schema"), {"format": "json"}).json()
    operation = schema["paths"][VERIFY]["post"]
    assert "Verify an Open Badges 3.0 credential" in operation["summary"]

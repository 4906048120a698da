"""Revocation status bits: unique per list (database-enforced), random, and published."""
# ruff: noqa: F811 (pytest fixtures imported from tests.openbadge_helpers)
import json
import random
import threading

import pytest
from django.db import IntegrityError, transaction

from credential_app import api
from credential_app.models import BadgeStatusList, Credential, SignedBadge
from credential_app.openbadges import status_list
from tests.concurrency import race, row_locks
from tests.lifecycle_helpers import passed_attempt
from tests.openbadge_helpers import issue, keys, new_key  # noqa: F401


def _credentials(people, definition, count):
    """``count`` active credentials of one learner (issued directly: distinct attempts)."""
    from django.utils.timezone import now

    from credential_app.data import CredentialStatus

    made = []
    for _ in range(count):
        attempt = passed_attempt(people["learner"])
        made.append(Credential.objects.create(
            user=people["learner"], definition=definition, attempt=attempt,
            status=CredentialStatus.EXPIRED, issued_at=now()))
    return made


@pytest.mark.db_server
@pytest.mark.django_db
def test_database_refuses_two_badges_on_one_bit(people, definition, keys):
    first, second = _credentials(people, definition, 2)
    entry = status_list.create_entry(first, "platform")
    with pytest.raises(IntegrityError), transaction.atomic():
        SignedBadge.objects.create(credential=second, status_list=entry.status_list,
                                   status_index=entry.status_index, recipient_salt="x")


@pytest.mark.db_server  # the unique key refuses it
@pytest.mark.django_db
def test_a_taken_bit_is_drawn_again(people, definition, keys, monkeypatch):
    first, second = _credentials(people, definition, 2)
    draws = iter([42, 42, 7])
    monkeypatch.setattr(status_list.secrets, "randbelow", lambda size: next(draws))
    assert status_list.create_entry(first, "platform").status_index == 42
    assert status_list.create_entry(second, "platform").status_index == 7


@pytest.mark.django_db
def test_lists_are_large_and_a_new_one_starts_when_half_full(people, definition, keys,
                                                             monkeypatch):
    assert status_list.list_size() == 131_072
    monkeypatch.setattr(status_list, "list_size", lambda: 4)  # tiny lists for the test
    draws = iter([0, 1, 0, 0, 0, 1, 0, 0])  # a clash on a half-taken list retires it
    monkeypatch.setattr(status_list.secrets, "randbelow", lambda size: next(draws))
    entries = [status_list.create_entry(c, "platform")
               for c in _credentials(people, definition, 5)]
    lists = [e.status_list_id for e in entries]
    assert lists[0] == lists[1] != lists[2] == lists[3] != lists[4]
    assert BadgeStatusList.objects.count() == 3


@pytest.mark.django_db
def test_one_list_per_issuer(people, definition, keys):
    a, b = _credentials(people, definition, 2)
    assert status_list.create_entry(a, "platform").status_list_id != \
        status_list.create_entry(b, "7").status_list_id


@pytest.mark.django_db
def test_encoding_follows_the_bitstring_spec():
    encoded = status_list.encode(131_072, [0, 9, 131_071])
    assert encoded.startswith("u")  # multibase base64url, no padding
    assert "=" not in encoded
    bits = status_list.decode(encoded)
    assert len(bits) == 16_384
    assert bits[0] == 0b1000_0000 and bits[1] == 0b0100_0000 and bits[-1] == 1
    assert [i for i in (0, 1, 9, 131_071) if status_list.bit(bits, i)] == [0, 9, 131_071]


@pytest.mark.django_db
def test_revocation_publishes_after_commit(people, definition, keys,
                                           django_capture_on_commit_callbacks, client):
    credential = issue(people, definition)
    badge = api.get_open_badge(str(credential.uuid))
    url = badge["credentialStatus"]["statusListCredential"].split("example.org", 1)[1]
    before = client.get(url).json()
    with django_capture_on_commit_callbacks(execute=True):
        api.revoke_credential(credential_uuid=str(credential.uuid),
                              revoked_by=people["staff"].pk, reason="Copied work.")
    stored = BadgeStatusList.objects.get()
    after = client.get(url).json()
    assert stored.document and after == json.loads(stored.document)
    assert after["credentialSubject"]["encodedList"] != \
        before["credentialSubject"]["encodedList"]
    assert status_list.bit(status_list.decode(after["credentialSubject"]["encodedList"]),
                           int(badge["credentialStatus"]["statusListIndex"]))


@pytest.mark.django_db
def test_badge_is_signed_when_issuance_commits(people, definition, keys,
                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        credential = issue(people, definition)
    badge = SignedBadge.objects.get(credential=credential)
    assert badge.document and badge.key_id == "key-2026"


@pytest.mark.django_db
def test_failed_signing_at_issuance_is_logged_and_done_on_first_request(
        people, definition, django_capture_on_commit_callbacks, caplog, new_key):
    from tests.openbadge_helpers import key_settings

    no_keys = key_settings(SIGNING_KEYS_FILE=None)
    with no_keys, django_capture_on_commit_callbacks(execute=True):
        credential = issue(people, definition)
    assert not SignedBadge.objects.filter(credential=credential).exclude(document="").exists()
    assert "will be signed when first needed" in caplog.text
    with key_settings(new_key):
        assert api.verify_open_badge(api.get_open_badge(str(credential.uuid))).valid


@pytest.mark.parametrize("_", [None], ids=["mariadb"])
@pytest.mark.usefixtures("keys")
@row_locks
def test_concurrent_allocations_on_colliding_bits_all_get_distinct_bits(people, definition,
                                                                        monkeypatch, _):
    """Twenty badges allocated at once, all drawing bit 3 first: one wins it, the others
    are refused by the database and draw again."""
    credentials = _credentials(people, definition, 20)
    status_list.create_entry(_credentials(people, definition, 1)[0], "platform")  # the list
    state = {}

    def draw(size):
        seen = state.setdefault(threading.get_ident(), [])
        seen.append(1)
        return 3 if len(seen) == 1 else random.randrange(size)

    monkeypatch.setattr(status_list.secrets, "randbelow", draw)
    outcomes = race(20, lambda i: status_list.create_entry(credentials[i], "platform").pk)
    assert all(kind == "ok" for kind, _value in outcomes), outcomes
    indexes = list(SignedBadge.objects.values_list("status_list_id", "status_index"))
    assert len(indexes) == 21 == len(set(indexes))
    assert sum(1 for _l, index in indexes if index == 3) == 1


@pytest.mark.usefixtures("keys")
@row_locks
def test_batches_signing_at_once_with_clashing_bits_all_succeed(people, definition,
                                                                    monkeypatch):
    """Re-signing workers' first batches at once, drawing from few bits so they clash
    often: every credential gets its own bit and a signed badge (no deadlock escapes)."""
    from credential_app.openbadges import store

    workers, each = 4, 20
    credentials = _credentials(people, definition, workers * each)
    monkeypatch.setattr(status_list.secrets, "randbelow", lambda size: random.randrange(200))
    batches = [[c.pk for c in credentials[i * each:(i + 1) * each]] for i in range(workers)]
    outcomes = race(workers, lambda i: store.resign_ids(batches[i]))
    assert outcomes == [("ok", each)] * workers, outcomes
    rows = list(SignedBadge.objects.values_list("status_list_id", "status_index", "document"))
    assert len(rows) == workers * each == len({(lst, index) for lst, index, _doc in rows})
    assert all(doc for _l, _i, doc in rows)

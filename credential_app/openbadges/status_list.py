"""Revocation and suspension status: W3C Bitstring Status Lists, two series per issuer.

OB 3.0 allows one ``credentialStatus`` object, so each badge has one bit, on one of two
series (docs/decisions/0014): a **suspension** list for the credentials of a pathway whose
rule is "suspend" (the bit is set while suspended, cleared on reinstatement, and set for
good if the credential is revoked), a **revocation** list for all others. The series is
chosen when the badge takes its bit and never changes, since copies of it point there.

Each signed badge owns one bit of a list (``SignedBadge.status_index``), drawn at
random so a list's bits say nothing about issue order (herd privacy); the database
refuses two badges on one bit. A list holds ``STATUS_LIST_SIZE`` bits (at least
131,072: 16 KB, the spec's minimum) and a new one starts when it is half taken, so a
random free bit is found in a try or two (fullness is counted only after a clash).

The list is published as a signed ``BitstringStatusListCredential``: GZIP-compressed
bits (bit 0 is the most significant bit of the first byte), multibase base64url
('u'). It is re-signed when a credential is revoked, suspended or reinstated, and
checked against the database each time it is served, so it is never stale.
"""
import base64
import gzip
import json
import logging
import secrets

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils.timezone import now

from credential_app.core.models import Credential
from credential_app.data import CredentialStatus
from credential_app.openbadges import data_integrity, issuer_identity, keys
from credential_app.openbadges.models import BadgeStatusList, SignedBadge
from credential_app.openbadges.openbadge_credential import status_list_url, xml_datetime

log = logging.getLogger(__name__)
MIN_SIZE = 131_072
MAX_TRIES = 30
CONTEXT = ["https://www.w3.org/ns/credentials/v2"]
REVOCATION, SUSPENSION = "revocation", "suspension"
#: the credential states whose bit is set, by the list's purpose
SET_FOR = {REVOCATION: (CredentialStatus.REVOKED,),
           SUSPENSION: (CredentialStatus.SUSPENDED, CredentialStatus.REVOKED)}


def list_size() -> int:
    app = getattr(settings, "CREDENTIAL_APP", {}) or {}
    return max(MIN_SIZE, int(app.get("STATUS_LIST_SIZE") or MIN_SIZE))


def _open_list(issuer_ref, purpose) -> BadgeStatusList:
    """The issuer's newest list of this purpose not yet half taken, or a new one."""
    latest = BadgeStatusList.objects.filter(issuer_ref=issuer_ref, purpose=purpose,
                                            full=False).order_by("-pk").first()
    if latest is None:
        latest = BadgeStatusList.objects.create(issuer_ref=issuer_ref, purpose=purpose,
                                                size=list_size())
    return latest


def _note_collision(status_list):
    """A drawn bit was taken: count only now (rare while the list is sparse), and retire
    the list from new allocations once half its bits are taken."""
    if status_list.entries.count() * 2 >= status_list.size:
        BadgeStatusList.objects.filter(pk=status_list.pk).update(full=True)


def create_entry(credential, issuer_ref, purpose=REVOCATION) -> SignedBadge:
    """A badge row for ``credential`` on a random free bit of its issuer's list of
    ``purpose`` (revocation or suspension).

    Safe to call concurrently: a clash on the bit is retried on another bit; a second
    badge for the same credential is refused by its one-to-one key and the first one
    returned. Call it outside a transaction where it can be: then a deadlock between
    concurrent writers (InnoDB) is retried too; inside one it rolls the caller back.
    """
    for _try in range(MAX_TRIES):
        status_list = _open_list(issuer_ref, purpose)
        try:
            with transaction.atomic():
                return SignedBadge.objects.create(
                    credential=credential, status_list=status_list,
                    status_index=secrets.randbelow(status_list.size),
                    recipient_salt=secrets.token_hex(16))
        except IntegrityError:
            existing = SignedBadge.objects.filter(credential=credential).first()
            if existing is not None:
                return existing
            _note_collision(status_list)
        except OperationalError as exc:
            if not _is_deadlock(exc) or connection.in_atomic_block:
                raise
            log.info("Status bit allocation for credential %s deadlocked; retrying.",
                     credential.pk)
    raise IntegrityError("No free status list bit found")  # pragma: no cover


def _is_deadlock(exc) -> bool:
    """MySQL/MariaDB deadlock (1213) or lock wait timeout (1205)."""
    cause = exc.__cause__ or exc
    return bool(getattr(cause, "args", None)) and cause.args[0] in (1213, 1205)


def set_indexes(status_list) -> list[int]:
    """Bits to set: read from the (few) revoked or suspended credentials, through the
    status index."""
    return list(Credential.objects.filter(
        status__in=SET_FOR[status_list.purpose], open_badge__status_list=status_list,
    ).values_list("open_badge__status_index", flat=True))


def badge_at(status_list_id, index) -> SignedBadge | None:
    """The badge on this bit, with its credential: the truth the published list is made
    from (``SET_FOR``), read for one bit."""
    return SignedBadge.objects.select_related("credential").filter(
        status_list_id=status_list_id, status_index=index).first()


def encode(size: int, indexes) -> str:
    """The bits set at ``indexes`` as the spec's ``encodedList``."""
    bits = bytearray(size // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def decode(encoded: str) -> bytes:
    """Bytes of an ``encodedList`` (multibase base64url, or plain base64url); ValueError."""
    text = encoded[1:] if encoded.startswith("u") else encoded
    try:
        return gzip.decompress(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (OSError, ValueError, EOFError) as exc:
        raise ValueError("encodedList is not GZIP base64url") from exc


def bit(bits: bytes, index: int) -> bool:
    if not 0 <= index < len(bits) * 8:
        raise ValueError("status index outside the list")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def url(status_list) -> str:
    return status_list_url(status_list.pk)


def current_document(status_list_id) -> dict | None:
    """The signed status list credential as it should be now (re-signed if stale)."""
    status_list = BadgeStatusList.objects.filter(pk=status_list_id).first()
    if status_list is None:
        return None
    encoded = encode(status_list.size, set_indexes(status_list))
    if _up_to_date(status_list, encoded):
        return json.loads(status_list.document)
    return refresh(status_list.pk)


def _up_to_date(status_list, encoded) -> bool:
    """The stored document carries these bits and is signed with the current key: after a
    rotation the list is signed anew (on its next request, or by ``resign_open_badges``),
    so it keeps verifying once the old key is retired."""
    if not status_list.document or status_list.encoded_list != encoded:
        return False
    method = json.loads(status_list.document).get("proof", {}).get("verificationMethod", "")
    return method.rpartition("#")[2] == keys.current().id


def refresh(status_list_id) -> dict:
    """Re-sign the list with the bits the database says, under a row lock."""
    with transaction.atomic():
        status_list = BadgeStatusList.objects.select_for_update().get(pk=status_list_id)
        encoded = encode(status_list.size, set_indexes(status_list))
        if _up_to_date(status_list, encoded):
            return json.loads(status_list.document)
        document = sign(status_list, encoded)
        status_list.encoded_list = encoded
        status_list.document = json.dumps(document)
        status_list.save(update_fields=["encoded_list", "document"])
    return document


def sign(status_list, encoded: str) -> dict:
    list_url = url(status_list)
    key = keys.current()
    unsigned = {
        "@context": CONTEXT,
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_identity.issuer_did(status_list.issuer_ref),
        "validFrom": xml_datetime(now()),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": status_list.purpose,
            "encodedList": encoded,
        },
    }
    return data_integrity.sign(
        unsigned, private_key=key.private_key,
        verification_method=issuer_identity.verification_method_id(status_list.issuer_ref,
                                                                    key.id),
        created=unsigned["validFrom"])


def on_status_changed(sender, credential, **kwargs):
    """Receiver of ``signals.credential_revoked``, ``_suspended`` and ``_reinstated``:
    publish the bit at once."""
    badge = SignedBadge.objects.filter(credential__uuid=credential.uuid).first()
    if badge is not None:
        refresh(badge.status_list_id)


def resign_all() -> int:
    """Sign every status list anew where it is stale (bits or key): after a rotation.
    Returns how many lists there are."""
    ids = list(BadgeStatusList.objects.order_by("pk").values_list("pk", flat=True))
    for status_list_id in ids:
        refresh(status_list_id)
    return len(ids)


def exists(status_list_id) -> bool:
    return BadgeStatusList.objects.filter(pk=status_list_id).exists()


def issuer_ref_of_list(status_list_id) -> str | None:
    """The issuer who signs this list (the issuer its credentials name)."""
    return BadgeStatusList.objects.filter(pk=status_list_id).values_list("issuer_ref",
                                                                          flat=True).first()

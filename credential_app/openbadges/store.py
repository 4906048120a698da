"""Signed Open Badges as stored and served: sign once, serve the same document.

A credential's badge is signed after its issuance commits, away from the request
(``signing_queue``), or, failing that, the first time it is needed; the stored document is
then served unchanged. It is signed again only when what it says changes (its fingerprint,
``SignedBadge.content_sha256``) or on purpose (``resign_open_badges`` after a key
rotation or a new version). Credentials waiting for approval have no badge yet.
"""
import hashlib
import json
import logging
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.timezone import now
from django.utils.translation import gettext as _

from credential_app.core.models import Credential
from credential_app.data import CredentialStatus
from credential_app.exceptions import CredentialNotFound
from credential_app.openbadges import (
    data_integrity,
    issuer_identity,
    jsonld,
    keys,
    openbadge_credential,
    status_list,
    vc_jwt,
)
from credential_app.openbadges.models import SignedBadge
from credential_app.pathways import rules as pathway_rules

log = logging.getLogger(__name__)


# What serving a signed badge reads beyond the credential's row, and what signing reads
# besides: the attempt's assessments with their scores and its files (the result and the
# evidence's summary both use them).
SERVING_READS = ("definition__alignments",)
SIGNING_READS = (*SERVING_READS, "attempt__assessments__criterion_scores",
                 "attempt__evidence_files")


def load(credential_uuid, *, to_sign=False) -> Credential:
    """The credential with what serving its badge reads; ``to_sign``: and what signing
    reads too (a served badge is signed already, and need not read the attempt's)."""
    try:
        return Credential.objects.select_related(
            "definition__issuer", "attempt__definition", "user", "open_badge__status_list",
        ).prefetch_related(*(SIGNING_READS if to_sign else SERVING_READS)).get(
            uuid=str(credential_uuid))
    except (Credential.DoesNotExist, ValueError, ValidationError) as exc:
        raise CredentialNotFound(_("No credential has that identifier."),
                                 field="credential_uuid") from exc


def fingerprint(unsigned: dict) -> str:
    return hashlib.sha256(json.dumps(unsigned, sort_keys=True, separators=(",", ":"))
                          .encode()).hexdigest()


def signed_document(credential_uuid) -> dict:
    """The signed OpenBadgeCredential of a credential (signing it if it is not yet)."""
    credential = load(credential_uuid)
    badge = ensure_signed(credential)
    return json.loads(badge.document)


def ensure_signed(credential: Credential, *, force=False) -> SignedBadge:
    """The credential's badge row, signed and up to date; ``force`` signs anew.

    The status bit is taken first, in its own short transaction (retried on a clash or
    deadlock); a bit whose signing then fails stays reserved for the credential and is
    used when it is signed later.
    """
    _refuse_pending(credential)
    badge = _badge_of(credential)
    if prepare(credential, badge, force=force):
        badge.save(update_fields=SIGNED_FIELDS)
    return badge


SIGNED_FIELDS = ["document", "content_sha256", "document_hash", "key_id", "signed_at"]


def _refuse_pending(credential):
    if credential.status == CredentialStatus.PENDING_APPROVAL:
        raise CredentialNotFound(
            _("This credential is waiting for approval; its badge is issued once it is "
              "approved."), field="credential_uuid")


def _badge_of(credential) -> SignedBadge:
    """The credential's badge row, taking a status bit for it if it has none yet: on a
    suspension list if its pathway's rule is "suspend" then, else on a revocation list."""
    try:
        return credential.open_badge
    except SignedBadge.DoesNotExist:
        purpose = (status_list.SUSPENSION if credential.through_pathway
                   and pathway_rules.suspends(credential.definition) else status_list.REVOCATION)
        badge = status_list.create_entry(credential,
                                         openbadge_credential.issuer_ref(credential.definition),
                                         purpose)
        credential.open_badge = badge
        return badge


def prepare(credential, badge: SignedBadge, *, force=False, unit_names=None, at=None) -> bool:
    """Build and sign ``badge`` in memory if what it says changed (or ``force``); False
    when the stored document stands. Unchanged content keeps its canonical hash, so a
    key rotation only signs. ``at``: the signing time (one per batch)."""
    unsigned = openbadge_credential.build(credential, badge, unit_names)
    digest = fingerprint(unsigned)
    unchanged = bool(badge.document) and badge.content_sha256 == digest
    if unchanged and not force:
        return False
    doc_hash = bytes.fromhex(badge.document_hash) if unchanged and badge.document_hash \
        else data_integrity.document_hash(unsigned)
    key = keys.current()
    at = (at or now()).replace(microsecond=0)
    signed = data_integrity.sign(
        unsigned, private_key=key.private_key,
        verification_method=issuer_identity.verification_method_id(
            openbadge_credential.issuer_ref(credential.definition), key.id),
        created=openbadge_credential.xml_datetime(at), document_hash=doc_hash)
    signed["proof"] = [signed["proof"]]  # the OB 3.0 schema wants a list of proofs
    badge.document = json.dumps(signed, ensure_ascii=False)
    badge.content_sha256 = digest
    badge.document_hash = doc_hash.hex()
    badge.key_id = key.id
    badge.signed_at = at
    return True


def for_issued(queryset):
    """Credentials that have (or should have) a badge: everything but pending ones."""
    return queryset.exclude(status=CredentialStatus.PENDING_APPROVAL)


def resign_ids(ids) -> int:
    """Sign the credentials with these primary keys anew with the current key.

    A batch of ``resign_open_badges``: missing status bits are taken one short
    transaction each, the signing (CPU only) happens outside any transaction, and the
    documents are written in one short transaction, so parallel workers never hold the
    database while they compute.
    """
    credentials = [c for c in Credential.objects.select_related(
        "definition__issuer", "attempt__definition", "attempt__user", "user",
        "open_badge__status_list",
    ).prefetch_related(*SIGNING_READS).filter(pk__in=list(ids))
        if c.status != CredentialStatus.PENDING_APPROVAL]
    badges = [_badge_of(credential) for credential in credentials]  # each its own commit
    unit_names = openbadge_credential.unit_names_for(c.attempt.usage_key for c in credentials)
    at = now()
    for credential, badge in zip(credentials, badges, strict=True):
        prepare(credential, badge, force=True, unit_names=unit_names, at=at)
    with transaction.atomic():
        SignedBadge.objects.bulk_update(badges, SIGNED_FIELDS, batch_size=100)
    return len(badges)


def forget_recipient(user_id) -> None:
    """On retirement: drop the stored badges naming the person (by their salted email
    hash) and change the salt, so no stored or rebuilt document links to their old
    email. The status bits stay, so copies out in the world verify as revoked."""
    SignedBadge.objects.filter(credential__user_id=user_id).update(
        document="", content_sha256="", document_hash="",
        recipient_salt=secrets.token_hex(16))


def warm_up():
    """Load what every signing needs once (URL map, processed JSON-LD contexts), so
    worker processes forked afterwards start warm."""
    openbadge_credential.status_list_url(1)
    jsonld.canonicalize({
        "@context": openbadge_credential.CONTEXT, "id": "urn:uuid:0",
        "type": openbadge_credential.TYPES,
        "issuer": {"id": "did:example:0", "type": ["Profile"]},
        "validFrom": "2000-01-01T00:00:00Z",
        "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
            "id": "urn:uuid:1", "type": ["Achievement"], "name": "-"}}})


def ids_to_resign(key_id: str | None = None) -> list[int]:
    """Primary keys of the credentials that have a badge to (re-)sign: all issued ones,
    or only those last signed with ``key_id``."""
    credentials = for_issued(Credential.objects.all())
    if key_id:
        credentials = credentials.filter(open_badge__key_id=key_id)
    return list(credentials.order_by("pk").values_list("pk", flat=True))


def signed_jwt(credential_uuid) -> str:
    """The stored credential as a VC-JWT: signed with the current RSA key when there is one
    (RS256); else with the Ed25519 key that signed its proof if it is still configured with
    its private key, else the current one (EdDSA)."""
    credential = load(credential_uuid)
    badge = ensure_signed(credential)
    document = json.loads(badge.document)
    key = keys.current_for_jwt()
    if key.algorithm == keys.EDDSA:
        proof_key = keys.by_id(badge.key_id)
        if proof_key is not None and proof_key.private_key is not None:
            key = proof_key
    kid = issuer_identity.verification_method_id(
        openbadge_credential.issuer_ref(credential.definition), key.id)
    return vc_jwt.encode(document, key=key, kid=kid)

"""Signed Open Badges as stored and served: sign once, serve the same document.

A credential's badge is signed after its issuance commits (``on_credential_awarded``)
or, failing that, the first time it is asked for; the stored document is then served
unchanged. It is signed again only when what it says changes (its fingerprint,
``SignedBadge.content_sha256``) or on purpose (``resign`` after a key rotation or a
new version). Credentials waiting for approval have no badge yet.
"""
import hashlib
import json
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.timezone import now
from django.utils.translation import gettext as _

from . import data_integrity, issuer_identity, openbadges, signing_keys, status_list
from .data import CredentialStatus
from .exceptions import CredentialNotFound
from .models import Credential, SignedBadge

log = logging.getLogger(__name__)


def _load(credential_uuid) -> Credential:
    try:
        return Credential.objects.select_related(
            "definition__issuer", "attempt__definition", "user", "open_badge",
        ).prefetch_related("definition__alignments").get(uuid=str(credential_uuid))
    except (Credential.DoesNotExist, ValueError, ValidationError) as exc:
        raise CredentialNotFound(_("No credential has that identifier."),
                                 field="credential_uuid") from exc


def fingerprint(unsigned: dict) -> str:
    return hashlib.sha256(json.dumps(unsigned, sort_keys=True, separators=(",", ":"))
                          .encode()).hexdigest()


def signed_document(credential_uuid) -> dict:
    """The signed OpenBadgeCredential of a credential (signing it if it is not yet)."""
    credential = _load(credential_uuid)
    badge = ensure_signed(credential)
    return json.loads(badge.document)


def ensure_signed(credential: Credential, *, force=False) -> SignedBadge:
    """The credential's badge row, signed and up to date; ``force`` signs anew."""
    if credential.status == CredentialStatus.PENDING_APPROVAL:
        raise CredentialNotFound(
            _("This credential is waiting for approval; its badge is issued once it is "
              "approved."), field="credential_uuid")
    badge = getattr(credential, "open_badge", None) if _has_badge(credential) else None
    if badge is None:
        badge = status_list.create_entry(credential, openbadges.issuer_ref(credential.definition))
    unsigned = openbadges.build(credential, badge)
    digest = fingerprint(unsigned)
    if badge.document and badge.content_sha256 == digest and not force:
        return badge
    return _sign(badge, unsigned, digest)


def _has_badge(credential) -> bool:
    try:
        return credential.open_badge is not None
    except SignedBadge.DoesNotExist:
        return False


def _sign(badge: SignedBadge, unsigned: dict, digest: str) -> SignedBadge:
    key = signing_keys.current()
    at = now()
    ref = openbadges.issuer_ref(badge.credential.definition)
    signed = data_integrity.sign(
        unsigned, private_key=key.private_key,
        verification_method=issuer_identity.verification_method_id(ref, key.id),
        created=openbadges.xml_datetime(at))
    signed["proof"] = [signed["proof"]]  # the OB 3.0 schema wants a list of proofs
    badge.document = json.dumps(signed, ensure_ascii=False)
    badge.content_sha256 = digest
    badge.key_id = key.id
    badge.signed_at = at
    badge.save(update_fields=["document", "content_sha256", "key_id", "signed_at"])
    return badge


def for_issued(queryset):
    """Credentials that have (or should have) a badge: everything but pending ones."""
    return queryset.exclude(status=CredentialStatus.PENDING_APPROVAL)


def resign_ids(ids) -> int:
    """Sign the credentials with these primary keys anew with the current key, in one
    transaction (a batch of the ``resign_open_badges`` command)."""
    credentials = Credential.objects.select_related(
        "definition__issuer", "attempt__definition", "attempt__user", "user", "open_badge",
    ).prefetch_related("definition__alignments", "attempt__assessments__criterion_scores",
                       "attempt__evidence_files").filter(pk__in=list(ids))
    count = 0
    with transaction.atomic():
        for credential in credentials:
            if credential.status != CredentialStatus.PENDING_APPROVAL:
                ensure_signed(credential, force=True)
                count += 1
    return count


def ids_to_resign(key_id: str | None = None) -> list[int]:
    """Primary keys of the credentials that have a badge to (re-)sign: all issued ones,
    or only those last signed with ``key_id``."""
    credentials = for_issued(Credential.objects.all())
    if key_id:
        credentials = credentials.filter(open_badge__key_id=key_id)
    return list(credentials.order_by("pk").values_list("pk", flat=True))


def on_credential_awarded(sender, credential, **kwargs):
    """Receiver of the issued/approved signals: sign the new badge now, not on first view.
    A failure here is logged; the badge is then signed when first asked for."""
    if credential.status != CredentialStatus.ACTIVE:
        return
    try:
        ensure_signed(_load(credential.uuid))
    except Exception:  # the credential stands; only its signature waits
        log.exception("Signing the Open Badge of credential %s failed; it will be signed "
                      "when first requested.", credential.uuid)


def signed_jwt(credential_uuid) -> str:
    """The stored credential as a VC-JWT, signed with the key that signed its proof if it
    is still configured with its private key, else the current key."""
    from . import vc_jwt

    credential = _load(credential_uuid)
    badge = ensure_signed(credential)
    document = json.loads(badge.document)
    key = signing_keys.by_id(badge.key_id)
    if key is None or key.private_key is None:
        key = signing_keys.current()
    kid = issuer_identity.verification_method_id(openbadges.issuer_ref(credential.definition),
                                                 key.id)
    return vc_jwt.encode(document, private_key=key.private_key, kid=kid,
                         issued_at=int(badge.signed_at.timestamp()))

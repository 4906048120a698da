"""Verify an Open Badge handed in as JSON-LD, a VC-JWT or a baked PNG/SVG image.

Checks, each with its own reason: the proof (RDFC-1.0 canonical hash and Ed25519
signature, eddsa-rdfc-2022) or the JWT signature, made with a key of the
credential's own issuer (this app's did:web DID documents, or a did:key when the site
accepts them); the revocation or suspension bit in this app's status list, whose issuer
must be the credential's (a set suspension bit of a credential since revoked is reported
revoked: this site knows which it is); ``validFrom`` and ``validUntil``. The result
names who signed and whether that is one of this site's issuers: never only the name a
credential claims.

A public verifier runs on what strangers send, so the cheap checks come first (size, JSON
depth and node count, a known key, the proof value's length) and canonicalisation itself
is bounded (``jsonld.TooComplex``): no input costs more than a fraction of a second.
Nothing is fetched from the network.
"""
import json
import re
from datetime import UTC, datetime

from django.conf import settings
from django.utils.timezone import now
from django.utils.translation import gettext as _

from credential_app.core.models import Issuer
from credential_app.data import CredentialStatus, VerificationResult
from credential_app.openbadges import (
    data_integrity,
    issuer_identity,
    keys,
    openbadge_credential,
    status_list,
    vc_jwt,
)
from credential_app.openbadges.baking import BakingError, read_baked

MAX_INPUT_BYTES = 2 * 1024 * 1024  # a baked badge image
MAX_JSON_BYTES = 256 * 1024  # a credential is a few kilobytes
MAX_JSON_DEPTH = 32
MAX_JSON_NODES = 5000  # objects, arrays and values
MAX_PROOF_VALUE = 128  # an Ed25519 signature is 88 characters of base58btc
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CREDENTIAL_TYPES = {"OpenBadgeCredential", "AchievementCredential"}
INVALIDATING = {"tampered", "wrong_key", "unknown_issuer", "malformed", "not_yet_valid",
                "too_complex"}


class _Findings:
    def __init__(self):
        self.reasons, self.codes = [], []

    def add(self, code, reason):
        self.codes.append(code)
        self.reasons.append(reason)

    def result(self, credential, signed_by="") -> VerificationResult:
        codes = set(self.codes)
        if codes & INVALIDATING:
            status = "invalid"
        elif "revoked" in codes:
            status = "revoked"
        elif "suspended" in codes:
            status = "suspended"
        elif "expired" in codes:
            status = "expired"
        else:
            status = "valid"
        name = site_issuer_name(signed_by)
        return VerificationResult(valid=status == "valid", reasons=tuple(self.reasons),
                                  codes=tuple(self.codes), credential=credential,
                                  status=status, signed_by=signed_by,
                                  known_issuer=name is not None, issuer_name=name or "")


def site_issuer_name(did: str) -> str | None:
    """This site's name for the issuer whose DID is ``did``; None if it is not one of ours."""
    ref = issuer_identity.issuer_ref_of(did) if did else None
    if ref is None:
        return None
    if ref == issuer_identity.PLATFORM:
        return str(getattr(settings, "PLATFORM_NAME", "") or _("Open edX"))
    return Issuer.objects.filter(pk=int(ref)).values_list("name", flat=True).first()


def accepts_did_key() -> bool:
    return bool(settings.CREDENTIAL_APP.get("ACCEPT_DID_KEY_ISSUERS", False))


def malformed(reason) -> VerificationResult:
    findings = _Findings()
    findings.add("malformed", reason)
    return findings.result(None)


def verify(data, *, at: datetime | None = None) -> VerificationResult:
    """Verify ``data``: a dict, JSON text, a JWT, or the bytes of any of these or of a
    baked PNG/SVG. Never raises for bad input: it says what is wrong."""
    at = at or now()
    if isinstance(data, dict):
        problem = _shape_problem(data)
        return malformed(problem) if problem else _verify_document(data, at)
    if isinstance(data, bytes | bytearray):
        if len(data) > MAX_INPUT_BYTES:
            return malformed(_("The file is too large to be a credential."))
        if _is_image(bytes(data)):
            return _verify_image(bytes(data), at)
        try:
            data = bytes(data).decode("utf-8")
        except UnicodeDecodeError:
            return malformed(_("This is neither a credential (JSON or JWT) nor a badge "
                               "image (PNG or SVG)."))
    if not isinstance(data, str):
        return malformed(_("Hand in a credential as JSON, a JWT or a badge image."))
    text = data.strip().lstrip("\ufeff")
    if text.startswith("<") and "<svg" in text[:4096]:
        return _verify_image(text.encode(), at)
    if len(text) > MAX_JSON_BYTES:
        return malformed(_("This is too large to be a credential (a credential is a few "
                           "kilobytes; the limit is {limit} KB).").format(
                               limit=MAX_JSON_BYTES // 1024))
    if text.startswith("{"):
        try:
            document = json.loads(text)
        except (ValueError, RecursionError):
            return malformed(_("The credential is not valid JSON."))
        if not isinstance(document, dict):
            return malformed(_("The credential is not a JSON object."))
        return verify(document, at=at)
    if vc_jwt.looks_like_jwt(text):
        return _verify_jwt(text, at)
    return malformed(_("This is neither a credential (JSON or JWT) nor a badge image "
                       "(PNG or SVG)."))


def _shape_problem(document) -> str:
    """Why ``document`` is no credential by its shape alone ("" when it may be one): nested
    deeper or holding more than any credential does. Walked without recursion."""
    stack, nodes = [(document, 1)], 0
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if depth > MAX_JSON_DEPTH:
            return _("The credential is nested more than {limit} levels deep.").format(
                limit=MAX_JSON_DEPTH)
        if nodes > MAX_JSON_NODES:
            return _("The credential holds more than {limit} values.").format(
                limit=MAX_JSON_NODES)
        children = value.values() if isinstance(value, dict) else (
            value if isinstance(value, list) else ())
        stack.extend((child, depth + 1) for child in children)
    return ""


def _is_image(data: bytes) -> bool:
    head = data[:4096].lstrip()
    return data.startswith(PNG_SIGNATURE) or (head.startswith(b"<") and b"<svg" in head)


def _verify_image(data: bytes, at) -> VerificationResult:
    try:
        payload = read_baked(data)
    except BakingError as exc:
        return malformed(str(exc))
    if not payload:
        return malformed(_("The image carries no baked credential."))
    if isinstance(payload, bytes):
        payload = payload.decode("utf-8", "replace")
    text = payload.strip()
    if text.startswith("{"):
        return verify(text, at=at)
    if vc_jwt.looks_like_jwt(text):
        return _verify_jwt(text, at)
    return malformed(_("The image's baked credential is neither JSON nor a JWT."))


def _verify_jwt(token, at) -> VerificationResult:
    findings = _Findings()
    try:
        credential, signed_by = vc_jwt.decode(token)
    except vc_jwt.JwtError as exc:
        findings.add(exc.code, _proof_reason(exc.code))
        return findings.result(None)
    if not _is_badge(credential):
        return malformed(_("The JWT does not carry an Open Badges credential."))
    problem = _shape_problem(credential)
    if problem:
        return malformed(problem)
    if signed_by.startswith("did:key:") and not accepts_did_key():
        findings.add("unknown_issuer", _(
            "The credential is signed by {did}, a key anyone can make, not by an issuer this "
            "site knows; this site does not accept such credentials.").format(did=signed_by))
        return findings.result(credential, signed_by)
    _check_dates(credential, at, findings)
    _check_status(credential, findings)
    return findings.result(credential, signed_by)


def _is_badge(document) -> bool:
    types = document.get("type")
    types = types if isinstance(types, list) else [types]
    return "VerifiableCredential" in types and bool(CREDENTIAL_TYPES & set(types))


def _verify_document(document: dict, at) -> VerificationResult:
    findings = _Findings()
    if not _is_badge(document):
        return malformed(_("This is not an Open Badges credential (its type must include "
                           "VerifiableCredential and OpenBadgeCredential)."))
    try:
        _unsecured, proof = data_integrity.split(document)
    except data_integrity.ProofError as exc:
        findings.add(exc.code, _proof_reason(exc.code, unsigned=True))
        return findings.result(document)
    if len(proof["proofValue"]) > MAX_PROOF_VALUE or len(proof["verificationMethod"]) > 512:
        findings.add("malformed", _proof_reason("malformed"))
        return findings.result(document)
    resolved = issuer_identity.resolve(proof["verificationMethod"])
    if resolved is None or resolved.controller != vc_jwt.issuer_id(document) \
            or resolved.algorithm != keys.EDDSA or proof["proofPurpose"] != "assertionMethod":
        findings.add("wrong_key", _proof_reason("wrong_key"))
        return findings.result(document)
    if resolved.controller.startswith("did:key:") and not accepts_did_key():
        findings.add("unknown_issuer", _(
            "The credential is signed by {did}, a key anyone can make, not by an issuer this "
            "site knows; this site does not accept such credentials.").format(
                did=resolved.controller))
        return findings.result(document, resolved.controller)
    try:
        data_integrity.verify(document, resolved.public_key)
    except data_integrity.ProofError as exc:
        findings.add(exc.code, _proof_reason(exc.code))
        return findings.result(document)
    _check_dates(document, at, findings)
    _check_status(document, findings)
    return findings.result(document, resolved.controller)


def _proof_reason(code, unsigned=False) -> str:
    if code == "tampered":
        return _("The credential has been changed since it was signed: its signature does "
                 "not match its content.")
    if code == "wrong_key":
        return _("The credential is not signed with a key of its issuer (the key is unknown "
                 "or belongs to someone else).")
    if code == "too_complex":
        return _("The credential is built in a way that would take too long to check (far "
                 "more linked parts than any credential has); it was not checked.")
    if unsigned:
        return _("The credential has no usable proof (a DataIntegrityProof with "
                 "eddsa-rdfc-2022).")
    return _("The credential is malformed: it cannot be read as a signed Open Badge.")


def _parse_time(value):
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _check_dates(credential, at, findings):
    valid_from = _parse_time(credential.get("validFrom"))
    if valid_from is None:
        findings.add("malformed", _("The credential has no valid “validFrom” date."))
        return
    if valid_from > at:
        findings.add("not_yet_valid", _("The credential is not valid yet: it becomes valid "
                                        "on {date}.").format(date=credential["validFrom"]))
    if "validUntil" in credential:
        valid_until = _parse_time(credential["validUntil"])
        if valid_until is None:
            findings.add("malformed", _("The credential's “validUntil” date is not a date."))
        elif valid_until < at:
            findings.add("expired", _("The credential expired on {date}.").format(
                date=credential["validUntil"]))


def _status_entries(credential):
    entries = credential.get("credentialStatus") or []
    return entries if isinstance(entries, list) else [entries]


def _check_status(credential, findings):
    for entry in _status_entries(credential):
        if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry" \
                or entry.get("statusPurpose") not in (status_list.REVOCATION,
                                                      status_list.SUSPENSION):
            continue
        list_id = _own_status_list(entry.get("statusListCredential"))
        if list_id is not None and status_list.issuer_ref_of_list(list_id) != \
                issuer_identity.issuer_ref_of(vc_jwt.issuer_id(credential)):
            # Bitstring Status List: the list's issuer must be the credential's.
            findings.add("malformed", _("The credential's revocation list belongs to another "
                                        "issuer, so its status cannot be trusted."))
            continue
        if list_id is None:
            findings.add("status_unchecked", _(
                "The revocation status could not be checked: its list is not published by "
                "this site."))
            continue
        try:
            index = int(entry.get("statusListIndex"))
        except (TypeError, ValueError):
            index = -1
        if index < 0:
            findings.add("malformed", _("The credential's revocation status entry is not "
                                        "valid."))
            continue
        # this site's own record, which its lists publish (a badge that took its bit on a
        # revocation list before its pathway's rule became "suspend" is suspended all the
        # same)
        badge = status_list.badge_at(list_id, index)
        status = badge.credential.status if badge is not None else None
        if status == CredentialStatus.SUSPENDED:
            findings.add("suspended", _(
                "The issuer has suspended this credential: the learner no longer holds "
                "every credential it requires. It becomes valid again when they do."))
        elif status == CredentialStatus.REVOKED:
            reason = badge.credential.revoked_reason
            findings.add("revoked", _("The issuer revoked this credential: {reason}").format(
                reason=reason) if reason else _("The issuer revoked this credential."))


def _own_status_list(url) -> int | None:
    """The id of this app's status list at ``url`` (its address now, or the root address
    credentials signed before the URLs moved name); None for any other address."""
    match = re.search(r"/openbadges/status/(\d+)/$", url) if isinstance(url, str) else None
    if match is None:
        return None
    list_id = int(match[1])
    if url not in (openbadge_credential.status_list_url(list_id),
                   openbadge_credential.legacy_status_list_url(list_id)) \
            or not status_list.exists(list_id):
        return None
    return list_id

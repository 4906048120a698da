"""Credential definitions and the credentials issued from them: issuance, approval,
renewal, supersession and revocation.

States: pending approval → active → expired, revoked (with a reason) or superseded
(by a renewal or a new version); a pathway credential may also be suspended and reinstated
(active again, the same credential) by its pathway's rule. Every change is made under a
row lock, audited in the same transaction, and announced after commit (``events``: this
app's signals and Open edX's ``BADGE_AWARDED`` / ``BADGE_REVOKED``).

Issuance is idempotent per attempt (one standing credential per attempt, a unique
key freed only by revocation), and a learner
holds at most one active and one pending credential per definition family (a unique
constraint, see ``models.Credential``), so repeated or concurrent passes never issue
twice.
"""
import uuid
from datetime import datetime, timedelta
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as ValidationErrorTypes
from django.db import IntegrityError, transaction
from django.utils.timezone import now
from django.utils.translation import gettext as _

from credential_app.core import audit, events, record_changes, signals, versions
from credential_app.core.models import Credential, CredentialDefinition
from credential_app.core.read_once import remember, remembered
from credential_app.core.reasons import clean_reason
from credential_app.data import (
    CompetencyAlignmentData,
    CredentialData,
    CredentialDefinitionData,
    CredentialStatus,
    IssuerData,
)
from credential_app.exceptions import (
    CredentialChangeNotAllowed,
    CredentialNotFound,
    UnknownCredential,
)
from credential_app.lib.dates import human_date

ACTIVE, PENDING = CredentialStatus.ACTIVE, CredentialStatus.PENDING_APPROVAL


# --- definitions ---

def get_definition_model(slug) -> CredentialDefinition:
    """The definition in force for ``slug``: a replaced version's slug leads to its
    current version, so units linked to an older version keep working."""
    if not slug:
        raise UnknownCredential(
            _("This assessment is not linked to a credential yet. Ask the course team to "
              "link it before submitting."),
            field="credential",
        )
    try:
        definition = remembered("definition", slug, lambda: versions.current(
            CredentialDefinition.objects.get(slug=slug)))
        remember("definition by key", definition.pk, definition)
    except CredentialDefinition.DoesNotExist as exc:
        raise UnknownCredential(
            _("No credential “{slug}” is defined. Ask the course team to check the link "
              "of this assessment.").format(slug=slug),
            field="credential",
        ) from exc
    return definition


def get_definition(slug) -> CredentialDefinitionData:
    return definition_to_data(get_definition_model(slug))


def list_definitions() -> list[CredentialDefinitionData]:
    """Definitions in force (no drafts, no replaced versions), by name."""
    definitions = versions.in_force().select_related("issuer", "previous_version")
    return [definition_to_data(d)
            for d in definitions.prefetch_related("alignments").order_by("name")]


# --- issuance ---

def issue_for_attempt(attempt, *, needs_approval=False, learner_held=False) -> CredentialData:
    """Issue the credential a passed attempt earns, or return the one already standing.

    A revoked credential does not stand: if staff override the attempt back to a pass,
    it issues afresh.

    Call inside the transaction that records the pass. The standing credential is looked
    for once, under the learner's lock (``learner_held``: the caller's transaction took it
    already with ``serialise_learner``, as a scoring does before writing). A pass while the
    learner holds an active credential of the same definition family is a renewal: the
    new credential replaces the old one (at once, or on approval when it needs one).
    """
    try:
        with transaction.atomic():
            return _issue(attempt, needs_approval, learner_held)
    except IntegrityError:
        existing = _for_attempt(attempt)
        if existing is not None:  # a concurrent final assessment of this attempt won
            return credential_to_data(existing)
        # Another attempt's credential took the live slot meanwhile; now that it is
        # committed and lockable, this one renews it.
        with transaction.atomic():
            return _issue(attempt, needs_approval, learner_held)


def _for_attempt(attempt):
    """The attempt's standing (not revoked) credential, if any."""
    return Credential.objects.select_related("definition").filter(attempt_key=attempt.pk).first()


def serialise_learner(user_id):
    """Lock the learner's user row: their issuances and approvals happen one at a time, in
    the same lock order, so two passes of different attempts never race for the live slot
    (the unique constraint stays the last line of defence), and a pathway completed by two
    of them at once is seen complete by the second.

    Take it before writing any row that refers to the learner: such an insert takes a
    shared lock on the user row (the foreign key check), and two transactions each holding
    one and asking for this exclusive lock deadlock (MariaDB/InnoDB)."""
    list(get_user_model().objects.select_for_update().filter(pk=user_id).values_list("pk"))


def _issue(attempt, needs_approval, learner_held):
    with record_changes.changing([attempt.pk]):
        return _issue_now(attempt, needs_approval, learner_held)


def _issue_now(attempt, needs_approval, learner_held):
    if not learner_held:
        serialise_learner(attempt.user_id)
    existing = _for_attempt(attempt)  # a repeated pass, or issued while this waited
    if existing is not None:
        return credential_to_data(existing)
    definition = attempt.definition
    family = definition.family_root()
    live = {c.status: c for c in lock_each(Credential.objects.filter(
        user_id=attempt.user_id, family=family, live_state__isnull=False)) if c.live_state}
    at = now()
    credential = Credential(user_id=attempt.user_id, definition=definition, family=family,
                            attempt=attempt, issued_at=at,
                            status=PENDING if needs_approval else ACTIVE)
    replaced = live.get(ACTIVE)
    ended = [live[PENDING]] if PENDING in live else []  # an older pass still waiting
    if not needs_approval:
        _activate(credential, at)
        if replaced is not None:  # renewal: the active one ends now, not on approval
            ended.append(replaced)
    for old in ended:
        _supersede(old, credential, at=at)  # frees the live slot before the insert
    credential.save()
    for old in ended:
        _link_successor(old, credential)
    action = audit.AuditAction.RENEWAL if replaced is not None else audit.AuditAction.ISSUANCE
    audit.record(action, actor_id=None, learner_id=attempt.user_id, subject=credential,
                 definition_slug=definition.slug, course_key=attempt.course_key,
                 details={"uuid": str(credential.uuid), "attempt_id": attempt.pk,
                          "status": credential.status,
                          **({"renews": str(replaced.uuid)} if replaced else {})})
    if credential.status == ACTIVE:  # a pending one is told to HR systems on approval
        announce_change(credential, signals.RENEWED if replaced else signals.ISSUED,
                            replaces=replaced)
    data = credential_to_data(credential)
    if data.status == ACTIVE:
        events.awarded(data)
    else:
        events.announce(signals.credential_issued, data)
    return data


def issue_through_pathway(definition, *, completed_by: Credential, needs_approval: bool,
                          requirements: list[str]) -> CredentialData | None:
    """Issue the pathway credential ``definition`` to the holder of ``completed_by``, the
    credential whose arrival completed the pathway; None when one is already live (active
    or pending approval), so a repeated or concurrent completion issues nothing more.

    Call inside the transaction that made ``completed_by`` active. The learner's user row
    is locked, as for any issuance, so two requirements completing at once are decided one
    after the other and the second sees the first; the unique live slot stays the last
    defence (a clash rolls back to a savepoint and issues nothing). ``requirements`` are
    the uuids of the credentials that satisfy the pathway, kept in the audit trail.
    """
    # The new credential names the completing attempt: that attempt's figures change.
    with record_changes.changing([completed_by.attempt_id]):
        return _issue_through_pathway_now(definition, completed_by=completed_by,
                                          needs_approval=needs_approval,
                                          requirements=requirements)


def _issue_through_pathway_now(definition, *, completed_by, needs_approval, requirements):
    serialise_learner(completed_by.user_id)
    family = definition.family_root()
    # a plain read: the learner's lock keeps it in step (a locking one would lock the rows
    # its index walks past, other learners' too)
    if Credential.objects.filter(user_id=completed_by.user_id, family=family,
                                 live_state__isnull=False).exists():
        return None
    at = now()
    credential = Credential(user_id=completed_by.user_id, definition=definition, family=family,
                            attempt_id=completed_by.attempt_id, issued_at=at,
                            through_pathway=True, status=PENDING if needs_approval else ACTIVE)
    if not needs_approval:
        _activate(credential, at)
    try:
        with transaction.atomic():
            credential.save()
    except IntegrityError:
        return None  # a live one committed meanwhile: the pathway is already held
    audit.record(audit.AuditAction.ISSUANCE, actor_id=None, learner_id=credential.user_id,
                 subject=credential, definition_slug=definition.slug,
                 details={"uuid": str(credential.uuid), "status": credential.status,
                          "pathway": True, "completed_by": str(completed_by.uuid),
                          "requirements": list(requirements)})
    if credential.status == ACTIVE:
        announce_change(credential, signals.ISSUED)
    data = credential_to_data(credential)
    if data.status == ACTIVE:
        events.awarded(data)
    else:
        events.announce(signals.credential_issued, data)
    return data


def announce_change(credential, event, *, replaces=None):
    """Tell in-transaction listeners (the HRIS outbox) of a change, inside its transaction.

    The core names no listener: whatever they write commits or rolls back with the change.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Credential changes are announced inside their own transaction.")
    signals.credential_changing.send(sender=Credential, credential=credential, event=event,
                                     replaces=replaces)


def _activate(credential, at):
    """Active from ``at`` for the definition's validity; an older version's credential
    (an attempt still in flight when a bridging version was published) ends with the
    bridging period like every other holder's."""
    credential.status = ACTIVE
    days = credential.definition.validity_days
    credential.expires_at = at + timedelta(days=days) if days else None
    deadline = versions.bridging_deadline(credential.definition)
    if deadline is not None and (credential.expires_at is None
                                 or credential.expires_at > deadline):
        credential.expires_at = max(deadline, at)


def _supersede(old, new, *, at):
    """End ``old`` because ``new`` replaces it; saved before ``new`` takes the live slot."""
    with record_changes.changing([old.attempt_id]):
        old.status = CredentialStatus.SUPERSEDED
        old.ended_at = at
        old.save(update_fields=["status", "ended_at"])
    audit.record(audit.AuditAction.SUPERSEDED, actor_id=None, learner_id=old.user_id,
                 subject=old, definition_slug=old.definition.slug,
                 details={"uuid": str(old.uuid), "superseded_by": str(new.uuid),
                          "version": old.definition.version,
                          "new_version": new.definition.version})
    events.announce(signals.credential_superseded, credential_to_data(old))


def _link_successor(old, new):
    old.superseded_by = new
    old.save(update_fields=["superseded_by"])


# --- approval and revocation ---

def approve(*, credential_uuid, approver_id, reason="") -> CredentialData:
    """Make a pending credential active; it replaces any active one it renews."""
    reason = clean_reason(reason, error=CredentialChangeNotAllowed)
    with transaction.atomic():
        serialise_holder(credential_uuid)
        credential = _locked(credential_uuid)
        if credential.status != PENDING:
            raise CredentialChangeNotAllowed(
                _("Only a credential waiting for approval can be approved; this one is "
                  "{status}.").format(status=credential_to_data(credential).status_label),
                field="credential_uuid")
        if credential.user_id == approver_id:
            raise CredentialChangeNotAllowed(_("You cannot approve your own credential."),
                                             field="approver_id")
        at = now()
        replaced = next((c for c in lock_each(Credential.objects.filter(
            user_id=credential.user_id, family_id=credential.family_id, status=ACTIVE))
            if c.status == ACTIVE), None)
        if replaced is not None:
            _supersede(replaced, credential, at=at)
        with record_changes.changing([credential.attempt_id]):
            _activate(credential, at)
            credential.approved_at, credential.approved_by_id = at, approver_id
            credential.save()
        if replaced is not None:
            _link_successor(replaced, credential)
        audit.record(audit.AuditAction.APPROVAL, actor_id=approver_id,
                     learner_id=credential.user_id, subject=credential,
                     reason=reason, definition_slug=credential.definition.slug,
                     details={"uuid": str(credential.uuid),
                              **({"renews": str(replaced.uuid)} if replaced else {})})
        announce_change(credential, signals.RENEWED if replaced else signals.ISSUED,
                            replaces=replaced)
        data = credential_to_data(credential)
        events.awarded(data, signal=signals.credential_approved)
    return data


def revoke_by_uuid(*, credential_uuid, revoked_by, reason) -> CredentialData:
    with transaction.atomic():
        serialise_holder(credential_uuid)  # before the credential's lock, as in ``revoke``
        return revoke(_locked(credential_uuid), actor_id=revoked_by, reason=reason)


def revoke(credential, *, actor_id, reason) -> CredentialData:
    """Revoke ``credential`` (a model) for a stated reason; the holder may earn it again.

    Any state but revoked may be revoked: an expired or superseded credential can still
    be found to have been earned by fraud, and its verification should then say so.
    """
    reason = clean_reason(reason, error=CredentialChangeNotAllowed, missing=_(
        "Give a reason for revoking the credential; the learner and auditors see it."))
    with transaction.atomic():
        changed = _change_status(
            credential.uuid, when=lambda status: status != CredentialStatus.REVOKED,
            to=CredentialStatus.REVOKED, action=audit.AuditAction.REVOCATION,
            announce=signals.REVOKED, actor_id=actor_id, reason=reason,
            fields={"ended_at": now(), "revoked_by_id": actor_id, "revoked_reason": reason})
        if changed is None:
            raise CredentialChangeNotAllowed(_("This credential is already revoked."),
                                             field="credential_uuid")
        data, was = changed
        if was == ACTIVE:
            events.revoked(data)
        else:
            events.announce(signals.credential_revoked, data)
    return data


def suspend(credential, *, reason) -> CredentialData | None:
    """Suspend an active credential (a pathway's rule "suspend": its requirements are no
    longer held); None when it is no longer active by the time its lock is held.

    Reversible: ``reinstate`` makes the same credential active again. Until then it
    vouches for nothing (Open edX hears ``BADGE_REVOKED``) and it keeps its live slot, so
    no second credential of its family is issued beside it.
    """
    with transaction.atomic():
        changed = _change_status(
            credential.uuid, when=lambda status: status == ACTIVE,
            to=CredentialStatus.SUSPENDED, action=audit.AuditAction.SUSPENSION,
            announce=signals.SUSPENDED, reason=reason, fields={"ended_at": now()})
        if changed is None:
            return None
        data, _was = changed
        events.revoked(data, signal=signals.credential_suspended)
    return data


def reinstate(credential, *, reason, requirements=()) -> CredentialData | None:
    """Make a suspended credential active again, with its own uuid, dates and badge; None
    when it is no longer suspended by the time its lock is held (revoked meanwhile)."""
    with transaction.atomic():
        changed = _change_status(
            credential.uuid, when=lambda status: status == CredentialStatus.SUSPENDED,
            to=ACTIVE, action=audit.AuditAction.REINSTATEMENT, announce=signals.REINSTATED,
            reason=reason, fields={"ended_at": None},
            details={"requirements": list(requirements)})
        if changed is None:
            return None
        data, _was = changed
        events.awarded(data, signal=signals.credential_reinstated)
    return data


def _change_status(credential_uuid, *, when, to, action, announce, reason, fields,
                   actor_id=None, details=None) -> tuple[CredentialData, str] | None:
    """Move a credential to status ``to`` if ``when(its status)`` holds once it is locked
    (the learner first, as issuance does), setting ``fields`` too; audited and announced.

    Returns the credential's data and its status before, or None when it may not move.
    Call inside the caller's transaction, which then sends its events.
    """
    serialise_holder(credential_uuid)
    credential = _locked(credential_uuid)
    was = credential.status
    if not when(was):
        return None
    with record_changes.changing([credential.attempt_id]):
        credential.status = to
        for name, value in fields.items():
            setattr(credential, name, value)
        credential.save()
    audit.record(action, actor_id=actor_id, learner_id=credential.user_id,
                 subject=credential, reason=reason,
                 definition_slug=credential.definition.slug,
                 details={"uuid": str(credential.uuid), **(details or {})})
    announce_change(credential, announce)
    return credential_to_data(credential), was


def lock_each(credentials) -> list[Credential]:
    """The learner's credentials in ``credentials``, each row locked by itself through its
    primary key, in key order; callers check the status again on what comes back.

    Call under ``serialise_learner``, which keeps the plain read that finds them in step.
    Locking through the filter itself would lock whatever rows the chosen index (or a whole
    small table) walks past, other learners' too, and deadlock with their issuances; a join
    would lock the definition rows as well (MariaDB has no FOR UPDATE OF).
    """
    ids = sorted(credentials.values_list("pk", flat=True))
    rows = (Credential.objects.select_for_update().filter(pk=pk).first() for pk in ids)
    return [row for row in rows if row is not None]


def serialise_holder(credential_uuid):
    """``serialise_learner`` for the holder of this credential (if it exists): changes to a
    learner's credentials take the learner's lock before the credential's, in one order."""
    holder = Credential.objects.filter(uuid=_uuid_or_none(credential_uuid)).values_list(
        "user_id", flat=True).first()
    if holder is not None:
        serialise_learner(holder)


def _uuid_or_none(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _locked(credential_uuid) -> Credential:
    try:
        return Credential.objects.select_for_update().get(  # no join: see _issue
            uuid=str(credential_uuid))
    except (Credential.DoesNotExist, ValueError, ValidationErrorTypes) as exc:
        raise CredentialNotFound(_("No credential has that identifier."),
                                 field="credential_uuid") from exc


# --- who may start again ---

class LiveCredentialBlock(NamedTuple):
    """Why a live credential rules out a new attempt, and from when one may start (None:
    not until something else happens — an approval decision, a revocation)."""

    reason: str
    opens_at: datetime | None = None


def live_credential_blocks_attempt(user_id, definition_id) -> str | None:
    """Why a learner's live credential rules out a new attempt now; None if it does not.

    A pending credential blocks until it is decided. An active one blocks until its
    renewal window opens (``renewal_window_days`` before expiry), and for ever when it
    never expires, unless a newer version asks its holders to bridge. Revoked, expired
    and superseded credentials never block: the learner may earn it again.
    """
    block = live_credential_block(user_id, definition_id)
    return block.reason if block else None


def live_credential_block(user_id, definition_id) -> LiveCredentialBlock | None:
    """The same rule as ``live_credential_blocks_attempt``, with when the renewal window
    opens (for ``RetakeStatus.opens_at``)."""
    definition = remembered("definition by key", definition_id, lambda: (
        CredentialDefinition.objects.filter(pk=definition_id).first()))
    if definition is None:
        return None
    in_force = versions.current(definition)
    live = list(Credential.objects.select_related("definition").filter(
        user_id=user_id, family=definition.family_root(), live_state__isnull=False))
    if any(c.status == PENDING for c in live):
        return LiveCredentialBlock(
            _("Your credential “{name}” is waiting for approval. You can start again once "
              "it has been decided.").format(name=in_force.name))
    for credential in live:
        if credential.definition_id != in_force.pk and in_force.old_holders == versions.BRIDGE:
            continue  # a newer version asks holders to bridge: they may start now
        if credential.expires_at is None:
            return LiveCredentialBlock(
                _("You already hold the credential “{name}”, and it does not expire.").format(
                    name=in_force.name))
        opens = credential.expires_at - timedelta(days=in_force.renewal_window_days)
        if now() < opens:
            return LiveCredentialBlock(
                _("You already hold the credential “{name}” until {expires}. You can renew "
                  "it from {opens}.").format(
                    name=in_force.name, expires=human_date(credential.expires_at),
                    opens=human_date(opens)),
                opens_at=opens)
    return None


# --- reading ---

def _for_display(queryset):
    """Everything ``credential_to_data`` reads, in a fixed number of queries."""
    return queryset.select_related("definition__issuer", "definition__previous_version",
                                   "superseded_by").prefetch_related("definition__alignments")


def get(credential_uuid) -> CredentialData:
    try:
        credential = _for_display(Credential.objects).get(
            uuid=str(credential_uuid))
    except (Credential.DoesNotExist, ValueError, ValidationErrorTypes) as exc:
        raise CredentialNotFound(_("No credential has that identifier."),
                                 field="credential_uuid") from exc
    return credential_to_data(credential)


def for_learner(user_id, slug) -> CredentialData | None:
    """The learner's credential for this definition (any version): the live one if any,
    else the latest."""
    definition = CredentialDefinition.objects.filter(slug=slug).first()
    if definition is None:
        return None
    credentials = _for_display(Credential.objects).filter(
        user_id=user_id, family=definition.family_root())
    credential = (credentials.filter(status=ACTIVE).first()
                  or credentials.filter(status=PENDING).first()
                  or credentials.order_by("-issued_at", "-id").first())
    return credential_to_data(credential) if credential else None


def all_for_learner(user_id) -> list[CredentialData]:
    return [
        credential_to_data(c)
        for c in _for_display(Credential.objects)
        .filter(user_id=user_id).order_by("-issued_at", "-id")
    ]


def definition_to_data(definition: CredentialDefinition) -> CredentialDefinitionData:
    issuer = definition.issuer
    return CredentialDefinitionData(
        slug=definition.slug,
        name=definition.name,
        description=definition.description,
        pass_percentage=definition.pass_percentage,
        criteria_narrative=definition.criteria_narrative,
        image_url=definition.image.url if definition.image else "",
        issuer=IssuerData(name=issuer.name, url=issuer.url, email=issuer.email)
        if issuer else None,
        alignments=tuple(
            CompetencyAlignmentData(name=a.name, url=a.url, framework=a.framework, code=a.code)
            for a in definition.alignments.all()),
        validity_days=definition.validity_days,
        renewal_window_days=definition.renewal_window_days,
        version=definition.version,
        previous_version_slug=definition.previous_version.slug
        if definition.previous_version_id else "",
    )


def credential_to_data(credential: Credential) -> CredentialData:
    return CredentialData(
        uuid=str(credential.uuid),
        user_id=credential.user_id,
        definition=definition_to_data(credential.definition),
        status=CredentialStatus(credential.status),
        issued_at=credential.issued_at,
        attempt_id=credential.attempt_id,
        expires_at=credential.expires_at,
        approved_at=credential.approved_at,
        ended_at=credential.ended_at,
        revoked_reason=credential.revoked_reason,
        superseded_by=str(credential.superseded_by.uuid) if credential.superseded_by_id else "",
        through_pathway=credential.through_pathway,
    )

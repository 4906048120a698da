"""What a credential's public pages show, and what its holder chose to share on them.

A credential is public once it has been issued (active, or since expired, revoked,
superseded or suspended, so a verifier learns *that*); one waiting for approval is not, and asking
for it answers exactly like asking for an unknown one. The holder decides, per
credential, how their name appears (full, first name and last initial, or withheld:
the default, so nothing personal is public until they say so) and whether the text
they handed in is shown on the assessed-evidence page (off by default). Files they
handed in and assessors' comments are never public. Each change of choice is audited;
a renewal keeps the name choice of the credential it replaces.
"""
import logging
import uuid

from django.db import transaction
from django.utils.timezone import now
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credential_app.core import attempts, audit, credentials
from credential_app.core.models import AssessmentUnit, Credential, CredentialDefinition
from credential_app.data import BadgeSharingData, CredentialStatus, NameDisplay, PublicBadgeData
from credential_app.exceptions import CredentialNotFound, InvalidSharingChoice
from credential_app.openbadges import images
from credential_app.openbadges.models import BadgeSharing
from credential_app.pathways import progress as pathway_progress
from credential_app.pathways import rules as pathway_rules

NOT_PUBLIC = (CredentialStatus.PENDING_APPROVAL,)
# Drawn across the picture of a credential that no longer holds (kept short: one band).
ENDED_LABELS = {CredentialStatus.REVOKED: gettext_lazy("Revoked"),
                CredentialStatus.EXPIRED: gettext_lazy("Expired"),
                CredentialStatus.SUPERSEDED: gettext_lazy("Replaced"),
                CredentialStatus.SUSPENDED: gettext_lazy("Suspended")}
log = logging.getLogger(__name__)


def _public_credential(credential_uuid) -> Credential:
    credential = Credential.objects.select_related(
        "definition__issuer", "definition__previous_version", "superseded_by", "user",
        "attempt", "sharing").prefetch_related("definition__alignments").filter(
        uuid=_uuid(credential_uuid)).first()
    if credential is None or credential.status in NOT_PUBLIC:
        raise CredentialNotFound(_("No credential has that identifier."),
                                 field="credential_uuid")
    return credential


def _uuid(value):
    """The uuid ``value`` names, or None (which matches no credential)."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


# --- the holder's name ---

def _names(user) -> tuple[str, str]:
    """(first name, last name); from Open edX's profile name when the account has none."""
    first, last = user.first_name.strip(), user.last_name.strip()
    if not (first or last):
        profile = getattr(user, "profile", None)  # edx-platform's UserProfile, if present
        parts = (getattr(profile, "name", "") or "").split()
        first, last = (parts[0], " ".join(parts[1:])) if parts else ("", "")
    return first, last


def holder_name(user, choice: NameDisplay) -> str:
    """The holder's name as they chose to show it; "" when withheld or unknown."""
    first, last = _names(user)
    if choice == NameDisplay.FULL:
        return " ".join(part for part in (first, last) if part)
    if choice == NameDisplay.INITIAL:
        return f"{first} {last[0]}." if first and last else first
    return ""


# --- sharing choices ---

def _sharing_of(credential: Credential, earlier: dict | None = None) -> BadgeSharingData:
    """The holder's choices for ``credential``. Without a choice of its own, a credential
    takes the name choice made for the one it renewed or replaced (same learner, same
    credential family): renewing never changes how the holder is named. Sharing the
    written evidence is never carried over: it is other evidence."""
    try:
        row = credential.sharing
    except BadgeSharing.DoesNotExist:
        if earlier is None:
            earlier = _latest_name_choices(credential.user_id)
        inherited = earlier.get(credential.family_id)
        return BadgeSharingData(credential_uuid=str(credential.uuid),
                                name_display=NameDisplay(inherited or NameDisplay.HIDDEN))
    return BadgeSharingData(credential_uuid=str(credential.uuid),
                            name_display=NameDisplay(row.name_display),
                            share_evidence=row.share_evidence)


def _latest_name_choices(user_id) -> dict:
    """{family id: name choice last saved for any of the learner's credentials in it}."""
    rows = BadgeSharing.objects.filter(credential__user_id=user_id).order_by("updated", "id")
    return dict(rows.values_list("credential__family_id", "name_display"))


def sharing_for_learner(user_id) -> dict[str, BadgeSharingData]:
    """The learner's choices for each of their credentials, by credential uuid."""
    theirs = Credential.objects.filter(user_id=user_id).select_related("sharing")
    earlier = _latest_name_choices(user_id)
    return {str(c.uuid): _sharing_of(c, earlier) for c in theirs}


def set_sharing(*, user_id, credential_uuid, name_display, share_evidence) -> BadgeSharingData:
    """Record the holder's choice for one of *their own* credentials; audited.

    Someone else's credential answers as an unknown one (CredentialNotFound), so nobody
    learns which identifiers exist.
    """
    try:
        choice = NameDisplay(name_display)
    except ValueError as exc:
        raise InvalidSharingChoice(_("Choose how your name appears: full name, first name "
                                     "and last initial, or not shown."),
                                   field="name_display") from exc
    with transaction.atomic():
        credential = Credential.objects.select_for_update().filter(
            uuid=_uuid(credential_uuid), user_id=user_id).select_related("definition").first()
        if credential is None:
            raise CredentialNotFound(_("No credential has that identifier."),
                                     field="credential_uuid")
        row, _created = BadgeSharing.objects.get_or_create(credential=credential)
        before = {"name_display": row.name_display, "share_evidence": row.share_evidence}
        row.name_display, row.share_evidence = choice.value, bool(share_evidence)
        after = {"name_display": row.name_display, "share_evidence": row.share_evidence}
        if after != before or _created:
            row.save()
            audit.record(audit.AuditAction.SHARING, actor_id=user_id, learner_id=user_id,
                         subject=credential, definition_slug=credential.definition.slug,
                         details={"uuid": str(credential.uuid), "before": before,
                                  "after": after})
    return BadgeSharingData(credential_uuid=str(credential.uuid), name_display=choice,
                            share_evidence=bool(share_evidence))


# --- the public page and the assessed-evidence page ---

def public_badge(credential_uuid) -> PublicBadgeData:
    """Everything the public pages show of this credential; CredentialNotFound if none
    is public under that identifier."""
    credential = _public_credential(credential_uuid)
    sharing = _sharing_of(credential)
    if credential.through_pathway:
        return _public_pathway_badge(credential, sharing)
    attempt = credential.attempt
    result = attempts.to_data(attempt).result
    unit = AssessmentUnit.objects.filter(usage_key=attempt.usage_key).first()
    return PublicBadgeData(
        credential=credentials.credential_to_data(credential),
        sharing=sharing,
        holder_name=holder_name(credential.user, sharing.name_display),
        valid_from=credential.approved_at or credential.issued_at,
        unit_name=(unit.display_name if unit else "") or credential.definition.name,
        criteria=result.criteria if result else (),
        assessed_at=attempt.assessed_at,
        assessor_count=attempt.assessments.count(),
        evidence_text=attempt.evidence_text if sharing.share_evidence else "",
        result_changed_by_staff=attempt.result_changed_by_staff,
    )


def _public_pathway_badge(credential, sharing) -> PublicBadgeData:
    """A pathway credential was earned by holding others, not by an assessment: its page
    lists those, each linked to the holder's own credential while they hold it."""
    pathway = pathway_rules.pathway_of(credential.definition)
    components, needed = (), 0
    if pathway is not None:
        components = pathway_progress.components(pathway, credential.user_id)
        needed = pathway.needed(len(components))
    return PublicBadgeData(
        credential=credentials.credential_to_data(credential),
        sharing=sharing,
        holder_name=holder_name(credential.user, sharing.name_display),
        valid_from=credential.approved_at or credential.issued_at,
        unit_name=credential.definition.name, criteria=(), assessed_at=None,
        assessor_count=0, components=tuple(components), components_needed=needed)


def badge_image(credential_uuid) -> tuple[bytes, str]:
    """The credential's picture before baking: (PNG bytes, SVG text)."""
    credential = _public_credential(credential_uuid)
    definition = credential.definition
    ended = ended_label(credential)
    if definition.image:
        try:
            with definition.image.open("rb") as image:
                png = images.as_png(image.read())
            if ended:
                png = images.mark_ended(png, ended)
            return png, images.png_in_svg(png, definition.name)
        except (OSError, ValueError):  # gone from storage, or not an image after all
            log.warning("The image of credential definition %s cannot be read; the default "
                        "badge picture is used.", definition.slug, exc_info=True)
    issuer = definition.issuer.name if definition.issuer_id else ""
    return (images.default_png(definition.name, issuer, ended),
            images.default_svg(definition.name, issuer, ended))


def achievement_image(slug) -> bytes | None:
    """The picture of a credential definition as PNG (its own, else the default one),
    what its achievement's ``image`` names; None for no such definition."""
    definition = CredentialDefinition.objects.select_related("issuer").filter(slug=slug).first()
    if definition is None:
        return None
    if definition.image:
        try:
            with definition.image.open("rb") as image:
                return images.as_png(image.read())
        except (OSError, ValueError):
            log.warning("The image of credential definition %s cannot be read; the default "
                        "badge picture is used.", definition.slug, exc_info=True)
    return images.default_png(definition.name, definition.issuer.name
                              if definition.issuer_id else "")


def ended_label(credential) -> str:
    """The state a credential that no longer holds is drawn with ("" while it holds)."""
    if credential.status == CredentialStatus.ACTIVE:
        if credential.expires_at is None or credential.expires_at > now():
            return ""
        return str(ENDED_LABELS[CredentialStatus.EXPIRED])  # before the expiry sweep runs
    return str(ENDED_LABELS.get(credential.status, _("Not valid")))

"""An issued credential as an Open Badges 3.0 ``OpenBadgeCredential`` (unsigned).

What it says: the issuer profile (a did:web DID), the achievement with its criteria,
alignments, image and one ``ResultDescription`` per rubric criterion listing its
``RubricCriterionLevel``s; the learner's achieved level per criterion and overall
score; a summary of the assessed evidence with a link to its page (never the files);
``validFrom``/``validUntil``; and the status entry (revocation or suspension). The learner appears
only as a salted SHA-256 hash of their email address.

Text is written in the site's language, whatever the request's, so the same
credential always builds the same document (see ``SignedBadge.content_sha256``).
"""
import hashlib
import uuid
from datetime import UTC
from urllib.parse import quote

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from credential_app.core import attempts
from credential_app.core.events import TEMPLATE_NAMESPACE
from credential_app.core.models import AssessmentUnit, Credential
from credential_app.lib import public_urls
from credential_app.lib.dates import human_date
from credential_app.openbadges import issuer_identity
from credential_app.openbadges.models import SignedBadge
from credential_app.pathways import rules as pathway_rules

# The OB 3.0 extensions context defines "1EdTechJsonSchemaValidator2019", the type of
# ``credentialSchema``: without it that type is a relative IRI, which a verifier working in
# JSON-LD safe mode (as Data Integrity verifiers do) rejects.
CONTEXT = ["https://www.w3.org/ns/credentials/v2",
           "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
           "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"]
TYPES = ["VerifiableCredential", "OpenBadgeCredential"]
SCHEMA = {"id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
                "ob_v3p0_achievementcredential_schema.json",
          "type": "1EdTechJsonSchemaValidator2019"}


def xml_datetime(moment) -> str:
    """UTC, to the second, with 'Z': the form the VC data model's examples use."""
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def credential_id(credential: Credential) -> str:
    return f"urn:uuid:{credential.uuid}"


def achievement_id(definition) -> str:
    return f"urn:uuid:{uuid.uuid5(TEMPLATE_NAMESPACE, definition.slug)}"


def issuer_ref(definition) -> str:
    return str(definition.issuer_id) if definition.issuer_id else issuer_identity.PLATFORM


def status_list_url(status_list_id) -> str:
    return public_urls.reverse_absolute("badge-status-list", list_id=status_list_id)


def legacy_status_list_url(status_list_id) -> str:
    """The address credentials signed before the app's URLs moved under ``credential-app/``
    name for the list (docs/decisions/0011): frozen, so written out rather than reversed."""
    return public_urls.absolute(f"/openbadges/status/{status_list_id}/")


def build(credential: Credential, badge: SignedBadge, unit_names: dict | None = None) -> dict:
    """The unsigned OpenBadgeCredential of ``credential`` (its badge row gives the salt
    and status bit). ``unit_names`` (usage key → display name) spares a query per
    credential when signing in batches."""
    with translation.override(settings.LANGUAGE_CODE):
        return _build(credential, badge, unit_names)


def unit_names_for(usage_keys) -> dict:
    return dict(AssessmentUnit.objects.filter(usage_key__in=set(usage_keys)).values_list(
        "usage_key", "display_name"))


def _build(credential, badge, unit_names):
    definition = credential.definition
    valid_from = xml_datetime(credential.approved_at or credential.issued_at)
    if credential.through_pathway:
        subject = {"achievement": pathway_achievement(definition)}
        proof_of_work = pathway_evidence(credential)
    else:
        attempt = attempts.to_data(credential.attempt)
        subject = {"achievement": achievement(definition, attempt.rubric),
                   "result": results(definition, attempt)}
        proof_of_work = [evidence(credential, attempt, unit_names)]
    document = {
        "@context": CONTEXT,
        "id": credential_id(credential),
        "type": TYPES,
        "name": definition.name,
        "issuer": issuer_profile(definition),
        "validFrom": valid_from,
        **({"validUntil": xml_datetime(credential.expires_at)} if credential.expires_at
           else {}),
        "awardedDate": valid_from,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [recipient_identity(credential.user, badge.recipient_salt)],
            **subject,
        },
        **({"evidence": proof_of_work} if proof_of_work else {}),
        "credentialStatus": status_entry(badge),
        "credentialSchema": [SCHEMA],
    }
    if definition.description:
        document["description"] = definition.description
    return document


def issuer_profile(definition) -> dict:
    issuer = definition.issuer
    profile = {"id": issuer_identity.issuer_did(issuer_ref(definition)), "type": ["Profile"]}
    if issuer is None:
        # str(): the LMS gives PLATFORM_NAME as a lazy translation, which JSON cannot hold
        profile.update(name=str(getattr(settings, "PLATFORM_NAME", "") or _("Open edX")),
                       url=public_urls.base_url())
    else:
        profile.update(name=issuer.name, url=issuer.url, email=issuer.email)
    return profile


def achievement(definition, rubric) -> dict:
    achieved = {
        "id": achievement_id(definition),
        "type": ["Achievement"],
        "achievementType": "Competency",
        "name": definition.name,
        "description": definition.description or definition.name,
        "criteria": {"narrative": definition.criteria_narrative or _(
            "Pass an assessed practical assessment, scored by assessors against the rubric "
            "described in this achievement.")},
        "resultDescription": [
            *(criterion_description(definition, criterion) for criterion in rubric.criteria),
            score_description(definition, rubric),
        ],
    }
    return _with_common_parts(achieved, definition)


def pathway_achievement(definition) -> dict:
    """A pathway's achievement: a certificate whose ``related`` achievements are its
    components (each its own achievement id and version), with criteria that name them."""
    pathway = pathway_rules.pathway_of(definition)
    components = [r.definition for r in pathway.requirements.all()] if pathway else []
    achieved = {
        "id": achievement_id(definition),
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": definition.name,
        "description": definition.description or definition.name,
        "criteria": {"narrative": definition.criteria_narrative
                     or pathway_rules.requirement_sentence(pathway)},
    }
    if components:
        achieved["related"] = [
            {"id": achievement_id(component), "type": ["Related"],
             "version": str(component.version)} for component in components]
    return _with_common_parts(achieved, definition)


def _with_common_parts(achieved, definition) -> dict:
    if definition.version > 1:
        achieved["version"] = str(definition.version)
    # Its picture (OB 3.0 Image): the definition's own, else the default drawn from its name.
    image_url = (public_urls.absolute(definition.image.url) if definition.image
                 else public_urls.reverse_absolute("achievement-image", slug=definition.slug))
    achieved["image"] = {"id": image_url, "type": "Image", "caption": definition.name}
    alignments = [alignment(a) for a in definition.alignments.all()]
    if alignments:
        achieved["alignment"] = alignments
    return achieved


def alignment(row) -> dict:
    aligned = {"type": ["Alignment"], "targetName": row.name, "targetUrl": row.url}
    if row.framework:
        aligned["targetFramework"] = row.framework
    if row.code:
        aligned["targetCode"] = row.code
    return aligned


def criterion_id(definition, criterion_name) -> str:
    return f"{achievement_id(definition)}#criterion-{quote(criterion_name, safe='')}"


def level_id(definition, criterion_name, level_name) -> str:
    return f"{criterion_id(definition, criterion_name)}-level-{quote(level_name, safe='')}"


def criterion_description(definition, criterion) -> dict:
    described = {
        "id": criterion_id(definition, criterion.name),
        "type": ["ResultDescription"],
        "name": criterion.label,
        "resultType": "RubricCriterionLevel",
        "rubricCriterionLevel": [{
            "id": level_id(definition, criterion.name, level.name),
            "type": ["RubricCriterionLevel"],
            "name": level.label,
            **({"description": level.description} if level.description else {}),
            "points": str(level.points),
        } for level in criterion.levels],
        "valueMax": str(criterion.max_points),
    }
    if criterion.minimum_level:
        described["requiredLevel"] = level_id(definition, criterion.name,
                                              criterion.minimum_level)
    return described


def score_description(definition, rubric) -> dict:
    return {
        "id": f"{achievement_id(definition)}#score",
        "type": ["ResultDescription"],
        "name": _("Total score"),
        "resultType": "RubricScore",
        "valueMin": "0",
        "valueMax": str(rubric.max_points),
    }


def results(definition, attempt) -> list[dict]:
    achieved = [{
        "type": ["Result"],
        "resultDescription": criterion_id(definition, result.criterion),
        "achievedLevel": level_id(definition, result.criterion, result.level),
    } for result in attempt.result.criteria if result.level]
    achieved.append({"type": ["Result"], "resultDescription": f"{achievement_id(definition)}#score",
                     "value": str(attempt.result.score)})
    return achieved


def recipient_identity(user, salt: str) -> dict:
    """The learner as a salted hash: a verifier who knows the email can check it; nobody
    can read it. Emails are compared trimmed and in lower case."""
    email = (user.email or "").strip().lower()
    identity, kind = (email, "emailAddress") if email else (user.get_username(), "sourcedId")
    digest = hashlib.sha256((identity + salt).encode()).hexdigest()
    return {"type": "IdentityObject", "hashed": True, "identityHash": f"sha256${digest}",
            "identityType": kind, "salt": salt}


def pathway_evidence(credential) -> list[dict]:
    """The component credentials the holder has now (when the pathway credential is signed,
    right after it is issued): each one's public page, which verifies it in turn."""
    pathway = pathway_rules.pathway_of(credential.definition)
    if pathway is None:
        return []
    standing = pathway_rules.standing(pathway, credential.user_id)
    return [{
        "id": public_urls.reverse_absolute("badge_page", uuid=held.uuid),
        "type": ["Evidence"],
        "name": held.definition.name,
        "description": _("A credential this pathway requires, issued on {date}.").format(
            date=human_date(held.approved_at or held.issued_at)),
        "genre": _("Credential"),
    } for held in standing.met.values()]


def evidence(credential, attempt, unit_names=None) -> dict:
    usage_key = credential.attempt.usage_key
    if unit_names is None:
        unit_names = unit_names_for([usage_key])
    unit_name = unit_names.get(usage_key, "")
    assessors = len(credential.attempt.assessments.all())  # prefetched by batch signing
    result = attempt.result
    summary = ngettext(
        "Evidence handed in for a practical assessment (attempt {number}), scored against "
        "a rubric of {criteria} criteria by {assessors} assessor: {score} of {max_score} "
        "points ({percentage}%).",
        "Evidence handed in for a practical assessment (attempt {number}), scored against "
        "a rubric of {criteria} criteria by {assessors} independent assessors: {score} of "
        "{max_score} points ({percentage}%).",
        assessors,
    ).format(number=attempt.number, criteria=len(attempt.rubric.criteria),
             assessors=assessors, score=result.score, max_score=result.max_score,
             percentage=result.percentage)
    return {
        "id": public_urls.reverse_absolute("badge_evidence", uuid=credential.uuid),
        "type": ["Evidence"],
        "name": unit_name or _("Assessed evidence"),
        "description": summary,
        "genre": _("Practical assessment"),
    }


def status_entry(badge: SignedBadge) -> dict:
    url = status_list_url(badge.status_list_id)
    return {
        "id": f"{url}#{badge.status_index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": badge.status_list.purpose,
        "statusListIndex": str(badge.status_index),
        "statusListCredential": url,
    }

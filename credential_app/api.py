"""The app's public Python API: the only door the XBlock (or anything else) uses.

Functions take and return the data classes of ``credential_app.data``; they
raise the errors of ``credential_app.exceptions`` (re-exported here) with a
message fit to show the person who caused them, having changed nothing.
"""
import json
from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _
from opaque_keys.edx.keys import UsageKey

from credential_app.catalogue import entries as catalogue_entries
from credential_app.core import (
    assessment,
    attempts,
    claims,
    credentials,
    expiry,
    overrides,
    policies,
    queue,
    resets,
    units,
    versions,
)
from credential_app.core import evidence as evidence_files
from credential_app.core.models import Issuer
from credential_app.core.read_once import reading_once
from credential_app.course_scores import scores as course_scores
from credential_app.data import (
    AssessmentOutcome,
    AssessmentQueue,
    AssessmentUnitData,
    AttemptData,
    BadgeSharingData,
    CatalogueEntryData,
    ClaimData,
    CredentialData,
    CredentialDefinitionData,
    CriterionScore,
    EmployerSharing,
    EvidenceFileData,
    EvidenceSettings,
    JobTaskData,
    LearnerUnitState,
    PathwayProgressData,
    PublicBadgeData,
    QueueItem,
    RetakeStatus,
    Rubric,
    UnitRules,
    VerificationResult,
)
from credential_app.exceptions import (  # noqa: F401 (re-exported for callers)
    AssessmentNotAllowed,
    AttemptNotAllowed,
    AttemptNotFound,
    CredentialAppError,
    CredentialChangeNotAllowed,
    CredentialNotFound,
    EvidenceAccessDenied,
    EvidenceFileNotFound,
    InvalidAssessment,
    InvalidConfidenceAnswer,
    InvalidDefinition,
    InvalidEvidence,
    InvalidPolicy,
    InvalidRubric,
    InvalidSharingChoice,
    NotAManager,
    UnknownCredential,
    UnknownEmployer,
)
from credential_app.hris import consent, employee_search
from credential_app.lib import dates, json_input, public_urls
from credential_app.lib.json_input import JsonInputError  # noqa: F401 (the XBlock catches it)
from credential_app.openbadges import (
    baking,
    issuer_identity,
    pages,
    status_list,
    store,
    verification,
)
from credential_app.pathways import progress as pathway_progress
from credential_app.pathways import rules as pathway_rules
from credential_app.platform_hooks import retirement
from credential_app.workplace import confidence


def list_credential_definitions() -> list[CredentialDefinitionData]:
    """Every credential an assessment unit can be linked to, by name (not pathways: they
    are earned by holding other credentials)."""
    pathways = pathway_rules.pathway_slugs()
    return [d for d in credentials.list_definitions() if d.slug not in pathways]


def get_credential_definition(slug: str) -> CredentialDefinitionData:
    """The definition with this slug; raises UnknownCredential."""
    return credentials.get_definition(slug)


def submit_attempt(*, user_id: int, usage_key: UsageKey, credential_slug: str, rubric: Rubric,
                   evidence_text: str, max_evidence_length: int, links=(), file_ids=(),
                   evidence: EvidenceSettings | None = None,
                   anonymous_user_id: str = "") -> AttemptData:
    """Hand in evidence as a new attempt, if the learner may start one now.

    ``links`` are web addresses, ``file_ids`` the learner's pending uploads for this
    unit (see ``upload_evidence_file``); ``evidence`` is what the unit accepts
    (text only, up to ``max_evidence_length``, when not given). ``anonymous_user_id`` is
    the learner as the course knows them (the LMS's anonymous id): with it, the attempt is
    a submission whose score is the learner's course score (``get_course_score``).
    """
    return attempts.submit(
        user_id=user_id, usage_key=usage_key, credential_slug=credential_slug, rubric=rubric,
        evidence_text=evidence_text, max_evidence_length=max_evidence_length,
        links=links, file_ids=file_ids, evidence=evidence, anonymous_user_id=anonymous_user_id,
    )


def get_retake_status(user_id: int, usage_key: UsageKey,
                      credential_slug: str | None = None) -> RetakeStatus:
    """May this learner start an attempt at this unit now; if not, why and from when?

    The one answer to that question: ``submit_attempt`` enforces the same rule, and
    every page that shows it asks here. ``credential_slug`` (the block's link) says
    which definition's retake policy applies when the unit is not registered yet.
    """
    return attempts.retake_status(user_id, usage_key, credential_slug)


def parse_json_input(body: bytes):
    """A JSON request body read as every handler and endpoint reads one: bounded in size,
    depth and values, its text valid Unicode without NUL; ``JsonInputError`` otherwise
    (its ``message`` untranslated, for the caller to translate)."""
    return json_input.parse(body)


def get_unit_rules(usage_key: UsageKey, credential_slug: str | None = None) -> UnitRules | None:
    """What a learner should be told before handing in at this unit: the credential it
    leads to, the pass mark and criterion minimums of its issuance policy, the retake rule
    and who decides; None when the unit leads to no known credential."""
    return policies.unit_rules(usage_key, credential_slug)


def evidence_file_size_limit(evidence: EvidenceSettings) -> int:
    """Largest evidence file (bytes) a unit asking for ``evidence`` really accepts: its own
    limit within the operator's ceiling and the host's upload limit (the LMS's 4 MB)."""
    return evidence_files.size_limit(evidence)


def evidence_length_limit(unit_limit: int) -> int:
    """Most characters of text evidence a unit asking for ``unit_limit`` really accepts."""
    return attempts.evidence_limit(unit_limit)


def get_learner_unit_state(user_id: int, usage_key: UsageKey, credential_slug: str | None,
                           *, with_pending_files: bool = True) -> LearnerUnitState:
    """All a learner's view of a unit needs, with each definition and policy row read once
    (``credential_slug``: the block's link, as for ``get_retake_status``)."""
    with reading_once():
        earlier = attempts.of_learner(user_id, usage_key)
        attempt, counted = attempts.latest_and_counted(earlier)
        return _learner_unit_state(user_id, usage_key, credential_slug, attempt, counted,
                                   with_pending_files=with_pending_files, earlier=earlier)


def hand_in(*, user_id: int, usage_key: UsageKey, credential_slug: str, rubric: Rubric,
            evidence_text: str, max_evidence_length: int, links=(), file_ids=(),
            evidence: EvidenceSettings | None = None,
            anonymous_user_id: str = "") -> LearnerUnitState:
    """``submit_attempt``, answered with the learner's state at the unit once the attempt is
    in (its ``attempt``): what their page shows next. Each definition and policy row is read
    once for both, and the new attempt is not read back."""
    with reading_once():
        attempt = attempts.submit(
            user_id=user_id, usage_key=usage_key, credential_slug=credential_slug,
            rubric=rubric, evidence_text=evidence_text,
            max_evidence_length=max_evidence_length, links=links, file_ids=file_ids,
            evidence=evidence, anonymous_user_id=anonymous_user_id)
        # waiting for an assessor: no result counts yet, nothing earned, no course score
        return _learner_unit_state(user_id, usage_key, credential_slug, attempt, None,
                                   with_pending_files=bool(evidence and evidence.files_enabled))


def _learner_unit_state(user_id, usage_key, credential_slug, attempt, counted, *,
                        with_pending_files, earlier=None) -> LearnerUnitState:
    """``earlier``: the learner's attempts at the unit, if read already (a hand-in's answer
    reads them afresh, its new attempt among them)."""
    assessed = attempt is not None and attempt.result is not None
    passed = assessed and attempt.result.passed
    return LearnerUnitState(
        attempt=attempt,
        retake=attempts.retake_status(user_id, usage_key, credential_slug, earlier=earlier),
        counted=counted if assessed else None,
        credential=(credentials.for_learner(user_id, attempt.credential_slug)
                    if passed else None),
        course_score=course_scores.current_score(user_id, usage_key) if assessed else None,
        pending_files=(evidence_files.pending(user_id, usage_key)
                       if with_pending_files else []),
        rules=policies.unit_rules(usage_key, credential_slug),
    )


def get_latest_attempt(user_id: int, usage_key: UsageKey) -> AttemptData | None:
    """The learner's most recent attempt at this unit, with its result once assessed."""
    return attempts.latest_for_learner(user_id, usage_key)


def get_latest_attempt_id(user_id: int, usage_key: UsageKey) -> int | None:
    """Just the id of ``get_latest_attempt`` (one query: drafts are saved as people type)."""
    return attempts.latest_id_for_learner(user_id, usage_key)


def get_attempts_awaiting_assessment(usage_key: UsageKey,
                                     assessor_id: int | None = None) -> list[AttemptData]:
    """Attempts at this unit still waiting for a result, oldest first. With
    ``assessor_id``, leaves out those that assessor already scored (the issuance policy
    may want more independent assessments of them, from others)."""
    return attempts.awaiting_assessment(usage_key, assessor_id)


def record_assessment(*, attempt_id: int, usage_key: UsageKey, assessor_id: int,
                      scores: list[CriterionScore]) -> AssessmentOutcome:
    """Score every criterion of an attempt; compute its result and issue on a pass.

    Refused (AssessmentNotAllowed) while another assessor holds a live claim on it; the
    scorer's own claim ends with the scoring.
    """
    # A scoring only reads definitions, policies and HRIS destinations: each once (the
    # outbox looks for destinations for the result, then for the credential it earns).
    with reading_once():
        return assessment.record(attempt_id=attempt_id, usage_key=usage_key,
                                 assessor_id=assessor_id, scores=list(scores))


def get_learner_credential(user_id: int, credential_slug: str) -> CredentialData | None:
    """The learner's credential for this definition (any version): the live one (active or
    pending approval), else the latest ended one; None if they never earned it. Check
    ``status`` / ``is_valid`` before showing it as held."""
    return credentials.for_learner(user_id, credential_slug)


def get_learner_credentials(user_id: int) -> list[CredentialData]:
    """Every credential the learner holds, newest first."""
    return credentials.all_for_learner(user_id)


# ---- pathways and the catalogue -----------------------------------------------------------

CATALOGUE_MAX_TERM = catalogue_entries.MAX_TERM


def get_pathway_progress(user_id: int) -> list[PathwayProgressData]:
    """The pathways the learner has started or completed: done, in progress, what is next."""
    return pathway_progress.for_learner(user_id)


def search_catalogue(*, term: str = "", kind: str = "", role_id: int | None = None,
                     level: int | None = None, page: int = 1):
    """One page of catalogue entries matching every filter given ("pathways" or
    "credentials" for ``kind``)."""
    return catalogue_entries.search(term=term, kind=kind, role_id=role_id, level=level,
                                    page=page)


def get_catalogue_entry(slug: str) -> CatalogueEntryData | None:
    return catalogue_entries.entry(slug)


def get_catalogue_roles() -> list[tuple[int, str]]:
    return catalogue_entries.roles()


def get_catalogue_levels() -> list[tuple[int, str]]:
    return catalogue_entries.levels()


def get_job_tasks(credential_slug: str) -> list[JobTaskData]:
    """The job tasks this very definition (this version) maps to."""
    return catalogue_entries.tasks_of(credential_slug)


def search_employees(*, manager_id: int, credential_slug: str = "",
                     task_id: int | None = None) -> list:
    """A manager's search of their employer's consenting employees by credential, pathway
    or job task (``hris.employee_search``); audited. NotAManager (403) for anyone else."""
    return employee_search.search(manager_id=manager_id, credential_slug=credential_slug,
                                  task_id=task_id)


def is_employer_manager(user_id: int) -> bool:
    return bool(employee_search.employers_of(user_id))


def get_employee_search_options() -> dict:
    return employee_search.search_options()


def register_assessment_unit(*, usage_key: UsageKey, credential_slug: str, display_name: str,
                             rubric: Rubric, evidence: EvidenceSettings,
                             grade_weight: float | None = None) -> AssessmentUnitData:
    """Tell the app what a unit asks (called when an author saves it); idempotent.
    ``grade_weight``: points the unit is worth in the course grade (None: the rubric's).
    A pathway credential is refused: it is earned by holding others, never assessed."""
    if credential_slug in pathway_rules.pathway_slugs():
        raise UnknownCredential(
            _("“{slug}” is a pathway, earned by holding other credentials; link the unit to "
              "one of those.").format(slug=credential_slug), field="credential")
    return units.register(usage_key=usage_key, credential_slug=credential_slug,
                          display_name=display_name, rubric=rubric, evidence=evidence,
                          grade_weight=grade_weight)


def list_assessment_units(credential_slug: str) -> list[AssessmentUnitData]:
    """Every unit registered as leading to this credential."""
    return units.for_definition(credential_slug)


# ---- assessor: queue, claims, overrides, reset -----------------------------------------

def get_assessment_queue(usage_key: UsageKey, assessor_id: int,
                         status: str | None = None) -> AssessmentQueue:
    """One assessor's queue at a unit: counts per status and the attempts to show.

    ``status`` ("waiting", "claimed", "scored" or "result") keeps only those items;
    "claimed" also lists, locked, attempts someone else has claimed; "result" lists each
    learner's latest result that other assessors scored (for staff overrides).
    """
    return queue.for_assessor(usage_key, assessor_id, status=status)


def get_queue_counts(usage_key: UsageKey, assessor_id: int) -> dict:
    """How many attempts are waiting, claimed by this assessor, locked by others' claims,
    scored by them and scored by others (the keys of ``QueueStatus``): the figures an
    open assessor view refreshes, without reading the attempts themselves."""
    return queue.counts_for(usage_key, assessor_id)


QUEUE_LISTS = queue.LISTS


def get_assessment_queue_page(usage_key: UsageKey, assessor_id: int, list_name: str,
                              offset: int) -> tuple[list[QueueItem], bool]:
    """The next page of one list of the queue ("waiting", "claimed", "scored" or "result")
    from ``offset``, and whether more follow: the view lists a page of each and asks for
    more on demand, so it costs the same however long the queue is."""
    return queue.page_of(usage_key, assessor_id, list_name, offset)


def human_datetime(moment: datetime) -> str:
    """A moment as every page of the app shows it ("4 December 2027, 07:20 UTC")."""
    return dates.human_datetime(moment)


def claim_attempt(*, attempt_id: int, usage_key: UsageKey, assessor_id: int) -> ClaimData:
    """Lock an attempt for scoring by this assessor for ``CLAIM_MINUTES``; refuses, naming
    who holds it and until when, if someone else's claim is still live."""
    return claims.claim(attempt_id=attempt_id, usage_key=usage_key, assessor_id=assessor_id)


def release_claim(*, attempt_id: int, usage_key: UsageKey, assessor_id: int) -> None:
    """Give up one's claim on an attempt so another assessor may take it."""
    claims.release(attempt_id=attempt_id, usage_key=usage_key, assessor_id=assessor_id)


def override_result(*, attempt_id: int, usage_key: UsageKey, staff_id: int, passed: bool,
                    reason: str) -> AssessmentOutcome:
    """Staff set an assessed attempt's result to pass or fail, giving their reason.

    A new pass issues the credential; a withdrawn pass revokes the credential that attempt
    issued. Audited (OVERRIDE) with before, after, who and why.
    """
    return overrides.override(attempt_id=attempt_id, usage_key=usage_key, staff_id=staff_id,
                              passed=passed, reason=reason)


def reset_learner_state(*, user_id: int, usage_key: UsageKey,
                        requested_by: int | None) -> list[int]:
    """Clear a learner's state at a unit (instructor "reset"): their attempts become RESET
    and never count again, claims on them go, pending uploads go; audited (RESET).
    Returns the ids of the attempts reset."""
    return resets.reset(user_id=user_id, usage_key=usage_key, requested_by=requested_by)


# --- Policies: retake and issuance ---


def grant_extra_attempts(*, user_id: int, usage_key: UsageKey, count: int, granted_by: int,
                         reason: str) -> RetakeStatus:
    """Let one learner make ``count`` more attempts at one unit than the policy allows.

    Recorded in the audit trail with who and why; raises InvalidPolicy (naming the
    field) on a bad count or an empty reason. Returns the learner's new retake status.
    """
    policies.grant_extra_attempts(user_id=user_id, usage_key=usage_key, count=count,
                                  granted_by=granted_by, reason=reason)
    return attempts.retake_status(user_id, usage_key)


def record_remediation_complete(*, user_id: int, usage_key: UsageKey) -> None:
    """Note that the learner completed ``usage_key``, a unit some retake policy may name as
    remediation; idempotent. In Open edX, ``platform_hooks/remediation.py`` records the same
    when the completion app saves a finished ``BlockCompletion`` of a block some retake
    policy names."""
    policies.record_remediation_complete(user_id=user_id, usage_key=usage_key)


def get_counted_result(user_id: int, usage_key: UsageKey) -> AttemptData | None:
    """The assessed attempt whose result counts for this learner and unit — the latest or
    the highest, as the definition's retake policy says — for the result shown and the
    grade published. None before any attempt has been assessed."""
    return attempts.counted_for_learner(user_id, usage_key)


def get_course_score(user_id: int, usage_key: UsageKey) -> tuple[int, int] | None:
    """The learner's score at this unit as the course grade counts it, (earned, possible):
    the counted result, scaled to the unit's weight. None before a result or after a reset."""
    return course_scores.current_score(user_id, usage_key)


# --- lifecycle: approval, revocation, expiry, versions, retirement ---

def get_credential(credential_uuid: str) -> CredentialData:
    """The credential with this uuid, whatever its state; raises CredentialNotFound."""
    return credentials.get(credential_uuid)


def approve_credential(*, credential_uuid: str, approver_id: int,
                       reason: str = "") -> CredentialData:
    """Make a credential waiting for approval active (it replaces one it renews)."""
    return credentials.approve(credential_uuid=credential_uuid, approver_id=approver_id,
                               reason=reason)


def revoke_credential(*, credential_uuid: str, revoked_by: int, reason: str) -> CredentialData:
    """Revoke a credential; ``reason`` is required. The learner may earn it again."""
    return credentials.revoke_by_uuid(credential_uuid=credential_uuid, revoked_by=revoked_by,
                                      reason=reason)


def expire_due_credentials(now: datetime | None = None) -> int:
    """Expire every active credential past its validity; return how many."""
    return expiry.expire_due(now)


def publish_new_version(*, slug: str, actor_id: int | None) -> CredentialDefinitionData:
    """Put the draft version ``slug`` in force over its previous version (see ``versions``)."""
    return credentials.definition_to_data(versions.publish(slug=slug, actor_id=actor_id))


def retire_user(user_id: int) -> None:
    """Remove a retired person's data from the app, keeping report counts intact."""
    retirement.retire_user(user_id)


# ---- learner: evidence files, links, the credentials page ---------------------------


def upload_evidence_file(*, user_id: int, usage_key: UsageKey, name: str, content, size,
                         evidence: EvidenceSettings) -> EvidenceFileData:
    """Keep one uploaded file as the learner's pending evidence for this unit.

    ``content`` is a binary file-like object, ``size`` its announced size (or None).
    Raises InvalidEvidence (wrong type, too big, too many, content not matching the
    extension) having stored nothing.
    """
    return evidence_files.upload(user_id=user_id, usage_key=usage_key, name=name,
                                 content=content, size=size, evidence=evidence)


def remove_evidence_file(*, user_id: int, usage_key: UsageKey, file_id: int) -> None:
    """Delete one of the learner's pending files; raises EvidenceFileNotFound."""
    evidence_files.remove(user_id=user_id, usage_key=usage_key, file_id=file_id)


def get_pending_evidence_files(user_id: int, usage_key: UsageKey) -> list[EvidenceFileData]:
    """Files the learner uploaded for this unit and has not handed in yet."""
    return evidence_files.pending(user_id, usage_key)


def open_evidence_file(*, file_id: int, usage_key: UsageKey, viewer_id: int | None,
                       viewer_is_staff: bool):
    """``(EvidenceFileData, binary file)`` for the learner who uploaded it or course staff.

    ``viewer_is_staff`` is what the runtime says of the viewer *for this unit's
    course*, so the file must belong to ``usage_key``. Raises EvidenceFileNotFound
    or EvidenceAccessDenied. The caller closes the file.
    """
    return evidence_files.open_file(file_id=file_id, usage_key=usage_key, viewer_id=viewer_id,
                                    viewer_is_staff=viewer_is_staff)


def delete_learner_evidence_files(user_id: int) -> int:
    """Delete all of a learner's evidence files and their stored bytes (for ``retire_user``)."""
    return evidence_files.erase_for_user(user_id)

# --- A learner's records, for the REST API and the credentials page ---

def get_learner_attempts(user_id: int) -> list[AttemptData]:
    """Every attempt the learner made, at any unit, newest first, with results once assessed."""
    return attempts.all_for_learner(user_id)


def get_credentials_page_url() -> str:
    """Where a learner sees their credentials, for links from the block: the operator's
    ``CREDENTIAL_APP["CREDENTIALS_PAGE_URL"]``, else this app's own page (in the LMS,
    whichever process renders the block: Studio's preview too)."""
    return (settings.CREDENTIAL_APP.get("CREDENTIALS_PAGE_URL")
            or public_urls.lms_page("learner-credentials"))


# ---- badge pages: the public verification page, baked downloads, sharing choices ----------

def get_public_badge(credential_uuid: str) -> PublicBadgeData:
    """What anyone may see of an issued credential, with the holder's name and evidence as
    they chose to share them; CredentialNotFound for an unknown or not yet approved one."""
    return pages.public_badge(credential_uuid)


def get_open_badge_json(credential_uuid: str, *, indent: int | None = None) -> str:
    """The signed ``OpenBadgeCredential`` as JSON text (what downloads and images carry)."""
    return json.dumps(get_open_badge(credential_uuid), ensure_ascii=False, indent=indent)


def get_baked_badge_png(credential_uuid: str) -> bytes:
    """The badge picture as PNG with the signed credential baked in (OB 3.0 baking)."""
    png, _svg = pages.badge_image(credential_uuid)
    return baking.bake_png(png, get_open_badge_json(credential_uuid))


def get_achievement_image(credential_slug: str) -> bytes | None:
    """The PNG picture of a credential definition (the achievement's ``image``)."""
    return pages.achievement_image(credential_slug)


def get_baked_badge_svg(credential_uuid: str) -> str:
    """The badge picture as SVG with the signed credential baked in (OB 3.0 baking)."""
    _png, svg = pages.badge_image(credential_uuid)
    return baking.bake_svg(svg, get_open_badge_json(credential_uuid))


def get_badge_sharing(user_id: int) -> dict[str, BadgeSharingData]:
    """The learner's sharing choices for each of their credentials, by credential uuid."""
    return pages.sharing_for_learner(user_id)


def set_badge_sharing(*, user_id: int, credential_uuid: str, name_display: str,
                      share_evidence: bool) -> BadgeSharingData:
    """How the learner's name appears on the public pages of one of their own credentials
    ("full", "initial" or "hidden") and whether their written evidence is shown; audited.
    Raises InvalidSharingChoice, or CredentialNotFound for a credential not theirs."""
    return pages.set_sharing(user_id=user_id, credential_uuid=credential_uuid,
                                   name_display=name_display, share_evidence=share_evidence)


# --- Open Badges 3.0: signed credentials, issuer identity, revocation lists, verification ---

def get_open_badge(credential_uuid: str) -> dict:
    """The signed OB 3.0 ``OpenBadgeCredential`` (JSON-LD with a DataIntegrityProof).

    The same document every time until what it says changes or it is re-signed.
    Raises CredentialNotFound (also for a credential still waiting for approval).
    """
    return store.signed_document(credential_uuid)


def get_open_badge_jwt(credential_uuid: str) -> str:
    """The same credential as a VC-JWT (EdDSA, ``kid`` = its verification method)."""
    return store.signed_jwt(credential_uuid)


def verify_open_badge(data: bytes | str | dict) -> VerificationResult:
    """Verify a credential given as a dict, JSON text, a JWT, or baked PNG/SVG bytes."""
    return verification.verify(data)


def get_issuer_did_document(issuer_ref: str, *, legacy: bool = False) -> dict | None:
    """The did:web DID document of issuer ``issuer_ref`` (an id or "platform"); None if
    there is no such issuer. ``legacy``: as the DID earlier versions signed with (the root
    address layout, docs/decisions/0011)."""
    if issuer_ref != issuer_identity.PLATFORM and not (
            issuer_ref.isdigit() and Issuer.objects.filter(pk=int(issuer_ref)).exists()):
        return None
    did = issuer_identity.legacy_issuer_did(issuer_ref) if legacy else None
    return issuer_identity.did_document(issuer_ref, did=did)


def get_status_list_credential(list_id: int) -> dict | None:
    """The signed BitstringStatusListCredential ``list_id``, as of now; None if unknown."""
    return status_list.current_document(list_id)


# ---- HRIS people: a learner's consent to share with employers ---------------------------


def get_employer_sharing(user_id: int) -> list[EmployerSharing]:
    """Each enabled employer (HRIS destination) linking this learner to an employee id, and
    whether the learner currently shares their credentials with it."""
    return consent.employers_of(user_id)


def set_employer_sharing(*, user_id: int, destination_id: int, share: bool) -> EmployerSharing:
    """The learner's own choice for one employer that links them (audited). Withdrawing
    cancels what was not yet delivered. Raises UnknownEmployer for any other destination."""
    return consent.set_consent(user_id=user_id, destination_id=destination_id, given=share)


def record_confidence(*, user_id: int, credential_slug: str, moment: str, score: int) -> None:
    """The learner's optional answer to "how confident are you?" (1–5) before their attempt
    (``moment="before"``) or after its result (``"after"``): the governance dashboard's
    learning indicator. Raises UnknownCredential or InvalidConfidenceAnswer."""
    confidence.record(user_id=user_id, moment=moment, score=score,
                      definition=credentials.get_definition_model(credential_slug))

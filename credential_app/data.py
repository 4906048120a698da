"""Immutable data passed across the app's public boundary (OEP-49 ``data.py``).

The XBlock builds a :class:`Rubric` from its content fields and receives
:class:`AttemptData` and :class:`CredentialData` back; it never sees a model.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _
from opaque_keys.edx.keys import UsageKey

from credential_app.exceptions import InvalidRubric

MAX_NAME_LENGTH = 100
# Limits of a rubric, whoever writes it (Studio, OLX import, the API): far above any real
# rubric, low enough that a page showing one stays small and a score fits its column.
MAX_CRITERIA = 50
MAX_LEVELS = 10
MAX_LABEL_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 2000
MAX_LEVEL_POINTS = 1000  # so a rubric's total is at most 50,000 points
# Evidence an attempt may carry, whatever a unit's author sets.
MAX_FILES_PER_ATTEMPT = 20
MAX_LINKS_PER_ATTEMPT = 20


class AttemptStatus(enum.StrEnum):
    """Where an attempt stands; values are stored in the database."""

    SUBMITTED = "submitted"
    PASSED = "passed"
    FAILED = "failed"
    RESET = "reset"  # cleared by course staff ("reset learner state"); never counts again


class CredentialStatus(enum.StrEnum):
    """Lifecycle state of an issued credential; values are stored in the database."""

    PENDING_APPROVAL = "pending_approval"
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"
    # a pathway credential whose requirements are no longer held, under the pathway's rule
    # "suspend": reinstated (the same credential) when they are held again
    SUSPENDED = "suspended"


def _check_text(value, what, field, limit):
    if not isinstance(value, str) or len(value) > limit:
        raise InvalidRubric(
            _("The {what} may be at most {limit} characters long.").format(what=what,
                                                                         limit=limit),
            field=field)


def _check_name(name, what):
    if not isinstance(name, str) or not name.strip():
        raise InvalidRubric(_("Every {what} needs a name.").format(what=what), field="name")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidRubric(
            _("The {what} name “{name}” is longer than {limit} characters.").format(
                what=what, name=name[:20], limit=MAX_NAME_LENGTH),
            field="name",
        )


@dataclass(frozen=True)
class RubricLevel:
    """One achievable level of a criterion and the points it is worth."""

    name: str
    label: str
    points: int
    description: str = ""

    def __post_init__(self):
        _check_name(self.name, _("level"))
        _check_text(self.label, _("level's label"), "label", MAX_LABEL_LENGTH)
        _check_text(self.description, _("level's description"), "description",
                    MAX_DESCRIPTION_LENGTH)
        if isinstance(self.points, bool) or not isinstance(self.points, int) or self.points < 0:
            raise InvalidRubric(
                _("Level “{name}” must be worth a whole number of points, zero or more.").format(
                    name=self.name),
                field="points",
            )
        if self.points > MAX_LEVEL_POINTS:
            raise InvalidRubric(
                _("Level “{name}” may be worth at most {limit} points.").format(
                    name=self.name, limit=MAX_LEVEL_POINTS),
                field="points",
            )


@dataclass(frozen=True)
class RubricCriterion:
    """A criterion the evidence is judged on, with its ordered levels."""

    name: str
    label: str
    levels: tuple[RubricLevel, ...]
    description: str = ""
    minimum_level: str = ""  # name of the lowest level that still passes; "" for none

    def __post_init__(self):
        _check_name(self.name, _("criterion"))
        _check_text(self.label, _("criterion's label"), "label", MAX_LABEL_LENGTH)
        _check_text(self.description, _("criterion's description"), "description",
                    MAX_DESCRIPTION_LENGTH)
        if len(self.levels) > MAX_LEVELS:
            raise InvalidRubric(
                _("Criterion “{name}” may have at most {limit} levels.").format(
                    name=self.name, limit=MAX_LEVELS),
                field="levels",
            )
        if not self.levels:
            raise InvalidRubric(
                _("Criterion “{name}” needs at least one level.").format(name=self.name),
                field="levels",
            )
        if self.minimum_level and self.level(self.minimum_level) is None:
            raise InvalidRubric(
                _("Criterion “{name}” asks for a minimum level “{level}” it does not have.")
                .format(name=self.name, level=self.minimum_level),
                field="minimum_level",
            )
        names = [level.name for level in self.levels]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise InvalidRubric(
                _("Criterion “{name}” has more than one level named “{level}”.").format(
                    name=self.name, level=duplicates[0]),
                field="levels",
            )

    @property
    def max_points(self) -> int:
        return max(level.points for level in self.levels)

    def level(self, name) -> RubricLevel | None:
        return next((level for level in self.levels if level.name == name), None)

    def meets_minimum(self, level_name) -> bool:
        """Whether ``level_name`` is worth at least the criterion's minimum level."""
        if not self.minimum_level:
            return True
        chosen, minimum = self.level(level_name), self.level(self.minimum_level)
        return chosen is not None and chosen.points >= minimum.points


@dataclass(frozen=True)
class Rubric:
    """Criteria × levels × points: what an assessor scores against."""

    criteria: tuple[RubricCriterion, ...]

    def __post_init__(self):
        if not self.criteria:
            raise InvalidRubric(_("The rubric needs at least one criterion."), field="criteria")
        if len(self.criteria) > MAX_CRITERIA:
            raise InvalidRubric(_("A rubric may have at most {limit} criteria.").format(
                limit=MAX_CRITERIA), field="criteria")
        names = [criterion.name for criterion in self.criteria]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise InvalidRubric(
                _("The rubric has more than one criterion named “{name}”.").format(
                    name=duplicates[0]),
                field="criteria",
            )
        if self.max_points == 0:
            raise InvalidRubric(
                _("Every level of the rubric is worth 0 points; at least one must be worth "
                  "more."),
                field="points",
            )

    @property
    def max_points(self) -> int:
        return sum(criterion.max_points for criterion in self.criteria)

    def criterion(self, name) -> RubricCriterion | None:
        return next((c for c in self.criteria if c.name == name), None)

    def results_for(self, scores) -> tuple[CriterionResult, ...]:
        """Each criterion, in rubric order, with the level ``scores`` chose (anything with
        ``criterion``, ``level``, ``comment`` and optionally the ``points`` kept with it),
        labelled for people; a criterion nobody scored shows no level and 0 points."""
        by_criterion = {score.criterion: score for score in scores}
        results = []
        for criterion in self.criteria:
            score = by_criterion.get(criterion.name)
            level = criterion.level(score.level) if score else None
            points = getattr(score, "points", None)
            results.append(CriterionResult(
                criterion=criterion.name, criterion_label=criterion.label,
                level=score.level if score else "", level_label=level.label if level else "",
                points=points if points is not None else (level.points if level else 0),
                max_points=criterion.max_points, comment=score.comment if score else ""))
        return tuple(results)

    def to_dict(self) -> dict:
        """Plain JSON-ready form, as stored with an attempt and in XBlock fields."""
        return {
            "criteria": [
                {
                    "name": c.name,
                    "label": c.label,
                    "description": c.description,
                    **({"minimum_level": c.minimum_level} if c.minimum_level else {}),
                    "levels": [
                        {"name": lv.name, "label": lv.label, "points": lv.points,
                         "description": lv.description}
                        for lv in c.levels
                    ],
                }
                for c in self.criteria
            ]
        }

    @classmethod
    def from_dict(cls, value) -> Rubric:
        """Build and validate a rubric from its plain form; raises InvalidRubric."""
        if not isinstance(value, dict) or not isinstance(value.get("criteria"), list):
            raise InvalidRubric(_("The rubric must be a list of criteria."), field="criteria")
        try:
            criteria = tuple(
                RubricCriterion(
                    name=c["name"],
                    label=c.get("label") or c["name"],
                    description=c.get("description", ""),
                    minimum_level=c.get("minimum_level") or "",
                    levels=tuple(
                        RubricLevel(
                            name=lv["name"],
                            label=lv.get("label") or lv["name"],
                            points=lv["points"],
                            description=lv.get("description", ""),
                        )
                        for lv in c.get("levels", [])
                    ),
                )
                for c in value["criteria"]
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise InvalidRubric(
                _("The rubric is incomplete: every criterion and level needs a name "
                  "and every level needs points."),
                field="criteria",
            ) from exc
        return cls(criteria=criteria)


@dataclass(frozen=True)
class EvidenceSettings:
    """What evidence a unit asks for; authored in the block, enforced by the app."""

    text_enabled: bool = True
    text_min_length: int = 0
    text_max_length: int = 10_000
    files_enabled: bool = False
    file_types: tuple[str, ...] = ("pdf", "png", "jpg")  # extensions, lower case, no dot
    max_file_size: int = 10 * 1024 * 1024  # bytes
    max_files: int = 3
    links_enabled: bool = False
    max_links: int = 3


@dataclass(frozen=True)
class AssessmentUnitData:
    """An assessment unit (block) as the app knows it: what it asks and what it leads to."""

    usage_key: UsageKey
    credential_slug: str
    display_name: str
    rubric: Rubric
    evidence: EvidenceSettings


@dataclass(frozen=True)
class RetakeStatus:
    """The one answer to "may I try again, and when?" shown wherever it is asked."""

    may_start: bool
    reason: str | None  # why not, in the learner's language; None when they may start
    attempts_used: int
    attempts_allowed: int | None  # None: unlimited
    opens_at: datetime | None = None  # when the next attempt may start, if later than now
    closes_at: datetime | None = None  # after this, no attempt starts
    # All defaulted, so callers that only need the verdict can ignore them:
    reason_code: str = ""  # machine-readable why-not: see policies.RetakeRefusal; "" if may
    waiting_for_assessment: bool = False  # the latest attempt is still being assessed
    remediation_usage_key: str = ""  # unit to complete before the next attempt; "" if none
    holds_live_credential: bool = False  # the learner already holds this credential

    @property
    def attempts_left(self) -> int | None:
        if self.attempts_allowed is None:
            return None
        return max(0, self.attempts_allowed - self.attempts_used)


@dataclass(frozen=True)
class CriterionScore:
    """An assessor's judgement on one criterion: the level chosen and why."""

    criterion: str
    level: str
    comment: str = ""


@dataclass(frozen=True)
class CriterionResult:
    """How an attempt did on one criterion, ready to show the learner."""

    criterion: str
    criterion_label: str
    level: str
    level_label: str
    points: int
    max_points: int
    comment: str = ""


@dataclass(frozen=True)
class AttemptResult:
    """The outcome of an assessed attempt."""

    score: int
    max_score: int
    percentage: Decimal
    passed: bool
    criteria: tuple[CriterionResult, ...] = ()
    changed_by_staff: bool = False  # staff overrode the pass/fail the scores gave


@dataclass(frozen=True)
class CredentialDefinitionData:
    """What a credential certifies and the bar for earning it."""

    slug: str
    name: str
    description: str
    pass_percentage: int
    # what the definition says beyond its bar (optional, with defaults)
    criteria_narrative: str = ""
    image_url: str = ""
    issuer: IssuerData | None = None
    alignments: tuple[CompetencyAlignmentData, ...] = ()
    validity_days: int | None = None  # None: never expires
    renewal_window_days: int = 60
    version: int = 1
    previous_version_slug: str = ""


@dataclass(frozen=True)
class AttemptData:
    """One hand-in of evidence by one learner for one assessment unit."""

    id: int
    user_id: int
    usage_key: UsageKey
    number: int
    status: AttemptStatus
    evidence_text: str
    submitted_at: datetime
    credential_slug: str
    rubric: Rubric
    result: AttemptResult | None = None
    learner_name: str = field(default="", compare=False)
    links: tuple[str, ...] = ()  # web pages the learner handed in (http/https)
    files: tuple[EvidenceFileData, ...] = ()  # files handed in with this attempt


@dataclass(frozen=True)
class CredentialData:
    """A credential issued to a learner."""

    uuid: str
    user_id: int
    definition: CredentialDefinitionData
    status: CredentialStatus
    issued_at: datetime
    attempt_id: int
    # lifecycle dates and links (optional, with defaults)
    expires_at: datetime | None = None  # None: never expires (or not active yet)
    approved_at: datetime | None = None  # set when a person approved it
    ended_at: datetime | None = None  # when it expired, was revoked, superseded or suspended
    revoked_reason: str = ""
    superseded_by: str = ""  # uuid of the credential that replaced it
    through_pathway: bool = False  # earned by holding a pathway's requirements, not assessed

    @property
    def status_label(self) -> str:
        """The state in the reader's language, e.g. for "Your credential is {status}"."""
        return {
            CredentialStatus.PENDING_APPROVAL: _("waiting for approval"),
            CredentialStatus.ACTIVE: _("active"),
            CredentialStatus.EXPIRED: _("expired"),
            CredentialStatus.REVOKED: _("revoked"),
            CredentialStatus.SUPERSEDED: _("superseded"),
            CredentialStatus.SUSPENDED: _("suspended"),
        }[self.status]

    @property
    def is_valid(self) -> bool:
        """Whether it vouches for its holder now: active and not past its expiry, even if
        the expiry sweep has not run yet."""
        return self.status == CredentialStatus.ACTIVE and (
            self.expires_at is None or self.expires_at > datetime.now(UTC))


@dataclass(frozen=True)
class UnitRules:
    """What a learner should know before handing in at a unit: the credential it leads to
    and the bar, the retake rule, and who decides."""

    credential_name: str
    credential_image_url: str
    pass_percentage: int
    # criterion name → lowest passing level name, set by the issuance policy on top of any
    # minimum level in the rubric itself (the stricter one applies)
    criterion_minimums: dict[str, str]
    required_assessments: int
    requires_approval: bool
    max_attempts: int | None  # None: unlimited
    wait_after_first_failure: timedelta
    wait_after_later_failures: timedelta
    counts_highest: bool  # the highest-scoring assessed attempt counts, not the latest


@dataclass(frozen=True)
class LearnerUnitState:
    """Everything a learner's view of a unit shows, asked in one go (each row read once):
    the latest attempt, whether they may hand in, the result that counts, the credential
    it earned, their course score, files waiting to be handed in, and the unit's rules."""

    attempt: AttemptData | None
    retake: RetakeStatus
    counted: AttemptData | None  # the assessed attempt whose result counts (policy)
    credential: CredentialData | None  # when the latest attempt passed
    course_score: tuple[int, int] | None  # (earned, possible), once assessed
    pending_files: list  # EvidenceFileData waiting for the next hand-in
    rules: UnitRules | None


@dataclass(frozen=True)
class AssessmentOutcome:
    """What recording an assessment produced: the scored attempt and any credential."""

    attempt: AttemptData
    credential: CredentialData | None


# --- lifecycle: issuer and competency alignments of a credential definition ---

@dataclass(frozen=True)
class IssuerData:
    """The organisation that vouches for a credential (an Open Badges issuer profile)."""

    name: str
    url: str
    email: str


@dataclass(frozen=True)
class CompetencyAlignmentData:
    """A competency in an external framework that a credential certifies."""

    name: str
    url: str
    framework: str = ""
    code: str = ""

# ---- assessor: claims, queue ----------------------------------------------------------


class QueueStatus(enum.StrEnum):
    """Where an attempt stands in one assessor's queue."""

    WAITING = "waiting"  # submitted, nobody else holds a claim, not yet scored by me
    CLAIMED = "claimed"  # I hold a live claim on it
    LOCKED = "locked"  # someone else holds a live claim on it
    SCORED = "scored"  # I have scored it
    RESULT = "result"  # a learner's latest result, scored by others (staff may override it)


@dataclass(frozen=True)
class ClaimData:
    """A live claim: who is scoring an attempt, and until when others must wait."""

    attempt_id: int
    assessor_id: int
    assessor_name: str
    expires_at: datetime


@dataclass(frozen=True)
class QueueItem:
    """One attempt in an assessor's queue, with the claim on it if any."""

    attempt: AttemptData
    status: QueueStatus
    claim: ClaimData | None = None
    my_scores: tuple[CriterionResult, ...] = ()  # what this assessor chose, once scored


@dataclass(frozen=True)
class AssessmentQueue:
    """One assessor's view of a unit's attempts: counts per status and the items shown.

    ``counts`` has every :class:`QueueStatus` as a key; the "claimed" filter shows the
    assessor's own claims and, locked, those others hold.
    """

    counts: dict
    items: tuple[QueueItem, ...]
    # list name ("waiting", "claimed", "scored", "result") → more items than shown follow
    more: dict = field(default_factory=dict)

    def of(self, *statuses) -> list[QueueItem]:
        return [item for item in self.items if item.status in statuses]

# ---- learner: evidence files and links --------------------------------------


@dataclass(frozen=True)
class EvidenceFileData:
    """A file a learner uploaded as evidence; pending until an attempt takes it."""

    id: int
    user_id: int
    usage_key: UsageKey
    name: str  # sanitised display name, safe to show (still escape it in HTML)
    size: int  # bytes
    content_type: str
    sha256: str
    uploaded_at: datetime
    attempt_id: int | None = None


# ---- badge pages: sharing choices and what a public badge page shows ----------------------


class NameDisplay(enum.StrEnum):
    """How a credential's public pages show its holder's name; stored in the database."""

    FULL = "full"  # "Lee Learner"
    INITIAL = "initial"  # "Lee L."
    HIDDEN = "hidden"  # "Name not shown (the holder may choose to show it)" (the default)


@dataclass(frozen=True)
class BadgeSharingData:
    """What the learner chose to share on one credential's public pages."""

    credential_uuid: str
    name_display: NameDisplay = NameDisplay.HIDDEN
    share_evidence: bool = False


@dataclass(frozen=True)
class PublicBadgeData:
    """What anyone may see of an issued credential: its public and evidence pages.

    ``holder_name`` is "" when the learner withholds it; ``evidence_text`` is "" unless
    they chose to share it. Never the files they handed in, nor assessors' comments.
    """

    credential: CredentialData
    sharing: BadgeSharingData
    holder_name: str
    valid_from: datetime
    unit_name: str
    criteria: tuple[CriterionResult, ...]
    assessed_at: datetime | None
    assessor_count: int
    evidence_text: str = ""
    result_changed_by_staff: bool = False
    # a pathway credential: the credentials it stacks, and how many of them it needs
    components: tuple[PathwayComponentData, ...] = ()
    components_needed: int = 0


@dataclass(frozen=True)
class PathwayComponentData:
    """One credential a pathway requires, and (for one learner) where they stand on it."""

    slug: str
    name: str
    minimum_version: int | None = None
    # for one learner: "done" (held, active), "in_progress" (an attempt handed in and not
    # yet passed, or a credential waiting for approval) or "todo"
    state: str = "todo"
    badge_uuid: str = ""  # the learner's credential that meets it, when done
    unit_url: str = ""  # where to take it: the first unit linked to it, if the LMS has one


@dataclass(frozen=True)
class PathwayProgressData:
    """One learner's progress through one pathway."""

    slug: str
    name: str
    components: tuple[PathwayComponentData, ...]
    needed: int  # how many components complete it
    done: int  # how many the learner holds now
    credential_uuid: str = ""  # their pathway credential, active or waiting for approval
    credential_status: CredentialStatus | None = None
    next_component: PathwayComponentData | None = None  # the next one to take, if any


# --- Open Badges 3.0: verification ---


@dataclass(frozen=True)
class VerificationResult:
    """What a verifier concluded about a credential it was handed.

    ``reasons`` are human sentences in the reader's language, ``codes`` the same
    findings for machines: "tampered", "wrong_key", "unknown_issuer" (a did:key this site
    does not accept), "revoked", "suspended", "expired", "not_yet_valid", "malformed", "too_complex"
    (more work than a public verifier spends on one input), and "status_unchecked" when
    a revocation list is not this app's and so could not be read offline (that alone does
    not invalidate).
    ``status`` is "valid", "expired", "suspended" (reversible: a pathway credential whose
    requirements are not held), "revoked" or "invalid" (a bad signature, an unknown key, a
    malformed or not-yet-valid credential).
    """

    valid: bool
    reasons: tuple[str, ...]
    codes: tuple[str, ...]
    credential: dict | None
    status: str
    # Who signed, shown rather than the name the credential claims: the DID that controls
    # the key its proof checks out with ("" when no key was found), whether that is one of
    # this site's issuers, and then this site's name for it.
    signed_by: str = ""
    known_issuer: bool = False
    issuer_name: str = ""

# ---- HRIS people: employers a learner may share their credentials with ----------------


@dataclass(frozen=True)
class EmployerSharing:
    """One employer (HRIS destination) that knows the learner, and whether they share."""

    destination_id: int
    name: str
    sharing: bool
    sent: int = 0  # credentials already held that starting to share sent just now


# --- the catalogue: credentials and pathways in plain language, mapped to job tasks ---


@dataclass(frozen=True)
class JobTaskData:
    """A job task a credential maps to, at a level, with its framework codes."""

    role: str
    task: str
    level: int
    level_label: str
    role_framework: str = ""
    role_code: str = ""
    role_url: str = ""
    task_framework: str = ""
    task_code: str = ""
    task_url: str = ""

    def as_record(self) -> dict:
        """The plain form HR systems receive."""
        return {"role": self.role, "task": self.task, "level": self.level,
                "level_label": self.level_label,
                "role_code": {"framework": self.role_framework, "code": self.role_code,
                              "url": self.role_url},
                "task_code": {"framework": self.task_framework, "code": self.task_code,
                              "url": self.task_url}}


@dataclass(frozen=True)
class CatalogueEntryData:
    """One credential or pathway as the catalogue shows it."""

    definition: CredentialDefinitionData
    is_pathway: bool
    evidence_types: tuple[str, ...] = ()  # "text", "files", "links"
    rubric_criteria: tuple[tuple[str, str], ...] = ()  # (label, description)
    assessments_required: int = 1
    requires_approval: bool = False
    tasks: tuple[JobTaskData, ...] = ()
    pathways: tuple[tuple[str, str], ...] = ()  # (slug, name) of pathways it belongs to
    components: tuple[PathwayComponentData, ...] = ()  # a pathway's requirements
    components_needed: int = 0

    @property
    def levels(self) -> tuple[int, ...]:
        return tuple(sorted({task.level for task in self.tasks}))

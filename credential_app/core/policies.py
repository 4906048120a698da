"""Policies of a credential definition: what earns it, and how often one may try again.

Each question has ONE function that answers it, used by every caller:

* :func:`retake_decision` — "may this learner start an attempt at this unit now; if not,
  why, and from when?". ``attempts.retake_status`` (what pages show) and
  ``attempts.submit`` (inside its locked transaction) both call it, so what a learner is
  told and what is enforced cannot drift apart.
* :func:`judge` — "do the assessments of this attempt settle its result, and is it a
  pass?". ``assessment.record`` calls it after each assessment.

Retakes: attempts are counted per unit (attempts reset by staff never count); staff
grants add to the maximum for one learner and unit; the wait after a failure runs from
when that failed attempt was assessed (first failure: one delay, later failures: the
other, as in Moodle's quiz); a remediation unit counts once completed, whenever that
was (completion is recorded by ``api.record_remediation_complete``); a live credential
blocks new attempts at every unit leading to it until ``credentials`` says otherwise
(revoked, expired, renewal window open).

A definition without policy rows keeps the behaviour it had before policies existed:
unlimited attempts, no waits, the definition's pass percentage, one assessment, no
approval, the latest result counts.

How several assessments become one result (documented for assessors and learners):
per criterion, the *lower median* of the levels the assessors chose (by points) — with
two assessors the lower of the two, with three the middle one. It is always a level an
assessor really chose, and one outlier cannot carry the result. The score is the sum of
those levels' points. If the assessors' totals differ by more than the policy's
tolerance (in percentage points of the rubric's total), ONE more assessment is required;
once it is in, the median of all of them decides (no endless loop of re-assessments).
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from fractions import Fraction

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Sum
from django.utils.timezone import now
from django.utils.translation import gettext as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import UsageKey

from credential_app.core import audit, credentials
from credential_app.core.models import (
    AssessmentUnit,
    Attempt,
    CountedResult,
    CredentialDefinition,
    ExtraAttemptGrant,
    IssuancePolicy,
    RemediationCompletion,
    RetakePolicy,
)
from credential_app.core.models import CriterionScore as CriterionScoreRow
from credential_app.core.read_once import remembered
from credential_app.core.reasons import clean_reason
from credential_app.data import AttemptStatus, RetakeStatus, Rubric, UnitRules
from credential_app.exceptions import InvalidPolicy, UnknownCredential
from credential_app.lib.dates import human_datetime

MAX_EXTRA_ATTEMPTS = 100


# --- Reading the rules -------------------------------------------------------------------


@dataclass(frozen=True)
class IssuanceRules:
    """The issuance policy of one definition, with defaults filled in."""

    minimum_percentage: int
    criterion_minimums: dict[str, str] = field(default_factory=dict)
    required_assessments: int = 1
    max_disagreement: int | None = None
    requires_approval: bool = False


def issuance_rules(definition: CredentialDefinition) -> IssuanceRules:
    policy = remembered("issuance policy", definition.pk, lambda: IssuancePolicy.objects.filter(
        definition_id=definition.pk).first())
    if policy is None:
        return IssuanceRules(minimum_percentage=definition.pass_percentage)
    return IssuanceRules(
        minimum_percentage=(definition.pass_percentage if policy.minimum_percentage is None
                            else policy.minimum_percentage),
        criterion_minimums=dict(policy.criterion_minimums or {}),
        required_assessments=policy.required_assessments,
        max_disagreement=policy.max_disagreement,
        requires_approval=policy.requires_approval,
    )


def retake_policy(definition: CredentialDefinition | None) -> RetakePolicy:
    """The definition's retake policy, or an unsaved one holding the defaults."""
    if definition is not None:
        policy = remembered("retake policy", definition.pk, lambda: RetakePolicy.objects.filter(
            definition_id=definition.pk).first())
        if policy is not None:
            return policy
    return RetakePolicy()


def definition_for_unit(usage_key, user_id=None, credential_slug=None):
    """The definition a unit leads to: the slug the block gives, else its registration,
    else the learner's latest attempt there; None when nothing says."""
    if credential_slug:
        try:  # the version in force, as submitting resolves it
            return credentials.get_definition_model(credential_slug)
        except UnknownCredential:
            pass
    unit = AssessmentUnit.objects.select_related("definition").filter(
        usage_key=usage_key).first()
    if unit is not None:
        return unit.definition
    if user_id is not None:
        latest = (Attempt.objects.select_related("definition")
                  .filter(user_id=user_id, usage_key=usage_key).order_by("-number").first())
        if latest is not None:
            return latest.definition
    return None


def unit_rules(usage_key, credential_slug=None) -> UnitRules | None:
    """The rules a learner meets at a unit, to tell them before they hand in; None when
    the unit leads to no known credential yet."""
    definition = definition_for_unit(usage_key, credential_slug=credential_slug)
    if definition is None:
        return None
    issuance, retake = issuance_rules(definition), retake_policy(definition)
    return UnitRules(
        credential_name=definition.name,
        credential_image_url=definition.image.url if definition.image else "",
        pass_percentage=issuance.minimum_percentage,
        criterion_minimums=issuance.criterion_minimums,
        required_assessments=issuance.required_assessments,
        requires_approval=issuance.requires_approval,
        max_attempts=retake.max_attempts,
        wait_after_first_failure=retake.delay_after_first_failure,
        wait_after_later_failures=retake.delay_after_later_failures,
        counts_highest=retake.counted_result == CountedResult.HIGHEST,
    )


# --- May I try again, and when? ----------------------------------------------------------


class RetakeRefusal(enum.StrEnum):
    """Why a learner may not start an attempt now (``RetakeStatus.reason_code``)."""

    WAITING_FOR_ASSESSMENT = "waiting_for_assessment"
    HOLDS_CREDENTIAL = "holds_credential"
    CLOSED = "closed"
    NO_ATTEMPTS_LEFT = "no_attempts_left"
    WAITING_PERIOD = "waiting_period"
    REMEDIATION = "remediation"


def extra_attempts(user_id, usage_key) -> int:
    total = ExtraAttemptGrant.objects.filter(
        user_id=user_id, usage_key=str(usage_key)).aggregate(total=Sum("count"))["total"]
    return total or 0


def retake_decision(*, user_id, usage_key, definition, attempts, at=None) -> RetakeStatus:
    """THE rule: may ``user_id`` start an attempt at ``usage_key`` now?

    ``attempts`` are the learner's attempts at this unit (models, any order); attempts
    reset by staff do not count. Checks, in order: an attempt still being assessed, a
    live credential, the closing date, attempts left (with staff grants), the wait after
    a failure (first failure / later failures), the remediation unit.
    """
    at = at or now()
    policy = retake_policy(definition)
    counted = sorted((a for a in attempts if a.status != AttemptStatus.RESET),
                     key=lambda a: a.number)
    latest = counted[-1] if counted else None
    allowed = None
    if policy.max_attempts is not None:
        allowed = policy.max_attempts + extra_attempts(user_id, usage_key)
    common = {"attempts_used": len(counted), "attempts_allowed": allowed,
              "closes_at": policy.closes_at}

    def refuse(code, reason, **extra):
        return RetakeStatus(may_start=False, reason=reason, reason_code=code, **common, **extra)

    if latest is not None and latest.status == AttemptStatus.SUBMITTED:
        return refuse(RetakeRefusal.WAITING_FOR_ASSESSMENT,
                      _("Your attempt {number} is waiting for assessment. You can try again "
                        "once it has been assessed.").format(number=latest.number),
                      waiting_for_assessment=True)
    if definition is not None:
        blocked = credentials.live_credential_block(user_id, definition.pk)
        if blocked:  # opens_at: when the renewal window opens, if it will
            return refuse(RetakeRefusal.HOLDS_CREDENTIAL, blocked.reason,
                          holds_live_credential=True, opens_at=blocked.opens_at)
    if policy.closes_at is not None and at >= policy.closes_at:
        return refuse(RetakeRefusal.CLOSED,
                      _("This assessment closed on {date}; no new attempt can start.").format(
                          date=_when(policy.closes_at)))
    if allowed is not None and len(counted) >= allowed:
        return refuse(RetakeRefusal.NO_ATTEMPTS_LEFT,
                      _("You have used all {allowed} of your attempts. Ask the course team "
                        "if you think you should have another.").format(allowed=allowed))
    if latest is not None and latest.status == AttemptStatus.FAILED:
        failures = sum(1 for a in counted if a.status == AttemptStatus.FAILED)
        delay = (policy.delay_after_first_failure if failures == 1
                 else policy.delay_after_later_failures)
        opens_at = (latest.assessed_at or latest.submitted_at) + delay
        if policy.closes_at is not None and opens_at >= policy.closes_at:
            return refuse(RetakeRefusal.CLOSED,
                          _("Your next attempt would open on {opens}, after this assessment "
                            "closes on {closes}.").format(opens=_when(opens_at),
                                                          closes=_when(policy.closes_at)),
                          opens_at=opens_at)
        if at < opens_at:
            return refuse(RetakeRefusal.WAITING_PERIOD,
                          _("You can try again from {date}.").format(date=_when(opens_at)),
                          opens_at=opens_at)
        remediation = policy.remediation_usage_key
        if remediation and not RemediationCompletion.objects.filter(
                user_id=user_id, usage_key=remediation).exists():
            return refuse(RetakeRefusal.REMEDIATION,
                          _("Complete the remediation unit set by the course team before "
                            "trying again."),
                          remediation_usage_key=remediation)
    return RetakeStatus(may_start=True, reason=None, **common)


def _when(moment) -> str:
    return human_datetime(moment)


def grant_extra_attempts(*, user_id, usage_key, count, granted_by, reason) -> ExtraAttemptGrant:
    """Give one learner ``count`` more attempts at one unit, recorded in the audit trail."""
    users = get_user_model().objects
    if isinstance(count, bool) or not isinstance(count, int) or not (
            1 <= count <= MAX_EXTRA_ATTEMPTS):
        raise InvalidPolicy(_("The number of extra attempts must be a whole number from 1 to "
                              "{limit}.").format(limit=MAX_EXTRA_ATTEMPTS), field="count")
    reason = clean_reason(reason, error=InvalidPolicy,
                          missing=_("Say why this learner gets extra attempts."))
    if not users.filter(pk=user_id).exists():
        raise InvalidPolicy(_("There is no learner with this id."), field="user_id")
    if not users.filter(pk=granted_by).exists():
        raise InvalidPolicy(_("There is no staff member with this id."), field="granted_by")
    with transaction.atomic():
        grant = ExtraAttemptGrant.objects.create(user_id=user_id, usage_key=str(usage_key),
                                                 count=count, granted_by_id=granted_by,
                                                 reason=reason)
        record_grant(grant)
    return grant


def record_grant(grant: ExtraAttemptGrant) -> None:
    """Audit a saved grant (the API and the admin both come here)."""
    try:
        key = UsageKey.from_string(grant.usage_key)
    except InvalidKeyError:  # pragma: no cover - the field validator refused it already
        key = None
    definition = definition_for_unit(key, grant.user_id) if key is not None else None
    audit.record(audit.AuditAction.EXTRA_ATTEMPT, actor_id=grant.granted_by_id,
                 learner_id=grant.user_id, subject=grant, reason=grant.reason,
                 definition_slug=definition.slug if definition else "",
                 course_key=key.course_key if key is not None else None,
                 details={"usage_key": grant.usage_key, "count": grant.count})


def record_remediation_complete(*, user_id, usage_key) -> None:
    """Note that a learner completed a remediation unit; repeating it changes nothing."""
    RemediationCompletion.objects.get_or_create(user_id=user_id, usage_key=str(usage_key))


# --- Which result counts ----------------------------------------------------------------


def counted_attempt(assessed, definition):
    """Of assessed attempts (models), the one whose result counts under the policy.

    Latest: the most recently numbered. Highest: a pass beats a fail (a fail can score
    more points yet miss a criterion minimum), then the larger share of points, then the
    later attempt.
    """
    if len(assessed) < 2:  # one result counts whatever the policy: it is not read
        return assessed[0] if assessed else None
    if retake_policy(definition).counted_result == CountedResult.HIGHEST:
        return max(assessed, key=lambda a: (a.status == AttemptStatus.PASSED,
                                            Fraction(a.score or 0, a.max_score), a.number))
    return max(assessed, key=lambda a: a.number)


# --- Do the assessments settle the result? -----------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """What the assessments of one attempt amount to under the issuance policy."""

    complete: bool  # False: more assessments are needed before there is a result
    assessments_needed: int
    disagreement: Fraction | None = None  # spread of totals, in % of the rubric's points
    levels: dict[str, str] = field(default_factory=dict)  # criterion → combined level
    score: int = 0
    passed: bool = False
    below_minimum: tuple[str, ...] = ()  # criteria whose combined level is below minimum


def judge(rubric: Rubric, assessments: list[dict[str, str]], rules: IssuanceRules) -> Verdict:
    """Combine assessments (each criterion → level name, oldest first); see module doc.

    A policy minimum naming a level that this attempt's rubric lacks (the author changed
    the rubric after the attempt) cannot be compared and is not applied to it.
    """
    needed = rules.required_assessments
    if len(assessments) < needed:
        return Verdict(complete=False, assessments_needed=needed)
    totals = [sum(rubric.criterion(c).level(lv).points for c, lv in chosen.items())
              for chosen in assessments]
    spread = Fraction((max(totals) - min(totals)) * 100, rubric.max_points)
    if (rules.max_disagreement is not None and len(assessments) == needed
            and spread > rules.max_disagreement):
        return Verdict(complete=False, assessments_needed=needed + 1, disagreement=spread)
    levels = {}
    below = []
    for criterion in rubric.criteria:
        chosen = sorted((criterion.level(a[criterion.name]) for a in assessments),
                        key=lambda level: level.points)
        level = chosen[(len(chosen) - 1) // 2]  # lower median
        levels[criterion.name] = level.name
        policy_minimum = criterion.level(rules.criterion_minimums.get(criterion.name, ""))
        if not criterion.meets_minimum(level.name) or (
                policy_minimum is not None and level.points < policy_minimum.points):
            below.append(criterion.name)
    score = sum(rubric.criterion(c).level(lv).points for c, lv in levels.items())
    passed = score * 100 >= rules.minimum_percentage * rubric.max_points and not below
    return Verdict(complete=True, assessments_needed=needed, disagreement=spread,
                   levels=levels, score=score, passed=passed, below_minimum=tuple(below))


def combined_rows(rubric: Rubric, assessments: list[list[CriterionScoreRow]]
                  ) -> list[CriterionScoreRow]:
    """Unsaved score rows showing the combined level per criterion, with every comment."""
    if len(assessments) == 1:
        return list(assessments[0])
    verdict = judge(rubric, [{r.criterion: r.level for r in rows} for rows in assessments],
                    IssuanceRules(minimum_percentage=0, required_assessments=1))
    combined = []
    for name, level in verdict.levels.items():
        comments = [r.comment for rows in assessments for r in rows
                    if r.criterion == name and r.comment]
        combined.append(CriterionScoreRow(criterion=name, level=level,
                                          points=rubric.criterion(name).level(level).points,
                                          comment="\n\n".join(comments)))
    return combined

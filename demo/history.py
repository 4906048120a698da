"""A few months of demo history, so every report page has something to show.

Made once by ``manage.py load_demo`` through the app's own API (hand in, score, issue,
revoke, expire), then dated back the way the report tests date theirs: twelve learners
who tried *Workplace safety walkthrough* (scored by Sam or Ana) and *First Aid at Work*'s
staged accident (every attempt scored by both: the reliability report's agreement), a
calibration set, programme costs, and three attempts still waiting in the queue, one of
them claimed by Ana so Sam sees a claim lock.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from credential_app import api
from credential_app.core import calibration
from credential_app.data import CriterionScore
from credential_app.exceptions import AssessmentNotAllowed
from credential_app.models import (
    Attempt,
    CalibrationAssignment,
    CalibrationItem,
    CalibrationSet,
    Credential,
    CredentialDefinition,
    ProgrammeCost,
)


@dataclass(frozen=True)
class HistoryLearner:
    username: str
    first_name: str
    last_name: str


HISTORY_LEARNERS = (
    HistoryLearner("aisha", "Aisha", "Rahman"),
    HistoryLearner("bruno", "Bruno", "Costa"),
    HistoryLearner("chen", "Chen", "Wei"),
    HistoryLearner("dara", "Dara", "Byrne"),
    HistoryLearner("elif", "Elif", "Demir"),
    HistoryLearner("femi", "Femi", "Adeyemi"),
    HistoryLearner("greta", "Greta", "Lindqvist"),
    HistoryLearner("hugo", "Hugo", "Martin"),
    HistoryLearner("ines", "Inês", "Sousa"),
    HistoryLearner("jonas", "Jonas", "Weber"),
    HistoryLearner("kofi", "Kofi", "Mensah"),
    HistoryLearner("lena", "Lena", "Novak"),
)

# Levels of the safety walkthrough (hazards, controls, communication): 10 points, pass 7.
SAFETY_PASS = {"hazards": "complete", "controls": "matched", "communication": "clear"}
SAFETY_GOOD = {"hazards": "complete", "controls": "matched", "communication": "missing"}
SAFETY_FAIL = {"hazards": "partial", "controls": "generic", "communication": "missing"}
SAFETY_POOR = {"hazards": "missing", "controls": "generic", "communication": "missing"}

# Levels of the staged accident (scene, care): 8 points, pass 6 (70 %).
AID_PASS = {"scene": "safe", "care": "right"}
AID_NEAR = {"scene": "safe", "care": "partial"}
AID_FAIL = {"scene": "partly", "care": "partial"}
AID_POOR = {"scene": "unsafe", "care": "wrong"}

# (learner, days ago handed in, the levels each assessor chose). The safety walkthrough is
# scored by one assessor (Sam on even rows, Ana on odd ones); the staged accident by both,
# who do not always agree.
SAFETY_HISTORY = (
    ("aisha", 150, [SAFETY_FAIL]), ("aisha", 120, [SAFETY_PASS]),
    ("bruno", 145, [SAFETY_PASS]),
    ("chen", 130, [SAFETY_POOR]), ("chen", 100, [SAFETY_FAIL]), ("chen", 40, [SAFETY_PASS]),
    ("dara", 110, [SAFETY_GOOD]),
    ("elif", 95, [SAFETY_PASS]),
    ("femi", 80, [SAFETY_FAIL]), ("femi", 70, [SAFETY_GOOD]),
    ("greta", 60, [SAFETY_PASS]),
    ("hugo", 45, [SAFETY_POOR]),
    ("ines", 30, [SAFETY_PASS]),
    ("jonas", 20, [SAFETY_FAIL]), ("jonas", 9, [SAFETY_PASS]),
)
AID_HISTORY = (
    ("aisha", 140, [AID_PASS, AID_PASS]),
    ("bruno", 135, [AID_FAIL, AID_FAIL]), ("bruno", 90, [AID_PASS, AID_NEAR]),
    ("chen", 125, [AID_PASS, AID_PASS]),
    ("dara", 105, [AID_POOR, AID_POOR]), ("dara", 75, [AID_NEAR, AID_PASS]),
    ("elif", 88, [AID_PASS, AID_NEAR]),
    ("femi", 66, [AID_POOR, AID_POOR]),
    ("greta", 55, [AID_PASS, AID_PASS]),
    ("hugo", 41, [AID_NEAR, AID_NEAR]),
    ("ines", 28, [AID_FAIL, AID_NEAR]),
    ("jonas", 15, [AID_PASS, AID_PASS]),
    ("kofi", 12, [AID_PASS, AID_PASS]),
    ("lena", 6, [AID_NEAR, AID_FAIL]),
)
WAITING = ("kofi", "lena", "hugo")  # hand in the safety walkthrough; nobody has scored it yet
REVOKED = "bruno"  # their safety credential was revoked (the evidence was not their own)
EXPIRED = "dara"   # their safety credential has run out (it was issued with a short validity)

EVIDENCE = ("In the workshop the main hazards are the unguarded grinder, oil on the floor "
            "by the press and blocked fire exits. I would fit a guard, clean and mark the "
            "floor, clear the exits and brief the team at the morning meeting.")


def load(*, staff, assessor2, safety_slug: str, aid_slug: str) -> bool:
    """Make the history once; False when it is already there."""
    learners = _learners()
    if Attempt.objects.filter(user__in=learners.values()).exists():
        return False
    safety_unit = _unit(safety_slug, "Workplace safety walkthrough")
    aid_unit = api.list_assessment_units(aid_slug)[0]
    assessors = (staff, assessor2)
    with transaction.atomic():
        made = {}
        for index, (name, days, levels) in enumerate(SAFETY_HISTORY):
            made.setdefault(name, []).append(_assessed(
                learners[name], safety_unit, days, [assessors[index % 2]], levels))
        aid_attempts = [_assessed(learners[name], aid_unit, days, assessors, levels)
                        for name, days, levels in AID_HISTORY]
        _revoke(learners[REVOKED], safety_slug, staff)
        _expire(learners[EXPIRED], safety_slug)
        _calibration(aid_attempts, aid_slug, staff, assessor2)
        _costs(safety_slug, aid_slug)
        for days, name in enumerate(WAITING, start=1):
            waiting = _hand_in(learners[name], safety_unit)
            Attempt.objects.filter(pk=waiting.id).update(
                submitted_at=timezone.now() - timedelta(days=days))
    return True


def claim_one_waiting(assessor, safety_slug: str) -> None:
    """A waiting attempt claimed by ``assessor`` for the next ``CLAIM_MINUTES``: the other
    assessor sees it locked (renewed each time the demo starts)."""
    unit = _unit(safety_slug, "Workplace safety walkthrough")
    waiting = api.get_attempts_awaiting_assessment(unit.usage_key, assessor.pk)
    if waiting:
        try:
            api.claim_attempt(attempt_id=waiting[0].id, usage_key=unit.usage_key,
                              assessor_id=assessor.pk)
        except AssessmentNotAllowed:
            pass  # someone else holds it now: their lock shows anyway


def _learners() -> dict:
    User = get_user_model()
    out = {}
    for person in HISTORY_LEARNERS:
        user, _created = User.objects.update_or_create(
            username=person.username,
            defaults={"first_name": person.first_name, "last_name": person.last_name,
                      "email": f"{person.username}@example.com"})
        if user.has_usable_password():
            user.set_unusable_password()
            user.save(update_fields=["password"])
        out[person.username] = user
    return out


def _unit(slug, display_name):
    return next(unit for unit in api.list_assessment_units(slug)
                if unit.display_name == display_name)


def _hand_in(learner, unit):
    return api.submit_attempt(user_id=learner.pk, usage_key=unit.usage_key,
                              credential_slug=unit.credential_slug, rubric=unit.rubric,
                              evidence_text=EVIDENCE, max_evidence_length=5000)


def _assessed(learner, unit, days_ago, assessors, levels_by_assessor):
    """Hand in, have each assessor score it, then date it ``days_ago`` (scored two days
    later)."""
    attempt = _hand_in(learner, unit)
    for assessor, levels in zip(assessors, levels_by_assessor, strict=True):
        api.record_assessment(attempt_id=attempt.id, usage_key=unit.usage_key,
                              assessor_id=assessor.pk,
                              scores=[CriterionScore(c, lv, "") for c, lv in levels.items()])
    submitted = timezone.now() - timedelta(days=days_ago)
    assessed = submitted + timedelta(days=2, hours=days_ago % 7)
    Attempt.objects.filter(pk=attempt.id).update(submitted_at=submitted, assessed_at=assessed)
    row = Attempt.objects.get(pk=attempt.id)
    row.assessments.update(created=assessed, waited=assessed - submitted)
    for credential in Credential.objects.filter(attempt=row).select_related("definition"):
        validity = credential.definition.validity_days
        credential.issued_at = assessed
        credential.expires_at = assessed + timedelta(days=validity) if validity else None
        credential.save(update_fields=["issued_at", "expires_at"])
    return row


def _revoke(learner, slug, staff):
    held = api.get_learner_credential(learner.pk, slug)
    if held is not None and held.is_valid:
        api.revoke_credential(credential_uuid=held.uuid, revoked_by=staff.pk,
                              reason="The evidence was found to be another learner's work.")
        Credential.objects.filter(uuid=held.uuid).update(
            ended_at=timezone.now() - timedelta(days=35))


def _expire(learner, slug):
    held = api.get_learner_credential(learner.pk, slug)
    if held is not None and held.is_valid:
        Credential.objects.filter(uuid=held.uuid).update(
            expires_at=timezone.now() - timedelta(days=3))
        api.expire_due_credentials()


def _calibration(aid_attempts, aid_slug, staff, assessor2):
    """A panel agreed the levels of three staged-accident attempts; Ana has scored them
    (one level off), Sam has not yet: he finds the set on the calibration page."""
    definition = CredentialDefinition.objects.get(slug=aid_slug)
    chosen = aid_attempts[:3]
    agreed = (AID_PASS, AID_NEAR, AID_PASS)
    answers_by_ana = (AID_PASS, AID_FAIL, AID_PASS)
    calibration_set = CalibrationSet.objects.create(
        name="Staged accident: spring panel", definition=definition, created_by=staff)
    items = [CalibrationItem.objects.create(calibration_set=calibration_set, attempt=attempt,
                                            agreed_levels=levels, position=position)
             for position, (attempt, levels) in enumerate(zip(chosen, agreed, strict=True))]
    for item in items:
        calibration.save_agreed(item)
    for assessor in (assessor2, staff):
        CalibrationAssignment.objects.create(calibration_set=calibration_set,
                                             assessor=assessor, sent_by=staff)
    calibration.record(
        CalibrationAssignment.objects.get(calibration_set=calibration_set, assessor=assessor2),
        {item.pk: [CriterionScore(c, lv, "") for c, lv in levels.items()]
         for item, levels in zip(items, answers_by_ana, strict=True)})


def _costs(safety_slug, aid_slug):
    """What each programme cost per quarter (the cost report divides by credentials)."""
    today = date.today()
    for slug, amount in ((safety_slug, "4800.00"), (aid_slug, "2600.00")):
        definition = CredentialDefinition.objects.get(slug=slug)
        for quarters_ago in (1, 0):
            end = today - timedelta(days=91 * quarters_ago)
            ProgrammeCost.objects.create(
                definition=definition, period_start=end - timedelta(days=90), period_end=end,
                amount=amount, currency="EUR",
                note="Assessor time and venue" if quarters_ago else "Assessor time")

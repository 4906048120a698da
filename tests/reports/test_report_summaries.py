"""The report summaries give exactly the figures the records give: after a mix of every
kind of write (scores, overrides both ways, renewals, approvals, revocations, expiry,
resets, a retirement, a deleted attempt, cohort changes), each report equals the same
report computed from the records themselves (``raw_outcomes``, ``raw_reliability``: the
queries before the summaries), under every filter; and the summaries kept up to date
equal the summaries rebuilt from scratch."""
from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from opaque_keys.edx.keys import UsageKey

from credential_app import api
from credential_app.data import EvidenceSettings
from credential_app.models import (
    AssessmentSummary,
    Attempt,
    AttemptSummary,
    Cohort,
    Credential,
    CredentialSummary,
    IssuancePolicy,
    ScorePair,
    ScoreSummary,
    SharedAttemptNumber,
)
from credential_app.reports import outcomes
from credential_app.reports.filters import BY_COURSE, Scope
from credential_app.reports.reliability import _grouped_pairs, reliability
from tests.reports import raw_outcomes, raw_reliability
from tests.reports_helpers import (
    COURSE_A,
    COURSE_B,
    FAIL,
    PASS,
    RUBRIC,
    UNIT_A,
    UNIT_B,
    World,
    at,
    date_attempt,
    scores,
)

pytestmark = [pytest.mark.django_db, pytest.mark.db_server]  # figures computed in SQL

# First aid is also assessed in course A: a course with two credentials, a credential in
# two courses, so learners can share an attempt number across units.
UNIT_C = UsageKey.from_string("block-v1:Acme+Safety+2026+type@credential_assessment+block@c")
MIXED = {"hazards": "partial", "controls": "matched", "communication": "present"}
REPORTS = ("summary", "attempts_per_learner", "time_to_credential", "criteria", "assessors",
           "credentials_over_time")


def attempt_at(world, learner, unit, *levels):
    slug = "safety" if unit == UNIT_A else "aid"
    made = api.submit_attempt(user_id=learner.pk, usage_key=unit, credential_slug=slug,
                              rubric=RUBRIC, evidence_text="Walked the site.",
                              max_evidence_length=1000)
    for assessor, chosen in zip(world.assessors, levels, strict=False):
        api.record_assessment(attempt_id=made.id, usage_key=unit, assessor_id=assessor.pk,
                              scores=scores(chosen))
    return made.id


@pytest.fixture
def mixed(db):
    w = World()
    api.register_assessment_unit(usage_key=UNIT_C, credential_slug="aid", display_name="aid c",
                                 rubric=RUBRIC, evidence=EvidenceSettings())
    w.aid.validity_days = 30
    w.aid.save()
    learners = [w.learner() for _ in range(9)]
    l0, l1, l2, l3, l4, l5, l6, l7, l8 = learners
    night, day_shift, temps, gone = (Cohort.objects.create(name=n) for n in (
        "Night", "Day", "Temps", "Gone"))
    night.members.add(l0, l2, l3)  # before their attempts: figures added as they come
    w.first_fail = attempt_at(w, l0, UNIT_A, FAIL, FAIL)
    w.second_pass = attempt_at(w, l0, UNIT_A, PASS, PASS)
    revoked = attempt_at(w, l1, UNIT_A, PASS, PASS)
    # aid: one assessor (the third)
    w.assessors = [w.assessors[2], *w.assessors[:2]]
    aid_b = attempt_at(w, l2, UNIT_B, PASS)
    attempt_at(w, l2, UNIT_C, PASS)  # same credential, same number, other course: renewal
    overridden = attempt_at(w, l3, UNIT_B, FAIL)
    attempt_at(w, l3, UNIT_C, MIXED)  # same number as the first: shared across courses
    reset_b = attempt_at(w, l4, UNIT_B, PASS)
    attempt_at(w, l5, UNIT_C)  # waiting
    deleted = attempt_at(w, l5, UNIT_B, FAIL)  # deleted below (as a deleted user's would be)
    both = attempt_at(w, l8, UNIT_A)  # safety in course A, and first aid in course A:
    attempt_at(w, l8, UNIT_C, FAIL)  # the same course, the same number
    w.assessors = [*w.assessors[1:], w.assessors[0]]
    # overrides both ways, on the latest attempt at the unit
    api.override_result(attempt_id=overridden, usage_key=UNIT_B, staff_id=w.admin.pk,
                        passed=True, reason="Assessor misread the evidence.")
    api.override_result(attempt_id=w.second_pass, usage_key=UNIT_A, staff_id=w.admin.pk,
                        passed=False, reason="Evidence not the learner's own.")
    api.override_result(attempt_id=w.second_pass, usage_key=UNIT_A, staff_id=w.admin.pk,
                        passed=True, reason="Appeal upheld.")
    credential = Credential.objects.get(attempt_id=revoked)
    api.revoke_credential(credential_uuid=str(credential.uuid), revoked_by=w.admin.pk,
                          reason="Copied.")
    api.reset_learner_state(user_id=l4.pk, usage_key=UNIT_B, requested_by=w.admin.pk)
    # approval: a pending credential approved, another pending one revoked
    IssuancePolicy.objects.update_or_create(definition=w.aid,
                                            defaults={"requires_approval": True})
    w.assessors = [w.assessors[2], *w.assessors[:2]]
    approved = attempt_at(w, l6, UNIT_B, PASS)
    pending = attempt_at(w, l7, UNIT_C, PASS)
    w.assessors = [*w.assessors[1:], w.assessors[0]]
    api.approve_credential(credential_uuid=str(Credential.objects.get(attempt_id=approved).uuid),
                           approver_id=w.admin.pk)
    api.revoke_credential(credential_uuid=str(Credential.objects.get(attempt_id=pending).uuid),
                          revoked_by=w.admin.pk, reason="Withdrawn before approval.")
    # the past: attempts moved back in time, so days and months differ
    date_attempt(api_attempt(w.first_fail), at(2026, 1, 10))
    date_attempt(api_attempt(aid_b), at(2026, 2, 3), assessed_after=timedelta(days=5))
    date_attempt(api_attempt(reset_b), at(2026, 3, 1), assessed_after=timedelta(days=20))
    date_attempt(api_attempt(both), at(2026, 2, 20))
    api.expire_due_credentials(now=timezone.now() + timedelta(days=400))
    Attempt.objects.filter(pk=deleted).delete()  # cascades to its assessments and scores
    api.retire_user(l1.pk)
    # cohorts changing after the fact
    day_shift.members.add(l1, l4, l8)
    day_shift.members.remove(l4)
    temps.members.add(l6, l7)
    temps.members.clear()
    gone.members.add(l5)
    gone.delete()
    night.members.add(l8)
    w.cohorts = {"night": night, "day": day_shift, "temps": temps}
    return w


def api_attempt(pk):
    return Attempt.objects.get(pk=pk)


def scopes(w):
    jan_feb = {"start": date(2026, 1, 1), "end": date(2026, 2, 28)}
    for by in (None, BY_COURSE):
        extra = {"by": by} if by else {}
        yield Scope(**extra)
        yield Scope(definition=w.safety, **extra)
        yield Scope(definition=w.aid, **extra)
        yield Scope(course=COURSE_A, **extra)
        yield Scope(course=COURSE_B, **extra)
        yield Scope(**jan_feb, **extra)
        yield Scope(start=date(2026, 2, 3), end=date(2026, 2, 3), **extra)
        yield Scope(end=date(2026, 2, 19), **extra)
        for cohort in w.cohorts.values():
            yield Scope(cohort=cohort, **extra)
        yield Scope(cohort=w.cohorts["night"], course=COURSE_A, definition=w.aid, **jan_feb,
                    **extra)


def test_every_report_equals_the_records_under_every_filter(mixed):
    checked = 0
    for scope in scopes(mixed):
        for name in REPORTS:
            from_summaries = getattr(outcomes, name)(scope)
            from_records = getattr(raw_outcomes, name)(scope)
            assert from_summaries.rows == from_records.rows, (name, scope)
            assert from_summaries.chart == from_records.chart, (name, scope)
            checked += len(from_records.rows)
        for definition in (mixed.safety, mixed.aid):
            assert Counter(_pair_key(r) for r in _grouped_pairs(scope, definition)) == \
                Counter(_pair_key(r) for r in raw_reliability.grouped_pairs(scope, definition))
    assert checked > 200  # the reports had figures to compare


def _pair_key(row):
    return (row["criterion"], row["assessment__assessor_id"], row["other_assessor"],
            row["points"], row["other_points"], row["m"], row["n"])


def test_the_world_has_what_the_comparison_needs(mixed):
    """Shared attempt numbers, pairs, every kind of credential row, cohort rows."""
    assert SharedAttemptNumber.objects.count() >= 4
    assert ScorePair.objects.exists()
    assert set(CredentialSummary.objects.filter(credentials__gt=0).values_list(
        "kind", flat=True)) == {"issued", "expired", "revoked"}
    assert AttemptSummary.objects.filter(cohort_id=mixed.cohorts["night"].pk,
                                         attempts__gt=0).exists()
    assert not AttemptSummary.objects.filter(cohort_id=mixed.cohorts["temps"].pk,
                                             attempts__gt=0).exists()
    assert not AttemptSummary.objects.filter(attempts__lt=0).exists()
    assert reliability(Scope(definition=mixed.safety)).criteria.rows


def summaries():
    def rows(model, value_fields):
        fields = [f.name for f in model._meta.fields if f.name != "id"]
        return sorted(tuple(str(v) for v in row) for row in model.objects.values_list(*fields)
                      if not value_fields or any(row[fields.index(v)] for v in value_fields))

    return {
        "attempts": rows(AttemptSummary, ["attempts"]),
        "scores": rows(ScoreSummary, ["scores"]),
        "assessments": rows(AssessmentSummary, ["assessments"]),
        "credentials": rows(CredentialSummary, ["credentials"]),
        "pairs": sorted(tuple(str(v) for v in row) for row in ScorePair.objects.values_list(
            "attempt_id", "criterion", "assessor_id", "other_id", "points", "other_points",
            "assessments", "day", "course_key", "user_id", "definition_id")),
        "shared": rows(SharedAttemptNumber, []),
    }


def test_kept_summaries_equal_rebuilt_ones(mixed):
    kept = summaries()
    call_command("rebuild_report_summaries", verbosity=0)
    assert summaries() == kept

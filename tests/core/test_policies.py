"""Issuance and retake policies: validated in the admin, audited, and enforced by one rule."""
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.forms import FileField, MultiWidget, modelform_factory
from django.utils.timezone import now

from credential_app import api
from credential_app.core import credentials, policies
from credential_app.core.audit import AuditAction
from credential_app.data import (
    AttemptStatus,
    CredentialStatus,
    CriterionScore,
    EvidenceSettings,
    Rubric,
)
from credential_app.models import (
    Attempt,
    AuditEntry,
    Credential,
    CredentialDefinition,
    IssuancePolicy,
    RetakePolicy,
)
from tests.core.test_api import OTHER_UNIT, RUBRIC, UNIT, submit

LATER = now() + timedelta(days=30)


def score(attempt, assessor, a="yes", b="yes"):
    """RUBRIC: a is no 0 / yes 3, b is no 0 / some 1 / yes 2 — 5 points in all."""
    return api.record_assessment(attempt_id=attempt.id, usage_key=UNIT, assessor_id=assessor.pk,
                                 scores=[CriterionScore("a", a), CriterionScore("b", b)])


def fail(learner, assessor):
    return score(submit(learner), assessor, a="no", b="no")


@pytest.fixture
def assessors(people):
    User = get_user_model()
    return [people["staff"], *(User.objects.create_user(f"assessor{i}", is_staff=True)
                               for i in range(1, 4))]


@pytest.fixture(autouse=True)
def registered(definition):
    """UNIT registered as leading to the definition, so policies can check its rubric."""
    return api.register_assessment_unit(usage_key=UNIT, credential_slug=definition.slug,
                                        display_name="Unit one", rubric=RUBRIC,
                                        evidence=EvidenceSettings())


def retake_policy(definition, **values):
    return RetakePolicy.objects.create(definition=definition, **values)


def issuance_policy(definition, **values):
    return IssuancePolicy.objects.create(definition=definition, **values)


def form_errors(model, data):
    form = modelform_factory(model, fields="__all__")(data=data)
    assert not form.is_valid()
    return form.errors


@pytest.fixture
def admin_definition(request, definition):
    """The definition, complete enough for its admin page (an issuer, once it has one)."""
    if any(f.name == "issuer" for f in CredentialDefinition._meta.get_fields()):
        definition.issuer = request.getfixturevalue("issuer")
        definition.save()
    return definition


def change_page_data(client, url):
    """What a browser would post back unchanged from an admin change page (with inlines)."""
    context = client.get(url).context
    data = {}

    def add(form):
        for bound in form:
            if isinstance(bound.field, FileField):
                continue  # no upload: the file stays as it is
            value = bound.value()  # already prepared for the widget
            if isinstance(bound.field.widget, MultiWidget):  # days and hours: one box each
                for index, part in enumerate(bound.field.widget.decompress(value)):
                    if part is not None:
                        data[f"{bound.html_name}_{index}"] = part
                continue
            if isinstance(value, dict):  # minimum levels: one choice per criterion
                data.update({f"{bound.html_name}__{k}": v for k, v in value.items()})
                continue
            if bound.field.show_hidden_initial:  # the hidden copy has_changed compares with
                data[bound.html_initial_name] = value
            if value is None or value is False:
                continue
            data[bound.html_name] = "on" if value is True else value

    add(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


# --- Validation: each bad value refused with a message naming its field ---------------


@pytest.mark.parametrize("values, field, message", [
    ({"minimum_percentage": 101}, "minimum_percentage",
     "Minimum overall percentage must be between 0 and 100; 101 is not."),
    ({"max_disagreement": 150}, "max_disagreement",
     "Maximum disagreement (percentage points) must be between 0 and 100"),
    ({"required_assessments": 0}, "required_assessments",
     "Independent assessments required must be between 1 and 10."),
    ({"criterion_minimums": '{"a": "excellent"}'}, "criterion_minimums",
     "Minimum level per criterion: no registered unit's rubric has a level “excellent” in a "
     "criterion “a”."),
    ({"criterion_minimums": '{"nope": "yes"}'}, "criterion_minimums", "criterion “nope”"),
    ({"criterion_minimums": '["a"]'}, "criterion_minimums",
     "Minimum level per criterion must map criterion names to level names"),
])
def test_bad_issuance_policy_values_are_refused_naming_the_field(registered, definition,
                                                                 values, field, message):
    data = {"definition": definition.pk, "required_assessments": 1, "criterion_minimums": "{}",
            **values}
    errors = form_errors(IssuancePolicy, data)
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert not IssuancePolicy.objects.exists()


def test_criterion_minimum_must_exist_in_a_registered_rubric(registered, definition):
    form = modelform_factory(IssuancePolicy, fields="__all__")(data={
        "definition": definition.pk, "required_assessments": 2,
        "criterion_minimums": '{"b": "some"}'})
    assert form.is_valid(), form.errors
    form.save()
    assert policies.issuance_rules(definition).criterion_minimums == {"b": "some"}


def test_criterion_minimum_is_refused_while_no_unit_is_registered(definition):
    other = CredentialDefinition.objects.create(slug="other", name="Other")
    policy = IssuancePolicy(definition=other, criterion_minimums={"b": "some"})
    with pytest.raises(Exception) as refused:
        policy.full_clean()
    assert "criterion “b”" in refused.value.message_dict["criterion_minimums"][0]


@pytest.mark.parametrize("values, field, message", [
    ({"delay_after_first_failure": "-1 00:00:00"}, "delay_after_first_failure",
     "Wait after the first failure cannot be negative."),
    ({"delay_after_later_failures": "-00:00:01"}, "delay_after_later_failures",
     "Wait after later failures cannot be negative."),
    ({"max_attempts": 0}, "max_attempts", "Maximum attempts must be at least 1"),
    ({"closes_at": "2020-01-01 00:00:00"}, "closes_at",
     "Closing date is in the past; choose a later date or leave it empty."),
    ({"remediation_usage_key": "not a key"}, "remediation_usage_key",
     "“not a key” is not a usage key"),
])
def test_bad_retake_policy_values_are_refused_naming_the_field(definition, values, field,
                                                               message):
    data = {"definition": definition.pk, "delay_after_first_failure": "0",
            "delay_after_later_failures": "0", "counted_result": "latest", **values}
    errors = form_errors(RetakePolicy, data)
    assert list(errors) == [field]
    assert message in errors[field][0]


def test_a_past_closing_date_is_kept_on_an_existing_policy(definition):
    policy = retake_policy(definition, closes_at=LATER)
    policy.closes_at = now() - timedelta(days=1)  # the date has come and gone: still valid
    policy.full_clean()


def test_admin_refuses_a_threshold_over_100_percent(admin_client, definition):
    response = admin_client.post("/admin/credential_app/issuancepolicy/add/", {
        "definition": definition.pk, "minimum_percentage": 120, "required_assessments": 1,
        "criterion_minimums": "{}"})
    assert response.status_code == 200
    assert "Minimum overall percentage must be between 0 and 100; 120 is not." in (
        response.content.decode())
    assert not IssuancePolicy.objects.exists()
    assert not AuditEntry.objects.exists()


def test_admin_policy_changes_are_audited_with_who_what_and_why(admin_client, admin_user,
                                                                definition):
    url = "/admin/credential_app/retakepolicy/"
    data = {"definition": definition.pk, "max_attempts": 3,
            "delay_after_first_failure_0": "1", "delay_after_first_failure_1": "",
            "counted_result": "latest", "remediation_usage_key": "", "change_reason": ""}
    assert admin_client.post(url + "add/", data).status_code == 302
    policy = RetakePolicy.objects.get()

    unexplained = admin_client.post(f"{url}{policy.pk}/change/", {**data, "max_attempts": 4})
    assert "Reason for the change: say why" in unexplained.content.decode()
    assert RetakePolicy.objects.get().max_attempts == 3

    explained = admin_client.post(f"{url}{policy.pk}/change/", {
        **data, "max_attempts": 4, "counted_result": "highest",
        "change_reason": "Board decision 12"})
    assert explained.status_code == 302

    created, changed = AuditEntry.objects.filter(action=AuditAction.POLICY_CHANGE).order_by("id")
    assert created.details["created"] is True and created.actor == admin_user
    assert changed.actor == admin_user and changed.reason == "Board decision 12"
    assert changed.definition_slug == definition.slug
    assert changed.details["changed"] == {"max_attempts": {"from": 3, "to": 4},
                                          "counted_result": {"from": "latest",
                                                             "to": "highest"}}

    assert admin_client.post(f"{url}{policy.pk}/delete/", {"post": "yes"}).status_code == 302
    removed = AuditEntry.objects.filter(action=AuditAction.POLICY_CHANGE).order_by("id").last()
    assert removed.details == {"policy": "retakepolicy", "deleted": True}
    assert removed.actor == admin_user and not RetakePolicy.objects.exists()


def test_policies_are_edited_inline_in_the_definition_admin(admin_client, admin_user,
                                                            admin_definition):
    definition = admin_definition
    page = admin_client.get(f"/admin/credential_app/credentialdefinition/{definition.pk}/"
                            "change/")
    assert b"Minimum overall percentage" in page.content and b"Maximum attempts" in page.content

    url = f"/admin/credential_app/credentialdefinition/{definition.pk}/change/"
    data = change_page_data(admin_client, url)
    data.update({"issuance_policy-0-required_assessments": 2,
                 "issuance_policy-0-minimum_percentage": 150,
                 "retake_policy-0-max_attempts": 3,
                 "retake_policy-0-counted_result": "latest"})
    refused = admin_client.post(url, data)
    assert "Minimum overall percentage must be between 0 and 100" in refused.content.decode()

    data["issuance_policy-0-minimum_percentage"] = 80
    saved = admin_client.post(url, data)
    assert saved.status_code == 302
    assert policies.issuance_rules(definition).minimum_percentage == 80
    assert policies.retake_policy(definition).max_attempts == 3
    changes = AuditEntry.objects.filter(action=AuditAction.POLICY_CHANGE)
    assert {e.details["policy"] for e in changes} == {"issuancepolicy", "retakepolicy"}
    assert all(e.actor == admin_user for e in changes)


# --- Retake rule: one answer, enforced exactly as shown ---------------------------------


def refused(learner, unit=UNIT):
    """Submit expecting a refusal; return the message, checked against the status shown."""
    shown = api.get_retake_status(learner.pk, unit)
    with pytest.raises(api.AttemptNotAllowed) as refusal:
        submit(learner, unit=unit)
    assert not shown.may_start and refusal.value.message == shown.reason
    return shown


def test_attempts_run_out_and_a_staff_grant_adds_more(people, definition):
    retake_policy(definition, max_attempts=2)
    learner, staff = people["learner"], people["staff"]
    assert api.get_retake_status(learner.pk, UNIT).attempts_left == 2
    fail(learner, staff)
    assert api.get_retake_status(learner.pk, UNIT).attempts_left == 1
    fail(learner, staff)

    status = refused(learner)
    assert status.reason_code == policies.RetakeRefusal.NO_ATTEMPTS_LEFT
    assert (status.attempts_used, status.attempts_allowed, status.attempts_left) == (2, 2, 0)
    assert "used all 2 of your attempts" in status.reason

    granted = api.grant_extra_attempts(user_id=learner.pk, usage_key=UNIT, count=1,
                                       granted_by=staff.pk, reason="Illness during attempt 2")
    assert granted.may_start and (granted.attempts_allowed, granted.attempts_left) == (3, 1)
    entry = AuditEntry.objects.get(action=AuditAction.EXTRA_ATTEMPT)
    assert (entry.actor, entry.learner, entry.reason) == (staff, learner,
                                                          "Illness during attempt 2")
    assert entry.details == {"usage_key": str(UNIT), "count": 1}
    assert entry.definition_slug == definition.slug
    submit(learner)
    # grants are per unit: the other unit of the same credential is untouched
    assert api.get_retake_status(learner.pk, OTHER_UNIT, definition.slug).attempts_allowed == 2


@pytest.mark.parametrize("count, reason, field", [
    (0, "ok", "count"), (101, "ok", "count"), ("2", "ok", "count"), (True, "ok", "count"),
    (1, "  ", "reason"),
])
def test_a_bad_grant_is_refused_naming_the_field(people, definition, count, reason, field):
    with pytest.raises(api.InvalidPolicy) as refusal:
        api.grant_extra_attempts(user_id=people["learner"].pk, usage_key=UNIT, count=count,
                                 granted_by=people["staff"].pk, reason=reason)
    assert refusal.value.field == field
    assert not AuditEntry.objects.exists()


def test_grants_are_added_in_the_admin_and_audited(admin_client, admin_user, people,
                                                   definition):
    retake_policy(definition, max_attempts=1)
    fail(people["learner"], people["staff"])
    response = admin_client.post("/admin/credential_app/extraattemptgrant/add/", {
        "user": people["learner"].pk, "usage_key": str(UNIT), "count": 2,
        "reason": "Appeal upheld"})
    assert response.status_code == 302
    assert api.get_retake_status(people["learner"].pk, UNIT).attempts_left == 2
    entry = AuditEntry.objects.get(action=AuditAction.EXTRA_ATTEMPT)
    assert (entry.actor, entry.reason) == (admin_user, "Appeal upheld")

    bad = admin_client.post("/admin/credential_app/extraattemptgrant/add/", {
        "user": people["learner"].pk, "usage_key": "unit one", "count": 0, "reason": ""})
    assert "“unit one” is not a usage key" in bad.content.decode()
    assert "Extra attempts must be at least 1." in bad.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.EXTRA_ATTEMPT).count() == 1


def test_waits_after_the_first_failure_and_after_later_ones(people, definition):
    retake_policy(definition, delay_after_first_failure=timedelta(days=1),
                  delay_after_later_failures=timedelta(days=7))
    learner, staff = people["learner"], people["staff"]
    first = fail(learner, staff).attempt
    assessed_at = Attempt.objects.get(pk=first.id).assessed_at

    status = refused(learner)
    assert status.reason_code == policies.RetakeRefusal.WAITING_PERIOD
    assert status.opens_at == assessed_at + timedelta(days=1)

    Attempt.objects.filter(pk=first.id).update(assessed_at=assessed_at - timedelta(days=1))
    assert api.get_retake_status(learner.pk, UNIT).may_start
    second = fail(learner, staff).attempt

    status = refused(learner)
    assert status.opens_at == Attempt.objects.get(pk=second.id).assessed_at + timedelta(days=7)
    Attempt.objects.filter(pk=second.id).update(assessed_at=now() - timedelta(days=7, seconds=1))
    assert api.get_retake_status(learner.pk, UNIT).may_start


def test_no_attempt_starts_after_the_closing_date(people, definition):
    policy = retake_policy(definition, closes_at=LATER)
    assert api.get_retake_status(people["learner"].pk, UNIT).closes_at == LATER
    RetakePolicy.objects.filter(pk=policy.pk).update(closes_at=now() - timedelta(minutes=1))
    status = refused(people["learner"])
    assert status.reason_code == policies.RetakeRefusal.CLOSED and "closed on" in status.reason


def test_a_wait_ending_after_the_closing_date_says_so(people, definition):
    retake_policy(definition, closes_at=now() + timedelta(days=2),
                  delay_after_first_failure=timedelta(days=3))
    fail(people["learner"], people["staff"])
    status = refused(people["learner"])
    assert status.reason_code == policies.RetakeRefusal.CLOSED
    assert "after this assessment closes" in status.reason


def test_remediation_must_be_complete_before_a_retake(people, definition):
    remediation = "block-v1:Org+Course+Run+type@html+block@refresher"
    retake_policy(definition, remediation_usage_key=remediation)
    learner = people["learner"]
    assert api.get_retake_status(learner.pk, UNIT).may_start  # not before a first attempt
    fail(learner, people["staff"])

    status = refused(learner)
    assert status.reason_code == policies.RetakeRefusal.REMEDIATION
    assert status.remediation_usage_key == remediation

    api.record_remediation_complete(user_id=learner.pk, usage_key=remediation)
    api.record_remediation_complete(user_id=learner.pk, usage_key=remediation)  # idempotent
    assert api.get_retake_status(learner.pk, UNIT).may_start
    submit(learner)


def test_waiting_for_assessment_and_live_credential_are_reported(people, definition):
    learner = people["learner"]
    attempt = submit(learner)
    waiting = refused(learner)
    assert waiting.waiting_for_assessment and waiting.reason_code == "waiting_for_assessment"
    score(attempt, people["staff"])
    holding = refused(learner)
    assert holding.holds_live_credential and not holding.waiting_for_assessment


def test_after_a_revocation_the_learner_may_earn_the_credential_again(people, definition):
    learner = people["learner"]
    score(submit(learner), people["staff"])
    assert not api.get_retake_status(learner.pk, UNIT).may_start
    credential = Credential.objects.get()
    api.revoke_credential(credential_uuid=str(credential.uuid),
                          revoked_by=people["staff"].pk, reason="Issued in error")
    assert Credential.objects.get().status == CredentialStatus.REVOKED
    assert credentials.live_credential_blocks_attempt(learner.pk, definition.pk) is None
    status = api.get_retake_status(learner.pk, UNIT)
    assert status.may_start and status.attempts_used == 1
    assert submit(learner).number == 2


def test_reset_attempts_do_not_count(people, definition):
    retake_policy(definition, max_attempts=1)
    first = fail(people["learner"], people["staff"]).attempt
    assert not api.get_retake_status(people["learner"].pk, UNIT).may_start
    Attempt.objects.filter(pk=first.id).update(status=AttemptStatus.RESET)
    assert api.get_retake_status(people["learner"].pk, UNIT).may_start
    assert submit(people["learner"]).number == 2  # numbers are never reused


def test_policy_of_an_unregistered_unit_comes_from_the_blocks_link(people, definition):
    retake_policy(definition, max_attempts=5)
    learner = people["learner"].pk
    assert api.get_retake_status(learner, OTHER_UNIT).attempts_allowed is None  # nothing says
    assert api.get_retake_status(learner, OTHER_UNIT, definition.slug).attempts_allowed == 5
    submit(people["learner"], unit=OTHER_UNIT)  # ...until an attempt links it
    assert api.get_retake_status(learner, OTHER_UNIT).attempts_allowed == 5


@pytest.mark.parametrize("counted, expected_number", [("latest", 2), ("highest", 1)])
def test_the_counted_result_is_the_latest_or_the_highest(people, definition, counted,
                                                         expected_number):
    definition.pass_percentage = 100
    definition.save()
    retake_policy(definition, counted_result=counted)
    learner, staff = people["learner"], people["staff"]
    assert api.get_counted_result(learner.pk, UNIT) is None
    score(submit(learner), staff, b="some")  # 4 of 5: failed, 80 %
    score(submit(learner), staff, b="no")  # 3 of 5: failed, 60 %
    submit(learner)  # waiting: never the counted result
    result = api.get_counted_result(learner.pk, UNIT)
    assert result.number == expected_number and not result.result.passed


# --- Issuance policy ---------------------------------------------------------------------


def test_attempt_waits_until_enough_independent_assessments(people, assessors, definition):
    issuance_policy(definition, required_assessments=2)
    learner = people["learner"]
    attempt = submit(learner)

    first = score(attempt, assessors[0], b="yes")
    assert first.attempt.status == AttemptStatus.SUBMITTED and first.credential is None
    assert first.attempt.result is None
    assert [a.id for a in api.get_attempts_awaiting_assessment(UNIT)] == [attempt.id]
    assert api.get_attempts_awaiting_assessment(UNIT, assessor_id=assessors[0].pk) == []
    assert [a.id for a in api.get_attempts_awaiting_assessment(
        UNIT, assessor_id=assessors[1].pk)] == [attempt.id]
    assert api.get_retake_status(learner.pk, UNIT).waiting_for_assessment
    with pytest.raises(api.AssessmentNotAllowed, match="already assessed this attempt"):
        score(attempt, assessors[0])

    second = score(attempt, assessors[1], b="some")
    result = second.attempt.result
    assert second.attempt.status == AttemptStatus.PASSED and second.credential is not None
    # lower median per criterion: b is the lower of yes (2) and some (1)
    assert (result.score, [c.level for c in result.criteria]) == (4, ["yes", "some"])
    assert api.get_latest_attempt(learner.pk, UNIT).result == result
    with pytest.raises(api.AssessmentNotAllowed, match="already been assessed"):
        score(attempt, assessors[2])


def test_disagreement_beyond_the_tolerance_calls_one_more_assessor(people, assessors,
                                                                   definition):
    issuance_policy(definition, required_assessments=2, max_disagreement=20)
    attempt = submit(people["learner"])
    score(attempt, assessors[0], a="yes", b="yes")  # 5 of 5
    apart = score(attempt, assessors[1], a="no", b="some")  # 1 of 5: 80 points apart
    assert apart.attempt.status == AttemptStatus.SUBMITTED and apart.credential is None
    entry = AuditEntry.objects.filter(action=AuditAction.ASSESSMENT).order_by("id").last()
    assert entry.details["assessments_needed"] == 3 and entry.details["passed"] is None

    settled = score(attempt, assessors[2], a="yes", b="no")  # 3 of 5
    # a: no, yes, yes → yes (3); b: yes, some, no → some (1): 4 of 5 = 80 %
    assert settled.attempt.result.score == 4 and settled.attempt.result.passed
    result_entry = AuditEntry.objects.get(action=AuditAction.RESULT)
    assert result_entry.details["levels"] == {"a": "yes", "b": "some"}
    assert result_entry.details["assessments"] == 3 and result_entry.actor is None


def test_agreement_within_the_tolerance_settles_the_result(people, assessors, definition):
    issuance_policy(definition, required_assessments=2, max_disagreement=20)
    attempt = submit(people["learner"])
    score(attempt, assessors[0], b="yes")  # 5 of 5
    outcome = score(attempt, assessors[1], b="some")  # 4 of 5: exactly 20 points apart
    assert outcome.attempt.status == AttemptStatus.PASSED


def test_every_criterion_must_meet_the_policys_minimum_level(people, registered, definition):
    issuance_policy(definition, criterion_minimums={"b": "yes"})
    outcome = score(submit(people["learner"]), people["staff"], b="some")  # 4 of 5 = 80 %
    assert not outcome.attempt.result.passed and outcome.credential is None
    entry = AuditEntry.objects.get(action=AuditAction.ASSESSMENT)
    assert entry.details["below_minimum"] == ["b"]


def test_the_rubrics_own_minimum_level_also_applies(people, definition):
    rubric = RUBRIC.to_dict()
    rubric["criteria"][1]["minimum_level"] = "yes"
    attempt = api.submit_attempt(user_id=people["learner"].pk, usage_key=UNIT,
                                 credential_slug=definition.slug,
                                 rubric=Rubric.from_dict(rubric), evidence_text="e",
                                 max_evidence_length=100)
    assert not score(attempt, people["staff"], b="some").attempt.result.passed


def test_the_policys_minimum_percentage_replaces_the_definitions(people, definition):
    issuance_policy(definition, minimum_percentage=90)  # definition says 70
    assert not score(submit(people["learner"]), people["staff"], b="some").attempt.result.passed
    IssuancePolicy.objects.update(minimum_percentage=None)  # empty: the definition's again
    assert score(submit(people["learner2"]), people["staff"], b="some").attempt.result.passed


def test_a_policy_requiring_approval_leaves_the_credential_pending(people, definition):
    issuance_policy(definition, requires_approval=True)
    outcome = score(submit(people["learner"]), people["staff"])
    assert outcome.credential.status == CredentialStatus.PENDING_APPROVAL


def test_judge_is_the_lower_median_per_criterion():
    rules = policies.IssuanceRules(minimum_percentage=70, required_assessments=3)
    verdict = policies.judge(RUBRIC, [{"a": "yes", "b": "no"}, {"a": "no", "b": "yes"},
                                      {"a": "yes", "b": "some"}], rules)
    assert verdict.complete and verdict.levels == {"a": "yes", "b": "some"}
    assert (verdict.score, verdict.passed) == (4, True)
    two = policies.judge(RUBRIC, [{"a": "yes", "b": "no"}, {"a": "no", "b": "yes"}],
                         policies.IssuanceRules(minimum_percentage=0, required_assessments=2))
    assert two.levels == {"a": "no", "b": "no"} and two.score == 0


def test_changing_a_policy_inline_needs_a_reason(admin_client, admin_definition):
    definition = admin_definition
    retake_policy(definition, max_attempts=2)
    url = f"/admin/credential_app/credentialdefinition/{definition.pk}/change/"
    data = {**change_page_data(admin_client, url), "retake_policy-0-max_attempts": 5}
    refused = admin_client.post(url, data)
    assert "Reason for the change: say why" in refused.content.decode()
    assert RetakePolicy.objects.get().max_attempts == 2

    assert admin_client.post(url, {**data, "retake_policy-0-change_reason": "Pilot over"}
                             ).status_code == 302
    entry = AuditEntry.objects.get(action=AuditAction.POLICY_CHANGE)
    assert entry.reason == "Pilot over"
    assert entry.details["changed"] == {"max_attempts": {"from": 2, "to": 5}}


def test_the_block_enforces_the_retake_policy_in_the_workbench(workbench, people, definition):
    """Through the real XBlock runtime: the hand-in handler refuses with the policy's
    reason, and the page offers no form."""
    from tests.helpers import FAILING_SCORES

    retake_policy(definition, max_attempts=1)
    learner = workbench.sign_in(people["learner"])
    status, body = learner.post("submit_evidence", {"text": "First try."})
    assert status == 200, body
    workbench.sign_in(people["staff"]).post("submit_assessment", {
        "attempt_id": body["attempt_id"], "scores": FAILING_SCORES})

    status, refusal = workbench.sign_in(people["learner"]).post("submit_evidence",
                                                                {"text": "Again."})
    assert status == 409
    unit = Attempt.objects.get(user=people["learner"]).usage_key
    shown = api.get_retake_status(people["learner"].pk, unit)
    assert refusal["error"] == shown.reason and "used all 1 of your attempts" in shown.reason
    assert 'class="ca-submit-form"' not in workbench.page()
    assert Attempt.objects.filter(user=people["learner"]).count() == 1

"""The admin without internals: people, units and attempts chosen from searchable lists by
name, waits in days and hours, minimum levels chosen from the rubric, names everywhere."""
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from credential_app.core.admin_fields import DaysAndHoursField
from credential_app.models import (
    AuditEntry,
    CalibrationAssignment,
    CalibrationSet,
    ExtraAttemptGrant,
    IssuancePolicy,
    RetakePolicy,
)
from tests.reports_helpers import FAIL, UNIT_A, UNIT_B, World


@pytest.fixture
def world(db):
    w = World()
    w.lee = w.learner()
    w.lee.first_name, w.lee.last_name = "Lee", "Learner"
    w.lee.save()
    w.attempt(w.lee, UNIT_A, FAIL, FAIL)
    w.admin.is_superuser = True
    w.admin.save()
    return w


def choose(client, kind, term="", page=1):
    return client.get(reverse("admin:credential_app_choose", args=[kind]),
                      {"term": term, "page": page})


def test_people_are_found_by_name_and_shown_with_their_username(client, world):
    client.force_login(world.admin)
    found = choose(client, "people", "lee learn").json()
    assert found["results"] == [{"id": str(world.lee.pk), "text": "Lee Learner (learner0)"}]
    assert choose(client, "people", "nobody-like-this").json()["results"] == []


def test_units_are_found_by_name_and_chosen_by_usage_key(client, world):
    client.force_login(world.admin)
    found = choose(client, "units", "safety").json()["results"]
    assert [r["id"] for r in found] == [str(UNIT_A)]
    assert found[0]["text"] == "safety (course-v1:Acme+Safety+2026), for Site safety"
    assert {r["id"] for r in choose(client, "units").json()["results"]} == {
        str(UNIT_A), str(UNIT_B)}


def test_attempts_are_found_by_learner_name(client, world):
    client.force_login(world.admin)
    found = choose(client, "attempts", "Learner").json()["results"]
    assert len(found) == 1
    assert found[0]["text"].startswith("Lee Learner (learner0): Site safety, attempt 1 (failed")


def test_the_lists_come_a_page_at_a_time(client, world):
    for _ in range(25):
        world.learner()
    client.force_login(world.admin)
    first = choose(client, "people").json()
    second = choose(client, "people", page=2).json()
    assert len(first["results"]) == 20 and first["pagination"]["more"] is True
    assert second["pagination"]["more"] is False
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}


def test_only_staff_who_may_edit_something_that_chooses_may_search(client, world):
    assert choose(client, "people").status_code == 302  # to the admin's sign-in
    assessor = world.assessors[0]  # is_staff, no admin permission
    client.force_login(assessor)
    assert choose(client, "people").status_code == 403
    assert choose(client, "units").status_code == 403
    assessor.user_permissions.add(Permission.objects.get(codename="add_extraattemptgrant"))
    assessor = type(assessor).objects.get(pk=assessor.pk)  # permissions are cached
    client.force_login(assessor)
    assert choose(client, "people").status_code == 200
    assert choose(client, "attempts").status_code == 403  # calibration permissions only
    client.force_login(world.admin)
    assert choose(client, "passwords").status_code == 404


def test_the_grant_form_chooses_from_lists_and_shows_names(client, world):
    client.force_login(world.admin)
    add = reverse("admin:credential_app_extraattemptgrant_add")
    page = client.get(add).content.decode()
    assert 'class="admin-autocomplete"' in page
    assert "learner0" not in page  # no list of every learner in the page
    response = client.post(add, {"user": world.lee.pk, "usage_key": str(UNIT_A), "count": 1,
                                 "reason": "Appeal upheld"})
    assert response.status_code == 302
    grant = ExtraAttemptGrant.objects.get()
    assert str(grant) == "1 more for Lee Learner (learner0)"
    listing = client.get(reverse("admin:credential_app_extraattemptgrant_changelist"))
    html = listing.content.decode()
    assert "Lee Learner (learner0)" in html and ">safety<" in html  # the unit by its name
    assert "Ada Admin (admin)" in html
    # a refused form shows what was chosen by name, not by id or key
    refused = client.post(add, {"user": world.lee.pk, "usage_key": str(UNIT_A), "count": 0,
                                "reason": "x"}).content.decode()
    assert "Lee Learner (learner0)" in refused
    assert "safety (course-v1:Acme+Safety+2026), for Site safety" in refused


def test_waits_are_days_and_hours(client, world):
    client.force_login(world.admin)
    add = reverse("admin:credential_app_retakepolicy_add")
    page = client.get(add).content.decode()
    assert "00:00:00" not in page
    assert 'name="delay_after_first_failure_0"' in page and ">days</label>" in page
    response = client.post(add, {
        "definition": world.aid.pk, "counted_result": "latest",
        "delay_after_first_failure_0": "2", "delay_after_first_failure_1": "6",
        "delay_after_later_failures_0": "", "delay_after_later_failures_1": "1.5",
        "remediation_usage_key": str(UNIT_B)})
    assert response.status_code == 302, response.content.decode()[:3000]
    policy = RetakePolicy.objects.get()
    assert policy.delay_after_first_failure == timedelta(days=2, hours=6)
    assert policy.delay_after_later_failures == timedelta(minutes=90)
    again = client.get(reverse("admin:credential_app_retakepolicy_change", args=[policy.pk]))
    html = again.content.decode()
    assert 'name="delay_after_first_failure_0" value="2"' in html
    assert 'name="delay_after_first_failure_1" value="6"' in html
    assert 'name="delay_after_later_failures_1" value="1.5"' in html
    assert "safety (course-v1:Acme+Safety+2026)" not in html
    assert "aid (course-v1:Acme+Aid+2026), for First aid" in html  # the remediation unit


@pytest.mark.parametrize("days, hours, problem", [
    ("-1", "", "Days cannot be negative."), ("", "24", "Under 24 hours"),
    ("4000", "", "At most 3650 days."), ("two", "", "Enter a whole number."),
])
def test_a_bad_wait_is_refused_saying_why(days, hours, problem):
    field = DaysAndHoursField(label="Wait")
    with pytest.raises(Exception) as refused:
        field.clean([days, hours])
    assert problem in " ".join(refused.value.messages)


def test_minimum_levels_are_chosen_from_the_rubric(client, world):
    client.force_login(world.admin)
    url = reverse("admin:credential_app_credentialdefinition_change", args=[world.aid.pk])
    page = client.get(url).content.decode()
    assert "criterion_minimums" in page and "<textarea" not in page.split(
        "criterion_minimums")[1][:200]
    for text in ('<label for="id_issuance_policy-0-criterion_minimums_0">Hazards</label>',
                 '<option value="partial" >partial (2 points)</option>',
                 "No minimum beyond the rubric"):
        assert text in page
    add = reverse("admin:credential_app_issuancepolicy_add")
    response = client.post(add, {"definition": world.aid.pk, "required_assessments": 1,
                                 "criterion_minimums__controls": "matched",
                                 "criterion_minimums__communication": ""})
    assert response.status_code == 302
    assert IssuancePolicy.objects.get(definition=world.aid).criterion_minimums == {
        "controls": "matched"}


def test_a_policy_without_registered_units_says_where_levels_come_from(client, world):
    client.force_login(world.admin)
    world.aid.units.all().delete()
    url = reverse("admin:credential_app_credentialdefinition_change", args=[world.aid.pk])
    assert "No unit of this credential is registered yet" in client.get(url).content.decode()


def test_names_not_user_ids_in_the_admin_and_the_audit_trail(client, world):
    client.force_login(world.admin)
    calibration_set = CalibrationSet.objects.create(name="Spring", definition=world.safety)
    assignment = CalibrationAssignment.objects.create(calibration_set=calibration_set,
                                                      assessor=world.assessors[0])
    assert str(assignment) == "Spring, sent to Asa Sessor0 (assessor0)"
    for name in ("attempt", "credential", "auditentry"):
        html = client.get(reverse(f"admin:credential_app_{name}_changelist")).content.decode()
        assert "user " + str(world.lee.pk) not in html
        if name != "credential":
            assert "Lee Learner (learner0)" in html, name
    assert AuditEntry.objects.exists()
    page = client.get(reverse("admin:credential_app_calibrationset_change",
                              args=[calibration_set.pk])).content.decode()
    assert "Asa Sessor0 (assessor0)" in page


def test_cohort_members_are_chosen_by_name(client, world):
    client.force_login(world.admin)
    add = reverse("admin:credential_app_cohort_add")
    page = client.get(add).content.decode()
    assert "admin-autocomplete" in page and "learner0" not in page
    assert client.post(add, {"name": "Intake", "members": [world.lee.pk]}).status_code == 302
    change = client.get(reverse("admin:credential_app_cohort_changelist")).content.decode()
    assert "Intake" in change

"""The app's public API on its own: rubric rules, scoring, pass threshold, idempotent issuance."""
import pytest
from opaque_keys.edx.keys import UsageKey

from credential_app import api
from credential_app.data import CriterionScore, Rubric
from credential_app.models import Credential

UNIT = UsageKey.from_string("block-v1:Org+Course+Run+type@credential_assessment+block@unit1")
OTHER_UNIT = UsageKey.from_string("block-v1:Org+Course+Run+type@credential_assessment+block@unit2")

RUBRIC = Rubric.from_dict({"criteria": [
    {"name": "a", "label": "A", "levels": [{"name": "no", "points": 0},
                                           {"name": "yes", "points": 3}]},
    {"name": "b", "label": "B", "levels": [{"name": "no", "points": 0},
                                           {"name": "some", "points": 1},
                                           {"name": "yes", "points": 2}]},
]})


def submit(user, unit=UNIT, text="evidence"):
    return api.submit_attempt(user_id=user.pk, usage_key=unit, credential_slug="workplace-"
                              "safety-practitioner", rubric=RUBRIC, evidence_text=text,
                              max_evidence_length=100)


def assess(attempt, assessor, b_level, unit=UNIT):
    return api.record_assessment(attempt_id=attempt.id, usage_key=unit, assessor_id=assessor.pk,
                                 scores=[CriterionScore("a", "yes"), CriterionScore("b", b_level)])


@pytest.mark.parametrize("rubric, message", [
    ({"criteria": []}, "at least one criterion"),
    ({}, "must be a list of criteria"),
    ({"criteria": [{"name": "a", "levels": []}]}, "needs at least one level"),
    ({"criteria": [{"name": "a", "levels": [{"name": "x", "points": 1},
                                            {"name": "x", "points": 2}]}]},
     "more than one level named “x”"),
    ({"criteria": [{"name": "a", "levels": [{"name": "x", "points": -1}]}]},
     "zero or more"),
    ({"criteria": [{"name": "a", "levels": [{"name": "x", "points": "3"}]}]}, "zero or more"),
    ({"criteria": [{"name": "a", "levels": [{"name": "x", "points": 1}]},
                   {"name": "a", "levels": [{"name": "y", "points": 1}]}]},
     "more than one criterion named “a”"),
    ({"criteria": [{"name": "a", "levels": [{"name": "x", "points": 0}]}]}, "worth 0 points"),
    ({"criteria": [{"levels": [{"name": "x", "points": 1}]}]}, "incomplete"),
])
def test_malformed_rubrics_are_refused_with_a_reason(rubric, message):
    with pytest.raises(api.InvalidRubric, match=message):
        Rubric.from_dict(rubric)


def test_rubric_round_trips_through_its_plain_form():
    assert Rubric.from_dict(RUBRIC.to_dict()) == RUBRIC
    assert RUBRIC.max_points == 5


def test_pass_is_decided_against_the_definition_threshold(people, definition):
    definition.pass_percentage = 100
    definition.save()
    failed = assess(submit(people["learner"]), people["staff"], "some")  # 4 of 5 = 80 %
    passed = assess(submit(people["learner2"]), people["staff"], "yes")  # 5 of 5 = 100 %

    assert (failed.attempt.result.passed, failed.credential) == (False, None)
    assert str(failed.attempt.result.percentage) == "80.00"
    assert passed.attempt.result.passed and passed.credential is not None


def test_exactly_at_the_threshold_passes(people, definition):
    definition.pass_percentage = 80
    definition.save()
    outcome = assess(submit(people["learner"]), people["staff"], "some")  # 4 of 5 = 80 %
    assert outcome.attempt.result.passed


def test_operator_ceiling_caps_a_units_evidence_limit(settings, people, definition):
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "MAX_EVIDENCE_TEXT_LENGTH": 10}
    assert api.evidence_length_limit(100) == 10
    with pytest.raises(api.InvalidEvidence, match="the limit is 10"):
        submit(people["learner"], text="x" * 11)


def test_attempt_is_scored_against_the_rubric_it_was_submitted_with(people, definition):
    """An author editing the rubric later does not change how a waiting attempt is scored."""
    attempt = submit(people["learner"])
    edited = Rubric.from_dict({"criteria": [
        {"name": "a", "levels": [{"name": "yes", "points": 30}]},
        {"name": "b", "levels": [{"name": "yes", "points": 20}]},
    ]})
    api.submit_attempt(user_id=people["learner2"].pk, usage_key=UNIT,
                       credential_slug=definition.slug, rubric=edited, evidence_text="later",
                       max_evidence_length=100)

    outcome = assess(attempt, people["staff"], "some")

    assert (outcome.attempt.result.score, outcome.attempt.result.max_score) == (4, 5)
    assert outcome.attempt.rubric == RUBRIC


def test_attempt_of_another_unit_cannot_be_scored_from_this_one(people, definition):
    attempt = submit(people["learner"], unit=OTHER_UNIT)
    with pytest.raises(api.AttemptNotFound):
        assess(attempt, people["staff"], "yes", unit=UNIT)


def test_one_live_credential_per_learner_and_definition(people, definition):
    """Passing two units that lead to the same credential leaves one live credential:
    the later pass renews (supersedes) the earlier credential."""
    first_attempt = submit(people["learner"])
    second_attempt = submit(people["learner"], unit=OTHER_UNIT)
    first = assess(first_attempt, people["staff"], "yes")
    second = assess(second_attempt, people["staff"], "yes", unit=OTHER_UNIT)
    assert first.credential.uuid != second.credential.uuid
    assert api.get_credential(first.credential.uuid).status == "superseded"
    assert api.get_credential(first.credential.uuid).superseded_by == second.credential.uuid
    assert Credential.objects.filter(live_state__isnull=False).count() == 1
    assert api.get_learner_credential(people["learner"].pk, definition.slug) == second.credential


def test_learner_who_holds_the_credential_cannot_start_again(people, definition):
    assess(submit(people["learner"]), people["staff"], "yes")
    with pytest.raises(api.AttemptNotAllowed, match="already hold"):
        submit(people["learner"])
    with pytest.raises(api.AttemptNotAllowed, match="already hold"):
        submit(people["learner"], unit=OTHER_UNIT)  # any unit leading to it


def test_unknown_user_cannot_submit(db, definition):
    class Ghost:
        pk = 987654

    with pytest.raises(api.AttemptNotAllowed, match="signed in"):
        submit(Ghost())


def test_queue_lists_waiting_attempts_oldest_first(people, definition):
    first = submit(people["learner"])
    second = submit(people["learner2"])
    assess(first, people["staff"], "no")
    assert [a.id for a in api.get_attempts_awaiting_assessment(UNIT)] == [second.id]
    assert api.get_attempts_awaiting_assessment(UNIT)[0].learner_name == "Kim Okafor"


def test_definitions_are_listed_for_linking(definition):
    assert [d.slug for d in api.list_credential_definitions()] == [definition.slug]
    assert api.get_credential_definition(definition.slug).pass_percentage == 70
    with pytest.raises(api.UnknownCredential):
        api.get_credential_definition("nope")


def test_registered_units_are_listed_for_their_credential(people, definition):
    from credential_app.data import EvidenceSettings

    evidence = EvidenceSettings(files_enabled=True, file_types=("pdf",))
    api.register_assessment_unit(usage_key=UNIT, credential_slug=definition.slug,
                                 display_name="Unit one", rubric=RUBRIC, evidence=evidence)
    api.register_assessment_unit(usage_key=UNIT, credential_slug=definition.slug,
                                 display_name="Unit one, renamed", rubric=RUBRIC,
                                 evidence=evidence)
    (unit,) = api.list_assessment_units(definition.slug)
    assert unit.display_name == "Unit one, renamed"
    assert unit.rubric == RUBRIC and unit.evidence == evidence


def test_retake_status_follows_the_attempts(people, definition):
    learner = people["learner"]
    assert api.get_retake_status(learner.pk, UNIT).may_start
    attempt = submit(learner)
    waiting = api.get_retake_status(learner.pk, UNIT)
    assert not waiting.may_start and "waiting for assessment" in waiting.reason
    assert waiting.attempts_used == 1
    assess(attempt, people["staff"], "no")
    assert api.get_retake_status(learner.pk, UNIT).may_start

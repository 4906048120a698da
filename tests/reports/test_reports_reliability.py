"""Assessor agreement from the database equals Krippendorff's alpha computed unit by unit;
a drifting assessor is flagged; calibration scores are compared and change no result."""
import pytest
from django.urls import reverse, reverse_lazy

from credential_app.core import calibration
from credential_app.models import (
    Assessment,
    Attempt,
    CalibrationAssignment,
    CalibrationItem,
    CalibrationScore,
    CalibrationSet,
    Credential,
    CriterionScore,
    IssuancePolicy,
)
from credential_app.reports.alpha import ORDINAL, alpha, coincidences_from_units
from credential_app.reports.filters import Scope
from credential_app.reports.reliability import reliability
from tests.reports_helpers import FAIL, PASS, UNIT_A, World

pytestmark = [pytest.mark.django_db, pytest.mark.db_server]  # pairs found in SQL

RELIABILITY = reverse_lazy("credential_app:report", kwargs={"slug": "reliability"})


def score_page(assignment):
    return reverse("credential_app:score-calibration", args=[assignment.pk])


def results_page(calibration_set):
    return reverse("credential_app:calibration-results", args=[calibration_set.pk])


MIXED = {"hazards": "partial", "controls": "matched", "communication": "present"}
LOW = {"hazards": "partial", "controls": "generic", "communication": "missing"}


CONTRARY = {id(PASS): FAIL, id(FAIL): PASS, id(MIXED): LOW, id(LOW): MIXED}


@pytest.fixture
def world(db):
    """Eight safety attempts, each scored by all three assessors: assessors 0 and 1 agree,
    assessor 2 gives the opposite levels."""
    w = World()
    IssuancePolicy.objects.filter(definition=w.safety).update(required_assessments=3)
    for levels in [PASS, FAIL, MIXED, LOW] * 2:
        w.attempt(w.learner(), UNIT_A, levels, levels, CONTRARY[id(levels)])
    return w


def expected_alpha(criterion=None):
    """Alpha the slow way: every attempt's points per criterion as a unit, in Python."""
    units = {}
    for score in CriterionScore.objects.select_related("assessment"):
        if criterion in (None, score.criterion):
            units.setdefault((score.assessment.attempt_id, score.criterion), []).append(
                score.points)
    return alpha(coincidences_from_units(units.values()), ORDINAL)


def test_alpha_per_criterion_matches_the_unit_by_unit_computation(world):
    assert Assessment.objects.filter(attempt__assessments__assessor=world.assessors[2]).exists()
    result = reliability(Scope(definition=world.safety))
    rows = {r["criterion"]: r for r in result.criteria.rows}
    assert set(rows) == {"Hazards", "Controls", "Communication"}  # labels, not names
    for criterion, row in rows.items():
        assert row["alpha"] == pytest.approx(round(expected_alpha(criterion.lower()), 3))


def test_alpha_per_pair_of_assessors(world):
    result = reliability(Scope(definition=world.safety))
    pairs = {(r["first"], r["second"]): r for r in result.pairs.rows}
    first_two = pairs[("Asa Sessor0", "Asa Sessor1")]
    assert first_two["shared"] == 8 * 3  # both scored all eight attempts, three criteria
    units = {}
    zero, one = world.assessors[0].pk, world.assessors[1].pk
    for score in CriterionScore.objects.filter(assessment__assessor_id__in=[zero, one]
                                               ).select_related("assessment"):
        units.setdefault((score.assessment.attempt_id, score.criterion), []).append(
            score.points)
    assert first_two["alpha"] == pytest.approx(
        round(alpha(coincidences_from_units(units.values()), ORDINAL), 3))


def test_a_drifting_assessor_is_flagged(world, settings):
    result = reliability(Scope(definition=world.safety))
    flagged = {r["assessor"] for r in result.assessors.rows if r["drift"]}
    assert flagged == {"Asa Sessor2"}
    assert len(result.alerts) == 1 and "Asa Sessor2 drifts" in result.alerts[0].message


def test_too_few_shared_scores_raise_no_alert(world, settings):
    settings.CREDENTIAL_APP = {**settings.CREDENTIAL_APP, "REPORTS_DRIFT_MIN_PAIRS": 49}
    assert reliability(Scope(definition=world.safety)).alerts == []  # 48 shared each


def test_the_reliability_page_shows_the_alert(client, world, settings):
    client.force_login(world.admin)
    html = client.get(RELIABILITY, {"credential": world.safety.pk}).content.decode()
    assert "Alerts" in html and "Asa Sessor2 drifts from the other assessors" in html


# --- calibration ----------------------------------------------------------------------------

@pytest.fixture
def calibration_set(world):
    chosen = Attempt.objects.filter(definition=world.safety).order_by("id")[:2]
    cset = CalibrationSet.objects.create(name="Spring panel", definition=world.safety,
                                         created_by=world.admin)
    for position, (attempt, levels) in enumerate(zip(chosen, (PASS, FAIL), strict=True)):
        item = CalibrationItem(calibration_set=cset, attempt=attempt, agreed_levels=levels,
                               position=position)
        item.full_clean()
        item.save()
        calibration.save_agreed(item)
    return cset


def test_agreed_levels_must_fit_the_rubric(world, calibration_set):
    from django.core.exceptions import ValidationError

    item = calibration_set.items.first()
    item.agreed_levels = {"hazards": "brilliant"}
    with pytest.raises(ValidationError, match="no level"):
        item.full_clean()


def post_levels(client, assignment, levels_per_item):
    data = {}
    for item, levels in zip(calibration.items_of(assignment), levels_per_item, strict=True):
        data |= {f"item-{item.pk}-{c}": lv for c, lv in levels.items()}
    return client.post(score_page(assignment), data)


def test_an_assessor_scores_a_calibration_set_and_the_admin_compares(client, world,
                                                                      calibration_set):
    assessor = world.assessors[2]
    assignment = CalibrationAssignment.objects.create(calibration_set=calibration_set,
                                                      assessor=assessor, sent_by=world.admin)
    before = (Assessment.objects.count(), CriterionScore.objects.count(),
              list(Attempt.objects.values_list("status", "score").order_by("id")),
              Credential.objects.count())
    client.force_login(assessor)
    assert "Spring panel" in client.get(reverse("credential_app:my-calibrations")).content.decode()
    page = client.get(score_page(assignment)).content.decode()
    assert "Walked the site." in page and "complete" in page
    response = post_levels(client, assignment, [PASS, MIXED])
    assert response.status_code == 302
    assert CalibrationScore.objects.filter(assignment=assignment).count() == 6
    after = (Assessment.objects.count(), CriterionScore.objects.count(),
             list(Attempt.objects.values_list("status", "score").order_by("id")),
             Credential.objects.count())
    assert after == before  # practice changes no result, grade or credential

    client.force_login(world.admin)
    html = client.get(results_page(calibration_set)).content.decode()
    assert "Asa Sessor2" in html
    from credential_app.reports.calibration_report import calibration_tables

    summary, details = calibration_tables(calibration_set)
    row = summary.rows[0]
    assert row["scores"] == 6 and row["matches"] == 50.0  # PASS matches; MIXED vs FAIL not
    diffs = {(d["attempt"], d["criterion"]): d["difference"] for d in details.rows}
    assert diffs[(calibration_set.items.last().attempt_id, "hazards")] == 2


def test_a_calibration_set_must_be_scored_whole(client, world, calibration_set):
    assignment = CalibrationAssignment.objects.create(calibration_set=calibration_set,
                                                      assessor=world.assessors[0])
    client.force_login(world.assessors[0])
    response = post_levels(client, assignment, [PASS, {"hazards": "none"}])
    assert response.status_code == 400
    assert "Attempt 2 of the set" in response.content.decode()
    assert not CalibrationScore.objects.exists()


def test_only_the_assessor_it_was_sent_to_may_score_it(client, world, calibration_set):
    assignment = CalibrationAssignment.objects.create(calibration_set=calibration_set,
                                                      assessor=world.assessors[0])
    client.force_login(world.assessors[1])
    assert client.get(score_page(assignment)).status_code == 404
    client.force_login(world.learners[0])
    assert client.get(results_page(calibration_set)).status_code == 403


def test_an_admin_builds_and_sends_a_calibration_set_in_the_admin(client, world):
    """The admin form: attempts with agreed levels, and the assessors it goes to."""
    from credential_app.models import CalibrationAgreedScore

    world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    attempt = Attempt.objects.filter(definition=world.safety).first()
    form = {
        "name": "Autumn panel", "definition": world.safety.pk,
        "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0",
        "items-0-attempt": attempt.pk, "items-0-position": "0",
        # the agreed level chosen per criterion of the set's rubric
        "items-0-agreed_levels__hazards": "complete",
        "items-0-agreed_levels__controls": "matched",
        "items-0-agreed_levels__communication": "present",
        "assignments-TOTAL_FORMS": "1", "assignments-INITIAL_FORMS": "0",
        "assignments-0-assessor": world.assessors[1].pk,
    }
    response = client.post("/admin/credential_app/calibrationset/add/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    cset = CalibrationSet.objects.get(name="Autumn panel")
    assert cset.created_by == world.admin
    assert dict(CalibrationAgreedScore.objects.filter(item__calibration_set=cset)
                .values_list("criterion", "points")) == {"hazards": 4, "controls": 2,
                                                         "communication": 2}
    sent = CalibrationAssignment.objects.get(calibration_set=cset)
    assert (sent.assessor, sent.sent_by) == (world.assessors[1], world.admin)
    page = client.get(f"/admin/credential_app/calibrationset/{cset.pk}/change/")
    assert results_page(cset) in page.content.decode()
    assert '<option value="matched" selected>' in page.content.decode()  # chosen, not JSON

    form["items-0-agreed_levels__hazards"] = "brilliant"
    del form["items-0-agreed_levels__controls"], form["items-0-agreed_levels__communication"]
    form["name"] = "Broken panel"
    response = client.post("/admin/credential_app/calibrationset/add/", form)
    assert response.status_code == 200
    assert "no level" in response.content.decode()
    form["items-0-agreed_levels__hazards"] = "complete"
    form["items-0-attempt"] = Attempt.objects.create(
        user=world.learners[0], definition=world.aid, number=9, evidence_text="x",
        rubric=attempt.rubric, max_score=10, course_key=attempt.course_key,
        usage_key=attempt.usage_key).pk
    response = client.post("/admin/credential_app/calibrationset/add/", form)
    assert "The attempt is not for this set" in response.content.decode()
    assert not CalibrationSet.objects.filter(name="Broken panel").exists()

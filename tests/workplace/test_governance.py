"""The governance dashboard: each indicator with its cadence and last review; marking a
review is audited; small figures withheld; learners' confidence change."""
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from credential_app import api
from credential_app.models import AuditEntry, IndicatorReview
from credential_app.workplace import confidence, governance, indicators
from tests.workplace.outcome_world import TODAY, standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(get_user_model().objects.create_user("gov", is_staff=True))
    return client


def row(key):
    return next(r for r in governance.rows() if r["key"] == key)


def test_each_indicator_has_a_cadence_and_is_due_until_reviewed(staff_client):
    text = staff_client.get(reverse("credential_app:workplace-governance")).content.decode()
    for label in ("Pass rate", "Time to complete", "Performance attainment at 90 days",
                  "Retention at 180 days", "Hiring cost per productive hire",
                  "Learner confidence change"):
        assert label in text
    assert {r["cadence"] for r in governance.rows()} == {"monthly", "quarterly",
                                                         "twice a year"}
    assert row("retention_180")["status"] == "review due"


def test_marking_a_review_is_recorded_and_audited(staff_client):
    answer = staff_client.post(reverse("credential_app:workplace-governance"),
                               {"indicator": "retention_180", "note": "Board pack Q2"})
    assert answer.status_code == 302
    review = IndicatorReview.objects.get()
    assert (review.indicator, review.note) == ("retention_180", "Board pack Q2")
    entry = AuditEntry.objects.get(action="indicator_reviewed")
    assert entry.details == {"indicator": "retention_180"} and entry.reason == "Board pack Q2"
    assert row("retention_180")["status"].startswith("next review by")
    assert "never" not in row("retention_180")["last_reviewed"]


def test_a_bad_review_changes_nothing(staff_client):
    answer = staff_client.post(reverse("credential_app:workplace-governance"),
                               {"indicator": "made_up"})
    assert answer.status_code == 400
    assert not IndicatorReview.objects.exists()


def test_lagging_figures_are_pooled_from_the_matched_comparisons():
    standard().store()
    indicators.refresh(TODAY)
    assert row("retention_180")["value"] == "holders 100.0 %, comparison 88.9"
    assert row("pass_rate")["value"].startswith("withheld")  # attempts are a year old


def test_confidence_answers_are_checked(db):
    force = standard(holders=1, controls=0)
    user = force.holders[0]
    for moment, score in (("during", 3), ("before", 0), ("after", 6), ("before", "4")):
        with pytest.raises(api.InvalidConfidenceAnswer):
            api.record_confidence(user_id=user.pk, credential_slug="aid", moment=moment,
                                  score=score)
    with pytest.raises(api.UnknownCredential):
        api.record_confidence(user_id=user.pk, credential_slug="nope", moment="before",
                              score=3)
    api.record_confidence(user_id=user.pk, credential_slug="aid", moment="before", score=2)
    api.record_confidence(user_id=user.pk, credential_slug="aid", moment="before", score=3)
    assert confidence.change_pairs() == []  # nothing after yet; the latest "before" kept
    api.record_confidence(user_id=user.pk, credential_slug="aid", moment="after", score=5)
    assert confidence.change_pairs() == [(3, 5)]


def test_confidence_change_needs_enough_learners(db):
    force = standard(holders=5, controls=0)
    for user in force.holders[:4]:
        confidence.record(user_id=user.pk, definition=force.world.aid, moment="before",
                          score=2)
        confidence.record(user_id=user.pk, definition=force.world.aid, moment="after",
                          score=4)
    assert row("confidence_change")["value"].startswith("withheld")
    last = force.holders[4]
    confidence.record(user_id=last.pk, definition=force.world.aid, moment="before", score=3)
    confidence.record(user_id=last.pk, definition=force.world.aid, moment="after", score=3)
    assert row("confidence_change")["value"] == "1.60 points on a 1–5 scale (after − before)"

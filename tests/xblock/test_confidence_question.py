"""The optional confidence question in the learner view: before handing in and after the
result, saved through the block's handler, counted by the governance dashboard."""
import pytest

from credential_app.models import ConfidenceAnswer
from credential_app.workplace import confidence
from tests.helpers import PASSING_SCORES

pytestmark = pytest.mark.django_db


def test_the_question_is_asked_before_handing_in_and_after_the_result(workbench, people):
    learner = workbench.sign_in(people["learner"])
    assert 'data-moment="before"' in learner.page()
    status, body = learner.post("record_confidence", {"moment": "before", "score": 2})
    assert (status, body["message"]) == (200, "Thank you: your answer is saved.")
    status, handed_in = learner.post("submit_evidence", {"text": "Guard fitted, exits cleared."})
    assert status == 200
    assert "data-moment=" not in learner.page()  # waiting for the assessor: not asked
    workbench.sign_in(people["staff"]).post(
        "submit_assessment", {"attempt_id": handed_in["attempt_id"], "scores": PASSING_SCORES})
    page = workbench.sign_in(people["learner"]).page()
    assert 'data-moment="after"' in page and "now that you have your result" in page
    assert workbench.post("record_confidence", {"moment": "after", "score": 4})[0] == 200
    assert confidence.change_pairs() == [(2, 4)]


@pytest.mark.parametrize("payload", [{}, {"moment": "before"}, {"moment": "before", "score": 9},
                                     {"moment": "later", "score": 3},
                                     {"moment": "before", "score": "3"},
                                     {"moment": "before", "score": True}])
def test_a_bad_answer_is_refused_and_changes_nothing(workbench, people, payload):
    status, body = workbench.sign_in(people["learner"]).post("record_confidence", payload)
    assert status == 400 and body["error"]
    assert not ConfidenceAnswer.objects.exists()


def test_someone_signed_out_cannot_answer(workbench):
    status, _body = workbench.post("record_confidence", {"moment": "before", "score": 3})
    assert status == 403
    assert not ConfidenceAnswer.objects.exists()

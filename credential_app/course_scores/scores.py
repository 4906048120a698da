"""Open a submission for each attempt; set or reset the learner's course score."""
import logging
import math

from submissions import api as submissions_api

from credential_app.core import attempts, units
from credential_app.course_scores.models import CourseSubmission

log = logging.getLogger(__name__)

ITEM_TYPE = "credential_assessment"  # the block type, as the LMS names the item
STUDENT_ID_LENGTH = 255  # edx-submissions' StudentItem.student_id


def student_item(anonymous_user_id: str, usage_key) -> dict:
    """The learner's student item at a unit, in edx-submissions' terms."""
    return {"student_id": anonymous_user_id, "course_id": str(usage_key.course_key),
            "item_id": str(usage_key), "item_type": ITEM_TYPE}


def open_submission(attempt, anonymous_user_id: str) -> CourseSubmission | None:
    """Record ``attempt`` as a submission of the learner's student item.

    None where the runtime did not say who the learner is to the course (no anonymous id):
    such an attempt has no course score.
    """
    if not anonymous_user_id or len(anonymous_user_id) > STUDENT_ID_LENGTH:
        log.warning("Attempt %s has no course submission: the runtime gave no usable "
                    "anonymous user id.", attempt.pk)
        return None
    submission = submissions_api.create_submission(
        student_item(anonymous_user_id, attempt.usage_key),
        {"attempt_id": attempt.pk, "number": attempt.number},  # the evidence stays here
        submitted_at=attempt.submitted_at)
    return CourseSubmission.objects.create(attempt=attempt, submission_uuid=submission["uuid"],
                                           student_id=anonymous_user_id)


def course_points(score: int, max_score: int, weight: float | None) -> tuple[int, int]:
    """(earned, possible) in the course: the rubric's points, or scaled to ``weight``.

    edx-submissions keeps whole points and the LMS takes them as they are (it applies no
    weight to them), so a weighted score is rounded to the nearest whole point, halves up.
    """
    if weight is None or max_score <= 0:
        return score, max_score
    possible = max(0, round(weight))
    return math.floor(score * possible / max_score + 0.5), possible


def publish_counted(user_id: int, usage_key) -> None:
    """Give the learner's student item the score of the result that counts now, or reset it
    when no result counts (all attempts reset)."""
    counted = attempts.counted_score(user_id, usage_key)
    if counted is None:
        _reset(user_id, usage_key)
        return
    link = CourseSubmission.objects.filter(attempt_id=counted.attempt_id).first()
    if link is None:
        log.warning("Attempt %s has no course submission; the learner's course score is not "
                    "changed.", counted.attempt_id)
        return
    earned, possible = course_points(counted.score, counted.max_score,
                                     units.grade_weight(usage_key))
    submissions_api.set_score(str(link.submission_uuid), earned, possible)


def _reset(user_id: int, usage_key) -> None:
    link = _latest_link(user_id, usage_key)
    if link is not None:
        submissions_api.reset_score(link.student_id, str(usage_key.course_key), str(usage_key))


def current_score(user_id: int, usage_key) -> tuple[int, int] | None:
    """(earned, possible) as the course has it now; None before a score or after a reset."""
    link = _latest_link(user_id, usage_key)
    score = submissions_api.get_score(student_item(link.student_id, usage_key)) if link else None
    if not score:
        return None
    return score["points_earned"], score["points_possible"]


def _latest_link(user_id: int, usage_key) -> CourseSubmission | None:
    return (CourseSubmission.objects.filter(attempt__user_id=user_id,
                                            attempt__usage_key=usage_key)
            .order_by("-attempt__number").first())

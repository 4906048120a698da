"""What course scores do when the core announces a new attempt or a changed result.

Connected to ``core.signals`` when the app is ready (``apps.py``). The core sends both
inside its transaction, so the submission and the score commit with the attempt or result.
"""
from credential_app.course_scores import scores


def open_submission(sender, *, attempt, anonymous_user_id="", **kwargs):
    scores.open_submission(attempt, anonymous_user_id)


def publish_counted_score(sender, *, user_id, usage_key, **kwargs):
    scores.publish_counted(user_id, usage_key)

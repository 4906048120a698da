"""Learners' confidence before an attempt and after its result (an optional question, 1–5):
the governance dashboard's learning indicator. Answers are the learner's own; retirement
erases them."""
from django.db import transaction
from django.utils.timezone import now
from django.utils.translation import gettext as _

from credential_app.exceptions import InvalidConfidenceAnswer
from credential_app.workplace.models import ConfidenceAnswer, ConfidenceMoment


def record(*, user_id, definition, moment: str, score: int) -> ConfidenceAnswer:
    """Keep the learner's latest answer for this credential and moment."""
    if moment not in ConfidenceMoment.values:
        raise InvalidConfidenceAnswer(_("Say whether this is before the attempt or after "
                                        "the result."), field="moment")
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise InvalidConfidenceAnswer(_("Choose a confidence from 1 to 5."), field="score")
    with transaction.atomic():
        answer, _created = ConfidenceAnswer.objects.update_or_create(
            user_id=user_id, definition=definition.family_root(), moment=moment,
            defaults={"score": score, "answered_at": now()})
    return answer


def change_pairs(limit=200_000) -> list[tuple[int, int]]:
    """(before, after) of each learner and credential answered at both moments."""
    before = {}
    after = []
    rows = (ConfidenceAnswer.objects.order_by("user_id", "definition_id")
            .values_list("user_id", "definition_id", "moment", "score")[:limit])
    for user_id, definition_id, moment, score in rows:
        if moment == ConfidenceMoment.BEFORE:
            before[(user_id, definition_id)] = score
        else:
            after.append(((user_id, definition_id), score))
    return [(before[key], score) for key, score in after if key in before]


def forget_person(user_id) -> None:
    ConfidenceAnswer.objects.filter(user_id=user_id).delete()

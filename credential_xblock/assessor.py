"""What an assessor does in the block: work the queue, claim, score, override, reset.

Grades: the block publishes none. The app keeps the learner's course score in
edx-submissions, inside the transaction that decides, overrides or resets a result
(``credential_app/course_scores``), and the LMS grades app credits the learner whose
submission it is. A grade event published here would be credited to whoever sent the
request, the assessor (docs/decisions/0008).
"""
import logging
from dataclasses import dataclass

from django.utils.text import slugify
from django.utils.translation import gettext_noop as _  # translated by the runtime's i18n
from xblock.exceptions import InvalidScopeError

from credential_app import api
from credential_app.data import CredentialStatus, CriterionScore, QueueItem, QueueStatus
from credential_xblock.handlers import (
    course_staff,
    error_response,
    json_post,
    json_response,
    translate,
)
from credential_xblock.identity import current_viewer_or_none, user_id_for_anonymous_id
from credential_xblock.keys import usage_key_of
from credential_xblock.resources import render_template

log = logging.getLogger(__name__)
COUNT_LABELS = ("heading", "waiting", "claimed", "scored", "result")  # assessor_count_label


@dataclass(frozen=True)
class QueueRow:
    """A queue item as the template shows it, with ``(file, url)`` pairs of its evidence."""

    item: QueueItem
    files: list


class AssessorMixin:
    """Assessor handlers and the assessor part of ``student_view``."""

    def assessor_context(self, viewer):
        """Template context of the assessor section (``assessor.html``)."""
        if not viewer.is_staff:
            return {"queue": None}
        queue = api.get_assessment_queue(usage_key_of(self), viewer.user_id)

        def rows(*statuses):
            return [QueueRow(item, self.files_with_urls(item.attempt.files))
                    for item in queue.of(*statuses)]

        rules = api.get_unit_rules(usage_key_of(self), self.credential)
        return {
            "queue": queue,
            # the bar an override is confirmed against ("" when the unit leads nowhere yet)
            "pass_percentage": rules.pass_percentage if rules else "",
            "to_score": rows(QueueStatus.WAITING),
            "claimed": rows(QueueStatus.CLAIMED, QueueStatus.LOCKED),
            "scored": rows(QueueStatus.SCORED),
            "results": rows(QueueStatus.RESULT),
        }

    @json_post(allow=course_staff, refusal=_("Only course staff can assess attempts."))
    def submit_assessment(self, viewer, data):
        """Staff score every criterion of an attempt; a final result's grade is published."""
        attempt_id = data.get("attempt_id")
        raw_scores = data.get("scores")
        if not _is_id(attempt_id):
            return error_response(self, 400, _("Say which attempt you are assessing."),
                                  field="attempt_id")
        if not isinstance(raw_scores, list) or not all(
            isinstance(s, dict) and isinstance(s.get("criterion"), str)
            and isinstance(s.get("level"), str) and isinstance(s.get("comment", ""), str)
            for s in raw_scores
        ):
            return error_response(self, 400,
                                  _("Send one level (and an optional comment) per criterion."),
                                  field="scores")
        scores = [CriterionScore(s["criterion"], s["level"], s.get("comment", "").strip())
                  for s in raw_scores]
        outcome = api.record_assessment(attempt_id=attempt_id, usage_key=usage_key_of(self),
                                        assessor_id=viewer.user_id, scores=scores)
        result = outcome.attempt.result
        if result is None:  # more assessments are needed before there is a result
            return json_response({
                "attempt_id": outcome.attempt.id, "score": None, "passed": None,
                "credential_uuid": None,
                "message": translate(self, _("Assessment recorded. The result is decided once "
                                             "the other assessments it needs are in.")),
                "you_scored": self.you_scored(outcome.attempt.rubric, scores),
                "queue": self.queue_state(viewer),
            })
        if not result.passed:
            message = _("Not passed: {score} of {max_score} points.")
        elif outcome.credential and outcome.credential.status == CredentialStatus.PENDING_APPROVAL:
            message = _("Passed: {score} of {max_score} points. The credential waits for "
                        "approval.")
        else:
            message = _("Passed: {score} of {max_score} points. Credential issued.")
        return json_response({
            "attempt_id": outcome.attempt.id,
            "score": result.score,
            "max_score": result.max_score,
            "passed": result.passed,
            "credential_uuid": outcome.credential.uuid if outcome.credential else None,
            "message": translate(self, message).format(score=result.score,
                                                       max_score=result.max_score),
            "you_scored": self.you_scored(outcome.attempt.rubric, scores),
            "queue": self.queue_state(viewer),
        })

    def you_scored(self, rubric, scores):
        """What the assessor chose, per criterion, labelled (shown once they submit)."""
        return [{"criterion": row.criterion_label, "level": row.level_label,
                 "points": translate(self, _("{points} of {max_points} points")).format(
                     points=row.points, max_points=row.max_points),
                 "comment": row.comment} for row in rubric.results_for(scores)]

    @json_post(allow=course_staff, refusal=_("Only course staff can assess attempts."))
    def queue_counts(self, viewer, data):
        """The queue's counts, as the assessor view shows them, so an open view keeps up
        with other assessors' claims and scores without a reload."""
        return json_response(self.queue_state(viewer))

    def queue_state(self, viewer):
        """The counts and their labels; also in the answer to every claim, release, score
        and override, so the view updates its counts without asking again."""
        counts = api.get_queue_counts(usage_key_of(self), viewer.user_id)
        i18n = self.runtime.service(self, "i18n")
        return {"counts": counts, "labels": {
            which: render_template("assessor_count_label.html",
                                   {"which": which, "counts": counts}, i18n).strip()
            for which in COUNT_LABELS}}

    @json_post(allow=course_staff, refusal=_("Only course staff can assess attempts."))
    def queue_page(self, viewer, data):
        """The next page of one queue list ("Show more"): its rows as the view renders
        them, and whether more follow."""
        list_name, offset = data.get("list"), data.get("offset")
        if list_name not in api.QUEUE_LISTS or not _is_offset(offset):
            return error_response(self, 400, _("Say which list and from where to show more."))
        items, more = api.get_assessment_queue_page(usage_key_of(self), viewer.user_id,
                                                    list_name, offset)
        rules = api.get_unit_rules(usage_key_of(self), self.credential)
        html = render_template("assessor_rows.html", {
            "rows": [QueueRow(item, self.files_with_urls(item.attempt.files)) for item in items],
            "list": list_name, "prefix": slugify(str(usage_key_of(self))),
            "pass_percentage": rules.pass_percentage if rules else ""},
            self.runtime.service(self, "i18n"))
        return json_response({"html": html, "more": more, "shown": len(items)})

    @json_post(allow=course_staff, refusal=_("Only course staff can assess attempts."))
    def claim_attempt(self, viewer, data):
        """Staff claim an attempt so nobody else scores it while they do."""
        attempt_id = data.get("attempt_id")
        if not _is_id(attempt_id):
            return error_response(self, 400, _("Say which attempt you are claiming."),
                                  field="attempt_id")
        claim = api.claim_attempt(attempt_id=attempt_id, usage_key=usage_key_of(self),
                                  assessor_id=viewer.user_id)
        return json_response({
            "attempt_id": claim.attempt_id,
            "expires_at": claim.expires_at.isoformat(),
            "message": translate(self, _("Claimed until {time}: nobody else can score it "
                                         "until then.")).format(time=_time(claim.expires_at)),
            "queue": self.queue_state(viewer),
        })

    @json_post(allow=course_staff, refusal=_("Only course staff can assess attempts."))
    def release_claim(self, viewer, data):
        """Staff give up their claim so another assessor may take the attempt."""
        attempt_id = data.get("attempt_id")
        if not _is_id(attempt_id):
            return error_response(self, 400, _("Say which attempt you are releasing."),
                                  field="attempt_id")
        api.release_claim(attempt_id=attempt_id, usage_key=usage_key_of(self),
                          assessor_id=viewer.user_id)
        return json_response({"attempt_id": attempt_id,
                              "message": translate(self, _("Claim released.")),
                              "queue": self.queue_state(viewer)})

    @json_post(allow=course_staff, refusal=_("Only course staff can override results."))
    def override_result(self, viewer, data):
        """Staff change an assessed attempt's result, giving their reason; grade republished."""
        attempt_id, passed, reason = data.get("attempt_id"), data.get("passed"), data.get("reason")
        if not _is_id(attempt_id):
            return error_response(self, 400, _("Say which attempt's result you are changing."),
                                  field="attempt_id")
        if not isinstance(passed, bool):
            return error_response(self, 400, _("Say whether the attempt passes."),
                                  field="passed")
        if not isinstance(reason, str) or not reason.strip():
            return error_response(self, 400, _("Give the reason for overriding the result."),
                                  field="reason")
        outcome = api.override_result(attempt_id=attempt_id, usage_key=usage_key_of(self),
                                      staff_id=viewer.user_id, passed=passed, reason=reason)
        result = outcome.attempt.result
        message = (_("Result changed to passed ({score} of {max_score} points).") if passed
                   else _("Result changed to not passed ({score} of {max_score} points)."))
        return json_response({
            "attempt_id": outcome.attempt.id,
            "passed": result.passed,
            "credential_uuid": outcome.credential.uuid if outcome.credential else None,
            "message": translate(self, message).format(score=result.score,
                                                       max_score=result.max_score),
            "queue": self.queue_state(viewer),
        })

    # ---- instructor "reset learner state" ----------------------------------------------

    def clear_student_state(self, user_id, course_id, item_id, requesting_user_id):
        """Called by the LMS when staff reset a learner's state at this block.

        The LMS passes anonymous user ids; the learner's attempts here are marked RESET in
        the app (they never count again), and their ``draft`` is cleared. (In the LMS the
        learner's StudentModule, which holds ``draft``, is deleted right after this call.)
        """
        learner_id = user_id_for_anonymous_id(self, user_id)
        if learner_id is None:
            log.warning("Reset of %s: no user has the anonymous id given; nothing cleared.",
                        item_id)
            return
        requested_by = user_id_for_anonymous_id(self, requesting_user_id)
        api.reset_learner_state(user_id=learner_id, usage_key=usage_key_of(self),
                                requested_by=requested_by)
        viewer = current_viewer_or_none(self)
        if viewer is not None and viewer.user_id == learner_id:
            try:
                self.fields["draft"].delete_from(self)
                self.save()
            except InvalidScopeError:
                pass  # loaded without learner state (the LMS's reset): it deletes that itself


def _is_offset(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 1_000_000


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _time(moment) -> str:
    return api.human_datetime(moment)

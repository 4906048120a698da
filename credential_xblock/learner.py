"""What a learner does in the block: read, hand in evidence, see the result."""
from django.utils.translation import gettext_noop as _  # translated by the runtime's i18n

from credential_app import api
from credential_xblock.handlers import (
    download_response,
    error_response,
    file_get,
    json_post,
    json_response,
    signed_in,
    translate,
    upload_post,
)
from credential_xblock.keys import usage_key_of
from credential_xblock.resources import render_template
from credential_xblock.unit_summary import summary
from credential_xblock.verification import check_identity

MAX_DRAFT_LINK_LENGTH = 2000


class LearnerMixin:
    """Learner handlers and the learner part of ``student_view``."""

    def learner_context(self, viewer, rubric, state=None):
        """Template context of the learner section (``learner.html``); ``state``: the
        learner's state at the unit when the caller has it already (a hand-in's answer)."""
        usage_key = usage_key_of(self)
        evidence = self.evidence_settings()
        if state is None and viewer.is_signed_in:
            state = api.get_learner_unit_state(viewer.user_id, usage_key, self.credential,
                                               with_pending_files=evidence.files_enabled)
        attempt = state.attempt if state else None
        retake = state.retake if state else None
        counted = state.counted if state else None
        credential = state.credential if state else None
        identity = check_identity(self, viewer)
        may_hand_in = rubric is not None and retake is not None and retake.may_start
        can_submit = may_hand_in and identity.passed
        draft = self.draft if can_submit else {}
        if draft.get("after_attempt") != (attempt.id if attempt else None):
            draft = {}  # written before the latest attempt was handed in: spent
        draft_links = [link for link in draft.get("links", []) if isinstance(link, str)]
        draft_text = draft.get("text", "") if isinstance(draft.get("text"), str) else ""
        pending_files = (self.files_with_urls(state.pending_files)
                         if can_submit and evidence.files_enabled else [])
        rules = state.rules if state else api.get_unit_rules(usage_key, self.credential)
        # the optional confidence question: after a result, else before handing in (no
        # query: an answer given is not shown again, the question is asked afresh)
        moment = ("after" if attempt and attempt.result else "before" if can_submit else "")
        return {
            "confidence_moment": moment if self.credential and viewer.is_signed_in else "",
            "confidence_scale": range(1, 6),
            **summary(rules, rubric, evidence, attempt,
                      has_draft=bool(draft_text.strip() or draft_links or pending_files),
                      may_hand_in=bool(retake and retake.may_start)),
            "attempt": attempt,
            "attempt_files": self.files_with_urls(attempt.files) if attempt else [],
            "credential": credential,
            # The policy may count another attempt than the latest (e.g. the highest).
            "counted": counted if counted and counted.id != attempt.id else None,
            "credentials_url": api.get_credentials_page_url() if credential else "",
            "course_score": state.course_score if state else None,
            "retake": retake,
            "identity_message": (translate(self, identity.message)
                                 if may_hand_in and not identity.passed else ""),
            "identity_url": identity.action_url,
            "identity_action": translate(self, identity.action_label)
            if identity.action_label else "",
            "can_submit": can_submit,
            "max_evidence_length": api.evidence_length_limit(self.max_evidence_length),
            "evidence": evidence,
            "max_file_size": api.evidence_file_size_limit(evidence),
            "accept": ",".join(f".{ext}" for ext in evidence.file_types),
            "file_types": ", ".join(f".{ext}" for ext in evidence.file_types),
            "draft_text": draft_text,
            "link_slots": [
                (number, draft_links[number - 1] if number <= len(draft_links) else "")
                for number in range(1, evidence.max_links + 1)
            ] if evidence.links_enabled else [],
            "pending_files": pending_files,
        }

    def files_with_urls(self, files):
        """``(file, url)`` pairs for ``evidence_list.html``; the URL's handler checks the viewer."""
        return [(f, self._file_url(f)) for f in files]

    def _file_url(self, evidence_file):
        return self.runtime.handler_url(self, "evidence_file", suffix=str(evidence_file.id))

    def _file_json(self, evidence_file):
        return {"id": evidence_file.id, "name": evidence_file.name, "size": evidence_file.size,
                "url": self._file_url(evidence_file)}

    def _ready_for_hand_in(self, viewer):
        """``(rubric, None)`` when the viewer may hand in here, else ``(None, refusal)``:
        the unit's rubric must be valid and the viewer's identity checked if required."""
        rubric, rubric_error = self.rubric_or_error()
        if rubric is None:
            return None, error_response(
                self, 409, _("This assessment is not ready yet: {problem}"), problem=rubric_error)
        return rubric, self._identity_refusal(viewer)

    def _identity_refusal(self, viewer):
        """A 403 response when the unit requires a verified identity the viewer lacks."""
        identity = check_identity(self, viewer)
        if identity.passed:
            return None
        return json_response({"error": translate(self, identity.message), "field": None,
                              "verify_url": identity.action_url}, status=403)

    @json_post(allow=signed_in, refusal=_("Sign in to hand in evidence."))
    def submit_evidence(self, viewer, data):
        """A learner hands in their evidence (text, links, uploaded files) as a new attempt."""
        rubric, refusal = self._ready_for_hand_in(viewer)
        if refusal:
            return refusal
        text = data.get("text")
        if not isinstance(text, str):
            return error_response(self, 400, _("Send your evidence as text."), field="text")
        state = api.hand_in(
            user_id=viewer.user_id,
            usage_key=usage_key_of(self),
            credential_slug=self.credential,
            rubric=rubric,
            evidence_text=text,
            max_evidence_length=self.max_evidence_length,
            links=data.get("links", []),
            file_ids=data.get("files", []),
            evidence=self.evidence_settings(),
            anonymous_user_id=viewer.anonymous_id,
        )
        attempt = state.attempt
        # Learner state of theirs at the block, so the LMS's instructor tools (reset, delete
        # state) find a record of this learner here, as for any problem they answered.
        self.handed_in = attempt.number
        return json_response({
            "attempt_id": attempt.id,
            "number": attempt.number,
            "status": attempt.status.value,
            "message": translate(
                self, _("Attempt {number} received. An assessor will score it against the rubric; "
                  "your result will appear here.")).format(number=attempt.number),
            # The learner's part of the page as it now stands, so the page changes state
            # without a reload (learner.js puts it in place and moves focus to the message).
            "html": self.learner_part_html(viewer, rubric, state),
        })

    def learner_part_html(self, viewer, rubric, state):
        """``learner.html`` for this viewer in ``state``: the summary, steps and evidence."""
        return render_template(
            "learner.html",
            {"block_id": str(usage_key_of(self)), "viewer": viewer, "rubric": rubric,
             **self.learner_context(viewer, rubric, state)},
            i18n_service=self.runtime.service(self, "i18n"))

    @json_post(allow=signed_in, refusal=_("Sign in to answer."))
    def record_confidence(self, viewer, data):
        """The learner's optional answer: how confident they are at this, 1 to 5, before
        handing in or after their result (the programme sees only totals)."""
        api.record_confidence(user_id=viewer.user_id, credential_slug=self.credential,
                              moment=data.get("moment"), score=data.get("score"))
        return json_response({"message": translate(self, _("Thank you: your answer is "
                                                            "saved."))})

    # ---- drafts --------------------------------------------------------------

    @json_post(allow=signed_in, refusal=_("Sign in to save a draft."))
    def save_draft(self, viewer, data):
        """Keep what the learner is writing (text, links) so a reload loses nothing.

        The draft remembers the attempt it follows, so handing in an attempt spends it
        without a write of its own.
        """
        text = data.get("text", "")
        links = data.get("links", [])
        if not isinstance(text, str):
            return error_response(self, 400, _("Send your draft as text."), field="text")
        limit = api.evidence_length_limit(self.max_evidence_length)
        if len(text) > limit:
            return error_response(
                self, 400, _("Your draft is {length} characters long; the limit is {limit}."),
                field="text", length=len(text), limit=limit)
        if (not isinstance(links, list) or len(links) > max(self.max_links, 0)
                or not all(isinstance(link, str) and len(link) <= MAX_DRAFT_LINK_LENGTH
                           for link in links)):
            return error_response(self, 400, _("Send at most {limit} links, as text."),
                                  field="links", limit=self.max_links)
        self.draft = {"text": text, "links": links, "after_attempt": api.get_latest_attempt_id(
            viewer.user_id, usage_key_of(self))}
        return json_response({"saved": True, "message": translate(self, _("Draft saved."))})

    # ---- evidence files ------------------------------------------------------

    @upload_post(allow=signed_in, refusal=_("Sign in to upload evidence."))
    def upload_evidence(self, viewer, request):
        """One evidence file, checked and kept until the learner submits (or removes it)."""
        rubric, refusal = self._ready_for_hand_in(viewer)
        if refusal:
            return refusal
        retake = api.get_retake_status(viewer.user_id, usage_key_of(self),
                                       credential_slug=self.credential)
        if not retake.may_start:
            return json_response({"error": retake.reason, "field": "file"}, status=409)
        upload = request.POST.get("file")
        if upload is None or not hasattr(upload, "file"):
            return error_response(self, 400, _("Choose a file to upload."), field="file")
        content = upload.file
        size = getattr(content, "size", None)
        stored = api.upload_evidence_file(
            user_id=viewer.user_id, usage_key=usage_key_of(self), name=upload.filename or "",
            content=content, size=size, evidence=self.evidence_settings())
        return json_response({
            "file": self._file_json(stored),
            "message": translate(self, _("“{name}” uploaded.")).format(name=stored.name),
        })

    @json_post(allow=signed_in, refusal=_("Sign in to change your evidence."))
    def remove_evidence(self, viewer, data):
        """Delete one of the learner's files that has not been handed in yet."""
        api.remove_evidence_file(user_id=viewer.user_id, usage_key=usage_key_of(self),
                                 file_id=data.get("file_id"))
        return json_response({"removed": True, "message": translate(self, _("File removed."))})

    @file_get(allow=signed_in, refusal=_("Sign in to open evidence files."))
    def evidence_file(self, viewer, suffix):
        """The file's bytes, for the learner who uploaded it or this course's staff."""
        data, content = api.open_evidence_file(
            file_id=suffix.strip("/"), usage_key=usage_key_of(self), viewer_id=viewer.user_id,
            viewer_is_staff=viewer.is_staff)
        return download_response(data.name, data.content_type, data.size, content)

"""``student_view_data``: what a mobile app needs to show the unit natively.

The Open edX mobile apps ask the Course Blocks API for ``student_view_data`` of the block
types they render themselves; the answer is the prompt, the rubric, what evidence the unit
takes, and where the learner asking stands (their latest attempt, the result that counts,
their score in the course and whether they may hand in now). Plain JSON, no HTML but the
prompt (sanitised as the page shows it).
"""
from credential_app import api
from credential_xblock.identity import current_viewer
from credential_xblock.keys import usage_key_of
from credential_xblock.sanitise import sanitise_prompt


def view_data(block) -> dict:
    rubric, rubric_error = block.rubric_or_error()
    evidence = block.evidence_settings()
    viewer = current_viewer(block)
    return {
        "display_name": block.display_name,
        "prompt_html": sanitise_prompt(block.prompt),
        "credential": block.credential,
        "rubric": rubric.to_dict() if rubric else None,
        "rubric_error": rubric_error or "",
        "max_score": rubric.max_points if rubric else None,
        "evidence": {
            "text": evidence.text_enabled, "text_min_length": evidence.text_min_length,
            "text_max_length": evidence.text_max_length,
            "files": evidence.files_enabled, "file_types": list(evidence.file_types),
            "max_file_size": api.evidence_file_size_limit(evidence),
            "max_files": evidence.max_files,
            "links": evidence.links_enabled, "max_links": evidence.max_links,
        },
        "learner": _learner_status(block, viewer) if viewer.is_signed_in else None,
    }


def _learner_status(block, viewer) -> dict:
    usage_key = usage_key_of(block)
    latest = api.get_latest_attempt(viewer.user_id, usage_key)
    counted = api.get_counted_result(viewer.user_id, usage_key)
    retake = api.get_retake_status(viewer.user_id, usage_key, credential_slug=block.credential)
    course_score = api.get_course_score(viewer.user_id, usage_key)
    return {
        "latest_attempt": _attempt(latest),
        "counted_attempt": _attempt(counted),
        "course_score": ({"earned": course_score[0], "possible": course_score[1]}
                         if course_score else None),
        "may_hand_in": retake.may_start,
        "why_not": retake.reason or "",
        "attempts_used": retake.attempts_used,
        "attempts_allowed": retake.attempts_allowed,
        "next_attempt_opens_at": retake.opens_at.isoformat() if retake.opens_at else None,
    }


def _attempt(attempt) -> dict | None:
    if attempt is None:
        return None
    result = attempt.result
    return {
        "number": attempt.number,
        "status": str(attempt.status.value),
        "submitted_at": attempt.submitted_at.isoformat(),
        "result": None if result is None else {
            "score": result.score, "max_score": result.max_score, "passed": result.passed,
            "criteria": [{"criterion": c.criterion, "label": c.criterion_label,
                          "level": c.level, "level_label": c.level_label,
                          "points": c.points, "max_points": c.max_points,
                          "comment": c.comment} for c in result.criteria],
        },
    }

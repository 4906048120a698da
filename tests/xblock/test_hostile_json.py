"""Hostile JSON to the block's handlers: each gets a 400 naming what is wrong, changes
nothing, and leaves the learner's pages working (findings of the attack run)."""
import json

import pytest

from credential_app.models import Attempt

HANDLERS = ["save_draft", "submit_evidence", "submit_assessment", "studio_submit"]


@pytest.mark.parametrize("text, said", [
    ("Fridge seal \ud800 torn", "lone surrogate"),
    ("Fridge seal \x00 torn", "NUL"),
])
def test_invalid_text_is_refused_and_the_page_keeps_working(workbench, people, text, said):
    workbench.sign_in(people["learner"])
    for handler in ("save_draft", "submit_evidence"):
        status, body = workbench.post(handler, {"text": text, "links": []})
        assert status == 400 and said in body["error"] and body["field"] == "text", body
    assert not Attempt.objects.exists()
    assert "Your evidence" in workbench.page()  # was a 500 until a clean draft was saved


@pytest.mark.parametrize("handler", HANDLERS)
def test_deeply_nested_bodies_are_a_400_not_a_500(workbench, people, handler):
    workbench.sign_in(people["staff"])
    for depth in (20, 50_000):
        raw = '{"text": ' + "[" * depth + "]" * depth + "}"
        status, body = workbench.post(handler, raw=raw)
        assert status == 400 and "nested" in body["error"], (depth, body)


def test_a_body_with_too_many_values_is_refused(workbench, people):
    workbench.sign_in(people["learner"])
    status, body = workbench.post("save_draft", raw=json.dumps({"links": [""] * 30_000}))
    assert status == 400 and "values" in body["error"]

"""Property-based fuzzing of every JSON handler of the block (Hypothesis): whatever JSON a
learner or course staff send (wrong types, huge numbers, deep nesting, lone surrogates,
NUL, long strings), the answer is never a 5xx, and a refused request changes nothing.

Bounded for ``make test`` (``FUZZ_EXAMPLES`` per handler and role, derandomised so a run
is reproducible); ``make fuzz`` runs many more (``CREDENTIAL_FUZZ_EXAMPLES``).
"""
import json
import os

import pytest
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credential_xblock.block import CredentialAssessmentBlock

FUZZ_EXAMPLES = int(os.environ.get("CREDENTIAL_FUZZ_EXAMPLES", "25"))
UPLOADS = {"upload_evidence", "evidence_file"}  # multipart and GET: not JSON handlers
JSON_HANDLERS = sorted(
    name for name in dir(CredentialAssessmentBlock)
    if getattr(getattr(CredentialAssessmentBlock, name), "_is_xblock_handler", False)
    and name not in UPLOADS)

text = st.text(alphabet=st.characters(codec=None), max_size=60) | st.sampled_from(
    ["\ud800", "a\x00b", "x" * 5000, "", "hazards", "complete", "1"])
scalars = st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) \
    | st.floats(allow_nan=False) | text
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(text, inner, max_size=4), max_leaves=12)
# Bodies shaped like what the handlers expect, with any value in any field.
FIELDS = ["text", "links", "files", "attempt_id", "scores", "passed", "reason", "file_id",
          "rubric", "prompt", "credential", "display_name", "max_links", "weight"]
bodies = st.dictionaries(st.sampled_from(FIELDS) | text, values, max_size=6)
raw_bodies = bodies.map(json.dumps) | st.sampled_from(
    ["", "[]", "null", "{", '{"text": ' + "[" * 5000 + "]" * 5000 + "}", "\xff\xfe"])


def row_counts():
    return {model._meta.label: model.objects.count()
            for model in apps.get_app_config("credential_app").get_models()}


@pytest.mark.parametrize("role", ["learner", "staff"])
@pytest.mark.parametrize("handler", JSON_HANDLERS)
def test_no_json_body_gets_a_5xx_and_a_refusal_changes_nothing(workbench, people, handler,
                                                               role):
    workbench.sign_in(people[role])

    @settings(max_examples=FUZZ_EXAMPLES, derandomize=True, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(raw=raw_bodies)
    def send(raw):
        before = row_counts()
        status, body = workbench.post(handler, raw=raw)
        assert status < 500, (handler, role, raw[:200], body)
        if status >= 400:
            assert row_counts() == before, (handler, role, raw[:200], body)

    send()

"""The REST API fuzzed from its own OpenAPI schema (Schemathesis): every operation, with
bodies and parameters generated from the schema and mutated away from it, as a signed-in
member of staff (the widest access) and as a learner. No request may get a 5xx, and a
refused one changes nothing.

Bounded for ``make test`` (``CREDENTIAL_FUZZ_EXAMPLES``, default 10 per operation and
person, derandomised); ``make fuzz`` runs many more.
"""
import os

import pytest
import schemathesis
from django.apps import apps
from django.core.wsgi import get_wsgi_application
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.rest.test_rest_api import lms_jwt, passed_attempt

EXAMPLES = int(os.environ.get("CREDENTIAL_FUZZ_EXAMPLES", "10"))


@pytest.fixture
def tokens(people, definition):
    passed_attempt(people["learner"], people["staff"])  # something to read, approve, revoke
    return {role: lms_jwt(people[role]) for role in ("learner", "staff")}


FUZZ = settings(max_examples=EXAMPLES, derandomize=True, deadline=None,
                suppress_health_check=list(HealthCheck))


def operations():
    """Every operation of the API's schema as served (YAML at v1/schema/)."""
    schema = schemathesis.openapi.from_wsgi(reverse("credential_app:rest-schema"),
                                            get_wsgi_application())
    return [result.ok() for result in schema.get_all_operations()]


def row_counts():
    return {model._meta.label: model.objects.count()
            for model in apps.get_app_config("credential_app").get_models()}


def fuzz(operation, token, tried):
    """Send ``operation`` the cases Schemathesis makes from its schema, as ``token``: never
    a 5xx, and a refused request (4xx) leaves every table as it was."""
    @given(case=operation.as_strategy())
    @FUZZ
    def call(case):
        before = row_counts()
        response = case.call(headers={"Authorization": f"JWT {token}"})
        case.validate_response(response, checks=[not_a_server_error])
        if 400 <= response.status_code < 500:
            assert row_counts() == before, (operation.label, response.status_code)
        tried.append(operation.label)

    call()


@pytest.mark.parametrize("role", ["learner", "staff"])
def test_no_request_gets_a_server_error(tokens, role):
    tried, every = [], operations()
    for operation in every:
        fuzz(operation, tokens[role], tried)
    assert len(set(tried)) == len(every) >= 19  # every operation was exercised

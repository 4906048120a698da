"""Shared steps of the Open Badges tests: fixed keys, an issued credential, the schema."""
import json

import pytest
from django.test import override_settings

from credential_app import api
from credential_app.models import CompetencyAlignment, Credential, Issuer
from credential_app.openbadges import keys as signing_keys
from tests.core.test_api import UNIT, assess, submit
from tests.standards import standards_dir

# Fixed test keys (never used anywhere else): the W3C vector key and one more.
OLD_KEY = {"id": "key-2025",
           "private_key": "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"}
BASE_URL = "https://learn.example.org"


def key_settings(*entries, **extra):
    """``override_settings`` for CREDENTIAL_APP with these signing keys."""
    from django.conf import settings

    return override_settings(CREDENTIAL_APP={**settings.CREDENTIAL_APP,
                                             "PUBLIC_BASE_URL": BASE_URL,
                                             "SIGNING_KEYS": list(entries), **extra})


@pytest.fixture
def new_key():
    return signing_keys.new_entry("key-2026")


@pytest.fixture
def keys(new_key):
    with key_settings(new_key, OLD_KEY):
        yield new_key


def schema_validator():
    from jsonschema import Draft201909Validator

    schema = json.loads((standards_dir() / "openbadges-3.0/schema/achievementcredential.json")
                        .read_text())
    return Draft201909Validator(schema)


def assert_valid_ob3(document):
    errors = sorted(schema_validator().iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def issue(people, definition, *, issuer=True, alignments=False, validity_days=None,
          learner="learner"):
    """A credential issued the real way: submit, assess, pass."""
    if issuer:
        definition.issuer = Issuer.objects.create(
            name="Safety Board", url="https://safety.example.org",
            email="badges@safety.example.org")
    definition.criteria_narrative = "Shows safe work on site."
    definition.description = "Certifies safe working practice."
    definition.validity_days = validity_days
    definition.save()
    if alignments:
        CompetencyAlignment.objects.create(
            definition=definition, framework="ESCO", code="S1.2",
            name="Apply health and safety standards",
            url="https://esco.example.org/skill/s1-2")
    user = people[learner]
    user.email = f"{learner}@example.com"
    user.save()
    api.register_assessment_unit(usage_key=UNIT, credential_slug=definition.slug,
                                 display_name="Site inspection", rubric=_rubric(),
                                 evidence=api.EvidenceSettings())
    attempt = submit(user)
    outcome = assess(attempt, people["staff"], "some")
    return Credential.objects.get(uuid=outcome.credential.uuid)


def _rubric():
    from tests.core.test_api import RUBRIC

    return RUBRIC

"""A small world of attempts, assessments and credentials, made through the app's own API
(submit, score, issue), then dated where a report needs time to have passed."""
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from opaque_keys.edx.keys import UsageKey

from credential_app import api
from credential_app.core import record_changes
from credential_app.data import CriterionScore, EvidenceSettings, Rubric
from credential_app.models import Attempt, Credential, CredentialDefinition, IssuancePolicy

COURSE_A = "course-v1:Acme+Safety+2026"
COURSE_B = "course-v1:Acme+Aid+2026"
UNIT_A = UsageKey.from_string("block-v1:Acme+Safety+2026+type@credential_assessment+block@a")
UNIT_B = UsageKey.from_string("block-v1:Acme+Aid+2026+type@credential_assessment+block@b")
RUBRIC = Rubric.from_dict({"criteria": [
    {"name": "hazards", "label": "Hazards", "minimum_level": "partial",
     "levels": [{"name": "none", "points": 0}, {"name": "partial", "points": 2},
                {"name": "complete", "points": 4}]},
    {"name": "controls", "label": "Controls",
     "levels": [{"name": "generic", "points": 0}, {"name": "matched", "points": 2},
                {"name": "thorough", "points": 4}]},
    {"name": "communication", "label": "Communication",
     "levels": [{"name": "missing", "points": 0}, {"name": "present", "points": 2}]},
]})
PASS = {"hazards": "complete", "controls": "thorough", "communication": "present"}
FAIL = {"hazards": "none", "controls": "generic", "communication": "missing"}


def scores(levels):
    return [CriterionScore(criterion, level, "") for criterion, level in levels.items()]


class World:
    """Definitions "safety" (course A, two assessors per attempt) and "aid" (course B)."""

    def __init__(self):
        User = get_user_model()
        self.safety = CredentialDefinition.objects.create(slug="safety", name="Site safety")
        self.aid = CredentialDefinition.objects.create(slug="aid", name="First aid")
        IssuancePolicy.objects.create(definition=self.safety, required_assessments=2)
        for unit, slug in ((UNIT_A, "safety"), (UNIT_B, "aid")):
            api.register_assessment_unit(usage_key=unit, credential_slug=slug,
                                         display_name=slug, rubric=RUBRIC,
                                         evidence=EvidenceSettings())
        self.admin = User.objects.create_user("admin", first_name="Ada", last_name="Admin",
                                              is_staff=True)
        self.assessors = [User.objects.create_user(f"assessor{i}", first_name="Asa",
                                                   last_name=f"Sessor{i}", is_staff=True)
                          for i in range(3)]
        self.learners = []

    def learner(self):
        user = get_user_model().objects.create_user(f"learner{len(self.learners)}")
        self.learners.append(user)
        return user

    def attempt(self, learner, unit, *levels_by_assessor):
        """Hand in evidence, then each assessor in turn scores it with their levels."""
        slug = "aid" if unit == UNIT_B else "safety"
        attempt = api.submit_attempt(user_id=learner.pk, usage_key=unit, credential_slug=slug,
                                     rubric=RUBRIC, evidence_text="Walked the site.",
                                     max_evidence_length=1000)
        for assessor, levels in zip(self.assessors, levels_by_assessor, strict=False):
            api.record_assessment(attempt_id=attempt.id, usage_key=unit,
                                  assessor_id=assessor.pk, scores=scores(levels))
        return Attempt.objects.get(pk=attempt.id)


def at(year, month, day=1):
    return datetime(year, month, day, 12, tzinfo=UTC)


def date_attempt(attempt, submitted, assessed_after=timedelta(days=1)):
    """Move an attempt (and its assessments and credential) back in time, announced as the
    app announces its own changes so the report summaries follow. The learner's other
    attempts at the credential are announced too: a credential's time from the first
    attempt depends on them (the app never moves an attempt in time)."""
    theirs = Attempt.objects.filter(user_id=attempt.user_id, definition_id=attempt.definition_id)
    with changed_behind_the_apps_back(list(theirs.values_list("pk", flat=True))):
        Attempt.objects.filter(pk=attempt.pk).update(submitted_at=submitted,
                                                     assessed_at=submitted + assessed_after)
        attempt.assessments.update(created=submitted + assessed_after, waited=assessed_after)
        Credential.objects.filter(attempt=attempt).update(issued_at=submitted + assessed_after)


@contextmanager
def changed_behind_the_apps_back(attempt_ids):
    """A test's direct change to records (dates the app never sets itself), in a
    transaction that tells the report summaries, like the app's own changes."""
    with transaction.atomic(), record_changes.changing(attempt_ids):
        yield

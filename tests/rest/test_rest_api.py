"""The REST API: LMS JWT and session auth, who may see and do what, one error shape, schema."""
import re
import time
import uuid

import jwt
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse, reverse_lazy
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.validation import validate_schema
from jwt.algorithms import RSAAlgorithm
from opaque_keys.edx.keys import UsageKey

from credential_app import api
from credential_app.data import CredentialStatus, CriterionScore, Rubric
from credential_app.rest import errors
from credential_app.rest import urls as rest_urls
from credential_xblock.demo_scenarios import DEMO_CREDENTIAL_SLUG

API = reverse_lazy("credential_app:rest-attempts").removesuffix("attempts/")
UNIT = UsageKey.from_string("block-v1:Org+Course+Run+type@credential_assessment+block@unit1")
RUBRIC = Rubric.from_dict({"criteria": [
    {"name": "a", "label": "Hazards", "levels": [{"name": "no", "points": 0},
                                                 {"name": "yes", "points": 4}]},
]})


# --- helpers -------------------------------------------------------------------------------

def lms_jwt(user, *, expires_in=600, signing_key=None, algorithm="RS512", **claims):
    """A JWT as the LMS's OAuth2 provider mints it (openedx create_jwt's claims)."""
    now = int(time.time())
    payload = {
        "iss": settings.JWT_AUTH["JWT_ISSUER"],
        "aud": settings.JWT_AUTH["JWT_AUDIENCE"],
        "iat": now,
        "exp": now + expires_in,
        "version": "1.2.0",
        "sub": uuid.uuid5(uuid.NAMESPACE_URL, user.username).hex,
        "preferred_username": user.username,
        "user_id": user.pk,
        "email": user.email,
        "email_verified": True,
        "name": user.get_full_name(),
        "administrator": user.is_staff,
        "superuser": user.is_superuser,
        "scopes": ["read", "write", "email", "profile", "user_id"],
        "filters": [],
        "is_restricted": False,
        **claims,
    }
    if signing_key is None:
        signing_key = RSAAlgorithm.from_jwk(settings.JWT_AUTH["JWT_PRIVATE_SIGNING_JWK"])
    return jwt.encode(payload, signing_key, algorithm=algorithm)


def jwt_client(token):
    return Client(HTTP_AUTHORIZATION=f"JWT {token}")


def other_credential_unit(number):
    """A unit leading to another credential (holding one blocks new attempts towards it)."""
    from credential_app.models import CredentialDefinition

    CredentialDefinition.objects.get_or_create(slug="first-aid",
                                               defaults={"name": "First aid"})
    return UsageKey.from_string(str(UNIT).replace("unit1", f"unit{number}")), "first-aid"


def passed_attempt(learner, assessor):
    attempt = api.submit_attempt(user_id=learner.pk, usage_key=UNIT,
                                 credential_slug=DEMO_CREDENTIAL_SLUG, rubric=RUBRIC,
                                 evidence_text="I <b>checked</b> the site.",
                                 max_evidence_length=1000)
    return api.record_assessment(attempt_id=attempt.id, usage_key=UNIT, assessor_id=assessor.pk,
                                 scores=[CriterionScore("a", "yes", "Thorough.")])


@pytest.fixture
def earned(people, definition):
    """The learner passed once and holds the credential."""
    return passed_attempt(people["learner"], people["staff"])


@pytest.fixture
def pending(people, definition):
    """A credential waiting for approval: the definition's issuance policy requires it."""
    from credential_app.models import IssuancePolicy

    IssuancePolicy.objects.create(definition=definition, requires_approval=True)
    credential = passed_attempt(people["learner"], people["staff"]).credential
    assert credential.status == CredentialStatus.PENDING_APPROVAL
    return credential


# --- authentication: LMS JWTs and the session ------------------------------------------------

def test_a_real_lms_jwt_authenticates(people, earned):
    response = jwt_client(lms_jwt(people["learner"])).get(f"{API}me/credentials/")
    assert response.status_code == 200
    assert [c["uuid"] for c in response.json()["results"]] == [earned.credential.uuid]


def test_a_symmetric_jwt_signed_with_the_issuer_secret_also_authenticates(people, earned):
    """Older Open edX services still send HS256 tokens signed with JWT_ISSUERS' secret."""
    secret = settings.JWT_AUTH["JWT_ISSUERS"][0]["SECRET_KEY"]
    token = lms_jwt(people["learner"], signing_key=secret, algorithm="HS256")
    assert jwt_client(token).get(f"{API}me/credentials/").status_code == 200


@pytest.mark.parametrize("case", ["expired", "forged", "wrong issuer", "wrong audience",
                                  "not a jwt", "no username"])
def test_a_bad_jwt_is_refused_with_401(people, earned, case):
    learner = people["learner"]
    token = {
        "expired": lambda: lms_jwt(learner, expires_in=-60),
        "forged": lambda: lms_jwt(learner, signing_key=_other_rsa_key()),
        "wrong issuer": lambda: lms_jwt(learner, iss="https://evil.example/oauth2"),
        "wrong audience": lambda: lms_jwt(learner, aud="someone-else"),
        "not a jwt": lambda: "not.a.jwt",
        "no username": lambda: lms_jwt(learner, preferred_username=None),
    }[case]()
    response = jwt_client(token).get(f"{API}me/credentials/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("JWT")
    assert set(response.json()) == {"error", "field"}


def test_a_restricted_applications_jwt_is_refused(people, earned):
    """Restricted OAuth clients' tokens only work where scopes and filters are enforced."""
    token = lms_jwt(people["staff"], is_restricted=True, scopes=["read"],
                    filters=["user:me"])
    response = jwt_client(token).get(f"{API}credentials/?username=learner")
    assert response.status_code == 403
    assert set(response.json()) == {"error", "field"}


def _other_rsa_key():
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def test_without_credentials_the_api_answers_401_not_a_sign_in_page(client, people):
    for path in ("me/credentials/", "credentials/", "attempts/"):
        response = client.get(f"{API}{path}")
        assert response.status_code == 401, path
        assert response.json()["error"]


def test_the_browser_session_authenticates(client, people, earned):
    client.force_login(people["learner"])
    response = client.get(f"{API}credentials/")
    assert response.status_code == 200
    assert response.json()["results"][0]["credential"] == DEMO_CREDENTIAL_SLUG


def test_a_session_post_without_csrf_token_is_refused(people, earned):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people["staff"])
    response = browser.post(f"{API}credentials/{earned.credential.uuid}/revoke/",
                            {"reason": "Fraud"}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]


def test_an_lms_administrator_jwt_makes_a_staff_request(people, earned):
    """The LMS's ``administrator`` claim is what makes a JWT caller staff (is_staff)."""
    outsider = people["learner2"]
    as_admin = jwt_client(lms_jwt(outsider, administrator=True))
    assert as_admin.get(f"{API}credentials/?username=learner").status_code == 200
    as_learner = jwt_client(lms_jwt(outsider, administrator=False))
    assert as_learner.get(f"{API}credentials/?username=learner").status_code == 403


# --- a learner's records: themself, or staff for anyone --------------------------------------

def test_a_learner_reads_their_credentials(client, people, earned):
    client.force_login(people["learner"])
    [credential] = client.get(f"{API}credentials/").json()["results"]
    assert credential["uuid"] == earned.credential.uuid
    assert credential["status"] == "active"
    assert credential["definition"]["name"] == "Workplace Safety Practitioner"
    assert credential["user_id"] == people["learner"].pk
    assert credential["attempt_id"] == earned.attempt.id
    assert credential["expires_at"] is None and credential["revoked_reason"] is None


def test_a_learner_reads_their_attempts_and_results(client, people, earned):
    unit, slug = other_credential_unit(2)
    waiting = api.submit_attempt(user_id=people["learner"].pk, usage_key=unit,
                                 credential_slug=slug, rubric=RUBRIC, evidence_text="second",
                                 max_evidence_length=100)
    client.force_login(people["learner"])
    attempts = client.get(f"{API}attempts/").json()["results"]
    assert [a["id"] for a in attempts] == [waiting.id, earned.attempt.id]  # newest first
    assert attempts[0]["status"] == "submitted" and attempts[0]["result"] is None
    passed = attempts[1]
    assert passed["status"] == "passed"
    assert passed["usage_key"] == str(UNIT)
    assert passed["evidence_text"] == "I <b>checked</b> the site."  # JSON: data, not markup
    assert passed["result"]["percentage"] == "100.00" and passed["result"]["passed"] is True
    assert passed["result"]["criteria"] == [{
        "criterion": "a", "criterion_label": "Hazards", "level": "yes", "level_label": "yes",
        "points": 4, "max_points": 4, "comment": "Thorough."}]


@pytest.mark.db_server
def test_reading_attempts_takes_the_same_queries_however_many_there_are(client, people,
                                                                      definition):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_attempts():
        client.force_login(people["learner"])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{API}attempts/").status_code == 200
        return len(queries)

    passed_attempt(people["learner"], people["staff"])
    one = queries_for_attempts()
    for number in (2, 3, 4):
        unit, slug = other_credential_unit(number)
        attempt = api.submit_attempt(user_id=people["learner"].pk, usage_key=unit,
                                     credential_slug=slug, rubric=RUBRIC,
                                     evidence_text="more", max_evidence_length=100)
        api.record_assessment(attempt_id=attempt.id, usage_key=unit,
                              assessor_id=people["staff"].pk, scores=[CriterionScore("a", "no")])
    assert queries_for_attempts() == one


@pytest.mark.parametrize("path", ["credentials/", "attempts/"])
def test_a_learner_asking_for_someone_else_gets_403(client, people, earned, path):
    client.force_login(people["learner2"])
    response = client.get(f"{API}{path}?username=learner")
    assert response.status_code == 403
    assert response.json() == {"error": "You may only see your own records.", "field": None}
    assert client.get(f"{API}{path}?username=learner2").status_code == 200  # own: fine


@pytest.mark.parametrize("path", ["credentials/", "attempts/"])
def test_staff_read_any_learners_records(client, people, earned, path):
    client.force_login(people["staff"])
    results = client.get(f"{API}{path}?username=learner").json()["results"]
    assert [r["user_id"] for r in results] == [people["learner"].pk]
    assert client.get(f"{API}{path}").json()["results"] == []  # staff's own: none
    missing = client.get(f"{API}{path}?username=nobody")
    assert missing.status_code == 404 and "nobody" in missing.json()["error"]


def test_a_learner_asks_whether_they_may_start_an_attempt(client, people, earned):
    client.force_login(people["learner"])
    status = client.get(f"{API}retake-status/", {"usage_key": str(UNIT)}).json()
    assert status == {**status, "may_start": False, "attempts_used": 1}
    assert status["reason"] == api.get_retake_status(people["learner"].pk, UNIT).reason
    fresh = client.get(f"{API}retake-status/", {"usage_key": str(UNIT).replace("unit1", "u9")})
    assert fresh.json()["may_start"] is True and fresh.json()["attempts_used"] == 0
    bad = client.get(f"{API}retake-status/", {"usage_key": "nonsense"})
    assert (bad.status_code, bad.json()["field"]) == (400, "usage_key")
    missing = client.get(f"{API}retake-status/")
    assert (missing.status_code, missing.json()["field"]) == (400, "usage_key")
    client.force_login(people["learner2"])
    other = client.get(f"{API}retake-status/", {"usage_key": str(UNIT), "username": "learner"})
    assert other.status_code == 403
    client.force_login(people["staff"])
    staff = client.get(f"{API}retake-status/", {"usage_key": str(UNIT), "username": "learner"})
    assert staff.json()["attempts_used"] == 1



def test_retake_status_of_an_unregistered_unit_follows_the_credential_it_names(
        client, people, definition):
    """A unit the app has never heard of (not saved in Studio since install): the block's
    link says which credential's policy applies, exactly as submitting would apply it."""
    from datetime import timedelta

    from django.utils.timezone import now

    from credential_app.models import AssessmentUnit, RetakePolicy

    RetakePolicy.objects.create(definition=definition,
                                closes_at=now() - timedelta(days=1))  # closed yesterday
    unit = str(UNIT).replace("unit1", "never-registered")
    assert not AssessmentUnit.objects.exists()
    client.force_login(people["learner"])

    status = client.get(f"{API}retake-status/",
                        {"usage_key": unit, "credential": definition.slug}).json()
    with pytest.raises(api.AttemptNotAllowed) as refused:
        api.submit_attempt(user_id=people["learner"].pk, usage_key=UsageKey.from_string(unit),
                           credential_slug=definition.slug, rubric=RUBRIC,
                           evidence_text="try", max_evidence_length=100)
    assert status["may_start"] is False
    assert status["reason"] == refused.value.message  # told what submitting enforces
    assert status["closes_at"] is not None

    unknown = client.get(f"{API}retake-status/", {"usage_key": unit, "credential": "nope"})
    assert (unknown.status_code, unknown.json()["field"]) == (404, "credential")
    bad = client.get(f"{API}retake-status/", {"usage_key": unit, "credential": "not a slug"})
    assert (bad.status_code, bad.json()["field"]) == (400, "credential")


def test_the_schema_documents_the_credential_parameter_of_retake_status(client):
    schema = client.get(f"{API}schema/?format=json").json()
    parameters = {p["name"]: p for p in
                  schema["paths"][f"{API}retake-status/"]["get"]["parameters"]}
    assert not parameters["credential"].get("required", False)
    assert "not registered" in parameters["credential"]["description"]
    assert parameters["usage_key"]["required"] is True


# --- staff actions: permissions and input checks (no app call is made) -----------------------

ACTIONS = [
    ("credentials/{uuid}/approve/", {"reason": ""}),
    ("credentials/{uuid}/revoke/", {"reason": "Evidence was plagiarised."}),
    ("extra-attempts/", {"username": "learner", "usage_key": str(UNIT), "count": 1,
                         "reason": "Illness."}),
]


@pytest.mark.parametrize("path, body", ACTIONS)
def test_learners_may_not_take_staff_actions(client, people, earned, path, body):
    client.force_login(people["learner"])
    response = client.post(f"{API}{path.format(uuid=earned.credential.uuid)}", body,
                           content_type="application/json")
    assert response.status_code == 403
    assert set(response.json()) == {"error", "field"}
    anonymous = Client().post(f"{API}{path.format(uuid=earned.credential.uuid)}", body,
                              content_type="application/json")
    assert anonymous.status_code == 401


@pytest.mark.parametrize("path, body, field, message", [
    ("credentials/{uuid}/revoke/", {}, "reason", "Give a reason"),
    ("credentials/{uuid}/revoke/", {"reason": "   "}, "reason", "Give a reason"),
    ("credentials/{uuid}/revoke/", {"reason": "x" * 2001}, "reason", "2000"),
    ("extra-attempts/", {"username": "learner", "usage_key": str(UNIT), "count": 1},
     "reason", "Give a reason"),
    ("extra-attempts/", {"username": "learner", "usage_key": str(UNIT), "count": 0,
                         "reason": "Illness."}, "count", "at least one"),
    ("extra-attempts/", {"username": "learner", "usage_key": str(UNIT), "count": "two",
                         "reason": "Illness."}, "count", "valid integer"),
    ("extra-attempts/", {"username": "learner", "usage_key": "unit-1", "count": 1,
                         "reason": "Illness."}, "usage_key", "not a usage key"),
    ("extra-attempts/", {"username": "nobody", "usage_key": str(UNIT), "count": 1,
                         "reason": "Illness."}, "username", "No user “nobody”"),
])
def test_bad_input_to_a_staff_action_names_the_field(client, people, earned, path, body, field,
                                                     message):
    client.force_login(people["staff"])
    response = client.post(f"{API}{path.format(uuid=earned.credential.uuid)}", body,
                           content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert message in response.json()["error"]
    assert api.get_learner_credentials(people["learner"].pk)[0].status == "active"  # unchanged


def test_a_malformed_json_body_is_a_clear_400(client, people, earned):
    client.force_login(people["staff"])
    response = client.post(f"{API}credentials/{earned.credential.uuid}/revoke/", "{nope",
                           content_type="application/json")
    assert response.status_code == 400 and "JSON" in response.json()["error"]


# --- the app's errors become {"error", "field"} with a fitting status ------------------------

@pytest.mark.parametrize("error, status", [
    (api.UnknownCredential("No such credential.", field="credential"), 404),
    (api.AttemptNotFound("No such attempt.", field="attempt_id"), 404),
    (api.AttemptNotAllowed("Not now."), 409),
    (api.AssessmentNotAllowed("Someone else holds it."), 409),
    (api.InvalidEvidence("Too long.", field="text"), 400),
    (api.InvalidRubric("No criteria.", field="criteria"), 400),
    (api.CredentialNotFound("No credential has that identifier.", field="uuid"), 404),
    (api.CredentialChangeNotAllowed("Already revoked."), 409),
    (api.InvalidPolicy("Count must be positive.", field="count"), 400),
    (api.EvidenceFileNotFound("No such file.", field="file_id"), 404),
    (api.EvidenceAccessDenied("Not yours.", field="file_id"), 403),
    (api.CredentialAppError("Something else."), 400),
])
def test_app_errors_map_to_statuses_and_keep_message_and_field(error, status):
    response = errors.exception_handler(error, {})
    assert response.status_code == status
    assert response.data == {"error": error.message, "field": error.field}


# --- staff actions, through to the app -------------------------------------------------------

def test_staff_approve_a_pending_credential(people, pending):
    staff = jwt_client(lms_jwt(people["staff"]))
    response = staff.post(f"{API}credentials/{pending.uuid}/approve/", {"reason": "Checked ID."},
                          content_type="application/json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "active"
    assert api.get_credential(pending.uuid).status == CredentialStatus.ACTIVE
    from credential_app.models import AuditEntry

    approval = AuditEntry.objects.get(action="approval")
    assert (approval.actor_id, approval.learner_id) == (people["staff"].pk,
                                                        people["learner"].pk)


def test_staff_revoke_a_credential_with_a_reason_the_learner_then_sees(client, people, earned):
    staff = jwt_client(lms_jwt(people["staff"]))
    uuid_ = earned.credential.uuid
    response = staff.post(f"{API}credentials/{uuid_}/revoke/",
                          {"reason": "Evidence was <i>plagiarised</i>."},
                          content_type="application/json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "revoked"
    assert response.json()["revoked_reason"] == "Evidence was <i>plagiarised</i>."
    client.force_login(people["learner"])
    [mine] = client.get(f"{API}credentials/").json()["results"]
    assert (mine["status"], mine["revoked_reason"]) == ("revoked",
                                                        "Evidence was <i>plagiarised</i>.")
    again = staff.post(f"{API}credentials/{uuid_}/revoke/", {"reason": "Twice."},
                       content_type="application/json")
    assert again.status_code == 409  # the app refuses the change: a conflict with its state
    assert "already revoked" in again.json()["error"]


def test_approving_a_credential_not_waiting_for_approval_is_a_409(people, earned):
    staff = jwt_client(lms_jwt(people["staff"]))
    response = staff.post(f"{API}credentials/{earned.credential.uuid}/approve/", {},
                          content_type="application/json")
    assert response.status_code == 409
    assert set(response.json()) == {"error", "field"}
    assert api.get_credential(earned.credential.uuid).status == CredentialStatus.ACTIVE


def test_an_unknown_credential_is_a_404_with_the_error_shape(people, definition):
    staff = jwt_client(lms_jwt(people["staff"]))
    for path in ("", "approve/", "revoke/"):
        url = f"{API}credentials/{uuid.uuid4()}/{path}"
        response = staff.post(url, {"reason": "x"}, content_type="application/json") \
            if path else staff.get(url)
        assert response.status_code == 404, (path, response.content)
        assert set(response.json()) == {"error", "field"}


def test_a_learner_reads_one_of_their_credentials_but_not_anothers(client, people, earned):
    url = f"{API}credentials/{earned.credential.uuid}/"
    client.force_login(people["learner"])
    assert client.get(url).json()["uuid"] == earned.credential.uuid
    client.force_login(people["learner2"])
    assert client.get(url).status_code == 403


def test_staff_grant_extra_attempts_with_a_reason(client, people, definition):
    """One attempt allowed, failed: no more. Two extra granted: the learner may start again."""
    from credential_app.models import AuditEntry, RetakePolicy

    RetakePolicy.objects.create(definition=definition, max_attempts=1)
    attempt = api.submit_attempt(user_id=people["learner"].pk, usage_key=UNIT,
                                 credential_slug=DEMO_CREDENTIAL_SLUG, rubric=RUBRIC,
                                 evidence_text="first try", max_evidence_length=100)
    api.record_assessment(attempt_id=attempt.id, usage_key=UNIT, assessor_id=people["staff"].pk,
                          scores=[CriterionScore("a", "no")])
    client.force_login(people["learner"])
    before = client.get(f"{API}retake-status/", {"usage_key": str(UNIT)}).json()
    assert (before["may_start"], before["attempts_left"]) == (False, 0)

    staff = jwt_client(lms_jwt(people["staff"]))
    response = staff.post(f"{API}extra-attempts/",
                          {"username": "learner", "usage_key": str(UNIT), "count": 2,
                           "reason": "Was ill on the day."}, content_type="application/json")
    assert response.status_code == 201, response.json()
    granted = response.json()
    assert (granted["may_start"], granted["attempts_used"], granted["attempts_allowed"],
            granted["attempts_left"]) == (True, 1, 3, 2)
    assert client.get(f"{API}retake-status/", {"usage_key": str(UNIT)}).json() == granted
    entry = AuditEntry.objects.get(action="extra_attempt")
    assert (entry.actor_id, entry.learner_id, entry.reason) == (
        people["staff"].pk, people["learner"].pk, "Was ill on the day.")


# --- the OpenAPI schema -------------------------------------------------------------------------

def test_the_openapi_schema_describes_every_endpoint_and_is_valid(client):
    GENERATOR_STATS.reset()
    response = client.get(f"{API}schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert not GENERATOR_STATS, "drf-spectacular warned while generating the schema"
    documented = set(schema["paths"])
    # The paths clients call, as the LMS mounts them.
    routes = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", f"{API}{p.pattern}")
              for p in rest_urls.urlpatterns}
    assert documented == routes
    public = {  # no LMS sign-in: the refusals each must document
        reverse("credential_app:rest-verify"): {"400", "413", "429"},  # anyone may verify
        # employers' outcome webhooks: the Standard Webhooks signature says who is asking
        f"{API}workplace/outcomes/{{feed_id}}/": {"400", "401", "413", "422", "429"},
    }
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("description"), f"{method} {path} has no description"
            assert {"200", "201"} & set(operation["responses"]), f"{method} {path}"
            if path in public:
                assert operation["security"] == [{}], f"{method} {path}"
                assert public[path] <= set(operation["responses"]), f"{method} {path}"
                continue
            assert {"401", "403"} <= set(operation["responses"]), f"{method} {path}"
            assert {"lmsJwt": []} in operation["security"], f"{method} {path}"
    assert schema["components"]["securitySchemes"]["lmsJwt"]["name"] == "Authorization"
    revoke = schema["components"]["schemas"]["RevokeRequest"]
    assert revoke["required"] == ["reason"]


def test_the_demo_prints_a_jwt_the_api_accepts(people, earned):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("demo_jwt", "learner", stdout=out)
    response = jwt_client(out.getvalue().strip()).get(f"{API}me/credentials/")
    assert response.status_code == 200
    assert response.json()["results"][0]["uuid"] == earned.credential.uuid


@pytest.mark.parametrize("body, said", [
    ('{"reason": "Copied \\ud800 work."}', "lone surrogate"),
    ('{"reason": "Copied \\u0000 work."}', "NUL"),
    ('{"reason": ' + "[" * 50_000 + "]" * 50_000 + "}", "nested"),
])
def test_hostile_json_is_a_400_that_changes_nothing(people, earned, body, said):
    staff = jwt_client(lms_jwt(people["staff"]))
    uuid_ = earned.credential.uuid
    response = staff.post(f"{API}credentials/{uuid_}/revoke/", body,
                          content_type="application/json")
    assert response.status_code == 400 and said in response.json()["error"], response.json()
    assert api.get_credential(uuid_).status == "active"


def too_long_id(name):
    """The address of page ``name`` with a 20-digit database id in it."""
    return reverse(f"credential_app:{name}", args=[1]).replace("/1/", "/99999999999999999999/")


def test_an_id_no_row_can_have_is_a_404_not_an_overflow(people, client):
    """Found by the schema fuzzing: a 27-digit employer id overflowed SQLite's integer (500)."""
    learner = jwt_client(lms_jwt(people["learner"]))
    employers = reverse("credential_app:my-employers")
    response = learner.put(f"{employers}637766790050462084842389504/sharing/",
                           '{"share": true}', content_type="application/json")
    assert response.status_code == 404
    client.force_login(people["staff"])
    assert client.get(too_long_id("badge-status-list")).status_code == 404
    assert client.get(too_long_id("score-calibration")).status_code == 404

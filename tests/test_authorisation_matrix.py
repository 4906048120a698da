"""Who may use what: every route of the app (walked from its URLconf) and every handler of
the block, for each kind of person. The table below says who gets in; a route or handler
without a row fails ``test_every_route_and_handler_has_a_row``, so nothing new ships
without a decision.

"In" means the request passed the access checks (it may still be refused as bad input);
"out" means 401, 403, 404 or a redirect to sign in. Each case runs on a fresh database.
"""
import json

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, reverse

from credential_app import api, urls
from credential_app.models import (
    CalibrationAssignment,
    CalibrationSet,
    Credential,
    OutcomeFeed,
    SignedBadge,
)
from credential_app.openbadges.openbadge_credential import issuer_ref
from credential_xblock.block import CredentialAssessmentBlock
from tests.hris_people_helpers import link, webhook_destination
from tests.learner_helpers import PDF, UnitBench, upload
from tests.rest.test_rest_api import API, jwt_client, lms_jwt, passed_attempt

pytestmark = pytest.mark.django_db

SIGN_IN = settings.LOGIN_URL  # where a page sends someone who is not signed in
ROLES = ("anonymous", "learner", "other_learner", "staff", "admin")
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
STAFF = {"staff", "admin"}
HOLDER = {"learner"}

# name -> (method, who gets in)
ROUTES = {
    "my-credentials": ("GET", SIGNED_IN),
    "rest-credentials": ("GET", SIGNED_IN),
    "rest-credential": ("GET", HOLDER | STAFF),
    "rest-credential-approve": ("POST", STAFF),
    "rest-credential-revoke": ("POST", STAFF),
    "rest-attempts": ("GET", SIGNED_IN),
    "rest-retake-status": ("GET", SIGNED_IN),
    "rest-extra-attempts": ("POST", STAFF),
    "my-employers": ("GET", SIGNED_IN),
    "my-employer-sharing": ("PUT", HOLDER),  # only someone the employer knows
    **{f"rest-report-{slug}": ("GET", STAFF) for slug in (
        "overview", "time-to-credential", "criteria", "assessors", "reliability",
        "over-time", "cost", "delivery")},
    "rest-verify": ("POST", EVERYONE),
    "rest-workplace-outcomes": ("POST", set()),  # only a message signed by the employer
    "rest-schema": ("GET", EVERYONE),
    "rest-docs": ("GET", EVERYONE),
    "rest-explorer": ("GET", EVERYONE),
    "learner-credentials": ("GET", SIGNED_IN),
    "learner-consent": ("POST", HOLDER),
    "badge_verify": ("GET", EVERYONE),
    "badge_page": ("GET", EVERYONE),
    "badge_evidence": ("GET", EVERYONE),
    "badge_json": ("GET", EVERYONE),
    "badge_jwt": ("GET", EVERYONE),
    "badge_png": ("GET", EVERYONE),
    "badge_svg": ("GET", EVERYONE),
    "badge_sharing": ("POST", HOLDER),
    "achievement-image": ("GET", EVERYONE),
    "catalogue": ("GET", EVERYONE),  # CATALOGUE_ACCESS = "public", the default
    "catalogue-entry": ("GET", EVERYONE),
    "employee-search": ("GET", set()),  # employers' managers only: nobody in this world
    "rest-employee-search": ("GET", set()),
    "badge-issuer-did": ("GET", EVERYONE),
    "badge-status-list": ("GET", EVERYONE),
    "reports": ("GET", STAFF),
    "calibration-results": ("GET", STAFF),
    "report": ("GET", STAFF),
    "report-csv": ("GET", STAFF),
    "my-calibrations": ("GET", SIGNED_IN),
    "score-calibration": ("GET", {"staff"}),  # only the assessor it was sent to
    "workplace-indicators": ("GET", STAFF),
    "workplace-indicators-csv": ("GET", STAFF),
    "workplace-roi": ("GET", STAFF),
    "workplace-roi-csv": ("GET", STAFF),
    "workplace-governance": ("GET", STAFF),
    "workplace-governance-csv": ("GET", STAFF),
}
# handler -> who gets in (the demo workbench: staff are the course staff)
HANDLERS = {
    "save_draft": SIGNED_IN,
    "record_confidence": SIGNED_IN,
    "submit_evidence": SIGNED_IN,
    "upload_evidence": SIGNED_IN,
    "remove_evidence": HOLDER,  # one's own pending file only
    "evidence_file": HOLDER | STAFF,  # the learner's own file, or the course staff
    "submit_assessment": STAFF,
    "claim_attempt": STAFF,
    "release_claim": STAFF,
    "override_result": STAFF,
    "queue_counts": STAFF,
    "queue_page": STAFF,
    "studio_submit": STAFF,
}


def route_names():
    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif pattern.name:
                yield pattern.name
    return set(walk(urls.urlpatterns))


def handler_names():
    return {name for name in dir(CredentialAssessmentBlock)
            if getattr(getattr(CredentialAssessmentBlock, name), "_is_xblock_handler", False)}


def test_every_route_and_handler_has_a_row():
    assert route_names() == set(ROUTES)
    assert handler_names() == set(HANDLERS)


@pytest.fixture
def world(people, definition, scenario):
    """The learner holds a credential and is linked to an employer; the staff member is
    sent a calibration set; an admin exists."""
    User = get_user_model()
    admin = User.objects.create_user("admin", is_staff=True, is_superuser=True)
    outcome = passed_attempt(people["learner"], people["staff"])
    credential = Credential.objects.get(uuid=outcome.credential.uuid)
    api.get_open_badge(str(credential.uuid))  # its badge and status list exist
    employer = webhook_destination("https://hr.acme.example/hooks", name="Acme HR")
    link(employer, people["learner"], "A-1", consent=None)
    feed = OutcomeFeed.objects.create(destination=employer, webhook_enabled=True)
    cset = CalibrationSet.objects.create(name="Panel", definition=credential.definition,
                                         created_by=admin)
    assignment = CalibrationAssignment.objects.create(calibration_set=cset,
                                                      assessor=people["staff"])
    return {"users": {"learner": people["learner"], "other_learner": people["learner2"],
                      "staff": people["staff"], "admin": admin},
            "credential": credential, "employer": employer, "cset": cset,
            "assignment": assignment, "feed": feed}


def url_of(name, world):
    uuid = str(world["credential"].uuid)
    kwargs = {
        "rest-credential": {"credential_uuid": uuid},
        "rest-credential-approve": {"credential_uuid": uuid},
        "rest-credential-revoke": {"credential_uuid": uuid},
        "my-employer-sharing": {"destination_id": world["employer"].pk},
        "badge_page": {"uuid": uuid}, "badge_evidence": {"uuid": uuid},
        "badge_json": {"uuid": uuid}, "badge_jwt": {"uuid": uuid},
        "badge_png": {"uuid": uuid}, "badge_svg": {"uuid": uuid},
        "badge_sharing": {"uuid": uuid},
        "achievement-image": {"slug": world["credential"].definition.slug},
        "catalogue-entry": {"slug": world["credential"].definition.slug},
        "badge-issuer-did": {"issuer_ref": issuer_ref(world["credential"].definition)},
        "badge-status-list": {"list_id": SignedBadge.objects.get().status_list_id},
        "calibration-results": {"set_id": world["cset"].pk},
        "report": {"slug": "overview"},
        "report-csv": {"slug": "overview", "table": "summary"},
        "score-calibration": {"assignment_id": world["assignment"].pk},
        "rest-workplace-outcomes": {"feed_id": world["feed"].pk},
        "workplace-indicators-csv": {"table": "lagging"},
        "workplace-roi-csv": {"table": "roi"},
    }.get(name, {})
    return reverse(f"credential_app:{name}", kwargs=kwargs)


BODIES = {
    "rest-credential-revoke": {"reason": "Checked."},
    "rest-extra-attempts": {},
    "my-employer-sharing": {"share": True},
    "rest-verify": {},
}
FORMS = {"learner-consent": lambda world: {"destination": world["employer"].pk,
                                            "share": "yes"},
         "badge_sharing": lambda world: {"name_display": "full"}}


def let_in(response) -> bool:
    if response.status_code in (401, 403, 404):
        return False
    location = response.get("Location", "")
    return not (response.status_code == 302 and location.startswith(SIGN_IN))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_route(client, world, name, role):
    method, allowed = ROUTES[name]
    url = url_of(name, world)
    user = world["users"].get(role)
    if url.startswith(API) and user is not None:  # the API as its clients call it
        client = jwt_client(lms_jwt(user))
    elif user is not None:
        client.force_login(user)
    if name in FORMS:
        response = client.post(url, FORMS[name](world))
    elif method == "GET":
        response = client.get(url)
    else:
        body = json.dumps(BODIES.get(name, {}))
        response = getattr(client, method.lower())(url, body, content_type="application/json")
    assert let_in(response) == (role in allowed), (name, role, response.status_code)


@pytest.fixture
def unit(client, hygiene_unit, people, definition, media, settings):
    """The files-and-links unit, where Lee (identity verified) has one pending file."""
    settings.DEMO_ID_VERIFICATION = {name: "approved"  # the unit requires a verified identity
                                     for name in ("learner", "learner2", "staff", "admin")}
    bench = UnitBench(client, hygiene_unit).sign_in(people["learner"])
    status, body = upload(bench, "plan.pdf", PDF)
    assert status == 200, body
    get_user_model().objects.create_user("admin", is_staff=True, is_superuser=True)
    client.logout()
    return {"usage_id": hygiene_unit.usage_id, "file_id": body["file"]["id"]}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("handler", sorted(HANDLERS))
def test_handler(client, unit, people, handler, role):
    user = {"learner": people["learner"], "other_learner": people["learner2"],
            "staff": people["staff"],
            "admin": get_user_model().objects.filter(username="admin").first()}.get(role)
    if user is not None:
        client.force_login(user)
    url = f"/handler/{unit['usage_id']}/{handler}/"
    if handler == "evidence_file":
        response = client.get(f"{url}{unit['file_id']}")
    elif handler == "remove_evidence":  # Lee's pending file, whoever asks
        response = client.post(url, json.dumps({"file_id": unit["file_id"]}),
                               content_type="application/json")
    elif handler == "upload_evidence":
        response = client.post(url, {"file": SimpleUploadedFile("more.pdf", PDF)})
    else:
        response = client.post(url, "{}", content_type="application/json")
    assert let_in(response) == (role in HANDLERS[handler]), (handler, role,
                                                             response.status_code)

"""The learner's view in the workbench: drafts, ID verification, the result and what comes next."""
import html
import json
from datetime import UTC, datetime, timedelta

import pytest
from webob import Request
from workbench.runtime import WorkbenchRuntime

from credential_app import api
from credential_app.lib import public_urls
from credential_app.models import Attempt, EvidenceFile
from tests.helpers import FAILING_SCORES, PASSING_SCORES
from tests.learner_helpers import PDF, UnitBench, upload


@pytest.fixture
def unit(client, hygiene_unit, people, definition, media):
    """The files-and-links unit that requires ID verification, signed in as Lee (verified)."""
    return UnitBench(client, hygiene_unit).sign_in(people["learner"])


def assess(workbench, people, scores):
    attempt_id = Attempt.objects.get(status="submitted").pk
    workbench.sign_in(people["staff"])
    status, body = workbench.post("submit_assessment", {"attempt_id": attempt_id,
                                                        "scores": scores})
    assert status == 200, body
    workbench.sign_in(people["learner"])


# ---- drafts ----------------------------------------------------------------------------


def test_draft_is_saved_and_shown_again_after_a_reload(unit):
    status, body = unit.post("save_draft", {"text": "Fridge <b>door</b> seal torn",
                                            "links": ["https://video.example/walk"]})
    assert (status, body["message"]) == (200, "Draft saved.")

    page = unit.page()
    assert ">Fridge &lt;b&gt;door&lt;/b&gt; seal torn</textarea>" in page
    assert 'value="https://video.example/walk"' in page


def test_draft_is_per_learner(unit, people, settings):
    settings.DEMO_ID_VERIFICATION = {"learner": "approved", "learner2": "approved"}
    unit.post("save_draft", {"text": "Lee's notes", "links": []})
    assert "Lee&#x27;s notes" not in unit.sign_in(people["learner2"]).page()


def test_draft_is_cleared_once_handed_in(unit, people):
    unit.post("save_draft", {"text": "Almost done", "links": []})
    assert unit.post("submit_evidence", {"text": "Done: all areas checked."})[0] == 200
    assess(unit, people, [{"criterion": "checklist", "level": "partial"},
                          {"criterion": "actions", "level": "missing"}])
    page = unit.page()
    assert "Evidence for your next attempt" in page and "Almost done" not in page


@pytest.mark.parametrize("payload, field", [
    ({"text": 5}, "text"),
    ({"text": "x" * 5001}, "text"),
    ({"text": "ok", "links": "https://a.example"}, "links"),
    ({"text": "ok", "links": ["https://a.example"] * 3}, "links"),
])
def test_bad_draft_is_refused_and_the_saved_one_kept(unit, payload, field):
    unit.post("save_draft", {"text": "kept", "links": []})
    status, body = unit.post("save_draft", payload)
    assert (status, body["field"]) == (400, field)
    assert ">kept</textarea>" in unit.page()


def test_nobody_can_save_a_draft_without_signing_in(hygiene_unit, people, definition):
    runtime = WorkbenchRuntime("somebody-unknown")
    block = runtime.get_block(hygiene_unit.usage_id)
    request = Request.blank("/", method="POST", body=json.dumps({"text": "x"}).encode())
    response = runtime.handle(block, "save_draft", request)
    assert response.status_code == 403
    assert json.loads(response.body)["error"] == "Sign in to save a draft."


# ---- ID verification -------------------------------------------------------------------


def test_verified_learner_may_start(unit):
    page = unit.page()
    assert 'class="ca-submit-form"' in page and "ca-notice ca-id-check" not in page


@pytest.mark.parametrize("status, message, action", [
    ("none", "This assessment is open only to learners who have verified their identity.",
     "Verify your identity"),
    ("expired", "Your ID verification has expired.", "Verify your identity"),
    ("must_reverify", "Your ID verification was not accepted.", "Verify your identity"),
    ("pending", "Your ID verification is still being reviewed.",
     "See your verification status"),
])
def test_unverified_learner_is_told_why_and_where_to_verify(unit, people, settings, media,
                                                             status, message, action):
    settings.DEMO_ID_VERIFICATION = {"learner2": status}
    unit.sign_in(people["learner2"])

    page = unit.page()

    assert message in page
    assert f'<a class="ca-button" href="/demo/id-verification/">{action}</a>' in page
    assert 'class="ca-submit-form"' not in page
    status_code, body = unit.post("submit_evidence", {"text": "Let me in anyway."})
    assert status_code == 403 and message in body["error"]
    assert body["verify_url"] == "/demo/id-verification/"
    assert upload(unit, "audit.pdf", PDF)[0] == 403
    assert not Attempt.objects.exists()


def test_without_a_verification_service_the_unit_stays_closed_and_says_why(unit, settings):
    services = {k: v for k, v in settings.WORKBENCH["services"].items() if k != "verification"}
    settings.WORKBENCH = {**settings.WORKBENCH, "services": services}

    page = unit.page()

    assert "this site does not offer ID verification. Contact the course team" in page
    assert "turn off “Require ID verification” for this unit" in page
    assert 'class="ca-submit-form"' not in page
    status, body = unit.post("submit_evidence", {"text": "Let me in anyway."})
    assert status == 403 and "does not offer ID verification" in body["error"]
    assert not Attempt.objects.exists()


def test_a_unit_without_the_requirement_asks_no_service(workbench, people, settings):
    settings.DEMO_ID_VERIFICATION = {"learner": "none"}
    page = workbench.sign_in(people["learner"]).page()
    assert 'class="ca-submit-form"' in page and "ca-notice ca-id-check" not in page


# ---- after assessment ------------------------------------------------------------------


def test_result_shows_levels_points_comments_total_and_credential_link(workbench, people):
    workbench.sign_in(people["learner"]).post("submit_evidence", {"text": "Walkway hazards."})
    assess(workbench, people, PASSING_SCORES)

    page = workbench.page()

    assert "Attempt 1 passed: 8 of 10 points." in page
    assert ('<td data-label="Level">Complete</td><td data-label="Points">4 / 4</td>'
            '<td data-label="Comment">All &lt;b&gt;serious&lt;/b&gt; hazards.</td>') in page
    assert '<td data-label="Points">8 / 10</td><td>80.00 %</td>' in page
    assert "You have used 1 attempt; there is no limit." in page
    credentials_page = public_urls.lms_page("learner-credentials")
    assert f'<a href="{credentials_page}">See your credentials</a>' in page
    said = api.get_retake_status(people["learner"].pk, Attempt.objects.get().usage_key)
    assert not said.may_start and html.escape(said.reason) in page  # the app's words, as said


def test_the_credential_line_follows_the_credentials_state(workbench, people):
    """Earned, then revoked: the learner view says what the credential is now."""
    workbench.sign_in(people["learner"]).post("submit_evidence", {"text": "Walkway hazards."})
    assess(workbench, people, PASSING_SCORES)
    page = workbench.sign_in(people["learner"]).page()
    assert "You earned the credential “Workplace Safety Practitioner”." in page

    [credential] = api.get_learner_credentials(people["learner"].pk)
    api.revoke_credential(credential_uuid=credential.uuid, revoked_by=people["staff"].pk,
                          reason="Evidence was copied.")
    page = workbench.page()
    assert "You earned the credential" not in page
    assert "Your credential “Workplace Safety Practitioner” is revoked." in page


def test_failed_result_shows_attempts_left_and_when_the_retake_opens(workbench, people,
                                                                      definition):
    from credential_app.models import RetakePolicy

    RetakePolicy.objects.create(definition=definition, max_attempts=3,
                                delay_after_first_failure=timedelta(days=7))
    workbench.sign_in(people["learner"]).post("submit_evidence", {"text": "Walkway hazards."})
    assess(workbench, people, FAILING_SCORES)
    opens = Attempt.objects.get().assessed_at + timedelta(days=7)

    page = workbench.sign_in(people["learner"]).page()

    retake = api.get_retake_status(people["learner"].pk, Attempt.objects.get().usage_key)
    assert "Attempt 1 did not pass: 4 of 10 points." in page
    assert "Attempts used: 1 of 3. Attempts left: 2." in page
    assert html.escape(retake.reason, quote=False) in page  # the app's words, not the block's
    assert f'Your next attempt opens on <time datetime="{opens:%Y-%m-%dT%H:%M}' in page
    assert 'class="ca-submit-form"' not in page  # the policy said not yet
    status, body = workbench.post("submit_evidence", {"text": "Too soon."})
    assert (status, body["error"]) == (409, retake.reason)  # the handler says the same
    assert "See your credentials" not in page


def test_retake_open_again_shows_the_form_with_attempts_left(workbench, people, definition):
    from credential_app.models import RetakePolicy

    RetakePolicy.objects.create(definition=definition, max_attempts=3)
    for text in ("First try.", "Second try."):
        workbench.sign_in(people["learner"]).post("submit_evidence", {"text": text})
        assess(workbench, people, FAILING_SCORES)
    page = workbench.sign_in(people["learner"]).page()
    assert "Attempts used: 2 of 3. Attempts left: 1." in page
    assert 'class="ca-submit-form"' in page


def test_a_closed_unit_says_so_before_the_first_attempt(workbench, people, definition):
    """Before any attempt, and before anyone saved the unit in Studio, the page already
    follows the linked credential's policy."""
    from credential_app.models import RetakePolicy

    RetakePolicy.objects.create(definition=definition,
                                closes_at=datetime(2020, 1, 1, tzinfo=UTC))
    page = workbench.sign_in(people["learner"]).page()
    assert 'class="ca-submit-form"' not in page
    status, body = workbench.post("submit_evidence", {"text": "Late."})
    assert status == 409 and html.escape(body["error"], quote=False) in page


def test_the_result_that_counts_is_shown_when_the_policy_counts_another(workbench, people,
                                                                        definition):
    from credential_app.models import RetakePolicy

    RetakePolicy.objects.create(definition=definition, counted_result="highest")
    workbench.sign_in(people["learner"]).post("submit_evidence", {"text": "First try."})
    assess(workbench, people, [dict(s, level="partial") if s["criterion"] == "hazards" else s
                               for s in FAILING_SCORES])  # 4 of 10
    workbench.post("submit_evidence", {"text": "Second try."})
    assess(workbench, people, [{"criterion": "hazards", "level": "missing"},
                               {"criterion": "controls", "level": "missing"},
                               {"criterion": "communication", "level": "clear"}])  # 2 of 10

    page = workbench.page()

    assert "Attempt 2 did not pass: 2 of 10 points." in page
    assert "Your result that counts is attempt 1: 4 of 10 points." in page


def test_before_any_attempt_an_unlimited_unit_says_nothing_about_attempts(workbench, people):
    page = workbench.sign_in(people["learner"]).page()
    assert "ca-attempts" not in page.split("</style>")[-1]
    assert 'class="ca-submit-form"' in page


# ---- the host's upload limit ------------------------------------------------------------


def test_the_hosts_upload_limit_is_the_one_the_learner_is_told_and_held_to(unit, settings):
    """The LMS refuses uploads over STUDENT_FILEUPLOAD_MAX_SIZE (4 MB) before the block sees
    them; a unit allowing 2 MB in an LMS allowing 1 MB tells the learner 1 MB and holds it."""
    settings.STUDENT_FILEUPLOAD_MAX_SIZE = 1_000_000
    page = unit.page()
    assert 'data-max-size="1000000"' in page
    assert "each at most 976.6\xa0KB" in html.unescape(page)

    status, body = upload(unit, "site-photos.pdf", PDF + b"0" * 1_000_000)

    assert status == 400 and "976.6" in body["error"], body
    assert not EvidenceFile.objects.exists()

"""Dates in one format on every page a person meets: "4 December 2027" and, with a time,
"4 December 2027, 07:20 UTC" (never "Dec. 4, 2027" beside "2027-12-04 07:20")."""
import re
from datetime import UTC, datetime, timedelta

from django.urls import reverse
from django.utils import translation

from credential_app import api
from credential_app.lib.dates import human_date, human_datetime
from credential_app.models import Attempt, Credential, RetakePolicy
from tests.helpers import FAILING_SCORES

ONE_FORMAT = re.compile(r"\b\d{1,2} (January|February|March|April|May|June|July|August|"
                        r"September|October|November|December) \d{4}\b")
OTHER_FORMATS = re.compile(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\. \d|"
                           r"\b\d{4}-\d{2}-\d{2} \d{2}:\d{2}")


def visible_text(html):
    return re.sub(r"<[^>]+>", " ", re.sub(r'datetime="[^"]*"', "", html))


def test_the_helper_writes_day_month_year_and_names_the_time_zone(settings):
    settings.TIME_ZONE = "UTC"
    moment = datetime(2027, 12, 4, 7, 20, tzinfo=UTC)
    assert human_date(moment) == "4 December 2027"
    assert human_date(moment.date()) == "4 December 2027"
    assert human_datetime(moment) == "4 December 2027, 07:20 UTC"
    assert human_date(None) == human_datetime(None) == ""
    with translation.override("fr"):
        assert human_date(moment) == "4 décembre 2027"  # month names in the reader's language


def test_learner_assessor_credentials_and_badge_pages_use_it(client, workbench, people,
                                                             definition):
    RetakePolicy.objects.create(definition=definition,
                                delay_after_first_failure=timedelta(days=2))
    learner = workbench.sign_in(people["learner"])
    _status, body = learner.post("submit_evidence", {"text": "Forklift route, walkway."})
    staff = workbench.sign_in(people["staff"])
    staff.post("submit_assessment", {"attempt_id": body["attempt_id"],
                                     "scores": FAILING_SCORES})
    pages = {"learner (retake opens)": workbench.sign_in(people["learner"]).page()}

    # the second learner's attempt, claimed: the assessor sees until when
    _status, second = workbench.sign_in(people["learner2"]).post(
        "submit_evidence", {"text": "Pallets block the fire exit."})
    _status, claim = workbench.sign_in(people["staff"]).post(
        "claim_attempt", {"attempt_id": second["attempt_id"]})
    pages["claim message"] = claim["message"]
    pages["assessor"] = workbench.sign_in(people["staff"]).page()

    definition.validity_days = 365
    definition.save()
    staff.post("submit_assessment", {"attempt_id": second["attempt_id"], "scores": [
        {"criterion": "hazards", "level": "complete"}, {"criterion": "controls",
                                                        "level": "matched"},
        {"criterion": "communication", "level": "clear"}]})
    credential = Credential.objects.get(user=people["learner2"])
    pages["learner (credential)"] = workbench.sign_in(people["learner2"]).page()
    client.force_login(people["learner2"])
    pages["my credentials"] = client.get(reverse("credential_app:learner-credentials")
                                         ).content.decode()
    pages["badge"] = client.get(reverse("credential_app:badge_page",
                                        kwargs={"uuid": credential.uuid})).content.decode()
    pages["evidence"] = client.get(reverse("credential_app:badge_evidence",
                                           kwargs={"uuid": credential.uuid})).content.decode()
    unit = Attempt.objects.get(pk=body["attempt_id"]).usage_key
    pages["retake reason"] = api.get_retake_status(people["learner"].pk, unit).reason

    for name, html in pages.items():
        text = visible_text(html)
        assert not OTHER_FORMATS.search(text), (name, OTHER_FORMATS.search(text).group(0))
    for name in pages:
        assert ONE_FORMAT.search(visible_text(pages[name])), name


"""The employer's CSV in the admin: a dry run names every bad row by line and field and
stores nothing; a file with any bad row imports nothing; a good file imports once."""
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from credential_app.models import OutcomeEvent
from credential_app.workplace import csv_import
from credential_app.workplace.ingest import EventsRejected
from tests.workplace_helpers import employer_with_staff

pytestmark = pytest.mark.django_db

GOOD = ("event_id,employee_id,type,date,value,role,site\n"
        "h1,E-1,hire,2025-01-06,,Technician,Leeds\n"
        "p1,E-1,performance,2026-03-31,104,,\n"
        "x1,E-2,exit,2026-04-30,,,\n"
        "p9,E-77,performance,2026-03-31,90,,\n")  # E-77: not linked here
BAD = ("event_id,employee_id,type,date,value,role,site\n"
       "h1,E-1,hire,2025-01-06,,,Leeds\n"          # line 2: a hire needs a role
       "p1,E-1,performance,2026-02-30,104,,\n"     # line 3: no such date
       "p2,,performance,2026-03-31,abc,,\n"        # line 4: no employee, value not a number
       "p1,E-2,promotion,2026-04-01,,,\n")         # line 5: event id given on line 3


@pytest.fixture
def admin_client(client):
    admin = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(admin)
    return client


def upload(admin_client, destination, text, *, dry_run):
    data = {"destination": destination.pk,
            "file": SimpleUploadedFile("outcomes.csv", text.encode(), "text/csv")}
    if dry_run:
        data["dry_run"] = "on"
    return admin_client.post(reverse("admin:credential_app_outcomeevent_import"), data)


def test_every_bad_row_is_reported_by_line_and_field_and_nothing_is_stored():
    feed, _users = employer_with_staff(2)
    with pytest.raises(EventsRejected) as refused:
        csv_import.check(BAD.encode())
    assert {(p.position, p.field) for p in refused.value.problems} == {
        (2, "role"), (3, "date"), (4, "employee_id"), (4, "value"), (5, "event_id")}
    with pytest.raises(EventsRejected):
        csv_import.import_file(feed.destination, BAD.encode(), actor_id=None)
    assert not OutcomeEvent.objects.exists()


def test_the_admin_dry_run_lists_problems_and_stores_nothing(admin_client):
    feed, _users = employer_with_staff(2)
    page = upload(admin_client, feed.destination, BAD, dry_run=True)
    assert page.status_code == 400
    text = page.content.decode()
    assert "Nothing was imported" in text and "<td>4</td><td>value</td>" in text
    assert not OutcomeEvent.objects.exists()


def test_a_good_dry_run_says_what_would_happen_and_stores_nothing(admin_client):
    feed, _users = employer_with_staff(2)
    page = upload(admin_client, feed.destination, GOOD, dry_run=True)
    assert page.status_code == 200
    assert "an import would store 3 events" in page.content.decode()
    assert not OutcomeEvent.objects.exists()


def test_an_import_stores_each_event_once(admin_client):
    feed, users = employer_with_staff(2)
    answer = upload(admin_client, feed.destination, GOOD, dry_run=False)
    assert answer.status_code == 302
    assert OutcomeEvent.objects.filter(source="csv").count() == 3
    hire = OutcomeEvent.objects.get(event_id="h1")
    assert (hire.user_id, hire.role, hire.site) == (users[0].pk, "Technician", "Leeds")
    upload(admin_client, feed.destination, GOOD, dry_run=False)  # the same file again
    assert OutcomeEvent.objects.count() == 3


@pytest.mark.parametrize("data, message", [
    (b"", "empty"), (b"\x00\x01", "not a CSV"), ("é".encode("latin-1"), "UTF-8"),
    (b"employee_id,type\nE-1,hire\n", "Line 1"),
    (b"event_id,employee_id,type,date\n", "no rows"),
])
def test_unreadable_files_are_refused_with_the_reason(data, message):
    with pytest.raises(EventsRejected) as refused:
        csv_import.check(data)
    assert message in refused.value.problems[0].message

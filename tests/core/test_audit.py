"""The audit trail: every decision is appended with who, when, what and why; never edited."""
import pytest

from credential_app.core.audit import AuditAction, anonymise_user
from credential_app.models import AppendOnlyError, AuditEntry
from tests.core.test_api import assess, submit

# the append-only guard is a set of database triggers, written per backend
pytestmark = pytest.mark.db_server


def test_submission_assessment_and_issuance_are_recorded_in_order(people, definition):
    attempt = submit(people["learner"])
    assess(attempt, people["staff"], "yes")

    trail = list(AuditEntry.objects.order_by("id"))
    assert [e.action for e in trail] == [AuditAction.SUBMISSION, AuditAction.ASSESSMENT,
                                         AuditAction.ISSUANCE]
    submission, assessment, issuance = trail
    assert submission.actor == people["learner"] and submission.learner == people["learner"]
    assert assessment.actor == people["staff"]
    assert assessment.details["passed"] is True and assessment.details["scores"] == {
        "a": "yes", "b": "yes"}
    assert issuance.actor is None  # the system issued it, by rule
    assert {e.definition_slug for e in trail} == {definition.slug}


def test_entries_cannot_be_changed_or_deleted(people, definition):
    submit(people["learner"])
    entry = AuditEntry.objects.get()
    entry.reason = "rewritten history"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.get().reason == ""


def test_admin_shows_the_trail_but_offers_no_way_to_edit_it(admin_client, people, definition):
    submit(people["learner"])
    entry = AuditEntry.objects.get()
    listing = admin_client.get("/admin/credential_app/auditentry/?action__exact=submission")
    assert listing.status_code == 200
    assert '<td class="field-action_label">Submission</td>' in listing.content.decode()
    assert admin_client.get("/admin/credential_app/auditentry/add/").status_code == 403
    # the entry's page is view-only: no form fields, no save button
    page = admin_client.get(f"/admin/credential_app/auditentry/{entry.pk}/change/")
    assert page.status_code == 200
    assert b'name="reason"' not in page.content and b'name="_save"' not in page.content
    # and a forged POST is refused outright (view permission only), changing nothing
    change = admin_client.post(f"/admin/credential_app/auditentry/{entry.pk}/change/",
                               {"reason": "edited"})
    assert change.status_code == 403
    assert AuditEntry.objects.get().reason == ""
    assert admin_client.post(f"/admin/credential_app/auditentry/{entry.pk}/delete/",
                             {"post": "yes"}).status_code == 403


def test_anonymising_a_person_keeps_the_count(people, definition):
    attempt = submit(people["learner"])
    assess(attempt, people["staff"], "yes")
    anonymise_user(people["learner"].pk)
    assert AuditEntry.objects.count() == 3
    assert not AuditEntry.objects.filter(learner=people["learner"]).exists()


@pytest.fixture
def guarded(db):
    """This test's connection without the maintenance switch, as in production."""
    from django.db import connection

    from credential_app.core import audit_guard

    audit_guard.set_unlocked(connection, False)
    yield
    audit_guard.set_unlocked(connection, True)


def test_the_database_refuses_deleting_or_rewriting_entries_past_the_model(
        people, definition, guarded):
    from django.db import DatabaseError, transaction

    submit(people["learner"])
    entry = AuditEntry.objects.values().get()

    def refused(change):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            change()

    refused(lambda: AuditEntry.objects.all().delete())
    refused(lambda: AuditEntry.objects.update(action="override"))
    refused(lambda: AuditEntry.objects.update(reason="rewritten history"))
    refused(lambda: AuditEntry.objects.update(details={"passed": True}))
    refused(lambda: AuditEntry.objects.update(learner=people["learner2"]))
    refused(lambda: AuditEntry.objects.update(created=entry["created"].replace(year=2020)))
    assert AuditEntry.objects.values().get() == entry

    # blanking the personal columns (retirement) is what the database allows
    anonymise_user(people["learner"].pk)
    blanked = AuditEntry.objects.values().get()
    assert (blanked["learner_id"], blanked["actor_id"], blanked["reason"], blanked["details"]) \
        == (None, None, "", {})
    assert {k: v for k, v in blanked.items() if k not in ("learner_id", "actor_id")} == {
        **{k: v for k, v in entry.items() if k not in ("learner_id", "actor_id")},
        "reason": "", "details": {}}


def test_retirement_and_deleting_a_user_pass_the_database_guard(people, definition, guarded):
    from credential_app import api

    submit(people["learner"])
    api.retire_user(people["learner"].pk)
    people["learner"].delete()  # the users' SET_NULL blanks the column: allowed
    assert AuditEntry.objects.filter(learner__isnull=True).count() == AuditEntry.objects.count()


def test_the_guard_is_reinstalled_after_each_migrate(db):
    from django.db import connection

    from credential_app.core import audit_guard

    assert audit_guard.install() is True  # idempotent: drops and re-creates
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT trigger_name FROM information_schema.triggers "
                           "WHERE event_object_schema = DATABASE()")
        names = {row[0] for row in cursor.fetchall()}
    assert set(audit_guard.TRIGGERS) <= names


def test_check_audit_triggers_says_whether_the_database_guards_the_trail(db):
    from io import StringIO

    from django.core import checks
    from django.core.management import CommandError, call_command
    from django.db import connection

    from credential_app.core import audit_guard

    def database_problems():
        return [p.id for p in checks.run_checks(tags=[checks.Tags.database],
                                                databases=["default"])]

    out = StringIO()
    call_command("check_audit_triggers", stdout=out)
    assert "in place" in out.getvalue() and database_problems() == []

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {audit_guard.TRIGGERS[0]}")
    with pytest.raises(CommandError, match="missing"):
        call_command("check_audit_triggers")
    assert database_problems() == ["credential_app.W001"]

    call_command("check_audit_triggers", "--install", stdout=StringIO())
    assert audit_guard.installed() and database_problems() == []

"""The audit trail: every decision is appended with who, when, what and why; never edited."""
import pytest

from credential_app.audit import AuditAction, anonymise_user
from credential_app.models import AppendOnlyError, AuditEntry
from tests.test_api import assess, submit


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
    assert listing.status_code == 200 and b"submission" in listing.content
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

"""Retiring a user forgets the person and keeps the counts reports are built on."""
from django.db.models import Count

from credential_app import api
from credential_app.core.audit import AuditAction
from credential_app.data import CredentialStatus
from credential_app.models import Attempt, AuditEntry, Credential, CriterionScore
from credential_app.platform_hooks.retirement import (
    RETIRED_REASON,
    connect_platform_signal,
    on_user_retire,
)
from tests.lifecycle_helpers import OTHER_UNIT, assess, submit


def counts():
    return {
        "attempts_per_definition": dict(Attempt.objects.values_list("definition__slug")
                                        .annotate(n=Count("id"))),
        "credentials_issued": Credential.objects.count(),
        "credentials_per_definition": dict(Credential.objects.values_list("definition__slug")
                                           .annotate(n=Count("id"))),
        "audit_entries_per_action": dict(AuditEntry.objects.values_list("action")
                                         .annotate(n=Count("id"))),
    }


def test_retirement_removes_the_person_and_keeps_the_counts(people, definition, announced,
                                                            django_capture_on_commit_callbacks):
    learner, other = people["learner"], people["learner2"]
    failed = submit(learner, text="My name is Lee Learner, badge 4411")
    api.record_assessment(attempt_id=failed.id, usage_key=failed.usage_key,
                          assessor_id=people["staff"].pk,
                          scores=[api.CriterionScore("a", "no", "Lee, you missed the exits"),
                                  api.CriterionScore("b", "no")])
    credential = assess(submit(learner, text="Lee's second try"), people["staff"],
                        "yes").credential
    kept = assess(submit(other, unit=OTHER_UNIT, text="Kim's evidence"), people["staff"],
                  "yes", unit=OTHER_UNIT).credential
    before = counts()

    with django_capture_on_commit_callbacks(execute=True):
        api.retire_user(learner.pk)

    after = counts()
    # the only new entries: the retirement, and the revocation of the live credential
    assert after["audit_entries_per_action"] == {**before["audit_entries_per_action"],
                                                 "revocation": 1, "retirement": 1}
    del after["audit_entries_per_action"], before["audit_entries_per_action"]
    assert after == before
    assert set(Attempt.objects.filter(user=learner).values_list("evidence_text", flat=True)) \
        == {""}
    assert not CriterionScore.objects.filter(assessment__attempt__user=learner) \
        .exclude(comment="").exists()
    assert not AuditEntry.objects.filter(learner=learner).exists()
    assert not AuditEntry.objects.filter(actor=learner).exists()
    revoked = api.get_credential(credential.uuid)
    assert revoked.status == CredentialStatus.REVOKED and "retired" in revoked.revoked_reason
    assert "BADGE_REVOKED" in announced.names()
    retirement = AuditEntry.objects.get(action=AuditAction.RETIREMENT)
    assert retirement.learner is None and retirement.details == {"attempts": 2,
                                                                 "credentials": 1}
    # other people are untouched
    assert Attempt.objects.get(user=other).evidence_text == "Kim's evidence"
    assert api.get_credential(kept.uuid).status == CredentialStatus.ACTIVE
    assert AuditEntry.objects.filter(learner=other).exists()


def test_retiring_twice_or_someone_without_data_is_harmless(people, definition):
    api.retire_user(people["learner"].pk)
    api.retire_user(people["learner"].pk)
    assert AuditEntry.objects.filter(action=AuditAction.RETIREMENT).count() == 2
    assert Credential.objects.count() == 0


def test_platform_retirement_signal_retires_through_the_receiver(people, definition):
    attempt = submit(people["learner"], text="personal")
    on_user_retire(sender=None, user=people["learner"])
    assert Attempt.objects.get(pk=attempt.id).evidence_text == ""
    # outside edx-platform the signal does not exist, so nothing is connected
    assert connect_platform_signal() is False



def test_retired_staff_are_no_longer_named_on_their_decisions(people, definition):
    from credential_app.core import credentials
    from tests.lifecycle_helpers import passed_attempt

    staff = people["staff"]
    pending = credentials.issue_for_attempt(passed_attempt(people["learner"]),
                                            needs_approval=True)
    api.approve_credential(credential_uuid=pending.uuid, approver_id=staff.pk)
    api.revoke_credential(credential_uuid=pending.uuid, revoked_by=staff.pk, reason="Fraud")
    api.retire_user(staff.pk)
    row = Credential.objects.get(uuid=pending.uuid)
    assert (row.approved_by, row.revoked_by, row.revoked_reason) == (None, None, "Fraud")
    assert row.approved_at is not None and row.status == CredentialStatus.REVOKED
    assert not AuditEntry.objects.filter(actor=staff).exists()


def test_retirement_erases_uploaded_files_and_links(people, definition, media,
                                                    django_capture_on_commit_callbacks):
    import io

    from credential_app.data import EvidenceSettings
    from credential_app.models import EvidenceFile
    from tests.core.test_api import RUBRIC, UNIT
    from tests.learner_helpers import PDF

    learner = people["learner"]
    evidence = EvidenceSettings(files_enabled=True, file_types=("pdf",), links_enabled=True)
    uploaded = api.upload_evidence_file(user_id=learner.pk, usage_key=UNIT,
                                        name="Lee Learner CV.pdf", content=io.BytesIO(PDF),
                                        size=len(PDF), evidence=evidence)
    attempt = api.submit_attempt(user_id=learner.pk, usage_key=UNIT,
                                 credential_slug=definition.slug, rubric=RUBRIC,
                                 evidence_text="see my file", max_evidence_length=100,
                                 links=["https://lee.example.org/portfolio"],
                                 file_ids=[uploaded.id], evidence=evidence)
    assert [p for p in media.rglob("*") if p.is_file()]

    with django_capture_on_commit_callbacks(execute=True):
        api.retire_user(learner.pk)

    assert not EvidenceFile.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]
    stored = Attempt.objects.get(pk=attempt.id)
    assert (stored.evidence_text, stored.links) == ("", [])


def test_retirement_blanks_every_reason_written_about_the_learner_and_keeps_the_rows(
        people, definition, django_capture_on_commit_callbacks):
    from credential_app.core.policies import RetakePolicy
    from credential_app.models import AssessmentClaim, ExtraAttemptGrant

    learner, other, staff = people["learner"], people["learner2"], people["staff"]
    RetakePolicy.objects.create(definition=definition, max_attempts=1)
    failed = submit(learner, text="first try")
    assess(failed, staff, "no")
    api.grant_extra_attempts(user_id=learner.pk, usage_key=failed.usage_key, count=1,
                             granted_by=staff.pk, reason="Illness during attempt 2")
    api.grant_extra_attempts(user_id=other.pk, usage_key=failed.usage_key, count=1,
                             granted_by=staff.pk, reason="Kim's train was cancelled")
    api.override_result(attempt_id=failed.id, usage_key=failed.usage_key, staff_id=staff.pk,
                        passed=True, reason="Lee's assessor misread the photo of the exit")
    grants_before = ExtraAttemptGrant.objects.count()
    personal = ["Illness during attempt 2", "Lee's assessor misread the photo of the exit"]
    assert AuditEntry.objects.filter(learner=learner, reason__in=personal).count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        api.retire_user(learner.pk)

    # the rows (and so the counts) stay; the words about the person go
    assert ExtraAttemptGrant.objects.count() == grants_before
    assert list(ExtraAttemptGrant.objects.filter(user=learner).values_list("reason", "count")) \
        == [("", 1)]
    assert not AuditEntry.objects.filter(reason__in=personal).exists()
    assert not AuditEntry.objects.filter(details__icontains="Lee").exists()
    assert set(Credential.objects.filter(user=learner)
               .values_list("revoked_reason", flat=True)) <= {"", RETIRED_REASON}
    assert not Credential.objects.filter(user=learner,
                                         revoked_reason__icontains="misread").exists()
    # the other learner's grant and its reason are theirs, untouched
    assert ExtraAttemptGrant.objects.get(user=other).reason == "Kim's train was cancelled"
    assert AssessmentClaim.objects.count() == 0


def test_retired_assessors_release_their_claims_and_grants_stop_naming_them(people, definition):
    from credential_app.models import AssessmentClaim, ExtraAttemptGrant

    learner, staff = people["learner"], people["staff"]
    waiting = submit(learner, text="please score me")
    api.claim_attempt(attempt_id=waiting.id, usage_key=waiting.usage_key, assessor_id=staff.pk)
    api.grant_extra_attempts(user_id=learner.pk, usage_key=waiting.usage_key, count=2,
                             granted_by=staff.pk, reason="Fire drill interrupted")

    api.retire_user(staff.pk)

    assert not AssessmentClaim.objects.exists()  # the attempt is waiting for someone else
    queue = api.get_assessment_queue(waiting.usage_key, people["learner2"].pk)
    assert queue.counts["waiting"] == 1 and queue.counts["claimed"] == 0
    grant = ExtraAttemptGrant.objects.get()
    assert (grant.granted_by, grant.reason, grant.count) == (None, "Fire drill interrupted", 2)
    assert Attempt.objects.get(pk=waiting.id).evidence_text == "please score me"

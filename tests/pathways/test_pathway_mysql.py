"""Pathways under concurrency, on MariaDB/MySQL with real threads and connections: two
requirements completing at once issue exactly one pathway credential (never none, never
two), and a requirement revoked while the last one is issued leaves a consistent state."""
from django.contrib.auth import get_user_model

from credential_app import api
from credential_app.data import CredentialStatus
from credential_app.models import AuditEntry, Credential
from tests.concurrency import ROW_LOCKS, race
from tests.pathway_helpers import PATHWAY, assess_pass, earn, hand_in, make_pathway

pytestmark = ROW_LOCKS

ROUNDS = 5


def test_two_requirements_completing_at_once_issue_exactly_one_pathway_credential(people):
    make_pathway(("hazard-spotting", "safe-lifting"))
    learners = [get_user_model().objects.create_user(f"racer{i}") for i in range(ROUNDS)]
    waiting = [(learner, slug, hand_in(learner, slug))
               for learner in learners for slug in ("hazard-spotting", "safe-lifting")]
    # every learner's two final assessments are released together (ten threads at once)
    outcomes = race(len(waiting), lambda i: assess_pass(waiting[i][2], people["staff"],
                                                        waiting[i][1]))
    assert {kind for kind, _value in outcomes} == {"ok"}, outcomes
    for learner in learners:
        held = list(Credential.objects.filter(user=learner, definition__slug=PATHWAY))
        assert [c.status for c in held] == [CredentialStatus.ACTIVE], learner
        assert AuditEntry.objects.filter(action="issuance", learner=learner,
                                         definition_slug=PATHWAY).count() == 1


def test_a_revocation_racing_the_completing_pass_leaves_no_incomplete_pathway(people):
    make_pathway(("hazard-spotting", "safe-lifting"), rule="revoke")
    learner = people["learner"]
    first = earn(people, "hazard-spotting")
    attempt = hand_in(learner, "safe-lifting")

    def act(i):
        if i == 0:
            return api.revoke_credential(credential_uuid=first.uuid,
                                         revoked_by=people["staff"].pk, reason="Copied.")
        return assess_pass(attempt, people["staff"], "safe-lifting")

    outcomes = race(2, act)
    assert {kind for kind, _value in outcomes} == {"ok"}, outcomes
    # whichever went first, Hazard Spotting is revoked, so no live pathway credential stands
    live = Credential.objects.filter(user=learner, definition__slug=PATHWAY,
                                     live_state__isnull=False)
    assert not live.exists()



def test_under_suspend_two_requirements_lost_then_regained_at_once_suspend_and_reinstate_once(
        people):
    """Rule "suspend": a learner's two requirements revoked at once suspend the pathway
    credential once; both passed again at once reinstate that same credential once (never
    a second one). One learner's pair at a time: the learner's lock decides them."""
    make_pathway(("hazard-spotting", "safe-lifting"), rule="suspend")
    slugs = ("hazard-spotting", "safe-lifting")
    for round_ in range(ROUNDS):
        learner = get_user_model().objects.create_user(f"racer{round_}")
        people[learner.username] = learner
        held = [earn(people, slug, learner=learner.username) for slug in slugs]
        pathway_credential = Credential.objects.get(user=learner, definition__slug=PATHWAY)
        outcomes = race(2, lambda i, held=held: api.revoke_credential(
            credential_uuid=held[i].uuid, revoked_by=people["staff"].pk, reason="Copied."))
        assert {kind for kind, _value in outcomes} == {"ok"}, outcomes
        pathway_credential.refresh_from_db()
        assert pathway_credential.status == CredentialStatus.SUSPENDED
        assert AuditEntry.objects.filter(action="suspension",
                                         subject_id=str(pathway_credential.pk)).count() == 1
        waiting = [hand_in(learner, slug) for slug in slugs]
        outcomes = race(2, lambda i, waiting=waiting: assess_pass(
            waiting[i], people["staff"], slugs[i]))
        assert {kind for kind, _value in outcomes} == {"ok"}, outcomes
        assert list(Credential.objects.filter(user=learner, definition__slug=PATHWAY)
                    .values_list("pk", "status")) == [(pathway_credential.pk, "active")]
        assert AuditEntry.objects.filter(action="reinstatement",
                                         subject_id=str(pathway_credential.pk)).count() == 1

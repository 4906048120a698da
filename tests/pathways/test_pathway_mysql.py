"""Pathways under concurrency, on MariaDB/MySQL with real threads and connections: two
requirements completing at once issue exactly one pathway credential (never none, never
two), and a requirement revoked while the last one is issued leaves a consistent state."""
import pytest
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




@pytest.mark.parametrize("rule", ["suspend", "revoke"])
def test_learners_losing_then_regaining_requirements_at_once_follow_the_rule_once(
        people, rule):
    """Every learner's two requirements revoked at once (ten threads, five learners):
    each pathway credential is suspended (or revoked) once; both passed again at once:
    the suspended one is reinstated once, the same credential (under "revoke", a new one
    is issued once). Several learners at once: their report summaries' shared lines are
    not locked in opposite orders (a deadlock on MariaDB before)."""
    make_pathway(("hazard-spotting", "safe-lifting"), rule=rule)
    slugs = ("hazard-spotting", "safe-lifting")
    learners = [get_user_model().objects.create_user(f"racer{i}") for i in range(ROUNDS)]
    people.update({learner.username: learner for learner in learners})
    held = [earn(people, slug, learner=learner.username)
            for learner in learners for slug in slugs]
    first = {learner: Credential.objects.get(user=learner, definition__slug=PATHWAY)
             for learner in learners}
    outcomes = race(len(held), lambda i: api.revoke_credential(
        credential_uuid=held[i].uuid, revoked_by=people["staff"].pk, reason="Copied."))
    assert {kind for kind, _value in outcomes} == {"ok"}, outcomes
    ended = {"suspend": ("suspension", "suspended"), "revoke": ("revocation", "revoked")}
    action, status = ended[rule]
    for learner, credential in first.items():
        assert Credential.objects.get(pk=credential.pk).status == status, learner
        assert AuditEntry.objects.filter(action=action,
                                         subject_id=str(credential.pk)).count() == 1
    waiting = [(slug, hand_in(learner, slug)) for learner in learners for slug in slugs]
    outcomes = race(len(waiting), lambda i: assess_pass(waiting[i][1], people["staff"],
                                                        waiting[i][0]))
    assert {kind for kind, _value in outcomes} == {"ok"}, outcomes
    for learner, credential in first.items():
        statuses = list(Credential.objects.filter(user=learner, definition__slug=PATHWAY)
                        .order_by("pk").values_list("pk", "status"))
        if rule == "suspend":
            assert statuses == [(credential.pk, "active")], learner
            assert AuditEntry.objects.filter(action="reinstatement",
                                             subject_id=str(credential.pk)).count() == 1
        else:
            assert [s for _pk, s in statuses] == ["revoked", "active"], learner

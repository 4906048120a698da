"""Completing a remediation unit in the LMS lets the learner retake.

The LMS stores completions as edx-completion's ``BlockCompletion`` rows; the receiver is
connected to their ``post_save`` when that app is installed. edx-completion cannot be
installed here (its plugin URLs import edx-platform), so these tests hand the receiver
rows with exactly the attributes ``BlockCompletion`` has, the way ``post_save`` would.
"""
from dataclasses import dataclass

from django.db.models.signals import post_save
from opaque_keys.edx.keys import UsageKey

from credential_app import api
from credential_app.core import policies
from credential_app.models import RemediationCompletion
from credential_app.platform_hooks import remediation
from tests.core.test_api import UNIT, submit
from tests.core.test_policies import fail, refused, registered, retake_policy  # noqa: F401

REFRESHER = UsageKey.from_string("block-v1:Org+Course+Run+type@html+block@refresher")
UNRELATED = UsageKey.from_string("block-v1:Org+Course+Run+type@html+block@welcome")


@dataclass
class BlockCompletion:
    """The fields of ``completion.models.BlockCompletion`` the receiver reads."""

    user_id: int
    block_key: UsageKey
    completion: float


def complete(user, block_key, completion=1.0):
    """What post_save delivers when the LMS's completion service saves a completion."""
    remediation.on_block_completion_saved(
        sender=BlockCompletion, instance=BlockCompletion(user.pk, block_key, completion),
        created=True)


def test_completing_the_remediation_unit_lets_the_learner_retake(people, definition):
    retake_policy(definition, remediation_usage_key=str(REFRESHER))
    learner = people["learner"]
    fail(learner, people["staff"])
    assert refused(learner).reason_code == policies.RetakeRefusal.REMEDIATION

    complete(learner, REFRESHER, completion=0.5)  # half-way through is not complete
    assert refused(learner).reason_code == policies.RetakeRefusal.REMEDIATION
    assert not RemediationCompletion.objects.exists()

    complete(learner, REFRESHER)
    complete(learner, REFRESHER)  # saved again (e.g. revisited): still one record
    assert RemediationCompletion.objects.count() == 1
    assert api.get_retake_status(learner.pk, UNIT).may_start
    submit(learner)


def test_completions_of_other_blocks_and_other_learners_record_nothing_for_them(
        people, definition):
    retake_policy(definition, remediation_usage_key=str(REFRESHER))
    learner = people["learner"]
    fail(learner, people["staff"])
    complete(learner, UNRELATED)
    complete(people["learner2"], REFRESHER)

    assert list(RemediationCompletion.objects.values_list("user_id", "usage_key")) == [
        (people["learner2"].pk, REFRESHER)]
    assert refused(learner).reason_code == policies.RetakeRefusal.REMEDIATION


def test_without_a_policy_naming_the_block_nothing_is_recorded(people, definition):
    retake_policy(definition)  # no remediation unit
    complete(people["learner"], REFRESHER)
    assert not RemediationCompletion.objects.exists()


def test_the_receiver_listens_to_block_completion_saves_only_where_completion_is_installed(
        monkeypatch):
    assert remediation.connect_completion_signal() is False  # not installed here
    connected = []
    monkeypatch.setattr(remediation.apps, "is_installed", lambda name: name == "completion")
    monkeypatch.setattr(post_save, "connect",
                        lambda receiver, **kwargs: connected.append((receiver, kwargs)))
    assert remediation.connect_completion_signal() is True
    assert connected == [(remediation.on_block_completion_saved,
                          {"sender": "completion.BlockCompletion",
                           "dispatch_uid": remediation.DISPATCH_UID})]

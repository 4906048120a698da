"""New versions of a credential definition and what they mean for holders of the old one."""
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils.timezone import now

from credential_app import api
from credential_app.core import credentials
from credential_app.core.audit import AuditAction
from credential_app.data import CredentialStatus
from credential_app.models import (
    AuditEntry,
    Credential,
    CredentialDefinition,
    IssuancePolicy,
    RetakePolicy,
)
from tests.core.test_api import RUBRIC
from tests.lifecycle_helpers import UNIT, assess, submit


def new_version(previous, **fields):
    values = {"slug": f"{previous.slug}-v{previous.version + 1}", "name": previous.name,
              "previous_version": previous, "validity_days": 365, "issuer": previous.issuer,
              **fields}
    draft = CredentialDefinition(**values)
    draft.full_clean()
    draft.save()
    return draft


@pytest.fixture
def holder(people, definition, issuer):
    """The learner holds version 1 (valid a year); learner2 holds nothing."""
    definition.validity_days, definition.issuer = 365, issuer
    definition.save()
    api.register_assessment_unit(usage_key=UNIT, credential_slug=definition.slug,
                                 display_name="Unit", rubric=RUBRIC,
                                 evidence=api.EvidenceSettings())
    return assess(submit(people["learner"]), people["staff"], "yes").credential


def test_draft_version_changes_nothing_until_published(holder, definition):
    draft = new_version(definition)
    assert draft.version == 2 and draft.published_at is None
    assert [d.slug for d in api.list_credential_definitions()] == [definition.slug]
    assert api.get_credential_definition(definition.slug).version == 1


def test_published_version_takes_over_the_old_slug_and_units(holder, people, definition):
    draft = new_version(definition)
    published = api.publish_new_version(slug=draft.slug, actor_id=people["staff"].pk)

    assert (published.version, published.previous_version_slug) == (2, definition.slug)
    assert [d.slug for d in api.list_credential_definitions()] == [draft.slug]
    assert api.get_credential_definition(definition.slug).slug == draft.slug
    assert [u.credential_slug for u in api.list_assessment_units(draft.slug)] == [draft.slug]
    # a block still linked to the old slug submits to the version in force
    attempt = submit(people["learner2"])
    assert attempt.credential_slug == draft.slug
    entry = AuditEntry.objects.get(action=AuditAction.POLICY_CHANGE)
    assert entry.details["published_version"] == 2 and entry.actor == people["staff"]


def test_keep_leaves_holders_valid_until_they_renew_into_the_new_version(holder, people,
                                                                         definition):
    draft = new_version(definition, old_holders="keep")
    api.publish_new_version(slug=draft.slug, actor_id=people["staff"].pk)
    learner = people["learner"]

    kept = api.get_credential(holder.uuid)
    assert kept.status == CredentialStatus.ACTIVE and kept.expires_at == holder.expires_at
    assert "renew it from" in credentials.live_credential_blocks_attempt(learner.pk, draft.pk)

    Credential.objects.filter(uuid=holder.uuid).update(expires_at=now() + timedelta(days=5))
    renewed = assess(submit(learner), people["staff"], "yes").credential
    assert renewed.definition.version == 2
    assert api.get_credential(holder.uuid).status == CredentialStatus.SUPERSEDED
    assert api.get_learner_credential(learner.pk, definition.slug).uuid == renewed.uuid


def test_bridge_lets_holders_start_at_once_and_shortens_their_old_credential(
        holder, people, definition):
    draft = new_version(definition, old_holders="bridge", bridging_days=30)
    before = now()
    api.publish_new_version(slug=draft.slug, actor_id=people["staff"].pk)
    learner = people["learner"]

    bridging = api.get_credential(holder.uuid)
    assert bridging.status == CredentialStatus.ACTIVE  # still valid while bridging
    assert before + timedelta(days=30) <= bridging.expires_at <= now() + timedelta(days=30)
    assert credentials.live_credential_blocks_attempt(learner.pk, draft.pk) is None

    bridged = assess(submit(learner), people["staff"], "yes").credential
    assert bridged.definition.slug == draft.slug and bridged.status == CredentialStatus.ACTIVE
    assert api.get_credential(holder.uuid).status == CredentialStatus.SUPERSEDED
    # the new version's credential is not itself open to bridging
    assert "renew it from" in credentials.live_credential_blocks_attempt(learner.pk, draft.pk)


def test_holder_who_does_not_bridge_expires_at_the_end_of_the_period(holder, people,
                                                                     definition):
    draft = new_version(definition, old_holders="bridge", bridging_days=30)
    api.publish_new_version(slug=draft.slug, actor_id=people["staff"].pk)
    end = api.get_credential(holder.uuid).expires_at
    assert api.expire_due_credentials(now=end) == 1
    assert api.get_credential(holder.uuid).status == CredentialStatus.EXPIRED


def test_bridging_never_extends_a_credential_that_ends_sooner(holder, people, definition):
    soon = now() + timedelta(days=3)
    Credential.objects.filter(uuid=holder.uuid).update(expires_at=soon)
    draft = new_version(definition, old_holders="bridge", bridging_days=30)
    api.publish_new_version(slug=draft.slug, actor_id=people["staff"].pk)
    assert api.get_credential(holder.uuid).expires_at == soon


@pytest.mark.parametrize("fields, field", [
    ({"old_holders": "bridge"}, "bridging_days"),
    ({"previous_version": None, "old_holders": "bridge", "bridging_days": 5}, "old_holders"),
    ({"validity_days": 30, "renewal_window_days": 30}, "renewal_window_days"),
])
def test_definition_values_that_do_not_fit_together_name_the_field(definition, fields, field):
    values = {"slug": "next", "name": "Next", "previous_version": definition, **fields}
    with pytest.raises(ValidationError) as error:
        CredentialDefinition(**values).full_clean()
    assert field in error.value.message_dict


def test_publishing_is_refused_with_the_field_at_fault(holder, people, definition):
    with pytest.raises(api.InvalidDefinition) as no_previous:
        api.publish_new_version(slug=definition.slug, actor_id=people["staff"].pk)
    assert no_previous.value.field == "previous_version"
    draft = new_version(definition)
    api.publish_new_version(slug=draft.slug, actor_id=people["staff"].pk)
    with pytest.raises(api.InvalidDefinition, match="already published"):
        api.publish_new_version(slug=draft.slug, actor_id=people["staff"].pk)
    with pytest.raises(api.InvalidDefinition) as unknown:
        api.publish_new_version(slug="nope", actor_id=people["staff"].pk)
    assert unknown.value.field == "slug"


def test_publishing_carries_over_the_previous_versions_policies(holder, people, definition):
    """Issuance and retake policies are one row per definition (the policy models);
    a draft without its own keeps the previous version's instead of the defaults."""
    RetakePolicy.objects.create(definition=definition, max_attempts=3)
    IssuancePolicy.objects.create(definition=definition, required_assessments=2)
    draft = new_version(definition)
    api.publish_new_version(slug=draft.slug, actor_id=people["staff"].pk)
    assert RetakePolicy.objects.get(definition=draft).max_attempts == 3
    assert RetakePolicy.objects.get(definition=definition).max_attempts == 3
    assert IssuancePolicy.objects.get(definition=draft).required_assessments == 2


def test_an_attempt_in_flight_when_bridging_starts_earns_a_credential_ending_with_it(
        holder, people, definition):
    waiting = submit(people["learner2"])  # submitted under version 1, not yet assessed
    draft = new_version(definition, old_holders="bridge", bridging_days=30)
    api.publish_new_version(slug=draft.slug, actor_id=people["staff"].pk)
    late = assess(waiting, people["staff"], "yes").credential
    assert late.definition.version == 1
    assert late.expires_at == api.get_credential(holder.uuid).expires_at  # the same deadline
    assert credentials.live_credential_blocks_attempt(people["learner2"].pk, draft.pk) is None


def test_a_block_still_naming_the_old_slug_is_told_the_policy_in_force(holder, people,
                                                                        definition):
    """The retake answer for a unit linked to a replaced version follows the version in
    force, as submitting does: one rule, wherever it is asked."""
    from tests.core.test_api import OTHER_UNIT  # a unit the app has never registered

    draft = new_version(definition)
    api.publish_new_version(slug=draft.slug, actor_id=people["staff"].pk)
    RetakePolicy.objects.update_or_create(
        definition=draft, defaults={"closes_at": now() - timedelta(days=1)})

    status = api.get_retake_status(people["learner2"].pk, OTHER_UNIT,
                                   credential_slug=definition.slug)

    assert not status.may_start
    with pytest.raises(api.AttemptNotAllowed) as refused:
        submit(people["learner2"], unit=OTHER_UNIT)
    assert refused.value.message == status.reason

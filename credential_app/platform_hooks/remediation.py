"""Remediation completions, heard from Open edX's completion service.

A retake policy may name a remediation unit a learner must complete after a failure
before trying again (``policies.retake_decision``). The LMS stores "completed" as a
``completion.models.BlockCompletion`` row (edx-completion) with ``completion == 1.0``;
nothing else tells an app that a unit was completed, so this listens to those rows'
saves. ``apps.ready`` connects it only when the ``completion`` app is installed
(every LMS has it; the demo and the test suite do not: edx-completion registers itself
as an LMS plugin whose REST views import edx-platform, so installing it outside the LMS
breaks every plugin URL). The receiver reads only what ``BlockCompletion`` (edx-completion
5.x) has: ``user_id``, ``block_key`` (a UsageKey) and ``completion`` (0.0–1.0).

Every completion of every block in the LMS passes through here, so the check is cheap:
full completions only, then one query on the small retake-policy table (one row per
credential definition at most) to see whether any policy names the block; only then is
the completion recorded through ``policies.record_remediation_complete`` (what
``api.record_remediation_complete`` calls too).
"""
from django.apps import apps
from django.db.models.signals import post_save

from credential_app.core import policies
from credential_app.core.models import RetakePolicy

COMPLETE = 1.0
DISPATCH_UID = "credential_app.platform_hooks.remediation.on_block_completion_saved"


def is_remediation_unit(block_key) -> bool:
    """Does any retake policy name ``block_key`` as its remediation unit?"""
    return RetakePolicy.objects.filter(remediation_usage_key=str(block_key)).exists()


def on_block_completion_saved(sender, instance, **kwargs):
    """Receiver for ``BlockCompletion`` saves: record completed remediation units."""
    if instance.completion < COMPLETE or not is_remediation_unit(instance.block_key):
        return
    policies.record_remediation_complete(user_id=instance.user_id, usage_key=instance.block_key)


def connect_completion_signal() -> bool:
    """Listen to BlockCompletion saves when edx-completion is installed (the LMS)."""
    if not apps.is_installed("completion"):
        return False
    post_save.connect(on_block_completion_saved, sender="completion.BlockCompletion",
                      dispatch_uid=DISPATCH_UID)
    return True

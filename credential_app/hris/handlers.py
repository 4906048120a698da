"""What HRIS does when the core announces a change: write the outbox rows.

Connected to ``core.signals.credential_changing``, ``attempt_submitted`` and
``attempt_assessed`` when the app is ready (``apps.py``). The core sends them inside the
changing transaction, so these rows commit atomically with the change.
"""
from credential_app.hris import outbox, payloads


def write_outbox_rows(sender, *, credential, event, replaces=None, **kwargs):
    outbox.record_event(credential, event, replaces=replaces)


def write_submission_rows(sender, *, attempt, **kwargs):
    outbox.record_attempt_event(attempt, payloads.ATTEMPT_SUBMITTED)


def write_result_rows(sender, *, attempt, overridden=False, **kwargs):
    outbox.record_attempt_event(attempt, payloads.ATTEMPT_ASSESSED, overridden=overridden)

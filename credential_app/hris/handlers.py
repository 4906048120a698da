"""What HRIS does when the core announces a credential change: write the outbox rows.

Connected to ``core.signals.credential_changing`` when the app is ready (``apps.py``).
The core sends it inside the changing transaction, so these rows commit atomically with
the credential.
"""
from credential_app.hris import outbox


def write_outbox_rows(sender, *, credential, event, replaces=None, **kwargs):
    outbox.record_event(credential, event, replaces=replaces)

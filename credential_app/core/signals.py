"""This app's own Django signals: how the core announces credential changes without knowing
who listens.

* One signal per state change, sent after the transaction that made the change commits
  (never for a change that was rolled back), with ``credential`` (a ``CredentialData``)
  as its only argument. Open Badges signs and republishes on these; other services
  listen to the Open edX events ``BADGE_AWARDED`` / ``BADGE_REVOKED`` sent from ``events``.
* ``credential_changing``, sent inside the changing transaction, for listeners whose rows
  must commit with the change (the HRIS outbox).
"""
from django.dispatch import Signal

credential_issued = Signal()  # created, pending approval or active
credential_approved = Signal()  # pending approval -> active
credential_revoked = Signal()  # -> revoked, with a reason
credential_expired = Signal()  # active -> expired, past its validity
credential_superseded = Signal()  # -> superseded by a renewal or a new version

# Sent INSIDE the transaction that changes a credential (``.send()``, not after commit), so
# what a receiver writes (the HRIS outbox) commits or rolls back with the change itself; a
# receiver that raises undoes the change. Arguments: ``credential`` (the model instance),
# ``event`` (one of CHANGE_EVENTS) and ``replaces`` (the credential a renewal replaces, or
# None). Receivers must only write rows: anything slow or remote belongs after commit.
credential_changing = Signal()

ISSUED = "credential.issued"
RENEWED = "credential.renewed"
EXPIRED = "credential.expired"
REVOKED = "credential.revoked"
CHANGE_EVENTS = (ISSUED, RENEWED, EXPIRED, REVOKED)

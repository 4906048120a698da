"""This app's own Django signals: how the core announces credential changes without knowing
who listens.

* One signal per state change, sent after the transaction that made the change commits
  (never for a change that was rolled back), with ``credential`` (a ``CredentialData``)
  as its only argument. Open Badges signs and republishes on these; other services
  listen to the Open edX events ``BADGE_AWARDED`` / ``BADGE_REVOKED`` sent from ``events``.
* ``credential_changing``, sent inside the changing transaction, for listeners whose rows
  must commit with the change (the HRIS outbox).
* ``attempt_submitted`` and ``counted_result_changing``, sent inside the transaction that
  hands in an attempt or changes which result counts, for the learner's course score.
* ``definition_published``, sent inside the transaction that publishes a new version, for
  settings kept by the packages above the core (a pathway's requirements).
* ``attempt_assessed``, sent inside the transaction that settles an attempt's result or
  overrides it, for listeners that record learning (the HRIS outbox's xAPI statements).
"""
from django.dispatch import Signal

credential_issued = Signal()  # created, pending approval or active
credential_approved = Signal()  # pending approval -> active
credential_revoked = Signal()  # -> revoked, with a reason
credential_expired = Signal()  # active -> expired, past its validity
credential_superseded = Signal()  # -> superseded by a renewal or a new version
credential_suspended = Signal()  # active -> suspended (a pathway's rule)
credential_reinstated = Signal()  # suspended -> active again (the same credential)

# Sent INSIDE the transaction that changes a credential (``.send()``, not after commit), so
# what a receiver writes (the HRIS outbox) commits or rolls back with the change itself; a
# receiver that raises undoes the change. Arguments: ``credential`` (the model instance),
# ``event`` (one of CHANGE_EVENTS) and ``replaces`` (the credential a renewal replaces, or
# None). Receivers must only write rows: anything slow or remote belongs after commit.
credential_changing = Signal()

# Sent INSIDE the transaction that stores a new attempt: ``attempt`` (the model instance) and
# ``anonymous_user_id`` (the learner as the course knows them; "" where the runtime gave none).
attempt_submitted = Signal()

# Sent INSIDE the transaction after which a different result may count for one learner at one
# unit (a final result, an override, a reset): ``user_id`` and ``usage_key``. Receivers read
# the counted result themselves (``attempts.counted_score``) and must only write rows.
counted_result_changing = Signal()

# Sent INSIDE the transaction in which an attempt's result becomes final (its assessments
# settle it) or staff override it: ``attempt`` (the model instance, with its new status and
# score) and ``overridden`` (True for a staff override). Receivers must only write rows.
attempt_assessed = Signal()

ISSUED = "credential.issued"
RENEWED = "credential.renewed"
EXPIRED = "credential.expired"
REVOKED = "credential.revoked"
SUSPENDED = "credential.suspended"
REINSTATED = "credential.reinstated"
CHANGE_EVENTS = (ISSUED, RENEWED, EXPIRED, REVOKED, SUSPENDED, REINSTATED)

# Sent INSIDE the transaction that publishes a new version of a definition, after its
# one-per-definition settings were carried over: ``previous`` and ``definition`` (the model
# instances). Receivers carry over what hangs below those settings (a pathway's
# requirements); they must only write rows.
definition_published = Signal()

# Sent INSIDE a transaction just before (``attempt_records_changing``) and just after
# (``attempt_records_changed``) it changes what is recorded about attempts: the attempt, its
# assessments and scores, its credentials. ``attempt_ids``: the attempts concerned (only
# ``changed`` for a new attempt). Receivers that keep figures derived from those records
# (the report summaries) read the records before the change and answer with what they
# counted for; ``changed`` hands those answers back (``before``: {receiver: answer}, empty
# for a new attempt), and they add the difference. They must only write rows. Send through
# ``record_changes.changing``, which pairs the two.
attempt_records_changing = Signal()
attempt_records_changed = Signal()

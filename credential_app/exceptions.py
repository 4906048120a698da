"""Errors the public API raises, each with a message a person can act on.

Every error carries a translated ``message`` safe to show to the user, a ``field``
naming the input at fault, when there is one, and the HTTP ``status`` any handler or
endpoint answers with (bad input 400, not allowed now 409, missing 404, not yours 403).
Raising one of these means nothing was changed.
"""


class CredentialAppError(Exception):
    """Base of every error the public API raises on bad input or a refused action."""

    status = 400

    def __init__(self, message, field=None):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field


class InvalidRubric(CredentialAppError):
    """The rubric is malformed (no criteria, duplicate names, negative points...)."""


class InvalidEvidence(CredentialAppError):
    """The evidence handed in is empty, too long or otherwise unusable."""


class InvalidAssessment(CredentialAppError):
    """The scores do not fit the attempt's rubric."""


class AttemptNotAllowed(CredentialAppError):
    """The learner may not start an attempt now."""

    status = 409


class AssessmentNotAllowed(CredentialAppError):
    """This assessor may not score this attempt (own attempt, already scored...)."""

    status = 409


class UnknownCredential(CredentialAppError):
    """No credential definition has the given slug."""

    status = 409


class AttemptNotFound(CredentialAppError):
    """No attempt has the given id in this assessment unit."""

    status = 404


# --- Policies ---


class InvalidPolicy(CredentialAppError):
    """A policy value or a policy action (extra attempts...) is not acceptable."""


# --- lifecycle ---

class CredentialNotFound(CredentialAppError):
    """No credential has the given uuid."""

    status = 404


class CredentialChangeNotAllowed(CredentialAppError):
    """The credential's state does not allow this change (approve an active one...)."""

    status = 409


class InvalidDefinition(CredentialAppError):
    """A credential definition's values do not fit together (versions, validity...)."""


class EvidenceFileNotFound(CredentialAppError):
    """No evidence file has the given id (for this learner and unit)."""

    status = 404


class EvidenceAccessDenied(CredentialAppError):
    """The viewer may not see this evidence file (not theirs, not course staff)."""

    status = 403


# ---- badge pages ----

class InvalidSharingChoice(CredentialAppError):
    """A badge sharing choice that is not one of those offered."""


# ---- HRIS people ----

class UnknownEmployer(CredentialAppError):
    """The learner is not linked to this employer (HRIS destination), or it is not enabled."""

    status = 404


# ---- managers' employee search ----

class NotAManager(CredentialAppError):
    """The person asking is no employer's authorised manager."""

    status = 403


class InvalidConfidenceAnswer(CredentialAppError):
    """A confidence answer that is not 1 to 5, or not before/after."""

"""Errors the public API raises, each with a message a person can act on.

Every error carries a translated ``message`` safe to show to the user and a
``field`` naming the input at fault, when there is one. Raising one of these
means nothing was changed.
"""


class CredentialAppError(Exception):
    """Base of every error the public API raises on bad input or a refused action."""

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


class AssessmentNotAllowed(CredentialAppError):
    """This assessor may not score this attempt (own attempt, already scored...)."""


class UnknownCredential(CredentialAppError):
    """No credential definition has the given slug."""


class AttemptNotFound(CredentialAppError):
    """No attempt has the given id in this assessment unit."""


# --- Policies ---


class InvalidPolicy(CredentialAppError):
    """A policy value or a policy action (extra attempts...) is not acceptable."""


# --- lifecycle ---

class CredentialNotFound(CredentialAppError):
    """No credential has the given uuid."""


class CredentialChangeNotAllowed(CredentialAppError):
    """The credential's state does not allow this change (approve an active one...)."""


class InvalidDefinition(CredentialAppError):
    """A credential definition's values do not fit together (versions, validity...)."""


class EvidenceFileNotFound(CredentialAppError):
    """No evidence file has the given id (for this learner and unit)."""


class EvidenceAccessDenied(CredentialAppError):
    """The viewer may not see this evidence file (not theirs, not course staff)."""

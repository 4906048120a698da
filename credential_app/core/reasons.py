"""The reasons people give for a decision (override, revocation, approval, extra attempts).

Every reason is checked the same way, so the audit trail holds trimmed text of a bounded
length and a missing required reason is refused naming the ``reason`` field.
"""
from django.utils.translation import gettext as _

MAX_REASON_LENGTH = 2000


def clean_reason(reason, *, error, missing=None) -> str:
    """``reason`` trimmed; raises ``error`` (a CredentialAppError class) on the field
    "reason" when it is too long, or when it is empty and ``missing`` (the message to show)
    says a reason is required."""
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason and missing:
        raise error(missing, field="reason")
    if len(reason) > MAX_REASON_LENGTH:
        raise error(_("The reason is longer than {limit} characters.").format(
            limit=MAX_REASON_LENGTH), field="reason")
    return reason

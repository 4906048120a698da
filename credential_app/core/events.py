"""Open edX events for credentials: ``BADGE_AWARDED`` and ``BADGE_REVOKED``.

A credential becoming active (issued without approval, or approved) is a badge
awarded; an active credential ending by revocation or expiry is a badge revoked,
so that listeners stop showing it. A superseded credential sends no event: its
successor's award says the holder still holds the credential.
Events and this app's own signals go out only after the decision commits.
"""
import logging
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from openedx_events.learning.data import (
    BadgeData,
    BadgeTemplateData,
    UserData,
    UserPersonalData,
)
from openedx_events.learning.signals import BADGE_AWARDED, BADGE_REVOKED

from credential_app.core import signals
from credential_app.data import CredentialData

log = logging.getLogger(__name__)
BADGE_ORIGIN = "openedx-assessed-credentials"
TEMPLATE_NAMESPACE = uuid.UUID("6d0c5a6e-3f0b-4b43-9a51-3c2f4e1d7a10")  # for definition uuids


def announce(signal, credential: CredentialData, *, badge_event=None):
    """After commit, send this app's ``signal`` and, if given, the Open edX badge event."""

    def send():
        # The decision is committed: a failing listener is logged, never undoes it nor
        # turns the person's request into an error.
        for receiver, error in signal.send_robust(sender=CredentialData, credential=credential):
            if isinstance(error, Exception):
                log.error("Receiver %r of %s failed for credential %s: %r", receiver,
                          signal_name(signal), credential.uuid, error)
        if badge_event is not None:
            try:
                badge = badge_data(credential)
                if badge is not None:
                    badge_event.send_event(badge=badge)
            except Exception:  # noqa: BLE001 - announced after commit: log, never undo
                log.exception("Sending %s failed for credential %s", badge_event.event_type,
                              credential.uuid)

    transaction.on_commit(send)


def signal_name(signal) -> str:
    return next((name for name, value in vars(signals).items() if value is signal), "signal")


def awarded(credential: CredentialData, signal=signals.credential_issued):
    announce(signal, credential, badge_event=BADGE_AWARDED)


def revoked(credential: CredentialData, signal=signals.credential_revoked):
    announce(signal, credential, badge_event=BADGE_REVOKED)


def badge_data(credential: CredentialData) -> BadgeData | None:
    """The credential in the shape Open edX's badge events carry (None: holder deleted)."""
    user = get_user_model().objects.filter(pk=credential.user_id).first()
    if user is None:
        log.warning("No badge event for credential %s: its holder no longer exists.",
                    credential.uuid)
        return None
    definition = credential.definition
    return BadgeData(
        uuid=credential.uuid,
        user=UserData(
            id=user.pk,
            is_active=user.is_active,
            pii=UserPersonalData(username=user.username, email=user.email,
                                 name=user.get_full_name()),
        ),
        template=BadgeTemplateData(
            uuid=str(uuid.uuid5(TEMPLATE_NAMESPACE, definition.slug)),
            origin=BADGE_ORIGIN,
            name=definition.name,
            description=definition.description,
            image_url=absolute_url(definition.image_url) or None,
        ),
    )


def absolute_url(url: str) -> str:
    """Listeners in other services need a full address; storage may give a path only.
    Open edX sets ``LMS_ROOT_URL``; without it the path is passed on as it is."""
    root = getattr(settings, "LMS_ROOT_URL", "")
    if url.startswith("/") and root:
        return root.rstrip("/") + url
    return url

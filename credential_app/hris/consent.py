"""Learners' consent to share their credentials with an employer's HR system.

A learner sees, on their credentials page, each enabled destination that links them to
an employee id, and gives or withdraws consent for each. Nothing is sent to a destination
without both a link and consent given (``employees.recipients_for``). Giving consent sends
the credentials the learner holds now (those the destination was not already told of), as
well as every later change: sharing means sharing what they hold. Withdrawing stops
every later record, and cancels the records for that learner and destination still
waiting to be delivered (they stay in the outbox as cancelled, so the history is
complete); records already delivered cannot be recalled. Every change is audited.
"""
from __future__ import annotations

from django.db import transaction
from django.utils.timezone import now
from django.utils.translation import gettext as _

from credential_app.core import audit
from credential_app.core.models import Credential
from credential_app.data import CredentialStatus, EmployerSharing
from credential_app.exceptions import UnknownEmployer
from credential_app.hris import employees, outbox, payloads
from credential_app.hris.models import EmployeeLink, HrisConsent, OutboxMessage, OutboxState


def employers_of(user_id) -> list[EmployerSharing]:
    """Destinations linking this learner to an employee id, with their current choice."""
    links = (EmployeeLink.objects.filter(user_id=user_id, destination__enabled=True)
             .select_related("destination").order_by("destination__name", "destination_id"))
    given = set(HrisConsent.objects.filter(user_id=user_id, given=True)
                .values_list("destination_id", flat=True))
    return [EmployerSharing(link.destination_id, link.destination.name,
                           link.destination_id in given) for link in links]


def set_consent(*, user_id, destination_id, given: bool) -> EmployerSharing:
    """Record the learner's own choice for one destination they are linked to."""
    with transaction.atomic():
        link = (EmployeeLink.objects.select_related("destination")
                .filter(user_id=user_id, destination_id=destination_id,
                        destination__enabled=True).first())
        if link is None:
            raise UnknownEmployer(_("You are not linked to this employer."))
        consent, _created = HrisConsent.objects.select_for_update().get_or_create(
            user_id=user_id, destination_id=destination_id,
            defaults={"given": given, "changed_at": now()})
        sent = 0
        if _created or consent.given != given:
            consent.given, consent.changed_at = given, now()
            consent.save(update_fields=["given", "changed_at"])
            if given:
                sent = send_held_credentials(user_id, destination_id)
                details = {"sent": sent}
            else:
                details = {"cancelled": employees.cancel_undelivered(
                    user_id, destination_id=destination_id,
                    reason="Cancelled: the learner withdrew consent.")}
            audit.record(audit.AuditAction.HRIS_CONSENT_GIVEN if given
                         else audit.AuditAction.HRIS_CONSENT_WITHDRAWN,
                         actor_id=user_id, learner_id=user_id, subject=link.destination,
                         details={"destination": destination_id, **details})
    return EmployerSharing(destination_id, link.destination.name, given, sent)


def send_held_credentials(user_id, destination_id) -> int:
    """Outbox rows, for this one destination, for the learner's active credentials it was
    not already told of (records cancelled by an earlier withdrawal were never sent, so they
    go again). Runs in the consent's transaction: both commit or neither. Returns how many."""
    told = (OutboxMessage.objects.filter(destination_id=destination_id,
                                         credential__user_id=user_id)  # not attempt events
            .exclude(state=OutboxState.CANCELLED).values("credential_id"))
    held = (Credential.objects.filter(user_id=user_id, status=CredentialStatus.ACTIVE)
            .exclude(pk__in=told).select_related("definition", "attempt").order_by("pk"))
    return sum(len(outbox.record_event(credential, payloads.ISSUED,
                                       only_destination_id=destination_id))
               for credential in held)


def has_consent(*, user_id, destination_id) -> bool:
    return HrisConsent.objects.filter(user_id=user_id, destination_id=destination_id,
                                      given=True).exists()


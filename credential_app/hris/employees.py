"""Which HRIS destinations hear of a learner's credential, and under which employee id.

A destination hears of a credential only when all three hold: its filters take the
credential (credential families, course organisations), the learner is linked to an
employee id there (``EmployeeLink``, imported from the employer's CSV), and the learner's
consent for that destination is currently given (``HrisConsent``, on their credentials
page). Otherwise nothing is written to the outbox, so nothing can be sent.
"""
from credential_app.core.models import Attempt, Credential
from credential_app.core.read_once import remembered
from credential_app.hris.models import (
    EmployeeLink,
    HrisConsent,
    HrisDestination,
    OutboxMessage,
    OutboxState,
)
from credential_app.hris.payloads import LEARNER_MBOX


def recipients_for(credential: Credential) -> list[tuple[HrisDestination, str]]:
    """(destination, employee id) pairs that should hear of ``credential``."""
    family_id = credential.family_id or credential.definition.family_root().pk
    return _recipients(credential.user_id, family_id, credential.attempt.course_key.org)


def recipients_for_attempt(attempt: Attempt, connector_names
                           ) -> list[tuple[HrisDestination, str]]:
    """(destination, employee id) pairs, among destinations of these connectors, whose
    filters and the learner's consent admit an event of this attempt (the credential it
    leads to, its course's organisation)."""
    return _recipients(attempt.user_id, attempt.definition.family_root().pk,
                       attempt.course_key.org, connector_names)


def _recipients(user_id, family_id, org, connector_names=None
                ) -> list[tuple[HrisDestination, str]]:
    matching = {d.pk: d for d in matching_destinations(family_id, org, connector_names)}
    if not matching:
        return []
    consenting = set(HrisConsent.objects.filter(
        user_id=user_id, given=True, destination_id__in=list(matching))
        .values_list("destination_id", flat=True))
    links = EmployeeLink.objects.filter(user_id=user_id, destination_id__in=list(consenting))
    return sorted(((matching[link.destination_id], link.employee_id) for link in links),
                  key=lambda pair: pair[0].pk)


def matching_destinations(family_id, org, connector_names=None) -> list[HrisDestination]:
    """Destinations (of these connectors, or any) whose filters take this credential family
    and course organisation, enabled or not: a disabled destination keeps its records until
    it is enabled again (delete it to stop them)."""
    chosen = []
    destinations = remembered("hris destinations", None, lambda: list(
        HrisDestination.objects.prefetch_related("definitions").order_by("pk")))
    if connector_names is not None:
        wanted = set(connector_names)
        destinations = [d for d in destinations if d.connector in wanted]
    for destination in destinations:
        families = {d.family_root().pk for d in destination.definitions.all()}
        if families and family_id not in families:
            continue
        orgs = organisation_codes(destination.organisations)
        if orgs and org not in orgs:
            continue
        chosen.append(destination)
    return chosen


def organisation_codes(text: str) -> set[str]:
    return {part.strip() for part in text.replace("\n", ",").split(",") if part.strip()}


def forget_person(user_id) -> int:
    """Retirement: erase the person's employee links and consents, cancel what is still
    waiting to be sent about them, and blank their employee id in the outbox's history.
    Returns how many outbox records were cancelled."""
    EmployeeLink.objects.filter(user_id=user_id).delete()
    HrisConsent.objects.filter(user_id=user_id).delete()
    cancelled = cancel_undelivered(user_id,
                                   reason="Cancelled: the learner's account was retired.")
    # the history of what was sent stays (states, tries, attempts), without the employee id
    # or the email address an LRS named the learner by
    for row in OutboxMessage.objects.filter(attempt__user_id=user_id):
        row.employee_id = ""
        row.payload = {**{k: v for k, v in row.payload.items() if k != LEARNER_MBOX},
                       **({"employee_id": ""} if "employee_id" in row.payload else {})}
        row.save(update_fields=["employee_id", "payload"])
    return cancelled


def cancel_undelivered(user_id, *, destination_id=None, reason) -> int:
    """Outbox records about this learner (for one destination, or all) that were not
    delivered are never sent: waiting ones and set-aside ones alike, so a re-drive cannot
    send them either. A call already in flight finishes as it will."""
    rows = OutboxMessage.objects.filter(attempt__user_id=user_id,
                                        state__in=[OutboxState.PENDING, OutboxState.DEAD])
    if destination_id is not None:
        rows = rows.filter(destination_id=destination_id)
    return rows.update(state=OutboxState.CANCELLED, lease_token="", lease_until=None,
                       last_error=reason)

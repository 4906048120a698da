"""Which HRIS destinations hear of a learner's credential, and under which employee id.

A destination hears of a credential only when all three hold: its filters take the
credential (credential families, course organisations), the learner is linked to an
employee id there (``EmployeeLink``, imported from the employer's CSV), and the learner's
consent for that destination is currently given (``HrisConsent``, on their credentials
page). Otherwise nothing is written to the outbox, so nothing can be sent.
"""
from credential_app.core.models import Credential
from credential_app.hris.models import (
    EmployeeLink,
    HrisConsent,
    HrisDestination,
    OutboxMessage,
    OutboxState,
)


def recipients_for(credential: Credential) -> list[tuple[HrisDestination, str]]:
    """(destination, employee id) pairs that should hear of ``credential``."""
    matching = {d.pk: d for d in matching_destinations(credential)}
    if not matching:
        return []
    consenting = set(HrisConsent.objects.filter(
        user_id=credential.user_id, given=True, destination_id__in=list(matching))
        .values_list("destination_id", flat=True))
    links = EmployeeLink.objects.filter(user_id=credential.user_id,
                                        destination_id__in=list(consenting))
    return sorted(((matching[link.destination_id], link.employee_id) for link in links),
                  key=lambda pair: pair[0].pk)


def matching_destinations(credential: Credential) -> list[HrisDestination]:
    """Destinations whose filters take this credential (its family, its course's
    organisation), enabled or not: a disabled destination keeps its records until it is
    enabled again (delete it to stop them)."""
    family_id = credential.family_id or credential.definition.family_root().pk
    org = credential.attempt.course_key.org
    chosen = []
    for destination in HrisDestination.objects.prefetch_related(
            "definitions"):
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
    for row in OutboxMessage.objects.filter(credential__user_id=user_id):
        row.employee_id = ""
        if "employee_id" in row.payload:
            row.payload = {**row.payload, "employee_id": ""}
        row.save(update_fields=["employee_id", "payload"])
    return cancelled


def cancel_undelivered(user_id, *, destination_id=None, reason) -> int:
    """Outbox records about this learner (for one destination, or all) that were not
    delivered are never sent: waiting ones and set-aside ones alike, so a re-drive cannot
    send them either. A call already in flight finishes as it will."""
    rows = OutboxMessage.objects.filter(credential__user_id=user_id,
                                        state__in=[OutboxState.PENDING, OutboxState.DEAD])
    if destination_id is not None:
        rows = rows.filter(destination_id=destination_id)
    return rows.update(state=OutboxState.CANCELLED, lease_token="", lease_until=None,
                       last_error=reason)

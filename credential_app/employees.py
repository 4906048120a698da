"""Which HRIS destinations hear of a learner's credential, and under which employee id.

Minimal version (issue 6 core): every enabled destination whose credential and
organisation filters match the credential, with the learner's user id as employee id.
The people-and-consent work replaces the body of ``recipients_for`` with the
learner↔employee links and the learner's consent.
"""
from .models import Credential, HrisDestination


def recipients_for(credential: Credential) -> list[tuple[HrisDestination, str]]:
    """(destination, employee id) pairs that should hear of ``credential``."""
    return [(destination, str(credential.user_id))
            for destination in matching_destinations(credential)]


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

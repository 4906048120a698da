"""Managers search their employer's employees by credential, pathway or job task.

Only people an employer authorised (``EmployerManager``) may search, only that employer's
employees (``EmployeeLink``) and only those who share their credentials with it
(``HrisConsent`` given): anyone else is never counted nor named. Every search is audited
(who searched, for what, how many were found) in the search's own transaction. The cost is
bounded: at most ``MAX_RESULTS`` employees a search, a fixed number of queries.
"""
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from credential_app.catalogue.models import TaskMapping
from credential_app.core import audit, versions
from credential_app.core.models import Credential, CredentialDefinition
from credential_app.data import CredentialStatus
from credential_app.exceptions import NotAManager
from credential_app.hris.models import EmployeeLink, EmployerManager, HrisConsent
from credential_app.lib.people import display_name

MAX_RESULTS = 100


@dataclass(frozen=True)
class HeldCredential:
    slug: str
    name: str
    uuid: str
    expires_at: object = None


@dataclass(frozen=True)
class EmployeeMatch:
    employer: str
    employee_id: str
    name: str
    credentials: tuple[HeldCredential, ...]


def employers_of(manager_id) -> list[int]:
    return list(EmployerManager.objects.filter(user_id=manager_id)
                .values_list("destination_id", flat=True))


def search(*, manager_id, credential_slug="", task_id=None) -> list[EmployeeMatch]:
    """Consenting employees of the manager's employers who hold an active credential of
    ``credential_slug`` (a credential or a pathway) or of any credential mapped to the job
    task ``task_id``; both given: both must hold. Audited, found or not."""
    employers = employers_of(manager_id)
    if not employers:
        raise NotAManager(_("Only managers an employer has authorised may search its "
                            "employees."))
    wanted_sets = _families_wanted(credential_slug, task_id)
    with transaction.atomic():
        matches = _matches(employers, wanted_sets)
        audit.record(audit.AuditAction.EMPLOYEE_SEARCH, actor_id=manager_id,
                     definition_slug=credential_slug or "",
                     details={"credential": credential_slug or None, "task": task_id,
                              "employers": employers, "found": len(matches)})
    return matches


def _families_wanted(credential_slug, task_id) -> list[set[int]]:
    """One set of credential families per filter; an employee must hold one of each set."""
    wanted = []
    if credential_slug:
        definition = CredentialDefinition.objects.filter(slug=credential_slug).first()
        wanted.append({definition.family_root().pk} if definition else set())
    if task_id:
        mapped = CredentialDefinition.objects.filter(
            pk__in=TaskMapping.objects.filter(task_id=task_id).values("definition_id"))
        wanted.append({d.family_root().pk for d in mapped})
    return wanted


def _matches(employers, wanted_sets) -> list[EmployeeMatch]:
    if not wanted_sets or any(not families for families in wanted_sets):
        return []
    everything = set().union(*wanted_sets)
    consenting = HrisConsent.objects.filter(destination_id__in=employers, given=True)
    links = list(EmployeeLink.objects.filter(destination_id__in=employers).filter(
        user_id__in=consenting.values("user_id")).select_related("user", "destination")
        .order_by("destination__name", "employee_id"))
    consent = set(consenting.values_list("destination_id", "user_id"))
    links = [link for link in links if (link.destination_id, link.user_id) in consent]
    held = {}
    for credential in Credential.objects.filter(
            user_id__in={link.user_id for link in links}, status=CredentialStatus.ACTIVE,
            family_id__in=everything).select_related("definition"):
        held.setdefault(credential.user_id, []).append(credential)
    matches = []
    for link in links:
        theirs = held.get(link.user_id, [])
        families = {c.family_id for c in theirs}
        if all(families & wanted for wanted in wanted_sets):
            matches.append(EmployeeMatch(
                employer=link.destination.name, employee_id=link.employee_id,
                name=display_name(link.user),
                credentials=tuple(HeldCredential(slug=c.definition.slug, name=c.definition.name,
                                                 uuid=str(c.uuid), expires_at=c.expires_at)
                                  for c in sorted(theirs, key=lambda c: c.definition.name))))
            if len(matches) >= MAX_RESULTS:
                break
    return matches


def search_options() -> dict:
    """What a manager may search by: credentials and pathways in force, and job tasks."""
    from_tasks = TaskMapping.objects.select_related("task__role").order_by(
        "task__role__name", "task__position")
    return {
        "credentials": list(versions.in_force().order_by("name").values_list("slug", "name")),
        "tasks": list(dict.fromkeys((m.task_id, f"{m.task.role.name}: {m.task.statement}")
                                    for m in from_tasks)),
    }

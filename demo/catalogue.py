"""The demo's pathway and job-task mapping: "Site Safety Lead" stacks the two demo credentials
(Workplace Safety Practitioner and First Aid at Work), and each maps to tasks of a site
supervisor, so the catalogue, the badge pages and the HRIS records have them from the start.
Lee Learner holds First Aid at Work already: passing the safety walkthrough completes the
pathway, and its credential is issued at once. Its rule is "suspend": revoking a requirement
suspends it, and passing again reinstates the same credential."""
from credential_app.models import (
    CredentialDefinition,
    Issuer,
    JobRole,
    JobTask,
    Pathway,
    PathwayRequirement,
    TaskMapping,
)
from credential_app.pathways import issuance

PATHWAY_SLUG = "demo-site-safety-lead"


def load(*, safety_slug: str, aid_slug: str) -> Pathway:
    definition, _created = CredentialDefinition.objects.update_or_create(
        slug=PATHWAY_SLUG,
        defaults={"name": "Site Safety Lead",
                  "description": "Can keep a site safe day to day and respond when someone "
                                 "is hurt: the two safety units together.",
                  "criteria_narrative": "Holds both Workplace Safety Practitioner and First "
                                        "Aid at Work, each earned through an assessed "
                                        "practical task.",
                  "validity_days": 365,
                  "issuer": Issuer.objects.get(name="Demo Safety Academy")})
    pathway, _created = Pathway.objects.get_or_create(
        definition=definition, defaults={"when_requirement_lost": "suspend"})
    for position, slug in enumerate((safety_slug, aid_slug)):
        PathwayRequirement.objects.get_or_create(
            pathway=pathway, definition=CredentialDefinition.objects.get(slug=slug),
            defaults={"position": position})
    role, _created = JobRole.objects.get_or_create(
        name="Site supervisor",
        defaults={"description": "Runs a workplace shift and keeps the people on it safe.",
                  "framework": "O*NET-SOC", "code": "47-1011.00",
                  "framework_url": "https://www.onetonline.org/link/summary/47-1011.00"})
    tasks = {
        safety_slug: ("Inspects the workplace for hazards and puts controls in place", 2),
        aid_slug: ("Gives first aid until the emergency services take over", 2),
        PATHWAY_SLUG: ("Leads the shift's safety briefing and its response to an accident", 3),
    }
    for position, (slug, (statement, level)) in enumerate(tasks.items()):
        task, _created = JobTask.objects.get_or_create(role=role, statement=statement,
                                                       defaults={"position": position})
        TaskMapping.objects.get_or_create(
            definition=CredentialDefinition.objects.get(slug=slug), task=task,
            defaults={"level": level})
    # the history's learners who hold both already (as the admin action "Issue to learners
    # who already hold what it requires" would); nothing more on later runs
    issuance.complete_for_current_holders(pathway)
    return pathway

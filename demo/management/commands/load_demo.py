"""Create the demo's users and credential definition (safe to run again)."""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from credential_app.models import CredentialDefinition, Issuer
from credential_xblock.demo_scenarios import DEMO_CREDENTIAL_SLUG
from demo.users import DEMO_USERS


class Command(BaseCommand):
    help = "Create the demo users and the credential the demo course leads to."

    def handle(self, *args, **options):
        User = get_user_model()
        for demo_user in DEMO_USERS:
            user, _created = User.objects.update_or_create(
                username=demo_user.username,
                defaults={
                    "first_name": demo_user.first_name,
                    "last_name": demo_user.last_name,
                    "email": f"{demo_user.username}@example.com",
                    "is_staff": demo_user.is_staff,
                    "is_superuser": demo_user.is_staff,
                },
            )
            if not user.has_usable_password():
                continue
            user.set_unusable_password()
            user.save(update_fields=["password"])
        definition, _created = CredentialDefinition.objects.update_or_create(
            slug=DEMO_CREDENTIAL_SLUG,
            defaults={
                "name": "Workplace Safety Practitioner",
                "description": "Can find workplace hazards, choose controls and brief a team.",
                "pass_percentage": 70,
            },
        )
        _describe_credential(definition)
        units = _register_demo_units()
        _award_sample_badge()  # badge pages: a credential the demo learner already holds
        self.stdout.write(self.style.SUCCESS(
            "Demo ready: users " + ", ".join(u.username for u in DEMO_USERS)
            + f"; credential '{DEMO_CREDENTIAL_SLUG}' (pass at 70%); {units} units registered."))


def _register_demo_units() -> int:
    """Register the demo course's units with the app, as saving them in Studio would, so
    policies that name rubric levels can be set up before anyone edits a unit."""
    from workbench.runtime import WorkbenchRuntime
    from workbench.scenarios import get_scenarios

    from credential_xblock.block import CredentialAssessmentBlock

    runtime = WorkbenchRuntime("staff")
    count = 0
    for scenario in get_scenarios().values():
        block = runtime.get_block(scenario.usage_id)
        if isinstance(block, CredentialAssessmentBlock):
            block.register_with_app()
            count += 1
    return count


# --- lifecycle: who vouches for the demo credential, what it certifies, how long ---

def _describe_credential(definition):
    issuer, _created = Issuer.objects.get_or_create(
        name="Demo Safety Academy",
        defaults={"url": "https://academy.example.org", "email": "badges@academy.example.org"})
    definition.issuer = issuer
    definition.criteria_narrative = (
        "Assessed on a real workplace: identified the serious hazards, matched each with a "
        "control, and explained how the team is briefed.")
    definition.validity_days = definition.validity_days or 365
    definition.save(update_fields=["issuer", "criteria_narrative", "validity_days"])
    definition.alignments.get_or_create(
        code="S6.4", defaults={"framework": "ESCO", "name": "Apply health and safety standards",
                               "url": "https://esco.ec.europa.eu/en/classification/skill"})


# --- badge pages: the demo learner already holds one credential, with its public page ---

SAMPLE_BADGE_SLUG = "demo-first-aid"
SAMPLE_BADGE_UNIT = "block-v1:DemoX+FirstAid+2026+type@credential_assessment+block@first_aid"


def _award_sample_badge():
    """Lee Learner passed "First Aid at Work" (scored by Sam Assessor), so /credentials/
    lists it with its public page, downloads and sharing choices from the start."""
    from opaque_keys.edx.keys import UsageKey

    from credential_app import api
    from credential_app.data import CriterionScore, EvidenceSettings, Rubric

    User = get_user_model()
    learner, assessor = User.objects.get(username="learner"), User.objects.get(username="staff")
    definition, _created = CredentialDefinition.objects.update_or_create(
        slug=SAMPLE_BADGE_SLUG,
        defaults={"name": "First Aid at Work",
                  "description": "Can assess a casualty, give first aid and hand over to "
                                 "the emergency services.",
                  "criteria_narrative": "Handled a staged workplace accident: made the scene "
                                        "safe, assessed the casualty, gave the right first "
                                        "aid and briefed the paramedics.",
                  "pass_percentage": 70, "validity_days": 730,
                  "issuer": Issuer.objects.get(name="Demo Safety Academy")})
    if api.get_learner_credential(learner.pk, SAMPLE_BADGE_SLUG) is not None:
        return
    unit = UsageKey.from_string(SAMPLE_BADGE_UNIT)
    rubric = Rubric.from_dict({"criteria": [
        {"name": "scene", "label": "Scene safety", "levels": [
            {"name": "unsafe", "label": "Left hazards in place", "points": 0},
            {"name": "safe", "label": "Made the scene safe first", "points": 4}]},
        {"name": "care", "label": "First aid given", "levels": [
            {"name": "partial", "label": "Partly right", "points": 2},
            {"name": "right", "label": "Right care, in the right order", "points": 4}]},
    ]})
    api.register_assessment_unit(usage_key=unit, credential_slug=definition.slug,
                                 display_name="Staged workplace accident", rubric=rubric,
                                 evidence=EvidenceSettings())
    attempt = api.submit_attempt(
        user_id=learner.pk, usage_key=unit, credential_slug=definition.slug, rubric=rubric,
        evidence_text="I switched off the machine, checked for response and breathing, "
                      "put the casualty in the recovery position and called 112.",
        max_evidence_length=2000)
    api.record_assessment(attempt_id=attempt.id, usage_key=unit, assessor_id=assessor.pk,
                          scores=[CriterionScore("scene", "safe", "Calm and quick."),
                                  CriterionScore("care", "right", "")])

"""Create the demo's users and credential definition (safe to run again)."""
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings
from opaque_keys.edx.keys import UsageKey
from workbench.runtime import WorkbenchRuntime
from workbench.scenarios import get_scenarios

from credential_app import api
from credential_app.data import CriterionScore, EvidenceSettings, Rubric
from credential_app.hris import destination_secrets
from credential_app.hris.connectors.standard_webhooks import new_symmetric_secret
from credential_app.models import (
    CredentialDefinition,
    EmployeeLink,
    HrisConsent,
    HrisDestination,
    IssuancePolicy,
    Issuer,
    RetakePolicy,
)
from credential_xblock.block import CredentialAssessmentBlock
from credential_xblock.demo_scenarios import DEMO_CREDENTIAL_SLUG
from demo import catalogue, history, ralph_lrs, workplace_history
from demo.hris_simulator import certificate_authority
from demo.users import DEMO_USERS


class Command(BaseCommand):
    help = "Create the demo users and the credential the demo course leads to."

    def add_arguments(self, parser):
        parser.add_argument("--hris-url", default="https://127.0.0.1:8025/",
                            help="Where the bundled HRIS simulator listens (make demo starts it).")
        parser.add_argument("--hris-tls-dir", default="",
                            help="Folder of the simulator's demo CA and certificate (made once; "
                                 "default var/hris-simulator-tls).")
        parser.add_argument("--hris-store", default="",
                            help="The simulator's SQLite store, where the demo employer's "
                                 "outcome events are put (default var/hris_simulator.sqlite3).")
        parser.add_argument("--lrs-url", default="",
                            help="The xAPI endpoint of the local Ralph LRS (make demo RALPH=1 "
                                 "starts it); empty: the demo LRS destination is disabled.")

    def handle(self, *args, **options):
        # No background thread from here: a sweeper or a signing thread would fight this
        # command for SQLite's write lock. Badges are signed when first needed (a page, a
        # download, an HRIS delivery): most of the history's are never opened. The demo
        # server sends what waits when it starts.
        with override_settings(CREDENTIAL_APP={**settings.CREDENTIAL_APP,
                                               "HRIS_DELIVERY": "none",
                                               "BADGE_SIGNING": "on_demand"}):
            self._load(options)

    def _load(self, options):
        User = get_user_model()
        for demo_user in DEMO_USERS:
            user, _created = User.objects.update_or_create(
                username=demo_user.username,
                defaults={
                    "first_name": demo_user.first_name,
                    "last_name": demo_user.last_name,
                    "email": f"{demo_user.username}@example.com",
                    "is_staff": demo_user.is_staff,
                    "is_superuser": demo_user.is_admin,
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
        employer = _hris_destination(options["hris_url"], options["hris_tls_dir"])
        _hris_people(employer)
        lrs = _lrs_destination(options["lrs_url"], employer=options["hris_url"])
        if lrs is not None:
            _hris_people(lrs)
        _award_sample_badge()  # badge pages: a credential the demo learner already holds
        staff, assessor2 = (User.objects.get(username=name) for name in ("staff", "assessor2"))
        history.load(staff=staff, assessor2=assessor2, safety_slug=DEMO_CREDENTIAL_SLUG,
                     aid_slug=SAMPLE_BADGE_SLUG)  # reports: a few months of it, made once
        # after the history, whose revocations and expiries the reports count as they are
        catalogue.load(safety_slug=DEMO_CREDENTIAL_SLUG, aid_slug=SAMPLE_BADGE_SLUG)
        _retake_rules(SAMPLE_BADGE_SLUG)
        history.claim_one_waiting(assessor2, DEMO_CREDENTIAL_SLUG)  # Sam sees a claim lock
        tls = Path(options["hris_tls_dir"] or Path(settings.VAR_DIR) / "hris-simulator-tls")
        workplace_history.load(  # workplace outcomes: a workforce and its HR data, made once
            destination=employer, staff=staff, safety_slug=DEMO_CREDENTIAL_SLUG,
            store_path=Path(options["hris_store"]
                            or Path(settings.VAR_DIR) / "hris_simulator.sqlite3"),
            tls_cert=str(tls / "server.pem"), tls_key=str(tls / "server.key"))
        # The histories moved their records back in time behind the app's back: count them
        # again for the reports and the queue (decision 0016).
        call_command("rebuild_report_summaries", verbosity=0)
        self.stdout.write(self.style.SUCCESS(
            "Demo ready: users " + ", ".join(u.username for u in DEMO_USERS)
            + f"; credential '{DEMO_CREDENTIAL_SLUG}' (pass at 70%); {units} units registered."))


def _register_demo_units() -> int:
    """Register the demo course's units with the app, as saving them in Studio would, so
    policies that name rubric levels can be set up before anyone edits a unit."""
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
SAMPLE_BADGE_RUBRIC = Rubric.from_dict({"criteria": [
    {"name": "scene", "label": "Scene safety", "minimum_level": "partly", "levels": [
        {"name": "unsafe", "label": "Left hazards in place", "points": 0},
        {"name": "partly", "label": "Some hazards dealt with", "points": 2},
        {"name": "safe", "label": "Made the scene safe first", "points": 4}]},
    {"name": "care", "label": "First aid given", "levels": [
        {"name": "wrong", "label": "Wrong or no care", "points": 0},
        {"name": "partial", "label": "Partly right", "points": 2},
        {"name": "right", "label": "Right care, in the right order", "points": 4}]},
]})


def _award_sample_badge():
    """Lee Learner passed "First Aid at Work" (scored by Sam Assessor), so My credentials
    lists it with its public page, downloads and sharing choices from the start."""
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
    # Two assessors score every attempt at this credential (the reliability report).
    IssuancePolicy.objects.get_or_create(definition=definition,
                                         defaults={"required_assessments": 2})
    unit = UsageKey.from_string(SAMPLE_BADGE_UNIT)
    api.register_assessment_unit(usage_key=unit, credential_slug=definition.slug,
                                 display_name="Staged workplace accident",
                                 rubric=SAMPLE_BADGE_RUBRIC, evidence=EvidenceSettings())
    if api.get_learner_credential(learner.pk, SAMPLE_BADGE_SLUG) is not None:
        return
    rubric = SAMPLE_BADGE_RUBRIC
    attempt = api.submit_attempt(
        user_id=learner.pk, usage_key=unit, credential_slug=definition.slug, rubric=rubric,
        evidence_text="I switched off the machine, checked for response and breathing, "
                      "put the casualty in the recovery position and called 112.",
        max_evidence_length=2000)
    second = User.objects.get(username="assessor2")
    for scorer in (assessor, second):
        api.record_assessment(attempt_id=attempt.id, usage_key=unit, assessor_id=scorer.pk,
                              scores=[CriterionScore("scene", "safe", "Calm and quick."),
                                      CriterionScore("care", "right", "")])


def _retake_rules(slug):
    """First Aid at Work: three attempts, two days' wait after a failure, a week after the
    next (set after the history, whose retakes came sooner)."""
    RetakePolicy.objects.get_or_create(
        definition=CredentialDefinition.objects.get(slug=slug),
        defaults={"max_attempts": 3, "delay_after_first_failure": timedelta(days=2),
                  "delay_after_later_failures": timedelta(days=7)})

# --- HRIS delivery (issue 6): the bundled simulator as the demo employer's HR system ---

DEMO_HRIS_DESTINATION = "Demo HR system (HRIS simulator)"


def _hris_destination(url, tls_dir):
    """A destination pointing at the simulator ``make demo`` starts, over HTTPS as in
    production: the simulator's certificate comes from a demo CA the destination trusts
    (both made once, in ``tls_dir``). Its signing secret is made once and kept
    (``manage.py hris_simulator --trust-destination`` reads it)."""
    folder = Path(tls_dir or Path(settings.VAR_DIR) / "hris-simulator-tls")
    ca_file = folder / "ca.pem"
    if not ca_file.exists():
        folder.mkdir(parents=True, exist_ok=True)
        ca_pem, _cert, _key = certificate_authority(folder)
        ca_file.write_text(ca_pem)
    destination = HrisDestination.objects.filter(name=DEMO_HRIS_DESTINATION).first()
    if destination is None:
        destination = HrisDestination(name=DEMO_HRIS_DESTINATION, connector="webhook")
        destination_secrets.store(destination, {"signing_secrets": new_symmetric_secret()})
    destination.options = {**(destination.options or {}), "ca_certificate": ca_file.read_text()}
    destination.url = url
    destination.enabled = True
    destination.retry_base_seconds, destination.retry_max_seconds = 2, 60
    destination.save()
    return destination


# --- xAPI (issue 21): the demo employer's learning records go to a local Ralph LRS ---

DEMO_LRS_DESTINATION = "Demo LRS (Ralph, xAPI)"


def _lrs_destination(url, *, employer):
    """With ``url``: an xAPI destination sending to the Ralph ``make demo RALPH=1`` starts,
    as its demo account (password made once in var/ralph), naming learners by their
    employee id at the demo HR system. Without: that destination, if an earlier run made
    it, is disabled so nothing waits for an LRS that is not running."""
    destination = HrisDestination.objects.filter(name=DEMO_LRS_DESTINATION).first()
    if not url:
        if destination is not None and destination.enabled:
            destination.enabled = False
            destination.disabled_reason = "make demo ran without RALPH=1."
            destination.save(update_fields=["enabled", "disabled_reason"])
        return None
    if destination is None:
        destination = HrisDestination(name=DEMO_LRS_DESTINATION, connector="xapi")
    password = ralph_lrs.demo_password(Path(settings.VAR_DIR) / "ralph")
    destination_secrets.store(destination, {"xapi_password": password})
    destination.options = {"xapi_actor": "account", "xapi_home_page": employer.rstrip("/"),
                           "xapi_auth": "basic", "xapi_username": ralph_lrs.DEMO_USER,
                           "xapi_version": "auto"}
    destination.url, destination.enabled, destination.disabled_reason = url, True, ""
    destination.retry_base_seconds, destination.retry_max_seconds = 2, 60
    destination.save()
    return destination


# --- HRIS people: the demo learners are the demo employer's employees ---

DEMO_EMPLOYEES = {"learner": ("DEMO-1001", True),    # Lee shares: records go at once
                  "learner2": ("DEMO-1002", False)}  # Kim decides on My credentials


def _hris_people(destination):
    """Link the demo learners to the demo employer; Lee already shares, Kim has not chosen.
    A learner's later choice is kept when the demo is loaded again."""
    for user in get_user_model().objects.filter(username__in=DEMO_EMPLOYEES):
        employee_id, shares = DEMO_EMPLOYEES[user.username]
        EmployeeLink.objects.update_or_create(destination=destination, user=user,
                                              defaults={"employee_id": employee_id})
        if shares:
            HrisConsent.objects.get_or_create(destination=destination, user=user,
                                              defaults={"given": True})

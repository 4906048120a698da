"""Workplace outcomes for the demo: a workforce at the demo employer and what its HR system
reports about them, so the lagging-indicator, ROI and governance pages have figures.

Made once by ``load_demo``: 60 employees of the demo HR system (two roles at two sites,
hired in the first months of the year before last), linked to it and sharing; 20 of them
earned *Workplace Safety Practitioner* two to seven months after they were hired; and
eight new starters hired this year. Their
HR system's outcome events (hire, quarterly ratings, promotions with a salary band step,
exits, time to productivity) are generated with a fixed seed, holders doing somewhat
better after the credential. The events are put in the HRIS simulator's store (it serves
them at ``/outcomes``) and pulled from it over HTTPS through the app's own ``json_feed``
connector, by a simulator started for the purpose on a free port. Two more employees did
not consent: the HR system sends their events too, and the app drops them.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from credential_app.hris.connectors import standard_webhooks
from credential_app.models import (
    Credential,
    CredentialDefinition,
    EmployeeLink,
    HrisConsent,
    IndicatorReview,
    OutcomeEvent,
    OutcomeFeed,
    RoiAssumptions,
)
from credential_app.workplace import confidence, feeds, indicators, pull
from demo import history
from demo.hris_simulator import HrisSimulator, Store

FIRST_NAMES = ("Amara", "Ben", "Carla", "Dev", "Eva", "Farid", "Gina", "Hana", "Ivan", "Jade",
               "Karim", "Lola", "Mateo", "Nia", "Omar", "Pia", "Quinn", "Rosa", "Sami", "Tara")
LAST_NAMES = ("Okoro", "Silva")
ROLES = ("Technician", "Operator")
SITES = ("Leeds", "Porto")
WORKFORCE = 60
HOLDERS = 20  # every third employee
NOT_SHARING = ("emp61", "emp62")
NEW_STARTERS = 8  # hired this year, no credential yet (hiring cost per productive hire)
EMPLOYEE_ID = "DEMO-{number:04d}"
OUTCOME_TOKEN_NAME = "token"  # noqa: S105 - the name of a secret, not one


@dataclass(frozen=True)
class Employee:
    username: str
    employee_id: str
    role: str
    site: str
    hired: date
    holds: bool


def workforce(today: date) -> list[Employee]:
    rng = random.Random(19)  # noqa: S311 - demo data, not security
    year = today.year - 2
    people = []
    for number in range(1, WORKFORCE + len(NOT_SHARING) + NEW_STARTERS + 1):
        hired = date(year, 1, 8) + timedelta(days=rng.randint(0, 140))
        if number > WORKFORCE + len(NOT_SHARING):
            hired = today - timedelta(days=rng.randint(100, 300))
        people.append(Employee(f"emp{number:02d}", EMPLOYEE_ID.format(number=2000 + number),
                               ROLES[number % 2], SITES[(number // 2) % 2], hired,
                               number <= WORKFORCE and number % 3 == 0))
    return people


def credential_day(person: Employee) -> date:
    return person.hired + timedelta(days=60 + (int(person.employee_id[-2:]) * 7) % 150)


def events_of(person: Employee, today: date, rng: random.Random) -> list[dict]:
    """What the HR system knows of one employee, holders lifting after their credential."""
    earned = credential_day(person) if person.holds else None
    out = []

    def add(type_, day, value="", **extra):
        out.append({"event_id": f"{person.employee_id}-{len(out) + 1:03d}",
                    "employee_id": person.employee_id, "type": type_,
                    "date": day.isoformat(), "value": str(value), **extra})

    add("hire", person.hired, role=person.role, site=person.site)
    productive = rng.randint(32, 52) if person.holds else rng.randint(45, 75)
    if person.hired + timedelta(days=productive) <= today:
        add("time_to_productivity", person.hired + timedelta(days=productive), productive)
    base = rng.gauss(98, 4)
    left = None
    if not person.holds and rng.random() < 0.22:
        left = person.hired + timedelta(days=rng.randint(220, 420))
    elif person.holds and rng.random() < 0.05:
        left = person.hired + timedelta(days=rng.randint(300, 500))
    promoted = False
    day = person.hired + timedelta(days=45)
    while day <= today and (left is None or day < left):
        lift = 8 if earned and day > earned else 0
        add("performance", day, round(min(150, max(50, rng.gauss(base + lift, 5))), 1))
        chance = 0.12 if earned and day > earned else 0.04
        if not promoted and day > person.hired + timedelta(days=200) and rng.random() < chance:
            promoted = True
            add("promotion", day + timedelta(days=3))
            add("salary_band_change", day + timedelta(days=3), 1)
        day += timedelta(days=45)
    if left is not None and left <= today:
        add("exit", left)
    return out


def load(*, destination, staff, safety_slug: str, store_path: Path, tls_cert: str,
         tls_key: str) -> bool:
    """Make it once; False when it is already there."""
    feed = _feed(destination, tls_cert)
    if OutcomeEvent.objects.filter(destination=destination).exists():
        return False
    today = timezone.now().date()
    people = workforce(today)
    users = _users(people)
    unit = history._unit(safety_slug, "Workplace safety walkthrough")  # noqa: SLF001
    for person in people:  # credentials first: nothing is sent before they are linked
        if person.holds and not Credential.objects.filter(user=users[person.username]).exists():
            days_ago = (today - credential_day(person)).days + 2
            history._assessed(users[person.username], unit, days_ago, [staff],  # noqa: SLF001
                              [history.SAFETY_PASS])
    for person in people:
        EmployeeLink.objects.update_or_create(destination=destination,
                                              user=users[person.username],
                                              defaults={"employee_id": person.employee_id})
        HrisConsent.objects.update_or_create(
            destination=destination, user=users[person.username],
            defaults={"given": person.username not in NOT_SHARING})
    rng = random.Random(2019)  # noqa: S311 - demo data
    events = [event for person in people for event in events_of(person, today, rng)]
    Store(str(store_path)).add_outcomes(events)
    _pull_once(feed, store_path, tls_cert, tls_key)
    indicators.refresh()
    _roi_and_governance(safety_slug, staff)
    _confidence(safety_slug)
    return True


def _feed(destination, tls_cert) -> OutcomeFeed:
    """The demo employer's outcome feed: signed webhooks accepted, pulls from the
    simulator's /outcomes (its demo CA trusted, a token made once)."""
    feed = OutcomeFeed.objects.filter(destination=destination).first()
    if feed is None:
        feed = OutcomeFeed(destination=destination)
        feeds.store_secrets(feed, {"webhook_secrets": standard_webhooks.new_symmetric_secret(),
                                   OUTCOME_TOKEN_NAME: standard_webhooks.new_symmetric_secret()
                                   [len("whsec_"):]})
    feed.webhook_enabled = True
    feed.pull_connector = "json_feed"
    feed.pull_url = destination.url.rstrip("/") + "/outcomes"
    feed.pull_options = {"ca_certificate": (destination.options or {}).get("ca_certificate",
                                                                          "")}
    feed.save()
    return feed


def _pull_once(feed, store_path, tls_cert, tls_key):
    """Pull what the simulator serves, from a simulator started just for this (make demo
    starts the long-running one after ``load_demo``)."""
    server = HrisSimulator(store_path=str(store_path), trusted=[], port=0, tls_cert=tls_cert,
                           tls_key=tls_key,
                           outcome_token=feeds.load_secrets(feed).get(OUTCOME_TOKEN_NAME, ""))
    server.start_in_thread()
    try:
        real_url = feed.pull_url
        feed.pull_url = f"https://127.0.0.1:{server.server_address[1]}/outcomes"
        result = pull.pull_feed(feed)  # saves only the cursor: the address stays the real one
        feed.pull_url = real_url
    finally:
        server.shutdown()
        server.server_close()
    if result.error:
        raise RuntimeError(f"The demo's outcome pull failed: {result.error}")


def _users(people) -> dict:
    User = get_user_model()
    users = {}
    for index, person in enumerate(people):
        user, _created = User.objects.update_or_create(
            username=person.username,
            defaults={"first_name": FIRST_NAMES[index % len(FIRST_NAMES)],
                      "last_name": LAST_NAMES[index // len(FIRST_NAMES) % 2],
                      "email": f"{person.username}@example.com"})
        if user.has_usable_password():
            user.set_unusable_password()
            user.save(update_fields=["password"])
        users[person.username] = user
    return users


def _roi_and_governance(safety_slug, staff):
    definition = CredentialDefinition.objects.get(slug=safety_slug)
    RoiAssumptions.objects.update_or_create(definition=definition, defaults={
        "currency": "EUR", "cost_per_hire": 6500, "cost_per_failed_hire": 9000,
        "value_per_ramp_day": 120, "cost_per_remediation": 180, "incremental_revenue": 0,
        "assessor_minutes_per_assessment": 40, "assessor_hourly_cost": 55,
        "operations_cost_per_credential": 12})
    for indicator, days_ago in (("pass_rate", 40), ("attainment_90", 20)):
        review = IndicatorReview.objects.create(indicator=indicator, reviewed_by=staff,
                                                note="Demo: reviewed at the programme board.")
        IndicatorReview.objects.filter(pk=review.pk).update(
            reviewed_at=timezone.now() - timedelta(days=days_ago))


def _confidence(safety_slug):
    """Some history learners answered the optional confidence question before and after."""
    definition = CredentialDefinition.objects.get(slug=safety_slug)
    User = get_user_model()
    for number, person in enumerate(history.HISTORY_LEARNERS[:8]):
        user = User.objects.get(username=person.username)
        confidence.record(user_id=user.pk, definition=definition, moment="before",
                          score=2 + number % 2)
        confidence.record(user_id=user.pk, definition=definition, moment="after",
                          score=3 + number % 3 // 2 + (number % 2))

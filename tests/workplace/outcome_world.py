"""A small workforce for the indicator and ROI tests: one employer, credential holders and
colleagues without the credential, with a year of outcome events."""
from datetime import date, timedelta

from django.contrib.auth import get_user_model

from credential_app.models import Attempt, Credential
from credential_app.workplace import ingest
from tests.hris_people_helpers import link, webhook_destination
from tests.reports_helpers import PASS, UNIT_B, World, at, date_attempt

TODAY = date(2026, 6, 1)
EARNED = at(2025, 6, 1)  # the holders' credential date


class Workforce:
    def __init__(self, holders=6, controls=18):
        self.world = World()
        self.employer = webhook_destination("https://hr.example/hooks", name="Initech HR")
        self.events = []
        self.holders, self.controls = [], []
        for number in range(holders):
            self.holders.append(self.person(f"H{number}", holds=True))
        for number in range(controls):
            self.controls.append(self.person(f"C{number}"))

    def person(self, employee_id, *, holds=False, role="Technician", site="Leeds",
               hired="2024-02-01", prior="100"):
        user = get_user_model().objects.create_user(f"emp-{employee_id}")
        link(self.employer, user, employee_id)
        if holds:
            attempt = self.world.attempt(user, UNIT_B, PASS)
            date_attempt(attempt, EARNED - timedelta(days=1))
            assert Credential.objects.filter(attempt=attempt).exists()
        self.add(employee_id, "hire", hired, role=role, site=site)
        if prior is not None:
            self.add(employee_id, "performance", "2025-03-31", prior)
        return user

    def add(self, employee_id, type_, day, value="", **extra):
        self.events.append({"event_id": f"{employee_id}-{len(self.events)}",
                            "employee_id": employee_id, "type": type_, "date": day,
                            "value": value, **extra})

    def store(self):
        ingest.store(self.employer, ingest.check(self.events), source="csv")


def standard(holders=6, controls=18) -> Workforce:
    """Holders rate 108–113 % of target 75 days after the credential, comparison employees
    93–98 %; two comparison employees leave within 180 days; holders are promoted."""
    force = Workforce(holders, controls)
    for number in range(holders):
        force.add(f"H{number}", "performance", "2025-08-15", str(108 + number % 6))
        force.add(f"H{number}", "salary_band_change", "2026-01-10", "1")
    for number in range(controls):
        force.add(f"C{number}", "performance", "2025-08-15", str(93 + number % 6))
    force.add("C0", "exit", "2025-09-01")
    force.add("C1", "exit", "2025-10-01")
    return force


def attempts_of(users):
    return Attempt.objects.filter(user__in=users)

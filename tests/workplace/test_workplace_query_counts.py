"""The workplace pages run the same number of SQL queries however many employees, events,
holders and groups there are: they read the stored figures and a few aggregates."""
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from credential_app.models import Cohort, RoiAssumptions
from credential_app.workplace import indicators
from tests.workplace.outcome_world import TODAY, standard

pytestmark = [pytest.mark.django_db, pytest.mark.db_server]  # counts differ by backend


def queries(client, url, params):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_workplace_queries_do_not_grow_with_the_data(client):
    force = standard(holders=5, controls=10)
    RoiAssumptions.objects.create(definition=force.world.aid, currency="EUR", cost_per_hire=1)
    force.store()
    indicators.refresh(TODAY)
    client.force_login(get_user_model().objects.create_user("hr", is_staff=True))
    pages = [(reverse("credential_app:workplace-indicators"), {}),
             (reverse("credential_app:workplace-indicators-csv", kwargs={"table": "lagging"}),
              {}),
             (reverse("credential_app:workplace-roi"), {"credential": force.world.aid.pk}),
             (reverse("credential_app:workplace-governance"), {})]
    small = [queries(client, url, params) for url, params in pages]
    for number in range(12):  # more holders, colleagues, events and another group
        force.person(f"M{number}", holds=number % 2 == 0)
        force.add(f"M{number}", "performance", "2025-08-15", "101")
    cohort = Cohort.objects.create(name="Night shift")
    cohort.members.set(force.holders)
    force.store()
    indicators.refresh(TODAY)
    assert [queries(client, url, params) for url, params in pages] == small

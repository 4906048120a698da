"""Report pages and their REST twins run the same number of SQL queries however many
attempts, assessments and credentials there are: every figure is one aggregate query,
never a query per attempt."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.reports.test_reports import PAGES
from tests.reports_helpers import FAIL, PASS, UNIT_A, UNIT_B, World

pytestmark = [pytest.mark.django_db, pytest.mark.db_server]  # counts differ by backend


def add_learners(world, count):
    for index in range(count):
        world.attempt(world.learner(), UNIT_A, FAIL, PASS)
        world.attempt(world.learner(), UNIT_A, PASS, PASS)
        if index % 2:
            world.attempt(world.learner(), UNIT_B, PASS)


def queries(client, url, params):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_report_queries_do_not_grow_with_the_data(client):
    world = World()
    client.force_login(world.admin)
    filters = {"credential": world.safety.pk}
    urls = [reverse("credential_app:report", kwargs={"slug": slug}) for slug in PAGES] + [
        reverse("credential_app:rest-report-" + slug) for slug in PAGES]
    add_learners(world, 1)
    small = {url: queries(client, url, filters) for url in urls}
    add_learners(world, 6)
    large = {url: queries(client, url, filters) for url in urls}
    assert large == small
    assert all(count > 0 for count in small.values())

"""SQL queries per request of the block's views and handlers, as the rubric and history grow.

Each request a person makes (learner view, hand-in, assessor view, scoring) should
cost the same number of queries whether the rubric has 3 criteria or 30 and
whether the learner is on their first attempt or their twentieth: an N+1 query
shows up here as a count that grows. Used by ``tests/core/test_query_counts.py`` (which
asserts the counts stay constant) and by ``bench/run.py`` (which reports them).
"""
import json

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from workbench.scenarios import get_scenarios

from bench.scenarios import add_sized_scenario, failing_scores, passing_scores

REQUESTS = ("learner view", "submit", "assessor view", "score")


class Person:
    """A signed-in browser session in the workbench, counting the queries of each request."""

    def __init__(self, user, scenario):
        self.client = Client()
        self.client.force_login(user)
        self.scenario = scenario
        self.last_queries = []  # the SQL of the latest request

    def view(self):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(f"/scenario/{self.scenario_name}/")
        assert response.status_code == 200, response.status_code
        self.last_queries = [query["sql"] for query in queries.captured_queries]
        return len(queries), response.content.decode()

    def post(self, handler, payload):
        url = f"/handler/{self.scenario.usage_id}/{handler}/"
        with CaptureQueriesContext(connection) as queries:
            response = self.client.post(url, json.dumps(payload), content_type="application/json")
        self.last_queries = [query["sql"] for query in queries.captured_queries]
        body = json.loads(response.content)
        assert response.status_code == 200, body
        return len(queries), body

    @property
    def scenario_name(self):
        return next(name for name, s in get_scenarios().items() if s is self.scenario)


def measure(criteria: int, attempts: int, *, tag: str = "") -> dict[str, int]:
    """Queries of each request when the rubric has ``criteria`` criteria and the learner is
    handing in attempt number ``attempts`` (the earlier ones failed)."""
    users = get_user_model().objects
    scenario = get_scenarios()[add_sized_scenario(criteria)]
    learner = Person(users.create_user(f"learner-{tag}{criteria}-{attempts}"), scenario)
    staff = Person(users.create_user(f"staff-{tag}{criteria}-{attempts}", is_staff=True),
                   scenario)
    for _earlier in range(attempts - 1):
        _count, body = learner.post("submit_evidence", {"text": "An earlier try."})
        staff.post("submit_assessment", {"attempt_id": body["attempt_id"],
                                         "scores": failing_scores(criteria)})
    counts = {}
    counts["submit"], body = learner.post("submit_evidence", {"text": "This time in full."})
    counts["assessor view"], _page = staff.view()
    counts["score"], _result = staff.post("submit_assessment", {
        "attempt_id": body["attempt_id"], "scores": passing_scores(criteria)})
    counts["learner view"], _page = learner.view()
    return {name: counts[name] for name in REQUESTS}

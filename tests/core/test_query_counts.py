"""SQL queries per request stay constant as the rubric grows (3 → 30) and attempts pile up (1 → 20).

A query inside a loop over criteria or attempts (an N+1) makes a count grow and
fails here; ``bench/run.py`` reports the same counts beside timings.
"""
import re
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from workbench.scenarios import get_scenarios

from bench.query_counts import REQUESTS, Person, measure
from bench.scenarios import add_sized_scenario, failing_scores, passing_scores
from credential_app.data import Rubric

# query counts depend on the backend
pytestmark = pytest.mark.db_server
# A query for the definition's own row (quoted as SQLite and MariaDB quote names).
DEFINITION_ROW = re.compile(r'FROM ["`]credential_app_credentialdefinition["`] WHERE')
ATTEMPT_ROWS = re.compile(r'FROM ["`]credential_app_attempt["`]')


@pytest.fixture
def sized(scenario, definition):
    """The demo credential and a fresh workbench; sized scenarios are added on demand."""
    return measure


def apps_reads(queries):
    """The SELECTs of the app's own tables among a request's ``queries``."""
    return [sql for sql in queries if sql.startswith("SELECT") and "credential_app_" in sql]


def read_twice(reads):
    """Each query that comes more than once, with how many times."""
    return {sql: n for sql, n in Counter(reads).items() if n > 1}


def test_queries_do_not_grow_with_the_rubric(sized):
    small, large = sized(3, 1), sized(30, 1)
    assert {r: large[r] for r in REQUESTS} == {r: small[r] for r in REQUESTS}


def test_queries_do_not_grow_with_the_learners_attempts(sized):
    """Attempt 2 against attempt 20: on attempt 1 the assessor has scored nothing yet, and
    Django skips the prefetch queries of an empty list, so that one costs a query less."""
    second, twentieth, largest = sized(3, 2), sized(3, 20), sized(30, 20)
    assert twentieth == second
    assert largest == second


def test_the_count_sees_every_query(sized):
    counts = sized(3, 1)
    assert all(count > 0 for count in counts.values()), counts


def test_the_learner_view_reads_each_of_the_apps_rows_once(scenario, definition):
    """One question for the learner's state at a unit (``api.get_learner_unit_state``): the
    unit's definition, its successors and its policies are read once, not once per thing
    the page shows (they were read up to five times)."""
    users = get_user_model().objects
    unit = get_scenarios()[add_sized_scenario(3)]
    learner = Person(users.create_user("once-learner"), unit)
    staff = Person(users.create_user("once-staff", is_staff=True), unit)
    _count, body = learner.post("submit_evidence", {"text": "A first try, failed."})
    staff.post("submit_assessment", {"attempt_id": body["attempt_id"],
                                     "scores": failing_scores(3)})
    learner.view()
    ours = apps_reads(learner.last_queries)
    assert ours, "the view reads the app's tables"
    assert read_twice(ours) == {}
    # The definition's row, whichever way it is asked for (by slug, by key), comes once;
    # the other question about it is whether a newer version has replaced it.
    definition_rows = [sql for sql in ours if DEFINITION_ROW.search(sql)
                       and "previous_version_id" not in sql.split("WHERE")[1]]
    assert len(definition_rows) == 1, definition_rows
    # The learner's attempts here, once for both the latest one and the retake rule.
    assert len([sql for sql in ours if ATTEMPT_ROWS.search(sql)]) == 1


# One scoring as the assessor's browser makes it, claim then score, once the assessor has
# scored before (issue 22: scoring at least twice ORA2's throughput; bench/README.md).
# The same on SQLite and MariaDB (before issue 22's work: 18 and 71); a query more is a
# regression to look at, a query less a number to lower.
SCORING_QUERIES = {"claim": 15, "score": 49}


def test_a_scoring_costs_a_fixed_number_of_queries(scenario, definition):
    users = get_user_model().objects
    unit = get_scenarios()[add_sized_scenario(3)]
    staff = Person(users.create_user("scoring-staff", is_staff=True), unit)
    handed_in = []
    for number in range(2):
        learner = Person(users.create_user(f"scoring-learner-{number}"), unit)
        _count, body = learner.post("submit_evidence", {"text": "Evidence in full."})
        handed_in.append(body["attempt_id"])
    staff.post("claim_attempt", {"attempt_id": handed_in[0]})
    staff.post("submit_assessment", {"attempt_id": handed_in[0],
                                     "scores": passing_scores(3)})

    counts = {}
    counts["claim"], _body = staff.post("claim_attempt", {"attempt_id": handed_in[1]})
    counts["score"], body = staff.post("submit_assessment", {
        "attempt_id": handed_in[1], "scores": passing_scores(3)})

    assert body["passed"] is True and body["credential_uuid"]  # the whole scoring: a pass
    assert counts == SCORING_QUERIES


# A hand-in as the learner's browser makes it: the attempt, then the learner's part of the
# page in the answer (before: 61, the new attempt and the unit's rows read back for it).
# SQLite has no row lock to take on the learner's gate: its transaction locks the database.
HAND_IN_QUERIES = {"sqlite": 51, "mysql": 52}


def test_a_hand_in_costs_a_fixed_number_of_queries_and_reads_each_row_once(scenario,
                                                                           definition):
    users = get_user_model().objects
    unit = get_scenarios()[add_sized_scenario(3)]
    Person(users.create_user("hand-in-first"), unit).post(
        "submit_evidence", {"text": "The unit's first hand-in."})
    learner = Person(users.create_user("hand-in-learner"), unit)
    learner.view()  # the page comes first

    count, body = learner.post("submit_evidence", {"text": "Evidence in full."})

    assert body["number"] == 1 and "Attempt 1" in body["html"]  # the page part, as it is now
    assert read_twice(apps_reads(learner.last_queries)) == {}
    assert count == HAND_IN_QUERIES[connection.vendor]


def app_write_transactions(queries):
    """How many outermost transactions of ``queries`` write to the app's tables, and how
    many of the app's writes run outside any. The test's own transaction makes the
    request's transactions savepoints; an atomic block that opens none (``savepoint=False``)
    shows no marker, so its writes count as outside."""
    depth, wrote, transactions, outside = 0, False, 0, 0
    for sql in queries:
        if sql.startswith("SAVEPOINT"):
            wrote = wrote if depth else False
            depth += 1
        elif sql.startswith("RELEASE SAVEPOINT"):
            depth -= 1
            transactions += 1 if depth == 0 and wrote else 0
        elif re.match(r'(INSERT|UPDATE|DELETE|REPLACE)\b.*["`]credential_app_', sql, re.S):
            wrote = True
            outside += 0 if depth else 1
    return transactions, outside


@pytest.mark.skipif(connection.vendor != "sqlite",
                    reason="SQLite locks the whole database for a writing transaction")
def test_on_sqlite_a_hand_in_writes_in_one_transaction(scenario, definition):
    """SQLite has one write lock for the whole database: a hand-in that wrote its learner's
    gate row apart, then the attempt, queued for it twice (``core.gates.held``)."""
    users = get_user_model().objects
    unit = get_scenarios()[add_sized_scenario(3)]
    learner = Person(users.create_user("hand-in-one-lock"), unit)
    learner.view()

    learner.post("submit_evidence", {"text": "Evidence in full."})

    assert app_write_transactions(learner.last_queries) == (1, 0)

def test_a_hand_ins_page_part_is_what_a_reload_shows(scenario, definition):
    """The hand-in's answer builds the learner's part of the page from what it wrote,
    without reading it back: it must be, character for character, the part that a reload
    of the page reads from the database (the attempt, its evidence, the retake rules)."""
    users = get_user_model().objects
    unit = get_scenarios()[add_sized_scenario(3)]
    learner = Person(users.create_user("hand-in-reload"), unit)
    learner.view()

    _count, body = learner.post("submit_evidence", {"text": "Evidence in full."})
    _count, page = learner.view()

    part = body["html"].strip()
    assert part.startswith('<div class="ca-learner-part">') and "Attempt 1" in part
    assert part in page


def test_each_request_parses_a_rubric_once(scenario, definition, monkeypatch):
    """The unit's rubric (a view, a hand-in) or the attempt's (a scoring) is parsed once per
    request (issue 22), not once for each thing that shows or checks it."""
    users = get_user_model().objects
    unit = get_scenarios()[add_sized_scenario(3)]
    learner = Person(users.create_user("parse-learner"), unit)
    staff = Person(users.create_user("parse-staff", is_staff=True), unit)
    parse = Rubric.from_dict.__func__
    parsed = []
    monkeypatch.setattr(Rubric, "from_dict",
                        classmethod(lambda cls, data: parsed.append(1) or parse(cls, data)))

    def parses(request, *args):
        """How many rubrics ``request(*args)`` parsed, and its answer."""
        parsed.clear()
        answer = request(*args)
        return len(parsed), answer

    assert parses(learner.view)[0] == 1
    count, (_queries, handed_in) = parses(learner.post, "submit_evidence",
                                          {"text": "Evidence in full."})
    assert count == 1
    staff.post("claim_attempt", {"attempt_id": handed_in["attempt_id"]})
    assert parses(staff.post, "submit_assessment", {
        "attempt_id": handed_in["attempt_id"], "scores": passing_scores(3)})[0] == 1

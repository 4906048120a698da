"""SQL queries per request stay constant as the rubric grows (3 → 30) and attempts pile up (1 → 20).

A query inside a loop over criteria or attempts (an N+1) makes a count grow and
fails here; ``bench/run.py`` reports the same counts beside timings.
"""
import pytest

from bench.query_counts import REQUESTS, measure

# query counts depend on the backend
pytestmark = pytest.mark.db_server


@pytest.fixture
def sized(scenario, definition):
    """The demo credential and a fresh workbench; sized scenarios are added on demand."""
    return measure


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

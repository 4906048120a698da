"""The ORA2 comparison's report (``bench.versus_ora2``): the figures the README quotes."""
from argparse import Namespace

from bench.versus_ora2 import FIRST_GET, FLOOR, OPERATIONS, above_the_floor, report


def results_with(cpu):
    """Three rounds of every operation, for both products and 1 and 8 clients: 10
    operations a second, ``cpu[(product, operation)]`` CPU seconds per operation."""
    return {(product, operation, clients): [(10.0, cpu.get((product, operation), 0.05))] * 3
            for product in ("ours", "ORA2") for operation in OPERATIONS for clients in (1, 8)}


def test_the_learner_get_is_shown_above_each_products_floor():
    results = results_with({("ours", FIRST_GET): 0.030, ("ours", FLOOR): 0.012,
                            ("ORA2", FIRST_GET): 0.048, ("ORA2", FLOOR): 0.012})

    lines = above_the_floor(results, (1, 8))

    assert ("- 1 client: server CPU of the floor 12 / 12 ms (ours / ORA2); above it, ours "
            "18 ms, ORA2 36 ms (2.00× less)") in lines
    assert any(line.startswith("- 8 clients:") for line in lines)


def test_without_the_floor_measured_nothing_is_said_of_it():
    results = {key: value for key, value in results_with({}).items() if key[1] != FLOOR}

    assert above_the_floor(results, (1, 8)) == []
    table = report(results, {key: 0 for key in results}, Namespace(
        criteria=3, rounds=3, per_client=6, database="sqlite", only="learner page"), (1, 8))
    assert "floor" not in table

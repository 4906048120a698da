"""Krippendorff's alpha against the worked examples of Krippendorff (2011), "Computing
Krippendorff's alpha-reliability", and its edge cases."""
import pytest

from credential_app.reports.alpha import (
    INTERVAL,
    NOMINAL,
    ORDINAL,
    alpha,
    coincidences_from_units,
)

# Section C of the paper: 4 observers, 12 units, values 1–5, None where an observer gave none.
A = [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None]
B = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3]
C = [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None]
D = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]
UNITS = list(zip(A, B, C, D, strict=True))


def test_coincidence_matrix_of_the_worked_example():
    matrix = coincidences_from_units(UNITS)
    # The paper's table: n_1 = 9, n_2 = 13, n_3 = 10, n_4 = 5, n_5 = 3, n = 40.
    marginals = {}
    for (c, _k), count in matrix.items():
        marginals[c] = marginals.get(c, 0) + count
    assert {v: round(m, 6) for v, m in marginals.items()} == {1: 9, 2: 13, 3: 10, 4: 5, 5: 3}
    assert matrix[(1, 1)] == pytest.approx(7)
    assert matrix[(1, 2)] == pytest.approx(4 / 3)
    assert matrix[(2, 3)] == pytest.approx(4 / 3)


@pytest.mark.parametrize(("metric", "published"), [(NOMINAL, 0.743), (ORDINAL, 0.815),
                                                   (INTERVAL, 0.849)])
def test_worked_example_values(metric, published):
    assert round(alpha(coincidences_from_units(UNITS), metric), 3) == published


def test_two_observers_binary_example():
    """Section A of the paper: two observers, ten units, nominal alpha 0.095."""
    first = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    second = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert round(alpha(coincidences_from_units(zip(first, second, strict=True)), NOMINAL),
                 3) == 0.095


def test_perfect_agreement_is_one():
    units = [(1, 1), (2, 2), (3, 3), (1, 1, 1)]
    for metric in (NOMINAL, ORDINAL, INTERVAL):
        assert alpha(coincidences_from_units(units), metric) == pytest.approx(1.0)


def test_systematic_disagreement_is_negative():
    units = [(1, 2), (2, 1)] * 5
    assert alpha(coincidences_from_units(units), INTERVAL) < 0


def test_undefined_without_variation_or_pairs():
    assert alpha(coincidences_from_units([(2, 2), (2, 2)]), INTERVAL) is None
    assert alpha(coincidences_from_units([(1, None), (None, 3)]), INTERVAL) is None
    assert alpha({}, ORDINAL) is None


def test_unknown_metric_is_refused():
    with pytest.raises(ValueError, match="Unknown metric"):
        alpha({(1, 2): 1, (2, 1): 1}, "ratio-ish")


def test_ordinal_ignores_the_spacing_of_values_interval_does_not():
    """Ordinal alpha depends only on the order of the values; interval on their distances."""
    near = [(0, 1), (1, 1), (2, 2), (2, 3), (3, 3), (0, 0)]
    stretched = [(0, 10), (10, 10), (20, 20), (20, 300), (300, 300), (0, 0)]
    assert alpha(coincidences_from_units(near), ORDINAL) == pytest.approx(
        alpha(coincidences_from_units(stretched), ORDINAL))
    assert alpha(coincidences_from_units(near), INTERVAL) != pytest.approx(
        alpha(coincidences_from_units(stretched), INTERVAL))

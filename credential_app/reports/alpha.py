"""Krippendorff's alpha from a coincidence matrix.

The reports aggregate the coincidence matrix in the database (pairs of values given to
the same unit by different assessors, each pair weighted 1/(m_u − 1) where m_u is the
number of values in the unit); this module only turns that small matrix into alpha:

    alpha = 1 − D_o / D_e,
    D_o = Σ_c Σ_k o_ck δ²_ck / n,   D_e = Σ_c Σ_k n_c n_k δ²_ck / (n (n − 1))

with n_c the marginal sums of the matrix and n = Σ n_c. Metrics (Krippendorff 2011,
"Computing Krippendorff's alpha-reliability"): nominal, ordinal (over the ranks of the
values actually used, via their marginal frequencies) and interval.
"""
from collections import defaultdict
from collections.abc import Iterable, Mapping

NOMINAL, ORDINAL, INTERVAL = "nominal", "ordinal", "interval"
METRICS = (NOMINAL, ORDINAL, INTERVAL)

Coincidences = Mapping[tuple[float, float], float]


def coincidences_from_units(units: Iterable[Iterable[float | None]]) -> dict:
    """The coincidence matrix of reliability data given unit by unit (None = missing).

    Used by the tests (and for small calibration data); the reports build the same
    matrix with one aggregate query instead."""
    matrix = defaultdict(float)
    for unit in units:
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue  # a value nobody else gave to the unit cannot be paired
        for i, c in enumerate(values):
            for j, k in enumerate(values):
                if i != j:
                    matrix[(c, k)] += 1 / (m - 1)
    return dict(matrix)


def alpha(coincidences: Coincidences, metric: str = ORDINAL) -> float | None:
    """Krippendorff's alpha, or None when it is undefined (fewer than two pairable values,
    or no variation at all: every value the same)."""
    if metric not in METRICS:
        raise ValueError(f"Unknown metric {metric!r}; use one of {METRICS}.")
    marginals = defaultdict(float)
    for (c, _k), count in coincidences.items():
        marginals[c] += count
    n = sum(marginals.values())
    if n <= 1 or len([v for v, m in marginals.items() if m > 0]) < 2:
        return None
    delta = _distance(metric, marginals)
    observed = sum(count * delta(c, k) for (c, k), count in coincidences.items())
    values = sorted(marginals)
    expected = sum(marginals[c] * marginals[k] * delta(c, k)
                   for c in values for k in values) / (n - 1)
    if expected == 0:
        return None
    return 1 - observed / expected


def _distance(metric, marginals):
    if metric == NOMINAL:
        return lambda c, k: 0.0 if c == k else 1.0
    if metric == INTERVAL:
        return lambda c, k: float(c - k) ** 2
    ordered = sorted(marginals)
    rank = {value: i for i, value in enumerate(ordered)}
    cumulative = [0.0]
    for value in ordered:
        cumulative.append(cumulative[-1] + marginals[value])

    def ordinal(c, k):
        if c == k:
            return 0.0
        low, high = sorted((rank[c], rank[k]))
        # Σ_{g=low}^{high} n_g − (n_low + n_high) / 2
        between = cumulative[high + 1] - cumulative[low]
        return (between - (marginals[ordered[low]] + marginals[ordered[high]]) / 2) ** 2

    return ordinal

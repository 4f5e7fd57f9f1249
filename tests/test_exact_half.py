"""Exact at the half: numbers within float error of a rounding half equal the Decimal oracle.

Two ratio leaves of plain counts (2194/2627 and 6452/8437 of 50 points each) sum to
79.99499999977… in floats and exactly: Decimal (and Excel) give 79.99, which is Khá on a
scale with Tốt from 80. A float rounding with a tolerance would say 80.00 (Tốt).
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

import parscore as ps
import reference
from parscore._exact import near_half

SCHEME = ps.scheme_from_dict(
    {
        "parscore": 1,
        "id": "nua",
        "name": "Nửa",
        "tiers": {"scale": [{"name": "Tốt", "min": 80}, {"name": "Khá", "min": 0}]},
        "nodes": [
            {
                "id": "1",
                "name": "Một",
                "children": [
                    {
                        "id": "1.1",
                        "name": "Tỷ lệ một",
                        "max": 50,
                        "rule": {"kind": "ratio", "inputs": ["dung", "tong"]},
                    },
                    {
                        "id": "1.2",
                        "name": "Tỷ lệ hai",
                        "max": 50,
                        "rule": {"kind": "ratio", "inputs": ["dung", "tong"]},
                    },
                ],
            },
        ],
    }
)


def test_sum_of_two_count_ratios_just_below_a_half() -> None:
    data = {
        "unit_id": ["u"],
        "1.1:dung": [2194],
        "1.1:tong": [2627],
        "1.2:dung": [6452],
        "1.2:tong": [8437],
    }
    assert 50 * 2194 / 2627 + 50 * 6452 / 8437 > 79.9949999997  # the float, a hair below
    result = ps.score(SCHEME, data)
    exact = Fraction(50 * 2194, 2627) + Fraction(50 * 6452, 8437)
    assert exact < Fraction(79995, 1000)
    assert result.total[0] == 79.99
    assert result.index[0] == 79.99
    assert result.tier[0] == "Khá"
    assert result.points["1"][0] == 79.99  # the node, read at any time, agrees


def _near_half_counts(b1: int, b2: int, offset: int, pick: int) -> tuple[int, int, int] | None:
    """Counts a1 <= b1, a2 <= b2 whose points 50·a1/b1 + 50·a2/b2 lie *offset* steps from a half.

    Returns (a1, a2, b2): b2 is moved up to the next number coprime with b1.

    The points are 50·N / P with N = a1·b2 + a2·b1 and P = b1·b2 (coprime). Scaled to
    hundredths they are 5000·N / P, a half when 10000·N = j·P for an odd j: so N solves
    10000·N ≡ r (mod P) for r = offset·g (g = gcd(10000, P)), which puts the points r / (200·P)
    from the half j / 200. *pick* chooses among the solutions.
    """
    while math.gcd(b1, b2) != 1:
        b2 += 1
    p = b1 * b2
    g = math.gcd(10_000, p)
    r = offset * g
    n0 = (r // g) * pow(10_000 // g, -1, p // g) % (p // g)
    solutions = []
    for n in range(n0, 2 * p + 1, p // g):
        j, rest = divmod(10_000 * n - r, p)
        if rest == 0 and j % 2 == 1:
            a1 = n * pow(b2, -1, b1) % b1
            a2, left = divmod(n - a1 * b2, b1)
            if left == 0 and 0 <= a2 <= b2:
                solutions.append((a1, a2, b2))
    return solutions[pick % len(solutions)] if solutions else None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@example(b1=16, b2=625, offset=0, pick=0)  # exactly a half, which rounds up
@example(b1=2627, b2=8437, offset=-1, pick=0)
@given(
    b1=st.integers(min_value=100, max_value=30_000),
    b2=st.integers(min_value=100, max_value=30_000),
    offset=st.integers(min_value=-3, max_value=3),
    pick=st.integers(min_value=0, max_value=1_000),
)
def test_sums_of_count_ratios_near_a_half_match_the_decimal_oracle(
    b1: int, b2: int, offset: int, pick: int
) -> None:
    """Two ratios of counts within 1e-9 (relative) of a half, on either side or on it."""
    found = _near_half_counts(b1, b2, offset, pick)
    assume(found is not None)
    assert found is not None
    a1, a2, b2 = found
    exact = Fraction(50 * a1, b1) + Fraction(50 * a2, b2)
    scaled = exact * 100
    distance = abs(scaled - math.floor(scaled) - Fraction(1, 2))
    assume(distance <= scaled * Fraction(1, 10**9))
    data = {
        "unit_id": ["u"],
        "1.1:dung": [a1],
        "1.1:tong": [b1],
        "1.2:dung": [a2],
        "1.2:tong": [b2],
    }
    result = ps.score(SCHEME, data)
    ref = reference.score(SCHEME, data).units[0]
    assert Decimal(repr(float(result.total[0]))) == ref.total
    assert Decimal(repr(float(result.index[0]))) == ref.index
    assert Decimal(repr(float(result.points["1"][0]))) == ref.points["1"]
    assert result.tier[0] == ref.tier


def test_a_unit_far_from_every_half_is_not_recomputed() -> None:
    values = np.array([79.99, 79.994, 79.996, 0.0, 1.0, 79.995, 79.99499999977441])
    assert near_half(values, 2).tolist() == [False, False, False, False, False, True, True]


def test_an_index_at_an_exact_half_uses_the_applicable_max_as_written() -> None:
    """An index exactly at a half, with criteria not applicable, rounds up.

    7 and 5.25 not applicable leave 9.6 (the float says 9.600000000000001): 0.06 / 9.6 is
    exactly 0.625 %, which rounds up to 0.63.
    """
    rule = ps.Points()
    scheme = ps.Scheme(
        id="x",
        name="x",
        nodes=[
            ps.Node(id=str(i + 1), name="n", max_points=m, rule=rule)
            for i, m in enumerate([7, 5.25, 9.51, 0.09])
        ],
        tiers=ps.TierScale(scale=[ps.Tier(name="Y", min=0)]),
    )
    data = {"unit_id": ["a"], "1": ["n/a"], "2": ["n/a"], "3": [0], "4": [0.06]}
    assert ps.score(scheme, data).index[0] == 0.63
    assert reference.score(scheme, data).units[0].index == Decimal("0.63")

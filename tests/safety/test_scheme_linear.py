"""Validation is linear in the scheme's size: many bad leaves cost in proportion.

Issue 11: problems were filtered against every repaired path and labelled by testing every node
path, so 16k bad leaves took 72 s and 100k about 45 minutes. The test times 2k and 20k bad
leaves in the same process and bounds the ratio (linear: about 10; quadratic: about 100),
not the time, so a busy machine does not fail it.
"""

from __future__ import annotations

import time

import pytest

import parscore as ps


def _bad(n: int) -> dict[str, object]:
    """A scheme of *n* leaves, each with two problems (a bad rule parameter, a negative max)."""
    leaves = [
        {"id": f"l{i}", "name": "x", "max": -1, "rule": {"kind": "deduction", "per": -1}}
        for i in range(n)
    ]
    return {
        "parscore": 1,
        "id": "s",
        "name": "s",
        "tiers": {"scale": [{"name": "a", "min": 0}]},
        "nodes": [{"id": "f", "name": "f", "children": leaves}],
    }


def _seconds(n: int) -> float:
    data = _bad(n)
    start = time.perf_counter()
    with pytest.raises(ps.SchemeError) as caught:
        ps.scheme_from_dict(data)
    took = time.perf_counter() - start
    assert len(caught.value.problems) >= n
    assert caught.value.problems[-1].node_id == f"l{n - 1}"
    return took


def test_many_bad_leaves_cost_in_proportion() -> None:
    _seconds(200)  # warm up imports and cattrs' generated functions
    small = min(_seconds(2_000) for _ in range(2))
    large = _seconds(20_000)
    assert large / small < 30, f"2k bad leaves: {small:.2f} s, 20k: {large:.2f} s"

"""Scoring from many threads at once: schemes, compilations and results are shared safely."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

import parscore as ps
from parscore.datasets import example_data


def test_concurrent_scoring_gives_the_sequential_results() -> None:
    """Eight threads scoring (and reading results of) one scheme agree with one thread."""
    scheme = ps.builtin_scheme("example-commune-2026")
    batches = [example_data(scheme, 200, seed=seed) for seed in range(16)]
    expected = [ps.score(scheme, data) for data in batches]

    def run(i: int) -> tuple[int, ps.Result, np.ndarray]:
        fresh = ps.load_scheme(ps.dump_scheme(scheme), format="yaml")  # a new, equal scheme
        result = ps.score(fresh, batches[i])
        return i, result, result.matrix("points")

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(run, list(range(16)) * 3))
    for i, result, points in outcomes:
        want = expected[i]
        assert result.fingerprint == want.fingerprint
        np.testing.assert_array_equal(result.total, want.total)
        np.testing.assert_array_equal(result.index, want.index)
        np.testing.assert_array_equal(result.rank, want.rank)
        assert result.tier.tolist() == want.tier.tolist()
        np.testing.assert_array_equal(points, want.matrix("points"))


def test_one_result_read_from_many_threads() -> None:
    """A Result's lazily rounded node tables are the same whichever thread reads them first."""
    scheme = ps.builtin_scheme("example-department-2026")
    result = ps.score(scheme, example_data(scheme, 300, seed=7, not_applicable_rate=0.05))
    reference = ps.score(scheme, example_data(scheme, 300, seed=7, not_applicable_rate=0.05))

    def read(node_id: str) -> tuple[str, np.ndarray, np.ndarray]:
        return node_id, result.points[node_id], result.component_index[node_id]

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(read, list(result.node_ids) * 4))
    for node_id, points, component in outcomes:
        np.testing.assert_array_equal(points, reference.points[node_id])
        np.testing.assert_array_equal(component, reference.component_index[node_id])

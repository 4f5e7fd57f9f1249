"""The engine works in blocks of units: results and errors do not depend on the block size."""

from __future__ import annotations

import numpy as np
import pytest

import parscore as ps
import parscore.measurements._checks as checks
from parscore.datasets import example_data, synthetic_scheme

SCHEME = synthetic_scheme()
N = 23  # not a multiple of the block sizes tried


def _data(**kw: float) -> dict[str, object]:
    return dict(example_data(SCHEME, N, seed=5, **kw))


@pytest.mark.parametrize("block", [1, 4, 7, 10_000])
def test_block_size_does_not_change_results(monkeypatch: pytest.MonkeyPatch, block: int) -> None:
    """Points, not-applicable leaves, totals, tiers and ranks are the same whatever the block."""
    data = _data(missing_rate=0.05, not_applicable_rate=0.05)
    whole = ps.score(SCHEME, data, missing="not_applicable")
    monkeypatch.setattr(checks, "BLOCK", block)
    blocked = ps.score(SCHEME, data, missing="not_applicable")
    np.testing.assert_array_equal(blocked.node_points, whole.node_points)
    np.testing.assert_array_equal(blocked.index, whole.index)
    np.testing.assert_array_equal(blocked.rank, whole.rank)
    assert (blocked.na_mask is None) == (whole.na_mask is None)
    if whole.na_mask is not None:
        np.testing.assert_array_equal(blocked.na_mask, whole.na_mask)


def test_problems_in_later_blocks_name_their_units(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bad values in every block are all reported, each with its own unit id."""
    data = _data()
    deduction = next(n.id for n in SCHEME.leaves() if isinstance(n.rule, ps.Deduction))
    column = np.array(data[deduction], dtype=float)
    column[[0, 9, 22]] = -1.0  # a negative count in the first, a middle and the last block
    data[deduction] = column
    monkeypatch.setattr(checks, "BLOCK", 4)
    with pytest.raises(ps.MeasurementsError) as info:
        ps.score(SCHEME, data)
    ids = np.asarray(data["unit_id"])
    found = {p.unit_id for p in info.value.problems if p.column == deduction}
    assert found == {str(ids[0]), str(ids[9]), str(ids[22])}


def test_a_matrix_is_read_not_copied() -> None:
    """Scoring a float matrix in storage order keeps a read-only view of it, not a copy."""
    ids, matrix = ps.datasets.example_matrix(SCHEME, N, seed=1)
    result = ps.score(SCHEME, matrix, unit_ids=ids)
    held = result.measurements.values
    assert np.shares_memory(held, matrix)
    assert not held.flags.writeable
    assert matrix.flags.writeable  # the caller's own array is left as it was

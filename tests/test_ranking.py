"""rank() and rank_rows(): ranks by counting equal the former sort and a plain-Python oracle."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from parscore import ranking
from parscore.ranking import code_groups, rank, rank_rows
from parscore.typing import FloatArray, IntArray

METHODS = ("competition", "dense", "ordinal")
ObjectArray = npt.NDArray[np.object_]


def _old_rank(
    values: FloatArray,
    *,
    groups: ObjectArray | None = None,
    method: str = "competition",
    tie_break: Sequence[FloatArray] = (),
    unit_ids: ObjectArray | None = None,
) -> IntArray:
    """rank() as it was before ranks by counting (parscore 0.1.0.dev0, one lexsort)."""
    n = len(values)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    value_keys = [-values, *(-np.asarray(t, dtype=np.float64) for t in tie_break)]
    keys: list[npt.NDArray[np.generic]] = []
    if method == "ordinal":  # only ordinal ranks depend on the order of tied units
        keys.append(
            np.arange(n, dtype=np.int64)
            if unit_ids is None
            else np.unique(unit_ids.astype(str), return_inverse=True)[1].astype(np.int64)
        )
    keys.extend(reversed(value_keys))
    if groups is not None:
        keys.append(np.unique(groups.astype(str), return_inverse=True)[1].astype(np.int64))
    group_code = keys[-1] if groups is not None else np.zeros(n, dtype=np.int64)
    # np.lexsort sorts by the last key first
    order = np.lexsort(tuple(keys)) if len(keys) > 1 else np.argsort(keys[0], kind="stable")
    g = group_code[order]
    new_group = np.r_[True, g[1:] != g[:-1]]
    differs = new_group.copy()
    for key in value_keys:
        k = key[order]
        differs[1:] |= k[1:] != k[:-1]
    positions = np.arange(n, dtype=np.int64)
    group_start = np.maximum.accumulate(np.where(new_group, positions, 0))
    if method == "ordinal":
        ranks_sorted = positions - group_start + 1
    elif method == "competition":
        tie_start = np.maximum.accumulate(np.where(differs, positions, 0))
        ranks_sorted = tie_start - group_start + 1
    elif method == "dense":
        steps = np.cumsum(differs)
        ranks_sorted = steps - steps[group_start] + 1
    else:
        msg = f"method must be competition, dense or ordinal, found {method!r}"
        raise ValueError(msg)
    out = np.empty(n, dtype=np.int64)
    out[order] = ranks_sorted
    return out


def _oracle_rank(
    values: FloatArray,
    *,
    groups: ObjectArray | None,
    method: str,
    tie_break: Sequence[FloatArray],
    unit_ids: ObjectArray | None,
) -> list[int]:
    """The definition, unit by unit: 1 + the units of the group that are strictly better.

    Units compare by (value, tie-break values…), higher first. Dense counts distinct better
    keys instead; ordinal also counts the tied units before it (by id as text, then input
    order). Finite values only.
    """
    n = len(values)
    key = [(float(values[i]), *(float(t[i]) for t in tie_break)) for i in range(n)]
    group = ["" if groups is None else str(groups[i]) for i in range(n)]
    order_key = [("" if unit_ids is None else str(unit_ids[i]), i) for i in range(n)]
    ranks = []
    for i in range(n):
        mates = [j for j in range(n) if group[j] == group[i]]
        better = [j for j in mates if key[j] > key[i]]
        if method == "competition":
            ranks.append(1 + len(better))
        elif method == "dense":
            ranks.append(1 + len({key[j] for j in better}))
        else:
            ahead = [j for j in mates if key[j] == key[i] and order_key[j] < order_key[i]]
            ranks.append(1 + len(better) + len(ahead))
    return ranks


@st.composite
def ranking_cases(draw: st.DrawFn) -> dict[str, object]:
    """Rounded values with many ties, optional groups, tie-breaks and (repeated) unit ids."""
    n = draw(st.integers(0, 40))
    decimals = draw(st.integers(0, 3))
    scale = 10.0**decimals
    spread = draw(st.sampled_from([2, 5, 50, 10**6]))  # steps: few (many ties) to very many
    steps = draw(st.lists(st.integers(-spread, spread), min_size=n, max_size=n))
    values = np.array(steps, dtype=np.float64) / scale  # what round_half_up gives
    n_ties = draw(st.integers(0, 2))
    tie_break = [
        np.array(draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)), dtype=np.float64)
        / scale
        for _ in range(n_ties)
    ]
    groups = None
    if draw(st.booleans()):
        labels = draw(
            st.lists(st.sampled_from(["a", "b", "Huyện C", 1, "1"]), min_size=n, max_size=n)
        )
        groups = np.array(labels, dtype=object)  # 1 and "1" are one group
    unit_ids = None
    if draw(st.booleans()):
        ids = draw(
            st.lists(st.sampled_from(["x1", "x10", "x2", "y", 7, "Xã Ā"]), min_size=n, max_size=n)
        )
        unit_ids = np.array(ids, dtype=object)  # repeated ids: input order breaks the tie
    return {
        "values": values,
        "decimals": decimals,
        "tie_break": tie_break,
        "groups": groups,
        "unit_ids": unit_ids,
    }


@given(case=ranking_cases(), method=st.sampled_from(METHODS))
def test_counting_equals_the_former_sort_and_the_oracle(
    case: dict[str, object], method: str
) -> None:
    """With or without decimals, coded groups, tie-breaks and ids: the old ranks, by definition."""
    values = case["values"]
    decimals = case["decimals"]
    tie_break = case["tie_break"]
    groups = case["groups"]
    unit_ids = case["unit_ids"]
    assert isinstance(values, np.ndarray)
    assert isinstance(decimals, int)
    assert isinstance(tie_break, list)
    assert groups is None or isinstance(groups, np.ndarray)
    assert unit_ids is None or isinstance(unit_ids, np.ndarray)
    kw: dict[str, object] = {"method": method, "tie_break": tie_break, "unit_ids": unit_ids}
    expected = _old_rank(values, groups=groups, **kw)  # type: ignore[arg-type]
    oracle = _oracle_rank(
        values, groups=groups, method=method, tie_break=tie_break, unit_ids=unit_ids
    )
    assert expected.tolist() == oracle
    codes = code_groups(groups, len(values))
    for options in (
        {"groups": groups},
        {"groups": groups, "decimals": decimals},
        {"group_codes": codes, "decimals": decimals},
        {"groups": groups, "decimals": decimals + 2},  # finer steps than the values need
    ):
        got = rank(values, **kw, **options)  # type: ignore[arg-type]
        assert got.dtype == np.int64
        assert got.tolist() == oracle, options


@given(
    case=ranking_cases(),
    method=st.sampled_from(METHODS),
    special=st.lists(st.sampled_from([math.nan, math.inf, -math.inf, 1e-9, 0.5e-3]), max_size=3),
)
def test_values_that_cannot_be_counted_rank_as_before(
    case: dict[str, object], method: str, special: list[float]
) -> None:
    """NaN, infinities and values off the decimals' steps are sorted, as before."""
    values = case["values"]
    groups = case["groups"]
    unit_ids = case["unit_ids"]
    assert isinstance(values, np.ndarray)
    assert groups is None or isinstance(groups, np.ndarray)
    assert unit_ids is None or isinstance(unit_ids, np.ndarray)
    values = values.copy()
    for i, x in enumerate(special[: len(values)]):
        values[i] = x if not 0 < x < 1 else values[i] + x  # a tiny offset: not rounded
    for decimals in (None, case["decimals"], 0):
        got = rank(values, groups=groups, method=method, unit_ids=unit_ids, decimals=decimals)  # type: ignore[arg-type]
        expected = _old_rank(values, groups=groups, method=method, unit_ids=unit_ids)
        assert np.array_equal(got, expected)


@given(
    n_rows=st.integers(1, 6),
    n_units=st.integers(1, 30),
    n_groups=st.integers(1, 3),
    method=st.sampled_from(METHODS),
    with_ids=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_rank_rows_ranks_each_row_as_rank(
    *, n_rows: int, n_units: int, n_groups: int, method: str, with_ids: bool, seed: int
) -> None:
    """Each row of rank_rows (int32 or int64 out) equals rank() of that row."""
    rng = np.random.default_rng(seed)
    values = rng.integers(-3, 4, size=(n_rows, n_units)) / 100.0
    groups = np.array([f"g{k}" for k in rng.integers(0, n_groups, n_units)], dtype=object)
    ids = np.array([f"u{k}" for k in rng.permutation(n_units)], dtype=object) if with_ids else None
    codes = code_groups(groups, n_units)
    out32 = np.empty((n_rows, n_units), dtype=np.int32)
    rank_rows(values, decimals=2, group_codes=codes, method=method, unit_ids=ids, out=out32)  # type: ignore[arg-type]
    out64 = rank_rows(values, decimals=2, group_codes=codes, method=method, unit_ids=ids)  # type: ignore[arg-type]
    for row in range(n_rows):
        expected = _old_rank(values[row], groups=groups, method=method, unit_ids=ids)
        assert np.array_equal(out32[row], expected)
        assert np.array_equal(out64[row], expected)


def test_rank_rows_chunks_and_falls_back_per_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows ranked in several chunks, one of them too widely spread to count, stay exact."""
    monkeypatch.setattr(ranking, "_CHUNK", 10)  # 2 rows of 5 units per chunk
    rng = np.random.default_rng(3)
    values = rng.integers(0, 4, size=(7, 5)) / 10.0
    values[3, 0] = 1e12  # its chunk spans too many steps: sorted
    codes = np.zeros(5, dtype=np.int64)
    out = rank_rows(values, decimals=1, group_codes=codes, method="dense")
    for row in range(7):
        assert np.array_equal(out[row], _old_rank(values[row], method="dense"))


def test_rounded_values_are_counted_not_sorted(monkeypatch: pytest.MonkeyPatch) -> None:
    """With decimals and no tie-break, rank() never sorts; a tie-break or no decimals does."""

    def no_sort(*args: object) -> IntArray:
        raise AssertionError

    monkeypatch.setattr(ranking, "_rank_by_sorting", no_sort)
    values = np.array([80.25, 91.5, 80.25, 12.0, 100.0])
    groups = np.array(["A", "A", "B", "B", "A"], dtype=object)
    assert rank(values, groups=groups, decimals=2).tolist() == [3, 2, 1, 2, 1]
    assert rank(values, decimals=2, method="dense").tolist() == [3, 2, 3, 4, 1]
    assert rank(values, decimals=2, method="ordinal").tolist() == [3, 2, 4, 5, 1]
    with pytest.raises(AssertionError):
        rank(values, decimals=2, tie_break=[values])
    with pytest.raises(AssertionError):
        rank(values)


@pytest.mark.parametrize("method", METHODS)
def test_many_units_over_many_steps_are_counted_exactly(method: str) -> None:
    """10,000 units, 3 groups × 25,000 steps: codes past 2**16 (two radix passes), counted."""
    rng = np.random.default_rng(11)
    n = 10_000
    values = rng.integers(0, 25_000, n) / 100.0
    values[:2] = [0.0, 249.99]  # the full range of steps
    values[:500] = values[500:1000]  # ties
    groups = np.array([f"huyen-{g}" for g in rng.integers(0, 3, n)], dtype=object)
    ids = np.array([f"xa-{i % 9000:05d}" for i in rng.permutation(n)], dtype=object)  # repeats
    expected = _old_rank(values, groups=groups, method=method, unit_ids=ids)

    def no_sort(*args: object) -> IntArray:
        raise AssertionError

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ranking, "_rank_by_sorting", no_sort)
        got = rank(values, groups=groups, method=method, unit_ids=ids, decimals=2)  # type: ignore[arg-type]
    assert np.array_equal(got, expected)


def test_a_wide_range_of_steps_is_sorted_with_the_same_ranks() -> None:
    """Two units a billion steps apart are not counted (the histogram would be huge)."""
    values = np.array([1e7, 0.01, 1e7])
    assert rank(values, decimals=2).tolist() == [1, 3, 1]
    assert rank(values, decimals=2, method="dense").tolist() == [1, 2, 1]


def test_empty_input_and_unknown_method() -> None:
    """No units give no ranks; an unknown method is refused, naming the three methods."""
    assert rank(np.zeros(0), decimals=2).shape == (0,)
    with pytest.raises(ValueError, match="competition, dense or ordinal"):
        rank(np.ones(3), method="olympic", decimals=2)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="competition, dense or ordinal"):
        rank_rows(np.ones((1, 3)), decimals=2, group_codes=np.zeros(3, dtype=np.int64), method="x")  # type: ignore[arg-type]


def test_code_groups_compares_labels_as_text() -> None:
    """Groups are compared as text (1 and "1" are one group, 1 and 1.0 are two), coded in order."""
    labels = np.array([1, "1", 1.0, "b", None, "a", math.nan, True, "b"], dtype=object)
    codes = code_groups(labels, len(labels))
    assert codes.tolist() == np.unique(labels.astype(str), return_inverse=True)[1].tolist()
    assert codes.tolist() == [0, 0, 1, 5, 2, 4, 6, 3, 5]
    assert code_groups(np.array([3, 1, 3]), 3).tolist() == [1, 0, 1]
    assert code_groups(None, 3).tolist() == [0, 0, 0]

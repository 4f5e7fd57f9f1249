"""compare(): year-on-year changes in points, component index, rank and tier."""

from __future__ import annotations

import numpy as np
from analysis_cases import small_scheme, table
from hypothesis import given
from hypothesis import strategies as st

import parscore as ps
from parscore.testing import measurements_for, schemes, schemes_with_measurements

PREVIOUS = {"a": (5, 0, 9), "b": (6, 1, 10), "d": (1, 0, 1)}
"""a: 14 (70, Khá, rank 2); b: 20 (100, Tốt, 1); d: 2 (10, Yếu, 3)."""


def test_hand_computed_moves(scheme: ps.Scheme, current: ps.Result) -> None:
    """Totals, index, ranks (with their Vietnamese text), tiers and field ranks move as computed."""
    previous = ps.score(scheme, table(PREVIOUS))
    cmp = ps.compare(previous, current)
    assert list(cmp.unit_ids) == ["a", "b"]
    assert cmp.only_previous == ("d",)
    assert cmp.only_current == ("c",)
    assert cmp.total_change.tolist() == [5.0, -5.0]
    assert cmp.index_change.tolist() == [25.0, -25.0]
    assert cmp.rank_change.tolist() == [1, -1]
    assert list(cmp.rank_move) == ["tăng 1 bậc", "giảm 1 bậc"]
    assert list(cmp.tier_previous) == ["Khá", "Tốt"]
    assert cmp.tier_move.tolist() == [1, -1]
    j = cmp.node_ids.index("1.1")
    assert cmp.points_change[:, j].tolist() == [1.0, -3.0]
    f1 = cmp.field_ids.index("1")
    assert cmp.field_rank_previous[:, f1].tolist() == [2, 1]
    assert cmp.field_rank_current[:, f1].tolist() == [1, 2]
    assert cmp.field_rank_change[:, f1].tolist() == [1, -1]
    assert cmp.uncompared_nodes == ()


def test_large_moves_render_in_vietnamese() -> None:
    """A move of 23 places reads "giảm 23 bậc" and one of 7 reads "tăng 7 bậc"."""
    from parscore.analysis._common import rank_change_text

    assert list(rank_change_text(np.array([7, -23, 0]))) == [
        "tăng 7 bậc",
        "giảm 23 bậc",
        "giữ nguyên",
    ]


def test_changed_scheme_compares_shared_nodes(current: ps.Result) -> None:
    """With a new scheme, only shared node ids are compared and the others are listed."""
    old_nodes = [
        ps.Node(
            id="1",
            name="Công tác chỉ đạo",
            children=[
                ps.Node(id="1.1", name="Kế hoạch", max_points=6, rule=ps.Points()),
                ps.Node(id="1.3", name="Kiểm tra", max_points=4, rule=ps.Points()),
            ],
        ),
        ps.Node(
            id="2",
            name="Thủ tục",
            children=[ps.Node(id="2.1", name="Đúng hạn", max_points=10, rule=ps.Points())],
        ),
    ]
    old = small_scheme(id="old", nodes=old_nodes)
    previous = ps.score(old, {"unit_id": ["a"], "1.1": [4], "1.3": [2], "2.1": [9]})
    cmp = ps.compare(previous, current)
    assert cmp.node_ids == ("1", "1.1", "2", "2.1")
    assert cmp.only_previous_nodes == ("1.3",)
    assert cmp.only_current_nodes == ("1.2",)
    assert cmp.points_change[0, cmp.node_ids.index("1.1")] == 2.0
    assert cmp.changed_max_nodes == ()


def test_tables_and_html(scheme: ps.Scheme, current: ps.Result) -> None:
    """to_pandas gives one row per unit (or per unit and node) and the HTML names the moves."""
    cmp = ps.compare(ps.score(scheme, table(PREVIOUS)), current)
    units = cmp.to_pandas()
    assert units["rank_move"].tolist() == ["tăng 1 bậc", "giảm 1 bậc"]
    assert "1.1 Δ" in units.columns
    assert len(cmp.to_pandas("nodes")) == 2 * len(cmp.node_ids)
    assert "tăng 1 bậc" in cmp._repr_html_()


def _same_or_nan(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.array_equal(a, b, equal_nan=True))


@given(case=schemes_with_measurements())
def test_compare_with_itself_is_all_zero(case: tuple[ps.Scheme, dict[str, list[object]]]) -> None:
    """compare(a, a) changes nothing: every change is 0 and every unit "giữ nguyên"."""
    scheme, data = case
    result = ps.score(scheme, data)
    cmp = ps.compare(result, result)
    assert not cmp.total_change.any()
    assert not cmp.index_change.any()
    assert not cmp.rank_change.any()
    assert not cmp.tier_move.any()
    assert not np.nan_to_num(cmp.points_change).any()
    assert not np.nan_to_num(cmp.component_change).any()
    assert not cmp.field_rank_change.any()
    assert set(cmp.rank_move) == {"giữ nguyên"}
    assert cmp.only_previous == cmp.only_current == cmp.uncompared_nodes == ()


@st.composite
def _two_years(draw: st.DrawFn) -> tuple[ps.Result, ps.Result]:
    scheme = draw(schemes(max_nodes=15))
    first = ps.score(scheme, draw(measurements_for(scheme, max_units=15)))
    second = ps.score(scheme, draw(measurements_for(scheme, max_units=15)))
    return first, second


@given(years=_two_years())
def test_compare_is_antisymmetric(years: tuple[ps.Result, ps.Result]) -> None:
    """compare(b, a) is compare(a, b) with every change negated, unit for unit."""
    a, b = years
    ab, ba = ps.compare(a, b), ps.compare(b, a)
    assert set(ab.unit_ids) == set(ba.unit_ids)
    assert ab.only_previous == tuple(u for u in ba.only_current)
    pos = {u: i for i, u in enumerate(ba.unit_ids)}
    order = np.array([pos[u] for u in ab.unit_ids], dtype=np.int64)
    assert np.array_equal(ab.total_change, -ba.total_change[order])
    assert np.array_equal(ab.index_change, -ba.index_change[order])
    assert np.array_equal(ab.rank_change, -ba.rank_change[order])
    assert np.array_equal(ab.tier_move, -ba.tier_move[order])
    assert _same_or_nan(ab.points_change, -ba.points_change[order])
    assert _same_or_nan(ab.component_change, -ba.component_change[order])
    assert np.array_equal(ab.field_rank_change, -ba.field_rank_change[order])

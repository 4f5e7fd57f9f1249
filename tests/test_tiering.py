"""Tiers beyond thresholds: scales by type, caps, quotas (``parscore._tiering``)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import parscore as ps
from parscore._tiering import assign_tiers, quota_limit
from parscore.ranking import rank, ranking_codes

SCALE = ps.TierScale(
    scale=(
        ps.Tier(name="Xuất sắc", min=90, quota=0.2),
        ps.Tier(name="Tốt", min=80, quota=0.5),
        ps.Tier(name="Khá", min=0),
    ),
    caps=(
        ps.TierCap(id="a", name="A", at_most="Tốt"),
        ps.TierCap(id="b", name="B", at_most="Khá"),
    ),
)


def _tiers(
    index: list[float],
    *,
    groups: list[str] | None = None,
    held: list[list[bool]] | None = None,
    scale: ps.TierScale = SCALE,
    method: str = "competition",
) -> tuple[list[str], list[str] | None, list[bool] | None]:
    values = np.array(index, dtype=np.float64)
    group_arr = None if groups is None else np.array(groups, dtype=object)
    codes = ranking_codes(group_arr, None, len(values))
    ranks = rank(values, group_codes=codes, method=method, decimals=2)  # type: ignore[arg-type]
    caps = None if held is None else np.array(held, dtype=bool)
    out = assign_tiers(
        tiers=scale,
        type_ids=(),
        type_codes=None,
        index=values,
        total=values,
        caps_held=caps,
        ranks=ranks,
        group_codes=codes,
    )
    moved = None if out.quota_moved is None else out.quota_moved.tolist()
    capped = None if out.capped_by is None else out.capped_by.tolist()
    return out.tier.tolist(), capped, moved


@pytest.mark.parametrize(
    ("quota", "n", "limit"),
    [
        (0.2, 5, 1),
        (0.2, 4, 0),
        (0.2, 10, 2),
        (0.57, 100, 57),
        (0.3, 10, 3),
        (1, 7, 7),
        (0.1, 30, 3),
    ],
)
def test_quota_limit_is_exact_floor(quota: float, n: int, limit: int) -> None:
    """0.57 × 100 is 56.99999… in floats; the quota as written gives 57."""
    assert quota_limit(quota, n) == limit


def test_quota_keeps_the_best_and_moves_the_rest_down() -> None:
    tiers, _, moved = _tiers([95, 94, 93, 92, 91, 85, 84, 60, 50, 40])
    # 20 % of 10 = 2 Xuất sắc; 50 % of 10 = 5 Tốt: the 3 moved down and 85, 84 are Tốt
    assert tiers == ["Xuất sắc"] * 2 + ["Tốt"] * 5 + ["Khá"] * 3
    assert moved == [False, False, True, True, True, False, False, False, False, False]


def test_units_moved_down_count_against_the_next_quota() -> None:
    tiers, _, moved = _tiers([95, 94, 93, 92, 91, 90, 85, 84, 50, 40])
    # 6 reach Xuất sắc: 2 keep it; 4 move to Tốt, where 85 and 84 make 6 > 5: the last moves
    assert tiers == ["Xuất sắc"] * 2 + ["Tốt"] * 5 + ["Khá"] * 3
    assert moved == [False, False, True, True, True, True, False, True, False, False]


def test_units_tied_at_the_cut_all_move_down() -> None:
    tiers, _, moved = _tiers([95, 95, 70, 70, 70])
    # 20 % of 5 = 1: two tied at 95 cannot both hold it, so neither does
    assert tiers[:2] == ["Tốt", "Tốt"]
    assert moved is not None
    assert moved[:2] == [True, True]


def test_ordinal_ranks_break_the_tie_at_the_cut() -> None:
    tiers, _, _ = _tiers([95, 95, 70, 70, 70], method="ordinal")
    assert tiers[:2] == ["Xuất sắc", "Tốt"]


def test_quota_counts_within_each_group() -> None:
    index = [95, 94, 93, 92, 91, 95, 94, 93, 92, 91]
    groups = ["A"] * 5 + ["B"] * 5
    tiers, _, _ = _tiers(index, groups=groups)
    assert tiers.count("Xuất sắc") == 2
    assert tiers[0] == tiers[5] == "Xuất sắc"


def test_caps_come_before_quotas_and_the_lowest_cap_wins() -> None:
    index = [95, 94, 93, 70, 60]
    held = [[True, False, False, False, False], [True, False, False, True, False]]
    tiers, capped, moved = _tiers(index, held=held)
    # unit 0 is capped at Khá (b is lower than a); unit 1 then holds the 1 Xuất sắc place
    assert tiers[:3] == ["Khá", "Xuất sắc", "Tốt"]
    assert capped == ["b", "", "", "", ""]  # unit 3 is Khá already: b held but did not lower
    assert moved == [False, False, True, False, False]


def test_first_listed_of_equal_caps_is_named() -> None:
    scale = ps.TierScale(
        scale=(ps.Tier(name="Tốt", min=80), ps.Tier(name="Khá", min=0)),
        caps=(
            ps.TierCap(id="x", name="X", at_most="Khá"),
            ps.TierCap(id="y", name="Y", at_most="Khá"),
        ),
    )
    _, capped, moved = _tiers([90], held=[[True], [True]], scale=scale)
    assert capped == ["x"]
    assert moved is None


@given(
    st.lists(st.integers(min_value=0, max_value=20), min_size=1, max_size=40),
    st.sampled_from([0.1, 0.2, 0.25, 0.5, 1.0]),
)
def test_a_quota_is_never_exceeded_and_only_moves_down(values: list[int], quota: float) -> None:
    scale = ps.TierScale(
        scale=(ps.Tier(name="A", min=15, quota=quota), ps.Tier(name="B", min=0)),
    )
    index = [v * 5.0 for v in values]
    tiers, _, moved = _tiers(index, scale=scale)
    assert tiers.count("A") <= quota_limit(quota, len(index))
    assert moved is not None
    for value, tier, was_moved in zip(index, tiers, moved, strict=True):
        assert was_moved == (value >= 15 and tier == "B")
    # among units at or above the bound, everyone kept ranks above everyone moved
    kept = [v for v, t in zip(index, tiers, strict=True) if t == "A"]
    lost = [v for v, m in zip(index, moved, strict=True) if m]
    if kept and lost:
        assert min(kept) > max(lost)


def test_scales_by_type_classify_each_type_on_its_own() -> None:
    scheme = ps.scheme_from_dict(
        {
            "parscore": 1,
            "id": "t",
            "name": "T",
            "unit_types": {"types": ["a", "b"]},
            "tiers": {
                "by_type": {
                    "a": {"scale": [{"name": "Tốt", "min": 50}, {"name": "Yếu", "min": 0}]},
                    "b": {
                        "basis": "total",
                        "scale": [{"name": "Đạt", "above": 1}, {"name": "Chưa đạt", "min": 0}],
                    },
                }
            },
            "nodes": [
                {"id": "1", "name": "Một", "max": 2, "rule": {"kind": "points"}},
                {
                    "id": "2",
                    "name": "Hai",
                    "max": 2,
                    "applies_to": ["a"],
                    "rule": {"kind": "points"},
                },
            ],
        }
    )
    data = {
        "unit_id": ["a1", "a2", "b1", "b2"],
        "type": ["a", "A", "b", "b"],
        "1": [1, 0.5, 1, 2],
        "2": [1, 1, None, None],
    }
    result = ps.score(scheme, data)
    assert result.max.tolist() == [4, 4, 2, 2]
    assert result.tier.tolist() == ["Tốt", "Yếu", "Chưa đạt", "Đạt"]  # b1: total 1 is not above 1
    assert result.rank.tolist() == [1, 2, 2, 1]  # within each type

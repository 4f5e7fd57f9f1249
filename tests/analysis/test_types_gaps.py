"""gaps() with unit types, tier caps and quotas: each unit's own scale, caps, quota places.

The scheme (tests/data/types_caps_quotas.yaml) has sở (so) and huyện (huyen) units, a scale
per type (huyen's best tier Xuất sắc has a 20 % quota), a yes/no cap and a node cap, and
named adjustment items.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import parscore as ps

SCHEME = Path(__file__).resolve().parent.parent / "data" / "types_caps_quotas.yaml"

# unit: (type, 3.1, dung_han of 100, cong_thong_tin, cap:ky_luat, adj:sang_kien, adj:vi_pham)
UNITS: dict[str, tuple[str, int, int | None, int | None, int, int, int]] = {
    "s1": ("so", 1, None, None, 0, 0, 0),  # 100: Tốt
    "s2": ("so", 1, None, None, 1, 0, 0),  # 100, capped (ky_luat): Khá
    "s3": ("so", 0, None, None, 0, 1, 0),  # 1 bonus point / 4 = 25: Yếu
    "s4": ("so", 0, None, None, 0, 0, 0),  # 0: Yếu
    "h01": ("huyen", 1, 95, 1, 0, 0, 0),  # 100: Xuất sắc
    "h02": ("huyen", 1, 95, 1, 0, 0, 1),  # 6.5 / 7 = 92.86: Xuất sắc by the scale
    "h03": ("huyen", 1, 95, 1, 0, 0, 0),  # 100: Xuất sắc by the scale
    "h04": ("huyen", 1, 80, 1, 0, 0, 0),  # 6 / 7 = 85.71: Tốt
    "h05": ("huyen", 1, 80, 0, 0, 0, 0),  # 5 / 7 = 71.43: Khá
    "h06": ("huyen", 0, 95, 1, 0, 0, 0),  # 3 / 7, field 3 below 50: Khá (node cap)
    "h07": ("huyen", 1, 95, 1, 1, 0, 0),  # 100, capped (ky_luat): Khá
    "h08": ("huyen", 1, 95, 1, 0, 0, 0),  # 100
    "h09": ("huyen", 1, 10, 0, 0, 0, 0),  # 4 / 7 = 57.14: Khá
    "h10": ("huyen", 1, 60, 1, 0, 0, 0),  # 5 / 7 = 71.43: Khá
}


def typed_table(
    units: dict[str, tuple[str, int, int | None, int | None, int, int, int]],
) -> dict[str, list[object]]:
    """The input table of *units* (columns of every input, cap and item)."""
    rows = list(units.items())
    huyen = [u[0] == "huyen" for _, u in rows]
    return {
        "unit_id": [k for k, _ in rows],
        "loai_don_vi": [u[0] for _, u in rows],
        "3.1": [u[1] for _, u in rows],
        "8.1:dung_han": [u[2] for _, u in rows],
        "8.1:tong_so": [100 if h else None for h in huyen],
        "8.2:cong_thong_tin": [u[3] for _, u in rows],
        "8.2:bang_tin": [0 if h else None for h in huyen],
        "8.2:loa": [0 if h else None for h in huyen],
        "cap:ky_luat": [u[4] for _, u in rows],
        "adj:sang_kien": [u[5] for _, u in rows],
        "adj:vi_pham": [u[6] for _, u in rows],
    }


@pytest.fixture(scope="module")
def typed_scheme() -> ps.Scheme:
    return ps.load_scheme(SCHEME)


@pytest.fixture(scope="module")
def result(typed_scheme: ps.Scheme) -> ps.Result:
    return ps.score(typed_scheme, typed_table(UNITS))


def _at(result: ps.Result, unit: str) -> int:
    return int(np.flatnonzero(result.unit_ids == unit)[0])


def test_the_case_is_what_the_tests_expect(result: ps.Result) -> None:
    """10 huyện: the 20 % quota keeps 2 Xuất sắc; h01, h03 and h08 tie at the cut at 100."""
    tier = dict(zip(result.unit_ids, result.tier, strict=True))
    assert tier["s1"] == "Tốt"
    assert tier["s2"] == "Khá"
    assert tier["h07"] == "Khá"
    assert result.capped_by is not None
    assert result.capped_by[_at(result, "h07")] == "ky_luat"
    assert result.quota_moved is not None
    moved = set(result.unit_ids[result.quota_moved])
    assert moved == {"h01", "h02", "h03", "h08"}  # three tie at the cut: all move down
    assert tier["h06"] == "Khá"


def test_targets_use_the_units_own_scale(result: ps.Result) -> None:
    """A sở unit aims at its scale's tiers (Tốt above 80), a huyện unit at its own."""
    g = ps.gaps(result)
    s4 = _at(result, "s4")
    assert g.target_tier[s4] == "Khá"  # so: Tốt > 80, Khá ≥ 65, Yếu ≥ 0
    assert g.target_nodes[s4] == ("3.1",)
    h05 = _at(result, "h05")
    assert g.target_tier[h05] == "Tốt"  # huyen: Xuất sắc ≥ 90, Tốt ≥ 80, Khá ≥ 0
    assert g.points_needed[h05] == pytest.approx(0.6)  # 80 % of 7 = 5.6 points, from 5
    assert g.unit_types is not None
    assert list(g.unit_types) == [u[0] for u in UNITS.values()]
    assert g.tier_names == ("Xuất sắc", "Tốt", "Khá", "Yếu")


def test_a_yes_no_cap_blocks_the_target(result: ps.Result) -> None:
    """A unit whose yes/no cap holds cannot rise above at_most: no target, the cap named."""
    g = ps.gaps(result)
    for unit in ("s2", "h07"):
        u = _at(result, unit)
        assert g.blocked_by is not None
        assert g.blocked_by[u] == "ky_luat"
        assert g.target_tier[u] is None
        assert g.target_nodes[u] is None
        assert math.isnan(g.points_needed[u])
        assert not g.reachable[u]
    frame = g.to_pandas("targets").set_index("unit_id")
    assert frame.loc["h07", "blocked_by"] == "ky_luat"
    assert frame.loc["h07", "type"] == "huyen"


def test_a_node_cap_target_lifts_the_node(result: ps.Result) -> None:
    """Under a node cap the target raises the node above its bound; re-scored, it holds."""
    g = ps.gaps(result)
    u = _at(result, "h06")
    assert g.target_tier[u] == "Tốt"
    assert g.lifted_caps is not None
    assert g.lifted_caps[u] == ("tthc_yeu",)
    assert "3.1" in g.target_nodes[u]
    assert g.reachable[u]
    # 80 % of 7 = 5.6 points from 3 (the lift alone, field 3 to 50 % of 4, needs 2)
    assert g.points_needed[u] == pytest.approx(2.6)
    better = ps.what_if(result, {"h06": {"3.1": 1}})
    assert better.tier[u] in {"Xuất sắc", "Tốt"}
    assert better.capped_by is not None
    assert better.capped_by[u] == ""


def test_a_quota_target_names_the_last_place(result: ps.Result) -> None:
    """A unit moved by a quota reaches the bound already: the target says the quota limits it."""
    g = ps.gaps(result)
    assert g.quota_limited is not None
    assert g.quota_value is not None
    h02 = _at(result, "h02")
    assert result.tier[h02] == "Tốt"
    assert g.target_tier[h02] == "Xuất sắc"
    assert g.points_needed[h02] == 0.0
    assert g.target_nodes[h02] == ()
    assert g.quota_limited[h02]
    # no huyện holds Xuất sắc (three tie at the cut): no last place to beat
    assert math.isnan(g.quota_value[h02])
    h04 = _at(result, "h04")
    assert g.target_tier[h04] == "Xuất sắc"
    assert g.points_needed[h04] == pytest.approx(0.3)  # 90 % of 7 = 6.3 points, from 6
    assert g.quota_limited[h04]
    assert not g.quota_limited[_at(result, "h05")]  # Tốt has no quota
    frame = g.to_pandas("targets")
    assert {"quota_limited", "quota_value", "blocked_by", "lifted_caps", "type"} <= set(frame)


def test_quota_value_is_the_last_holder(typed_scheme: ps.Scheme) -> None:
    """With holders in the group, quota_value is the index of the last unit holding the tier."""
    units = dict(UNITS)
    units["h03"] = ("huyen", 1, 95, 0, 0, 0, 0)  # 85.71: h01 and h08 at 100 keep Xuất sắc
    result = ps.score(typed_scheme, typed_table(units))
    assert result.tier[_at(result, "h01")] == "Xuất sắc"
    g = ps.gaps(result)
    assert g.quota_value is not None
    h02 = _at(result, "h02")
    assert g.quota_value[h02] == 100.0
    assert g.quota_value[_at(result, "h04")] == 100.0
    assert "quota" in g._repr_html_()


def test_every_analysis_runs_on_a_scale_by_type_only(result: ps.Result) -> None:
    """tiers.scale is empty (by_type holds the scales): no analysis reads it."""
    assert result.scheme.tiers.scale == ()
    g = ps.gaps(result)
    assert "held below their next tier by a cap" in g._repr_html_()
    assert len(g.to_pandas("units")) > 0
    assert list(g.to_pandas("nodes").columns[:2]) == ["unit_id", "type"]
    same = ps.what_if(result, {})
    np.testing.assert_array_equal(same.tier, result.tier)
    rec = ps.analysis.reconcile(result, result)
    assert len(rec.to_pandas()) > 0


def test_v1_targets_have_no_type_cap_or_quota_columns(current: ps.Result) -> None:
    """A v1 scheme's targets table keeps its v1 columns."""
    g = ps.gaps(current)
    assert g.blocked_by is None
    assert g.quota_limited is None
    assert g.unit_types is None
    assert list(g.to_pandas("targets").columns) == [
        "unit_id",
        "tier",
        "target_tier",
        "points_needed",
        "target_nodes",
        "target_points",
        "reachable",
    ]

"""DESIGN §7a verbatim: the additions' syntax loads, scores and explains, checked by hand.

``tests/data/design_7.yaml`` and ``design_7a.yaml`` are the two YAML blocks of DESIGN §7 and
§7a, copied verbatim. §7a is written as additions to §7: its keys replace §7's, and its node
"8" replaces §7's node "8" (the cap ``tthc_yeu`` names §7's node "3").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

import parscore as ps

DATA = Path(__file__).parent / "data"


def design_scheme() -> dict[str, Any]:
    base = yaml.safe_load((DATA / "design_7.yaml").read_text("utf-8"))
    additions = yaml.safe_load((DATA / "design_7a.yaml").read_text("utf-8"))
    for key, value in additions.items():
        if key == "nodes":
            by_id = {n["id"]: n for n in value}
            base["nodes"] = [by_id.pop(n["id"], n) for n in base["nodes"]] + list(by_id.values())
        else:
            base[key] = value
    return base  # type: ignore[no-any-return]


FULL = {
    "1.1": "kip_thoi",
    "1.2": 100,
    "1.3": 1,
    "3.1:on_time": 100,
    "3.1:received": 100,
    "3.2": 0,
    "3.3": 2,
    "8.1:dung_han": 9,
    "8.1:tong_so": 10,
    "8.2:cong_thong_tin": 0,
    "8.2:bang_tin": 1,
    "8.2:loa": 0,
    "cap:ky_luat": 0,
    "adj:sang_kien": 0,
    "adj:vi_pham": 0,
}
SO_ONLY = {k: None for k in FULL if k.startswith("8.")}

UNITS: dict[str, tuple[str, dict[str, object]]] = {
    # sở: node 8 does not apply (its cells left empty); max 17
    "so1": ("so", {**SO_ONLY, "3.1:on_time": 90, "3.2": 1, "adj:sang_kien": 1}),
    "so2": ("so", {**SO_ONLY, "3.1:on_time": 90, "3.2": 1, "cap:ky_luat": "có"}),
    "so3": ("so", {**SO_ONLY, "3.1:on_time": 10, "3.2": 4, "3.3": 0}),
    # huyện: max 20; at most 20 % of 5 = 1 Xuất sắc
    "h1": ("huyen", {}),
    "h2": ("huyen", {"3.3": 1}),
    "h3": ("huyen", {"3.3": 1}),
    "h4": ("huyen", {"3.3": 0, "8.2:bang_tin": 0}),
    "h5": ("huyen", {"3.1:on_time": 50, "8.1:dung_han": 0, "8.1:tong_so": 0, "adj:vi_pham": 2}),
}


def _table() -> dict[str, list[object]]:
    columns: dict[str, list[object]] = {"unit_id": [], "loai_don_vi": []}
    for unit, (kind, changes) in UNITS.items():
        columns["unit_id"].append(unit)
        columns["loai_don_vi"].append(kind)
        for key, value in {**FULL, **changes}.items():
            columns.setdefault(key, []).append(value)
    return columns


@pytest.fixture(scope="module")
def scheme() -> ps.Scheme:
    return ps.scheme_from_dict(design_scheme())


@pytest.fixture(scope="module")
def result(scheme: ps.Scheme) -> ps.Result:
    return ps.score(scheme, _table())


def test_design_7a_loads_with_every_addition(scheme: ps.Scheme) -> None:
    assert scheme.unit_types is not None
    assert scheme.unit_types.column == "loai_don_vi"
    assert scheme.unit_types.ids == ("so", "huyen")
    assert scheme.node("8").applies_to == ("huyen",)
    assert [k for k, _ in scheme.tiers.by_type] == ["so", "huyen"]
    assert scheme.tiers.for_type("so").scale[0].above == 80
    assert scheme.tiers.for_type("huyen").scale[0].quota == pytest.approx(0.2)
    assert [c.id for c in scheme.tiers.caps] == ["ky_luat", "tthc_yeu"]
    assert scheme.tiers.caps[1].node == "3"
    assert [i.id for i in scheme.adjustments.items] == ["sang_kien", "vi_pham"]
    assert scheme.max_points_for("so") == 17
    assert scheme.max_points_for("huyen") == 20


def test_design_7a_round_trips(scheme: ps.Scheme) -> None:
    again = ps.scheme_from_dict(ps.io.scheme_to_dict(scheme))
    assert again == scheme
    assert ps.fingerprint(again) == ps.fingerprint(scheme)


def _row(result: ps.Result, unit: str) -> int:
    return int(np.flatnonzero(result.measurements.unit_ids == unit)[0])


@pytest.mark.parametrize(
    ("unit", "total", "max_", "tier", "rank"),
    [
        # 1 + 2 + 1 + 9 (90/100 of 10) + 0.75 (one late: -0.25) + 2 = 15.75, + 1 bonus
        ("so1", 16.75, 17, "Tốt", 1),
        # the same points without the bonus: Tốt by its index, capped at Khá
        ("so2", 15.75, 17, "Khá", 2),
        # 1 + 0 + 0 = 1 of 13 in field 3 (7.69 % < 50 %: capped) and Yếu anyway
        ("so3", 5.0, 17, "Yếu", 3),
        ("h1", 20.0, 20, "Xuất sắc", 1),
        # 95 reaches Xuất sắc, but h1 holds the only place: tied at 95, both move down
        ("h2", 19.0, 20, "Tốt", 2),
        ("h3", 19.0, 20, "Tốt", 2),
        # no form of publicity (need: any): 8.2 gives 0; 3.3 gives 0
        ("h4", 17.0, 20, "Tốt", 4),
        # 5 for 3.1, a zero denominator in 8.1 is full (2), less 2 cases × 0.5
        ("h5", 14.0, 20, "Khá", 5),
    ],
)
def test_design_7a_scores_by_hand(  # noqa: PLR0917 - the parameters of one case
    result: ps.Result, unit: str, total: float, max_: float, tier: str, rank: int
) -> None:
    i = _row(result, unit)
    assert result.total[i] == total
    assert result.max[i] == max_
    assert result.index[i] == round(total / max_ * 100 + 1e-9, 2)
    assert result.tier[i] == tier
    assert result.rank[i] == rank


def test_design_7a_says_what_moved_each_tier(result: ps.Result) -> None:
    assert result.unit_types is not None
    assert list(result.unit_types) == [kind for kind, _ in UNITS.values()]
    assert result.capped_by is not None
    assert result.quota_moved is not None
    assert result.scale_tier is not None
    moved = dict(zip(result.measurements.unit_ids, result.quota_moved, strict=True))
    assert moved == {u: u in ("h2", "h3") for u in UNITS}
    capped = dict(zip(result.measurements.unit_ids, result.capped_by, strict=True))
    assert capped == {u: "ky_luat" if u == "so2" else "" for u in UNITS}
    assert result.caps_held is not None
    held = result.caps_held[:, _row(result, "so3")]
    assert held.tolist() == [False, True]  # field 3 under 50 %, though Yếu already
    assert result.scale_tier[_row(result, "so2")] == "Tốt"
    assert result.items["sang_kien"][_row(result, "so1")] == 1.0
    assert result.items["vi_pham"][_row(result, "h5")] == 1.0
    assert result.penalty is not None
    assert result.penalty[_row(result, "h5")] == 1.0


def test_design_7a_explains(result: ps.Result) -> None:
    for unit in UNITS:
        text = str(result.explain(unit))
        assert unit in text

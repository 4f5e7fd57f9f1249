"""The engine agrees with the oracle on schemes using the additions of issue 10.

Unit types (applies_to, a scale per type), tier caps (a yes/no column or a node's index),
quotas and named adjustment items, drawn by ``parscore.testing`` with ``additions=True``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import parscore as ps
import reference
from parscore.testing import ADDITIONS, Columns, schemes, schemes_with_measurements
from test_properties import _assert_matches_reference


def _float(x: object) -> float:
    return float(x)  # type: ignore[arg-type]


def _assert_matches(result: ps.Result, ref: reference.Ref) -> None:
    """Every reported number and label of the engine equals the oracle's."""
    scheme = result.scheme
    _assert_matches_reference(result, ref)  # points, maxima, total, index, tier, rank
    caps = scheme.tiers.caps
    staged = bool(caps) or scheme.tiers.has_quota  # the model and the engine agree
    for i, unit in enumerate(ref.units):
        where = (unit.unit_id, unit.type_id)
        if scheme.unit_types is None:
            assert result.unit_types is None
        else:
            assert result.unit_types is not None
            assert result.unit_types[i] == unit.type_id, where
        if staged:
            assert result.scale_tier is not None
            assert result.scale_tier[i] == unit.scale_tier, where
        else:
            assert result.scale_tier is None
        if caps:
            assert result.caps_held is not None
            assert result.capped_by is not None
            held = [bool(result.caps_held[k][i]) for k in range(len(caps))]
            assert held == [unit.caps_held[c.id] for c in caps], where
            assert result.capped_by[i] == unit.capped_by, where
        elif result.capped_by is not None:
            assert result.capped_by[i] == "", where
        if result.quota_moved is not None:
            assert bool(result.quota_moved[i]) == unit.quota_moved, where
        else:
            assert not unit.quota_moved, where
        for name in ("bonus", "penalty"):
            got = getattr(result, name)
            want = getattr(unit, name)
            assert (0.0 if got is None else got[i]) == _float(want), (where, name)
        for item_id, want in unit.items.items():
            got_items: Mapping[str, np.ndarray] = result.items
            got = got_items[item_id][i] if item_id in got_items else 0.0
            assert got == _float(want), (where, item_id)


# a ranking group of 5 tied at the top of a 20% quota: floor(0.2 x 5) = 1 place and two
# units tied for it, so both move to the next tier (the tier never exceeds its quota)
_TIED_AT_THE_CUT = ps.Scheme(
    id="tied-at-the-cut",
    name="Hạn ngạch",
    nodes=[ps.Node(id="1", name="Điểm chấm", max_points=10, rule=ps.Points())],
    tiers=ps.TierScale(
        scale=[
            ps.Tier(name="Xuất sắc", min=90, quota=0.2),
            ps.Tier(name="Tốt", min=80, quota=0.4),
            ps.Tier(name="Khá", min=0),
        ]
    ),
)
_TIED_DATA: Columns = {
    "unit_id": ["a", "b", "c", "d", "e"],
    "1": [9.5, 9.5, 9.0, 8.5, 8.0],
}

# sở and huyện in one file: criterion 2 applies to huyện only; each type its own scale; a
# cap from a column and one from node 1's index; a per-count penalty item and a bonus item
_TYPED = ps.Scheme(
    id="typed",
    name="Sở và huyện",
    unit_types=ps.UnitTypes(
        types=[ps.UnitType(id="so", name="Sở, ban, ngành"), ps.UnitType(id="huyen")]
    ),
    nodes=[
        ps.Node(id="1", name="Chỉ đạo", max_points=4, rule=ps.Points()),
        ps.Node(id="2", name="Tác động", max_points=6, rule=ps.Points(), applies_to=["huyen"]),
    ],
    tiers=ps.TierScale(
        by_type={
            "so": ps.TierScale(scale=[ps.Tier(name="Tốt", above=80), ps.Tier(name="Khá", min=0)]),
            "huyen": ps.TierScale(
                scale=[
                    ps.Tier(name="Xuất sắc", min=90, quota=0.5),
                    ps.Tier(name="Tốt", min=80),
                    ps.Tier(name="Khá", min=0),
                ]
            ),
        },
        caps=[
            ps.TierCap(id="ky_luat", name="Kỷ luật", at_most="Khá"),
            ps.TierCap(
                id="chi_dao", name="Chỉ đạo dưới 50%", node="1", index_below=50, at_most="Khá"
            ),
        ],
    ),
    adjustments=ps.Adjustments(
        bonus=ps.Adjustment(max=1),
        items=[
            ps.AdjustmentItem(id="sang_kien", name="Sáng kiến", sign="bonus", max=0.75),
            ps.AdjustmentItem(id="vi_pham", name="Vi phạm", sign="penalty", per=0.5, max=2),
        ],
    ),
)
_TYPED_DATA: Columns = {
    "unit_id": ["s1", "s2", "h1", "h2", "h3"],
    "type": ["so", "SỞ, BAN, NGÀNH", "huyen", "Huyen", "huyen"],
    "1": [3.5, 4.0, 4.0, 1.5, 4.0],
    "2": [None, "", 6.0, 6.0, 5.0],
    "bonus": [0.5, None, 0.5, 0.5, 0.0],
    "cap:ky_luat": [0, "có", None, 0, 0],
    "adj:sang_kien": [1.0, 0.25, None, 0.75, 0.5],
    "adj:vi_pham": [1, 0, 0, 0, 5],
}


@settings(deadline=None)
@given(case=schemes_with_measurements(additions=True))
@example(case=(_TIED_AT_THE_CUT, _TIED_DATA))
@example(case=(_TYPED, _TYPED_DATA))
def test_engine_matches_reference_with_additions(case: tuple[ps.Scheme, Columns]) -> None:
    """Points, totals, tiers (per type, capped, under quotas), ranks, adjustments: all agree."""
    scheme, data = case
    _assert_matches(ps.score(scheme, data), reference.score(scheme, data))


@given(case=schemes_with_measurements(additions=True, max_units=15), data=st.data())
def test_permuting_units_permutes_tiers_caps_and_quotas(
    case: tuple[ps.Scheme, Columns], data: st.DataObject
) -> None:
    """Quotas and ranks depend on the units' values and ids, never on their order."""
    scheme, columns = case
    n = len(columns["unit_id"])
    order = data.draw(st.permutations(range(n)))
    shuffled = {k: [v[i] for i in order] for k, v in columns.items()}
    a, b = ps.score(scheme, columns), ps.score(scheme, shuffled)
    for name in ("tier", "rank", "scale_tier", "capped_by", "quota_moved", "bonus", "penalty"):
        got, want = getattr(b, name), getattr(a, name)
        if want is None:
            assert got is None, name
        else:
            np.testing.assert_array_equal(got, want[order], err_msg=name)
    for item_id, pts in a.items.items():
        np.testing.assert_array_equal(b.items[item_id], pts[order], err_msg=item_id)


def test_tied_at_the_cut_all_move_down() -> None:
    """The oracle's quota rule, by hand: the two tied at the top both leave Xuất sắc."""
    ref = reference.score(_TIED_AT_THE_CUT, _TIED_DATA)
    assert [u.tier for u in ref.units] == ["Tốt", "Tốt", "Khá", "Khá", "Khá"]
    # 80 is Tốt by the scale, but Tốt keeps floor(0.4 x 5) = 2 (a and b, moved down to it)
    assert [u.scale_tier for u in ref.units] == ["Xuất sắc"] * 3 + ["Tốt"] * 2
    assert [u.quota_moved for u in ref.units] == [True] * 5


def test_typed_example_by_hand() -> None:
    """The oracle on the sở / huyện example, worked out by hand."""
    ref = reference.score(_TYPED, _TYPED_DATA).by_id()
    s1, s2, h1, h2, h3 = (ref[k] for k in ("s1", "s2", "h1", "h2", "h3"))
    assert [u.type_id for u in (s1, s2, h1)] == ["so", "so", "huyen"]
    # s1: 3.5 + min(0.5 + min(1, 0.75), 1) - 0.5 = 4 of 4 (clipped): 100 > 80, Tốt
    assert (s1.bonus, s1.penalty, s1.total, s1.tier) == (
        Decimal(1),
        Decimal("0.5"),
        Decimal(4),
        "Tốt",
    )
    assert s1.items == {"sang_kien": Decimal("0.75"), "vi_pham": Decimal("0.5")}
    # s2: capped by ky_luat from a column
    assert (s2.scale_tier, s2.tier, s2.capped_by) == ("Tốt", "Khá", "ky_luat")
    # huyện: h1 10/10; h2 7.5 + 1 (bonus capped) = 8.5, Tốt, but node 1 at 1.5 of 4 (37.5%
    # < 50) caps it; h3 9 - 2 (5 cases of 0.5, capped at 2) + 0.5 = 7.5 of 10
    assert (h1.index, h1.tier, h1.rank) == (Decimal(100), "Xuất sắc", 1)
    assert (h2.index, h2.scale_tier, h2.tier, h2.capped_by) == (
        Decimal(85),
        "Tốt",
        "Khá",
        "chi_dao",
    )
    assert (h3.penalty, h3.total, h3.tier, h3.rank) == (Decimal(2), Decimal("7.5"), "Khá", 3)
    assert s1.rank == 1  # ranks within each type
    assert s2.rank == 1


@given(scheme=schemes(additions=True))
def test_every_type_has_an_applicable_leaf(scheme: ps.Scheme) -> None:
    """Generated schemes are valid and give each type a criterion with points."""
    if scheme.unit_types is not None:
        for t in scheme.unit_types.ids:
            assert scheme.max_points_for(t) > 0


def test_additions_by_name() -> None:
    """A set of names chooses the additions; an unknown name is refused."""
    assert set(ADDITIONS) == {"unit_types", "caps", "quotas", "items"}

    @settings(max_examples=5, database=None)
    @given(scheme=schemes(additions={"items"}))
    def only_items(scheme: ps.Scheme) -> None:
        assert scheme.unit_types is None
        assert not scheme.tiers.caps
        assert not scheme.tiers.has_quota

    only_items()

    @settings(max_examples=1, database=None)
    @given(scheme=schemes(additions={"typo"}))
    def typo(scheme: ps.Scheme) -> None:
        del scheme

    with pytest.raises(ValueError, match="no such addition: typo"):
        typo()


def test_the_strategy_draws_every_addition() -> None:
    """In a few dozen draws, each addition and each way of writing its cells shows up."""
    seen: set[str] = set()

    @settings(max_examples=60, deadline=None, database=None, derandomize=True)
    @given(case=schemes_with_measurements(additions=True, max_units=10))
    def draw(case: tuple[ps.Scheme, Columns]) -> None:
        scheme, data = case
        tiers = scheme.tiers
        features = {
            "unit_types": scheme.unit_types is not None,
            "applies_to": any(n.applies_to is not None for n in scheme.walk()),
            "by_type": bool(tiers.by_type),
            "no scale for all": not tiers.scale,
            "column cap": any(c.node is None for c in tiers.caps),
            "node cap": any(c.node is not None for c in tiers.caps),
            "quota": tiers.has_quota,
            "item per count": any(i.per is not None for i in scheme.adjustments.items),
            "item in points": any(i.per is None for i in scheme.adjustments.items),
            "cap column": any(k.startswith("cap:") for k in data),
            "adj column": any(k.startswith("adj:") for k in data),
            "type by name": scheme.unit_types is not None
            and any(
                str(cell).casefold() not in scheme.unit_types.ids
                for cell in data[scheme.unit_types.column]
            ),
        }
        seen.update(k for k, v in features.items() if v)

    draw()
    assert seen == {
        "unit_types",
        "applies_to",
        "by_type",
        "no scale for all",
        "column cap",
        "node cap",
        "quota",
        "item per count",
        "item in points",
        "cap column",
        "adj column",
        "type by name",
    }

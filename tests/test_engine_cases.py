"""Hand-computed cases from DOMAIN.md's rule table: every expected number is worked out here."""

from __future__ import annotations

import attrs
import numpy as np
import pytest

import parscore as ps

TIERS = ps.TierScale(
    scale=[
        ps.Tier(name="Tốt", min=80),
        ps.Tier(name="Khá", min=70),
        ps.Tier(name="Trung bình", min=50),
        ps.Tier(name="Yếu", min=0),
    ]
)


def _scheme(*nodes: ps.Node, **options: object) -> ps.Scheme:
    return ps.Scheme(id="hand-case", name="Ví dụ tính tay", nodes=nodes, tiers=TIERS, **options)  # type: ignore[arg-type]


def _leaf(node_id: str, max_points: float, rule: ps.Rule, **options: object) -> ps.Node:
    return ps.Node(
        id=node_id, name=f"Tiêu chí {node_id}", max_points=max_points, rule=rule, **options
    )  # type: ignore[arg-type]


def _points(node_id: str, max_points: float) -> ps.Node:
    return _leaf(node_id, max_points, ps.Points())


TIMELINESS = ps.Choice(options={"kip_thoi": 1, "khong_kip_thoi": 0.5, "khong_ban_hanh": 0})


def test_timeliness_choice_gives_one_half_or_zero() -> None:
    """'Ban hành kịp thời: 1 / không kịp thời: 0,5 / Không ban hành: 0', by name or position."""
    scheme = _scheme(_leaf("1.1", 1, TIMELINESS))
    data = {
        "unit_id": ["a", "b", "c", "d", "e"],
        "1.1": ["kip_thoi", "Khong_Kip_Thoi", "khong_ban_hanh", 1, 0],
    }
    result = ps.score(scheme, data)
    assert result.points["1.1"].tolist() == [1.0, 0.5, 0.0, 0.5, 1.0]


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        (100, 2.0),
        (90.0001, 2.0),
        (90, 1.0),  # "trên 90%" is strict: exactly 90 earns 1, not 2
        (89.99, 1.0),
        (70, 1.0),  # "từ 70%-90%" includes 70
        (69.99, 0.0),
        (0, 0.0),
    ],
)
def test_bands_at_their_edges(rate: float, expected: float) -> None:
    """'trên 90%: 2 / từ 70%–90%: 1 / dưới 70%: 0' treats each edge as written."""
    rule = ps.Bands(bands=[ps.Band(gt=90, points=2), ps.Band(ge=70, le=90, points=1)])
    result = ps.score(_scheme(_leaf("1.2", 2, rule)), {"unit_id": ["a"], "1.2": [rate]})
    assert result.points["1.2"][0] == expected


def test_zero_denominators_follow_when_empty() -> None:
    """A zero denominator earns full points, zero, or leaves the criterion out of the max."""
    scheme = _scheme(
        ps.Node(
            id="3",
            name="Cải cách thủ tục hành chính",
            children=[
                _leaf("3.1", 10, ps.Ratio(inputs=["on_time", "received"], when_empty="full")),
                _leaf("3.2", 10, ps.Ratio(inputs=["on_time", "received"], when_empty="zero")),
                _leaf(
                    "3.3",
                    10,
                    ps.Ratio(inputs=["on_time", "received"], when_empty="not_applicable"),
                ),
                _points("3.4", 10),
            ],
        )
    )
    data = {
        "unit_id": ["empty", "busy"],
        "3.1:on_time": [0, 3],
        "3.1:received": [0, 4],
        "3.2:on_time": [0, 1],
        "3.2:received": [0, 3],
        "3.3:on_time": [0, 8],
        "3.3:received": [0, 8],
        "3.4": [5, 5],
    }
    result = ps.score(scheme, data)
    # empty: 10 + 0 + (n/a) + 5 = 15 of 30 = 50 %
    # busy: 10×3/4 + 10×1/3 + 10 + 5 = 7.5 + 3.333… + 10 + 5 = 25.8333… of 40 = 64.5833… %
    assert result.points["3.1"].tolist() == [10.0, 7.5]
    assert result.points["3.2"].tolist() == [0.0, 3.33]
    assert result.points["3.3"].tolist() == [0.0, 10.0]
    assert result.node_max_points["3.3"].tolist() == [0.0, 10.0]
    assert result.total.tolist() == [15.0, 25.83]
    assert result.max.tolist() == [30.0, 40.0]
    assert result.index.tolist() == [50.0, 64.58]


@pytest.mark.parametrize(
    ("floor", "count", "expected"),
    [
        (0, 0, 1.0),
        (0, 3, 0.25),
        (0, 4, 0.0),
        (0, 10, 0.0),  # past the floor: stays at 0
        (-1, 6, -0.5),  # "bị 0 điểm và bị trừ 0,25 điểm": below the item's own zero
        (-1, 8, -1.0),
        (-1, 20, -1.0),  # past a negative floor: stays at the floor
    ],
)
def test_deductions_stop_at_the_floor(floor: float, count: int, expected: float) -> None:
    """max(1 - 0.25 × count, floor), and a negative leaf lowers its parents and the total."""
    scheme = _scheme(
        ps.Node(
            id="3",
            name="Lĩnh vực 3",
            children=[_leaf("3.2", 1, ps.Deduction(per=0.25, floor=floor)), _points("3.3", 2)],
        )
    )
    result = ps.score(scheme, {"unit_id": ["a"], "3.2": [count], "3.3": [2]})
    assert result.points["3.2"][0] == expected
    assert result.points["3"][0] == 2 + expected
    assert result.total[0] == 2 + expected


def test_survey_with_options_worth_100_60_20_0() -> None:
    """5 × (10×100 + 5×60 + 3×20 + 2×0) / (100 × 20) = 3.4; no answers at all is n/a."""
    scheme = _scheme(
        _leaf("8.1", 5, ps.Survey(options={"A": 100, "B": 60, "C": 20, "D": 0})),
        _points("8.2", 5),
    )
    data = {
        "unit_id": ["answered", "silent"],
        "8.1:A": [10, 0],
        "8.1:B": [5, 0],
        "8.1:C": [3, 0],
        "8.1:D": [2, 0],
        "8.2": [5, 4],
    }
    result = ps.score(scheme, data)
    assert result.points["8.1"].tolist() == [3.4, 0.0]
    assert result.max.tolist() == [10.0, 5.0]
    assert result.index.tolist() == [84.0, 80.0]


def test_not_applicable_reduces_the_max() -> None:
    """DOMAIN.md: 68.32 points of an applicable 84 (16 of 100 do not apply) is 81.33 %."""
    scheme = _scheme(_points("1", 50), _points("2", 34), _points("3", 16))
    result = ps.score(scheme, {"unit_id": ["a"], "1": [40], "2": [28.32], "3": ["KAD"]})
    assert result.total[0] == 68.32
    assert result.max[0] == 84.0
    assert result.index[0] == 81.33  # 68.32 / 84 × 100 = 81.333…
    assert result.tier[0] == "Tốt"


def test_index_79_995_rounds_up_to_the_tier_at_80() -> None:
    """An exact total of 79.995 (a float sum of 79.99499…) rounds to 80.00 and is Tốt."""
    scheme = _scheme(_points("1", 20), _points("2", 80))
    data = {"unit_id": ["edge", "below"], "1": [0.02, 0.02], "2": [79.975, 79.9749]}
    result = ps.score(scheme, data)
    # 0.02 + 79.975 is 79.99499999999999 in floats, exactly 79.995 in decimals
    assert result.total.tolist() == [80.0, 79.99]
    assert result.index.tolist() == [80.0, 79.99]
    assert result.tier.tolist() == ["Tốt", "Khá"]


def test_ratio_of_79_995_percent_is_tot() -> None:
    """100 × 15999 / 20000 = 79.995 exactly, so the index is 80.00 and the tier Tốt."""
    scheme = _scheme(_leaf("1", 100, ps.Ratio(inputs=["on_time", "received"])))
    result = ps.score(scheme, {"unit_id": ["a"], "1:on_time": [15999], "1:received": [20000]})
    assert result.index[0] == 80.0
    assert result.tier[0] == "Tốt"


def test_tier_basis_total_uses_the_rounded_total() -> None:
    """With tiers on total points, 79.995 points of a 120-point scheme are Tốt (≥ 80)."""
    tiers = ps.TierScale(
        scale=[ps.Tier(name="Tốt", min=80), ps.Tier(name="Yếu", min=0)], basis="total"
    )
    scheme = ps.Scheme(
        id="by-total",
        name="Theo tổng điểm",
        nodes=[_points("1", 20), _points("2", 100)],
        tiers=tiers,
    )
    result = ps.score(scheme, {"unit_id": ["a", "b"], "1": [0.02, 0.02], "2": [79.975, 79.9749]})
    assert result.tier.tolist() == ["Tốt", "Yếu"]


def test_exact_halves_from_ratios_round_up() -> None:
    """1/3 + 1/6 of a point is exactly 0.5 (rounds to 1), and 2.25 × 1/3 is 0.75 (to 0.8)."""
    rule = ps.Ratio(inputs=["done", "planned"])
    scheme = _scheme(
        ps.Node(id="1", name="Lĩnh vực 1", children=[_leaf("1.1", 1, rule), _leaf("1.2", 1, rule)]),
        _leaf("2", 2.25, rule),
        rounding=ps.Rounding(decimals=0),
    )
    data = {
        "unit_id": ["a"],
        "1.1:done": [1],
        "1.1:planned": [3],
        "1.2:done": [1],
        "1.2:planned": [6],
        "2:done": [1],
        "2:planned": [3],
    }
    assert ps.score(scheme, data).points["1"][0] == 1.0
    one_decimal = attrs.evolve(scheme, rounding=ps.Rounding(decimals=1))
    assert ps.score(one_decimal, data).points["2"][0] == 0.8


def test_published_total_can_differ_from_the_sum_of_rounded_parts() -> None:
    """Report rounding: 1.005 + 1.005 shows as 1.01 + 1.01 but totals 2.01, as published."""
    scheme = _scheme(
        ps.Node(id="1", name="Lĩnh vực 1", children=[_points("1.1", 5), _points("1.2", 5)])
    )
    result = ps.score(scheme, {"unit_id": ["a"], "1.1": [1.005], "1.2": [1.005]})
    assert result.points["1.1"][0] == 1.01
    assert result.points["1.2"][0] == 1.01
    assert result.points["1"][0] == 2.01
    assert result.total[0] == 2.01
    assert result.index[0] == 20.1


@pytest.mark.parametrize(
    ("where", "leaf", "total", "index"),
    [
        ("report", 0.33, 1.0, 33.33),  # each 1/3 shown as 0.33; the total of 1 stays 1.00
        ("leaf", 0.33, 0.99, 33.0),  # each leaf rounded first: 0.33 × 3 = 0.99 of 3
    ],
)
def test_leaf_rounding_versus_report_rounding(
    where: str, leaf: float, total: float, index: float
) -> None:
    """Three thirds of a point: report rounding totals 1.00, leaf rounding totals 0.99."""
    rule = ps.Ratio(inputs=["done", "planned"])
    scheme = _scheme(
        *(_leaf(str(k), 1, rule) for k in (1, 2, 3)),
        rounding=ps.Rounding(decimals=2, where=where),  # type: ignore[arg-type]
    )
    data: dict[str, list[object]] = {"unit_id": ["a"]}
    for k in (1, 2, 3):
        data[f"{k}:done"] = [1]
        data[f"{k}:planned"] = [3]
    result = ps.score(scheme, data)
    assert [result.points[str(k)][0] for k in (1, 2, 3)] == [leaf] * 3
    assert result.total[0] == total
    assert result.index[0] == index


def test_bonus_and_penalty_are_capped_and_the_total_kept_in_range() -> None:
    """Total = clip(tree + min(bonus, 1) − min(penalty, 2), 0, max)."""
    scheme = _scheme(
        _points("1", 10),
        adjustments=ps.Adjustments(bonus=ps.Adjustment(max=1), penalty=ps.Adjustment(max=2)),
    )
    data = {
        "unit_id": ["capped-bonus", "over-max", "below-zero", "both", "empty"],
        "1": [8, 9.5, 1, 5, 6],
        "bonus": [3, 1, 0, 0.5, None],
        "penalty": [0, 0, 5, 1, ""],
    }
    result = ps.score(scheme, data)
    # 8 + 1; 9.5 + 1 → 10; 1 − 2 → 0; 5 + 0.5 − 1; 6
    assert result.total.tolist() == [9.0, 10.0, 0.0, 4.5, 6.0]
    assert result.index.tolist() == [90.0, 100.0, 0.0, 45.0, 60.0]
    assert result.bonus is not None
    assert result.bonus.tolist() == [1.0, 1.0, 0.0, 0.5, 0.0]


def test_adjustments_clip_a_negative_tree_without_adjustment_columns() -> None:
    """A scheme with a penalty cap keeps the total ≥ 0 even when no penalty column is given."""
    scheme = _scheme(
        _points("1", 1),
        _leaf("2", 1, ps.Deduction(per=0.25, floor=-1)),
        adjustments=ps.Adjustments(penalty=ps.Adjustment(max=2)),
    )
    result = ps.score(scheme, {"unit_id": ["a"], "1": [0], "2": [5]})
    assert result.points["2"][0] == -0.25
    assert result.total[0] == 0.0
    assert result.index[0] == 0.0


def test_without_adjustments_a_negative_total_is_kept() -> None:
    """Without adjustments the total is the tree's, even below 0; the tier is the last one."""
    scheme = _scheme(_points("1", 1), _leaf("2", 1, ps.Deduction(per=0.25, floor=-1)))
    result = ps.score(scheme, {"unit_id": ["a"], "1": [0], "2": [5]})
    assert result.total[0] == -0.25
    assert result.index[0] == -12.5
    assert result.tier[0] == "Yếu"


RANK_DATA = {
    "unit_id": ["a", "b", "c", "d", "e", "f"],
    "group": ["so", "so", "so", "so", "huyen", "huyen"],
    "1": [50, 50, 35, 40, 35, 35],
    "2": [40, 35, 50, 40, 35, 35],
}
# index:   a 90, b 85, c 85, d 80 (group so); e 70, f 70 (group huyen)


@pytest.mark.parametrize(
    ("method", "tie_break", "expected"),
    [
        ("competition", (), [1, 2, 2, 4, 1, 1]),
        ("dense", (), [1, 2, 2, 3, 1, 1]),
        ("ordinal", (), [1, 2, 3, 4, 1, 2]),  # ties in unit-id order
        ("competition", ("1",), [1, 2, 3, 4, 1, 1]),  # b has more of node 1 than c
        ("competition", ("2",), [1, 3, 2, 4, 1, 1]),
        ("dense", ("2", "1"), [1, 3, 2, 4, 1, 1]),
    ],
)
def test_ranks_with_ties_and_groups(
    method: str, tie_break: tuple[str, ...], expected: list[int]
) -> None:
    """Ranks within each group, highest index first, ties shared or broken as asked."""
    scheme = _scheme(_points("1", 50), _points("2", 50))
    ranking = ps.Ranking(method=method, tie_break=tie_break)  # type: ignore[arg-type]
    result = ps.score(scheme, RANK_DATA, ranking=ranking)
    assert result.index.tolist() == [90.0, 85.0, 85.0, 80.0, 70.0, 70.0]
    assert result.rank.tolist() == expected


def test_rank_by_total_differs_from_rank_by_index() -> None:
    """When criteria do not apply, ranking by total and by index can disagree."""
    scheme = _scheme(_points("1", 50), _points("2", 50))
    data = {"unit_id": ["small", "big"], "1": [45, 50], "2": ["n/a", 40]}
    by_index = ps.score(scheme, data)
    by_total = ps.score(scheme, data, ranking=ps.Ranking(by="total"))
    assert by_index.index.tolist() == [90.0, 90.0]  # 45 of 50; 90 of 100
    assert by_index.rank.tolist() == [1, 1]
    assert by_total.rank.tolist() == [2, 1]


def test_missing_values_follow_the_policy() -> None:
    """A missing value scores 0 of the max under 'zero' and drops the max under 'not_applicable'."""
    scheme = _scheme(_points("1", 50), _points("2", 50))
    data = {"unit_id": ["a"], "1": [40], "2": [None]}
    zero = ps.score(scheme, data, missing="zero")
    assert (zero.total[0], zero.max[0], zero.index[0]) == (40.0, 100.0, 40.0)
    na = ps.score(scheme, data, missing="not_applicable")
    assert (na.total[0], na.max[0], na.index[0]) == (40.0, 50.0, 80.0)


def test_ca_mau_2013_field_1_fragment() -> None:
    """Cà Mau 2013 field 1 (max 20): 1.1 max 5, 1.2 max 2, 1.3 max 3 as published.

    The maxima of 1.1–1.3 and of field 1 are from the published decision; the rules chosen for
    them and the remainder 1.4 (max 10, so that the field adds up to 20) are illustrative.
    """
    field = ps.Node(
        id="1",
        name="Công tác chỉ đạo, điều hành CCHC",
        max_points=20,
        children=[
            _leaf("1.1", 5, ps.Ratio(inputs=["done", "planned"])),  # Kế hoạch CCHC năm
            _leaf("1.2", 2, ps.YesNo()),  # Báo cáo CCHC
            _leaf("1.3", 3, ps.Deduction(per=1)),  # Kiểm tra công tác CCHC
            _points("1.4", 10),  # illustrative remainder of field 1
        ],
    )
    scheme = _scheme(field)
    data = {
        "unit_id": ["huyen-01", "huyen-02"],
        "1.1:done": [9, 10],
        "1.1:planned": [10, 10],
        "1.2": [1, 0],
        "1.3": [1, 0],
        "1.4": [7.25, 10],
    }
    result = ps.score(scheme, data)
    # huyen-01: 5 × 9/10 + 2 + (3 − 1) + 7.25 = 15.75 of 20 = 78.75 % (Khá)
    # huyen-02: 5 + 0 + 3 + 10 = 18 of 20 = 90 % (Tốt)
    assert result.points["1.1"].tolist() == [4.5, 5.0]
    assert result.points["1.2"].tolist() == [2.0, 0.0]
    assert result.points["1.3"].tolist() == [2.0, 3.0]
    assert result.points["1"].tolist() == [15.75, 18.0]
    assert result.index.tolist() == [78.75, 90.0]
    assert result.tier.tolist() == ["Khá", "Tốt"]
    assert result.rank.tolist() == [2, 1]
    np.testing.assert_array_equal(result.max, [20.0, 20.0])

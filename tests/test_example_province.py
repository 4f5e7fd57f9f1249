"""The built-in scheme example-province-2026, its example data and `parscore demo --scheme`.

The scheme scores sở and huyện in one file and uses every addition of DESIGN §7a; its data
make the demo show both types, both caps, the quota and the named adjustments.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner, Result

import parscore as ps
from parscore.cli import main
from parscore.datasets import builtin_example_data, example_data, example_province_data
from parscore.rules import Bands, YesNo

SCHEME_ID = "example-province-2026"


@pytest.fixture(scope="module")
def scheme() -> ps.Scheme:
    return ps.builtin_scheme(SCHEME_ID)


@pytest.fixture(scope="module")
def scored(scheme: ps.Scheme) -> ps.Result:
    return ps.score(scheme, example_province_data())


def run(*args: str, width: int | None = None) -> Result:
    env = None if width is None else {"COLUMNS": str(width)}  # rich reads the width from it
    return CliRunner().invoke(main, list(args), env=env)


def words(text: str) -> str:
    """The text with every run of spaces and line breaks as one space (rich wraps lines)."""
    return " ".join(text.split())


# -- the scheme ---------------------------------------------------------------------------------


def test_the_scheme_is_listed_and_loads(scheme: ps.Scheme) -> None:
    """The scheme is a built-in one, valid, and labelled illustrative with no decision cited."""
    assert SCHEME_ID in ps.builtin_schemes()
    assert scheme.id == SCHEME_ID
    assert scheme.problems() == []
    assert scheme.legal_basis == "Minh hoạ — không phải văn bản chính thức"
    assert scheme.notes is not None
    assert "minh hoạ" in scheme.notes.casefold()
    assert "illustrative" in scheme.notes
    assert "Quyết định số" not in scheme.notes  # no decision number is invented


def test_the_scheme_has_two_unit_types_with_100_points_each(scheme: ps.Scheme) -> None:
    """Sở and huyện in one file, read from the column loai_don_vi; 100 points for each."""
    assert scheme.unit_types is not None
    assert scheme.unit_types.column == "loai_don_vi"
    assert scheme.unit_types.ids == ("so", "huyen")
    assert scheme.unit_types.lookup("UBND cấp huyện") == "huyen"
    assert scheme.max_points_for("so") == 100
    assert scheme.max_points_for("huyen") == 100
    assert 7 <= len(scheme.nodes) <= 8
    assert all(3 <= len(field.children) <= 5 for field in scheme.nodes)


def test_applies_to_a_field_for_huyen_and_criteria_for_so(scheme: ps.Scheme) -> None:
    """Field 8 applies to huyện only (its children too); 2.2 and 3.1 to sở only."""
    assert scheme.node("8").applies_to == ("huyen",)
    assert scheme.applies("8.3", "huyen")
    assert not scheme.applies("8.3", "so")
    for node_id in ("2.2", "3.1"):
        assert scheme.node(node_id).applies_to == ("so",)
        assert not scheme.applies(node_id, "huyen")
    assert scheme.applies("3.3", "so")
    assert scheme.applies("3.3", "huyen")


def test_tiers_by_type_with_above_and_a_quota(scheme: ps.Scheme) -> None:
    """Each type has its own scale: sở 'trên 80' for Tốt, huyện Xuất sắc ≥ 90 for 20 % at most."""
    tiers = scheme.tiers
    assert dict(tiers.by_type).keys() == {"so", "huyen"}
    so = tiers.for_type("so")
    assert so.names == ("Tốt", "Khá", "Trung bình", "Yếu")
    assert (so.scale[0].above, so.scale[0].min) == (80, None)
    huyen = tiers.for_type("huyen")
    assert huyen.names == ("Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu")
    assert (huyen.scale[0].min, huyen.scale[0].quota) == (90, 0.2)
    assert scheme.tier_names_for("huyen") == huyen.names


def test_caps_of_both_kinds_name_a_tier_of_both_scales(scheme: ps.Scheme) -> None:
    """A column cap (cap:ky_luat) and a node cap (field 3 below 50 %), both at most Khá."""
    column_cap, node_cap = scheme.tiers.caps
    assert (column_cap.id, column_cap.column, column_cap.at_most) == (
        "ky_luat",
        "cap:ky_luat",
        "Khá",
    )
    assert (node_cap.node, node_cap.index_below, node_cap.column) == ("3", 50, None)
    for type_id in ("so", "huyen"):
        assert "Khá" in scheme.tier_names_for(type_id)


def test_named_items_with_per_and_caps(scheme: ps.Scheme) -> None:
    """Bonus and penalty items, some per case, each capped, and caps over the sums."""
    adjustments = scheme.adjustments
    assert adjustments.bonus is not None
    assert adjustments.penalty is not None
    items = {item.id: item for item in adjustments.items}
    assert {i.sign for i in items.values()} == {"bonus", "penalty"}
    assert items["sang_kien"].per is None
    assert items["sang_kien"].max == 1.5
    assert (items["vi_pham"].per, items["vi_pham"].max) == (0.5, 2)
    assert items["khen_thuong"].sign == "bonus"
    assert items["khen_thuong"].per is not None
    # the items of one sign can exceed the cap over their sum
    assert sum(i.max or 0 for i in adjustments.items_of("bonus")) > adjustments.bonus.max
    assert sum(i.max or 0 for i in adjustments.items_of("penalty")) > adjustments.penalty.max


def test_every_rule_kind_and_rule_addition_is_used(scheme: ps.Scheme) -> None:
    """The v1 rules, bands over two counts with each when_empty, yes_no need any and N."""
    rules = [leaf.rule for leaf in scheme.leaves() if leaf.rule is not None]
    kinds = {rule.kind for rule in rules}
    assert kinds == {"bands", "choice", "deduction", "points", "ratio", "survey", "yes_no"}
    rate_bands = [r for r in rules if isinstance(r, Bands) and len(r.inputs) == 2]
    assert {r.when_empty for r in rate_bands} == {"full", "zero"}
    needs = {r.need for r in rules if isinstance(r, YesNo)}
    assert {"all", "any", 2} <= needs


# -- the example data ---------------------------------------------------------------------------


def test_the_data_is_deterministic() -> None:
    """The same seed gives the same data; another seed other noise but the same units."""
    first, again = example_province_data(), example_province_data()
    assert first.keys() == again.keys()
    for name in first:
        np.testing.assert_array_equal(first[name], again[name])
    other = example_province_data(seed=1)
    np.testing.assert_array_equal(first["unit_id"], other["unit_id"])
    assert any(
        not np.array_equal(first[name], other[name], equal_nan=True)
        for name in first
        if first[name].dtype == np.float64
    )
    assert builtin_example_data(SCHEME_ID) is not None
    assert builtin_example_data("example-commune-2026") is None


def test_the_data_has_labels_types_caps_and_items(scheme: ps.Scheme) -> None:
    """20 sở and 9 huyện with STT and name; N/A cells empty; cap and adj columns."""
    data = example_province_data()
    assert list(data)[:4] == ["STT", "unit_id", "ten_don_vi", "loai_don_vi"]
    assert Counter(data["loai_don_vi"]) == {"so": 20, "huyen": 9}
    assert len(set(data["unit_id"])) == 29
    so = data["loai_don_vi"] == "so"
    assert np.isnan(data["8.3:A"][so].astype(float)).all()
    assert not np.isnan(data["8.3:A"][~so].astype(float)).any()
    assert all(cell is None for cell in data["3.1"][~so])  # an option column
    assert data["cap:ky_luat"].sum() >= 1
    for item in scheme.adjustments.items:
        assert item.column in data


def test_example_data_of_any_size_has_types_caps_and_items(scheme: ps.Scheme) -> None:
    """example_data draws a type per unit and fills the cap: and adj: columns."""
    data = example_data(scheme, 200, seed=3)
    names = list(data)
    assert names[:2] == ["unit_id", "loai_don_vi"]
    assert set(data["loai_don_vi"]) == {"so", "huyen"}
    assert "cap:ky_luat" in names
    assert all(item.column in names for item in scheme.adjustments.items)
    huyen = data["loai_don_vi"] == "huyen"
    assert np.isnan(data["2.2:duoc_giao"][huyen]).all()


def test_example_data_of_a_v1_scheme_is_unchanged() -> None:
    """Schemes without the additions get no new column (and so the same random stream)."""
    scheme = ps.builtin_scheme("example-commune-2026")
    data = example_data(scheme, 5)
    assert not any(":" in name and name.split(":")[0] in {"cap", "adj"} for name in data)
    assert list(data) == ["unit_id", *ps.compile_scheme(scheme).columns]


# -- scored, and through the CLI ----------------------------------------------------------------


def test_the_data_shows_every_addition_when_scored(scored: ps.Result) -> None:
    """Every tier of both scales, each cap lowering a tier, the quota binding, sums capped."""
    types = scored.unit_types
    assert types is not None
    for type_id in ("so", "huyen"):
        held = {str(scored.tier[u]) for u in range(scored.n_units) if types[u] == type_id}
        assert held == set(scored.scheme.tier_names_for(type_id)), type_id
    assert scored.capped_by is not None
    assert Counter(scored.capped_by) == {"": 26, "ky_luat": 2, "tthc_duoi_50": 1}
    for u in np.flatnonzero(scored.capped_by != ""):
        assert scored.tier[u] == "Khá"
        assert scored.scale_tier is not None
        assert scored.scale_tier[u] in {"Xuất sắc", "Tốt"}
    # 9 huyện: floor(0.2 × 9) = 1 keeps Xuất sắc, the others above 90 move down
    assert scored.quota_moved is not None
    moved = np.flatnonzero(scored.quota_moved)
    assert len(moved) >= 1
    assert all(types[u] == "huyen" and scored.tier[u] == "Tốt" for u in moved)
    assert list(scored.tier[types == "huyen"]).count("Xuất sắc") == 1
    # the node cap: field 3 of so-tai-nguyen is 12.75 of 26 points
    weak = scored.unit_position("so-tai-nguyen")
    assert scored.points["3"][weak] == 12.75
    # the caps over the sums of items are reached
    assert scored.bonus is not None
    assert scored.penalty is not None
    assert scored.bonus[scored.unit_position("tp-hoa-an")] == 2
    assert scored.penalty[scored.unit_position("so-ngoai-vu")] == 3
    assert scored.items["khen_thuong"][scored.unit_position("so-noi-vu")] == 1  # 3 × 0.5 > 1


def test_demo_with_the_province_scheme_shows_types_caps_quota_and_items() -> None:
    """`parscore demo --scheme example-province-2026` scores its own 29 units and says why."""
    result = run("demo", "--scheme", SCHEME_ID, width=200)
    assert result.exit_code == 0, result.output
    out = words(result.output)
    assert SCHEME_ID in out
    assert "29 units of example data" in out
    assert "Sở, ban, ngành (so), 20 units" in out
    assert "UBND cấp huyện (huyen), 9 units" in out
    assert "cap ky_luat (from Tốt)" in out
    assert "cap tthc_duoi_50" in out
    assert "quota (from Xuất sắc)" in out
    assert "cap ky_luat: Người đứng đầu bị xử lý kỷ luật trong năm đánh giá" in out
    assert "≤ 20 %" in out
    for item in ps.builtin_scheme(SCHEME_ID).adjustments.items:
        assert item.id in out
    assert "Sáng kiến, mô hình CCHC" in out
    assert run("demo", "--scheme", SCHEME_ID, width=200).output == result.output  # same again


def test_demo_writes_the_data_that_scores_the_same(tmp_path: Path) -> None:
    """With --out the demo writes results and data.csv; scoring data.csv gives the same."""
    folder = tmp_path / "out"
    result = run("demo", "--scheme", SCHEME_ID, "--out", str(folder))
    assert result.exit_code == 0, result.output
    again = ps.score_file(ps.builtin_scheme(SCHEME_ID), folder / "data.csv")
    direct = ps.score(ps.builtin_scheme(SCHEME_ID), example_province_data())
    np.testing.assert_array_equal(again.index, direct.index)
    np.testing.assert_array_equal(again.tier, direct.tier)
    assert list(again.labels) == ["STT", "ten_don_vi"]
    assert (folder / "results.csv").is_file()
    explained = run("explain", SCHEME_ID, str(folder / "data.csv"), "so-tai-nguyen")
    assert explained.exit_code == 0, explained.output


def test_demo_with_units_draws_synthetic_data_of_that_size() -> None:
    """--units N scores N units of synthetic data of the scheme, both types."""
    result = run("demo", "--scheme", SCHEME_ID, "--units", "60")
    assert result.exit_code == 0, result.output
    out = words(result.output)
    assert "60 units of synthetic example data" in out
    assert "(so)" in out
    assert "(huyen)" in out


def test_demo_with_another_builtin_scheme() -> None:
    """--scheme takes any built-in scheme; one without its own data gets synthetic units."""
    result = run("demo", "--scheme", "example-department-2026", "--units", "40")
    assert result.exit_code == 0, result.output
    assert "example-department-2026" in result.output
    assert "40 units of synthetic example data" in words(result.output)


def test_demo_with_an_unknown_scheme_lists_the_builtin_ones() -> None:
    """A bad --scheme is a usage error (exit 2) naming the built-in schemes and the closest."""
    result = run("demo", "--scheme", "example-provnce-2026")
    assert result.exit_code == 2
    message = words(result.stderr)
    assert all(scheme_id in message for scheme_id in ps.builtin_schemes())
    assert "did you mean 'example-province-2026'" in message


def test_demo_without_the_option_is_unchanged() -> None:
    """Plain `parscore demo` still scores the commune example on synthetic data."""
    result = run("demo", "--units", "50")
    assert result.exit_code == 0, result.output
    out = words(result.output)
    assert "example-commune-2026" in out
    assert "50 units of synthetic example data" in out
    assert "Ranking (xếp hạng): top 10 and bottom 5" in out

"""Result tables, JSON and explain for schemes with unit types, caps, quotas and items (§7a, §8).

The scheme and the data are those of tests/typed_scheme.py, whose docstring works out every
unit's tier by hand.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest

import parscore as ps
from parscore.datasets import example_data
from parscore.io.tables import SHEET_LOST, SHEET_RESULTS, read_table, write_result
from typed_scheme import UNITS, typed_data, typed_scheme

NEW_COLUMNS = ("type", "adj:sang_kien", "adj:vi_pham", "scale_tier", "capped_by", "quota_moved")


@pytest.fixture(scope="module")
def result() -> ps.Result:
    return ps.score(typed_scheme(), typed_data())


def _at(result: ps.Result, unit: str) -> int:
    return result.unit_position(unit)


# -- the tiers, as worked out by hand --------------------------------------------------------------


def test_tiers_caps_and_quotas_are_those_worked_by_hand(result: ps.Result) -> None:
    """The engine's tiers, the scale's tiers, the cap and the quota moves of the seven units."""
    assert result.tier.tolist() == ["Tốt", "Yếu", "Tốt", "Khá", "Tốt", "Khá", "Khá"]
    assert result.scale_tier is not None
    assert result.scale_tier.tolist() == ["Tốt", "Yếu", "Xuất sắc", "Tốt", "Xuất sắc", "Khá", "Khá"]
    assert result.capped_by is not None
    assert result.capped_by.tolist() == ["", "", "", "ky_luat", "", "", ""]
    assert result.quota_moved is not None
    assert result.quota_moved.tolist() == [False, False, True, False, True, False, False]
    assert result.rank.tolist() == [1, 2, 1, 3, 1, 5, 4]  # within each type


# -- the table layout ------------------------------------------------------------------------------


def test_type_follows_unit_id_labels_and_group() -> None:
    """`type` comes after unit_id, the label columns and group, before the first node."""
    data = typed_data()
    data["group"] = ["a", "a", "a", "a", "b", "b", "b"]
    result = ps.score(typed_scheme(), data)
    names = [c[0] for c in result.table_columns()]
    assert names[:5] == ["unit_id", "ten", "group", "type", "3"]
    frame = result.to_pandas()
    assert list(frame.columns[:5]) == ["unit_id", "ten", "group", "type", "3"]
    assert frame["type"].tolist() == ["so", "so", "huyen", "huyen", "huyen", "huyen", "huyen"]


def test_ranks_are_within_type_and_group() -> None:
    """With groups too, a unit ranks among the units of its type and its group."""
    data = typed_data()
    data["group"] = ["a", "b", "a", "a", "b", "b", "b"]
    result = ps.score(typed_scheme(), data)
    assert result.rank.tolist() == [1, 1, 1, 2, 1, 3, 2]
    explanation = result.explain("H5")
    assert explanation.rank_among == 3
    assert explanation.summary.endswith("rank 2 of 3 huyen")


def test_item_columns_follow_bonus_and_penalty(result: ps.Result) -> None:
    """One `adj:<id>` column per item after bonus and penalty: its capped points."""
    names = [c[0] for c in result.table_columns()]
    at = names.index("penalty")
    assert names[at - 1 : at + 3] == ["bonus", "penalty", "adj:sang_kien", "adj:vi_pham"]
    table = result.to_dict()
    assert table["adj:sang_kien"] == [1.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0]
    assert table["adj:vi_pham"] == [0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 1.0]  # 0.5 per count
    assert table["bonus"][0] == 1.0
    assert table["penalty"][6] == 1.0


def test_why_columns_follow_rank(result: ps.Result) -> None:
    """scale_tier, capped_by and quota_moved come after rank, before the columns asked for."""
    columns = result.table_columns(component_index=True)
    names = [c[0] for c in columns]
    at = names.index("rank")
    assert names[at - 1 : at + 4] == ["tier", "rank", "scale_tier", "capped_by", "quota_moved"]
    assert names[at + 4] == "3 %"
    kinds = {name: kind for name, kind, _ in columns}
    assert kinds["scale_tier"] == kinds["capped_by"] == "text"
    assert kinds["quota_moved"] == "bool"
    frame = result.to_pandas()
    assert frame["quota_moved"].dtype == bool
    assert frame["capped_by"].tolist()[3] == "ky_luat"


def test_caps_without_quotas_add_no_quota_column() -> None:
    """Each column only when the scheme uses what it says: caps alone give no quota_moved."""
    text = typed_scheme_text().replace(", quota: 0.2", "")
    result = ps.score(ps.loads_scheme(text, format="yaml"), typed_data())
    names = [c[0] for c in result.table_columns()]
    assert "capped_by" in names
    assert "scale_tier" in names
    assert "quota_moved" not in names


def typed_scheme_text() -> str:
    from typed_scheme import SCHEME_YAML

    return SCHEME_YAML


def test_v1_scheme_keeps_its_layout() -> None:
    """A scheme with none of the additions has none of the new columns nor JSON entries."""
    scheme = ps.builtin_scheme("example-commune-2026")
    result = ps.score(scheme, example_data(scheme, 5, seed=1))
    names = [c[0] for c in result.table_columns()]
    assert not set(NEW_COLUMNS) & set(names)
    assert not any(n.startswith("adj:") for n in names)
    assert names[-5:] == ["total", "max", "index", "tier", "rank"]
    doc = result.to_json_dict()
    assert list(doc) == ["scheme", "nodes", "columns", "units"]
    explanation = result.explain(str(result.unit_ids[0]))
    assert explanation.unit_type is None
    assert explanation.notes == []
    assert " — type " not in explanation.header
    assert " of " not in explanation.summary.split("rank")[-1]


# -- JSON and files --------------------------------------------------------------------------------


def test_json_is_strict_and_carries_the_additions(result: ps.Result) -> None:
    """Strict JSON (no NaN): types, caps and items in the head, the new columns per unit."""
    doc = json.loads(result.to_json())  # to_json refuses NaN
    assert doc["columns"] == [c[0] for c in result.table_columns()]
    assert doc["unit_types"] == [
        {"id": "so", "name": None, "max": 4.0},
        {"id": "huyen", "name": "UBND cấp huyện", "max": 7.0},
    ]
    assert [c["id"] for c in doc["caps"]] == ["ky_luat", "tthc_yeu"]
    assert doc["caps"][1] == {
        "id": "tthc_yeu",
        "name": "Lĩnh vực TTHC dưới 50%",
        "at_most": "Khá",
        "node": "3",
        "index_below": 50.0,
    }
    assert doc["items"][1]["per"] == 0.5
    s1, h1 = doc["units"][0], doc["units"][2]
    assert s1["type"] == "so"
    assert s1["8"] is None  # field 8 is not for sở: null, not 0
    assert h1["quota_moved"] is True
    assert h1["scale_tier"] == "Xuất sắc"
    assert doc["units"][3]["capped_by"] == "ky_luat"
    json.dumps(result.to_json_dict(component_index=True, lost=True), allow_nan=False)


def test_written_json_is_the_json_dict(tmp_path: Path, result: ps.Result) -> None:
    """The JSON file written by rows is the document of to_json_dict, booleans included."""
    path = write_result(result, tmp_path / "out.json", lost=True)
    assert json.loads(path.read_text(encoding="utf-8")) == result.to_json_dict(lost=True)


def test_csv_writes_the_new_columns_and_reads_back(tmp_path: Path, result: ps.Result) -> None:
    """CSV: the type, the items, the cap's id and true / false for the quota; read back."""
    path = write_result(result, tmp_path / "out.csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert [r["type"] for r in rows] == ["so", "so", "huyen", "huyen", "huyen", "huyen", "huyen"]
    assert rows[6]["adj:vi_pham"] == "1.00"
    assert rows[3]["capped_by"] == "ky_luat"
    assert rows[0]["capped_by"] == ""
    assert [r["quota_moved"] for r in rows] == [
        "false",
        "false",
        "true",
        "false",
        "true",
        "false",
        "false",
    ]
    back = read_table(path)
    assert list(back.columns) == [c[0] for c in result.table_columns()]


def test_xlsx_and_parquet_hold_booleans(tmp_path: Path, result: ps.Result) -> None:
    """XLSX: TRUE/FALSE cells, and the points-lost sheet keeps the type; Parquet: bool."""
    openpyxl = pytest.importorskip("openpyxl")
    pq = pytest.importorskip("pyarrow.parquet")
    book = openpyxl.load_workbook(write_result(result, tmp_path / "out.xlsx"))
    ws = book[SHEET_RESULTS]
    header = [c.value for c in ws[1]]
    row = dict(zip(header, [c.value for c in ws[4]], strict=True))  # H1, under the header
    assert row["quota_moved"] is True
    assert row["type"] == "huyen"
    assert row["adj:sang_kien"] == 0.5
    lost_header = [c.value for c in book[SHEET_LOST][1]]
    assert lost_header[:4] == ["unit_id", "ten", "type", "3"]
    table = pq.read_table(write_result(result, tmp_path / "out.parquet"))
    assert str(table.schema.field("quota_moved").type) == "bool"
    assert table.column("quota_moved").to_pylist() == result.quota_moved.tolist()  # type: ignore[union-attr]
    back = np.asarray(read_table(tmp_path / "out.parquet").column("index"), dtype=float)
    assert np.array_equal(back, result.index)


# -- explain ---------------------------------------------------------------------------------------


def test_explain_names_the_type_and_the_criteria_not_for_it(result: ps.Result) -> None:
    """A sở: its type, field 8 not for its type (distinct from n/a), its scale and tier."""
    e = result.explain("S1")
    assert e.unit_type == "so"
    assert e.type_name is None
    assert e.header.endswith("— type so")
    assert e.not_for_type == ("8",)
    rows = {r.node_id: r for r in e.rows}
    assert not rows["8.1"].for_type
    assert not rows["8.1"].applicable
    assert rows["3.1"].for_type
    assert e.scale == "Tốt > 80; Khá ≥ 65; Yếu ≥ 0 (index)"
    assert e.scale_tier == "Tốt"
    text = str(e)
    assert "not for type so: 8 Tác động của CCHC" in text
    assert "not for type so" in next(line for line in text.splitlines() if "8.1" in line)
    assert "scale of so: Tốt > 80; Khá ≥ 65; Yếu ≥ 0 (index) → Tốt" in text
    assert "caps: none held" in text


def test_not_applicable_written_is_not_not_for_type() -> None:
    """A huyện writing n/a for 8.1 shows n/a; the row is still for its type."""
    data = typed_data()
    data["8.1:dung_han"][2] = "n/a"
    data["8.1:tong_so"][2] = "n/a"
    e = ps.score(typed_scheme(), data).explain("H1")
    row = next(r for r in e.rows if r.node_id == "8.1")
    assert row.for_type
    assert not row.applicable
    assert e.not_for_type == ()
    line = next(line for line in str(e).splitlines() if line.lstrip().startswith("8.1"))
    assert "n/a" in line
    assert "not for type" not in line


def test_explain_names_the_cap_that_lowered_the_tier(result: ps.Result) -> None:
    """H2: the column cap held and lowered Tốt to Khá; the node cap did not hold."""
    e = result.explain("H2")
    assert e.type_name == "UBND cấp huyện"
    assert e.header.endswith("— type huyen (UBND cấp huyện)")
    ky_luat, tthc = e.caps
    assert (ky_luat.held, ky_luat.lowered) == (True, True)
    assert ky_luat.reason == "Người đứng đầu bị kỷ luật: tối đa Khá (cap:ky_luat = có)"
    assert (tthc.held, tthc.lowered, tthc.value) == (False, False, 100.0)
    text = str(e)
    assert "scale of huyen: Xuất sắc ≥ 90 (quota 20%); Tốt ≥ 80; Khá ≥ 0 (index) → Tốt" in text
    assert (
        "cap ky_luat held: Người đứng đầu bị kỷ luật: tối đa Khá (cap:ky_luat = có) — "
        "lowered the tier to Khá"
    ) in text
    assert "tthc_yeu" not in text  # it did not hold
    assert text.splitlines()[-1] == "total 6.00 of 7.00 = index 85.71 — tier Khá, rank 3 of 5 huyen"


def test_explain_says_why_a_node_cap_held(result: ps.Result) -> None:
    """H4: field 3 at 0 % < 50 % held the node cap, but the tier was already Khá."""
    cap = result.explain("H4").caps[1]
    assert (cap.held, cap.lowered, cap.node, cap.value) == (True, False, "3", 0.0)
    assert cap.reason == "Lĩnh vực TTHC dưới 50%: lĩnh vực 3 (TTHC) đạt 0.00% < 50%: tối đa Khá"
    english = result.explain("H4", lang="en")
    assert "field 3 (TTHC) at 0.00% < 50%: at most Khá" in english.caps[1].reason
    assert "the tier was already Khá or lower" in str(english)


def test_explain_says_how_the_quota_moved_the_unit(result: ps.Result) -> None:
    """H1: tied with H3 at rank 1, over the quota of 1 (20 % of 5): both move to Tốt."""
    (move,) = result.explain("H1", lang="en").quota_moves
    assert (move.tier, move.quota, move.units, move.limit, move.at_or_above) == (
        "Xuất sắc",
        0.2,
        5,
        1,
        2,
    )
    assert move.moved_to == "Tốt"
    assert move.reason == (
        "Xuất sắc: quota 20% of 5 units = 1; 2 units at rank 1 or above; moved to Tốt"
    )
    assert "quota: Xuất sắc: quota 20% of 5 units = 1" in str(result.explain("H1", lang="en"))
    assert "không quá 20% của 5 đơn vị = 1" in str(result.explain("H3"))
    assert result.explain("H2").quota_moves == ()


def test_explain_lists_each_item_by_name(result: ps.Result) -> None:
    """Each item: its name, the value written, per, its cap and its points, under its sign."""
    e = result.explain("H5")
    sang_kien, vi_pham = e.items
    assert (sang_kien.sign, sang_kien.written, sang_kien.points) == ("bonus", 0.0, 0.0)
    assert (vi_pham.written, vi_pham.per, vi_pham.max, vi_pham.points) == (2.0, 0.5, 2.0, 1.0)
    lines = str(e).splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("penalty"))
    assert lines[at + 1] == "  − 1.00 Vi phạm kỷ luật hành chính (adj:vi_pham = 2 × 0.5; max 2)"
    assert "+ 0.00 Sáng kiến CCHC được công nhận (adj:sang_kien = 0; max 1)" in str(e)
    frame = e.to_pandas()
    assert "for_type" in frame.columns


@pytest.mark.parametrize("unit", UNITS)
def test_every_unit_explains_its_tier(result: ps.Result, unit: str) -> None:
    """The scale's tier, lowered by the cap that lowered it, then by quota moves, is the tier."""
    e = result.explain(unit)
    tier = e.scale_tier
    lowered = [c for c in e.caps if c.lowered]
    if lowered:
        tier = lowered[0].at_most
    for move in e.quota_moves:
        assert move.tier == tier
        tier = move.moved_to
    assert tier == e.tier == result.tier[_at(result, unit)]

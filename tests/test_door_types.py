"""The door with unit types, tier-cap columns and named adjustments (issue 10).

Every way in (a mapping, records, pandas, a CSV file, a matrix, ``with_cells``) reads the type
column, ``cap:<id>`` and ``adj:<id>`` columns alike; every bad cell is a problem naming it;
the cells of a criterion that does not apply to a unit's type may be left empty.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest

import parscore as ps
from parscore.compile import compile_scheme
from parscore.measurements import Measurements, as_measurements, check_inputs

SCHEME = ps.Scheme(
    id="door-types",
    name="Cửa vào theo loại đơn vị",
    unit_types=ps.UnitTypes(
        types=[ps.UnitType(id="so", name="Sở, ban, ngành"), ps.UnitType(id="huyen", name="Huyện")]
    ),
    nodes=[
        ps.Node(id="1", name="Báo cáo", max_points=2, rule=ps.YesNo()),
        ps.Node(
            id="8",
            name="Tác động của CCHC",
            applies_to=["huyen"],
            children=[
                ps.Node(id="8.1", name="Trễ hạn", max_points=2, rule=ps.Deduction(per=0.5)),
                ps.Node(
                    id="8.2",
                    name="Hồ sơ đúng hạn",
                    max_points=2,
                    rule=ps.Ratio(inputs=("dung_han", "tong_so")),
                ),
            ],
        ),
    ],
    tiers=ps.TierScale(
        scale=[ps.Tier(name="Tốt", min=80), ps.Tier(name="Khá", min=0)],
        caps=[
            ps.TierCap(id="ky_luat", name="Người đứng đầu bị kỷ luật", at_most="Khá"),
            ps.TierCap(id="yeu", name="Báo cáo dưới 50%", node="1", index_below=50, at_most="Khá"),
        ],
    ),
    adjustments=ps.Adjustments(
        bonus=ps.Adjustment(max=2),
        penalty=ps.Adjustment(max=3),
        items=[
            ps.AdjustmentItem(id="sang_kien", name="Sáng kiến", sign="bonus", max=1),
            ps.AdjustmentItem(id="vi_pham", name="Vi phạm", sign="penalty", per=0.5, max=2),
        ],
    ),
)
PLAIN = ps.Scheme(
    id="door-plain",
    name="Không loại",
    nodes=[ps.Node(id="1", name="Báo cáo", max_points=2, rule=ps.YesNo())],
    tiers=ps.TierScale(scale=[ps.Tier(name="Tốt", min=80), ps.Tier(name="Khá", min=0)]),
)

RECORDS: list[dict[str, Any]] = [
    {
        "unit_id": "S01",
        "Tên": "Sở Nội vụ",
        "type": "so",
        "1": "có",
        "8.1": None,  # 8 does not apply to a sở: empty is fine
        "8.2:dung_han": "",
        "8.2:tong_so": None,
        "cap:ky_luat": "x",
        "adj:sang_kien": "0,5",
        "adj:vi_pham": None,
    },
    {
        "unit_id": "H01",
        "Tên": "Huyện Đông Giang",
        "type": "HUYỆN",  # the name, in any case
        "1": "không",
        "8.1": "2",
        "8.2:dung_han": "45",
        "8.2:tong_so": "50",
        "cap:ky_luat": None,  # empty: the condition does not hold
        "adj:sang_kien": None,
        "adj:vi_pham": "3",
    },
]


def _columns(records: list[dict[str, Any]]) -> dict[str, list[Any]]:
    return {k: [r.get(k) for r in records] for k in records[0]}


def _problems(exc: pytest.ExceptionInfo[ps.MeasurementsError]) -> list[ps.CellProblem]:
    return list(exc.value.problems)


def _check(m: Measurements) -> None:
    assert m.unit_types is not None
    assert m.unit_types.tolist() == ["so", "huyen"]
    assert m.caps["ky_luat"].tolist() == [1.0, 0.0]
    assert set(m.caps) == {"ky_luat"}  # a node cap reads no column
    assert m.items["sang_kien"].tolist() == [0.5, 0.0]
    assert m.items["vi_pham"].tolist() == [0.0, 3.0]  # a count: 3 cases
    assert list(m.labels) == ["Tên"]  # neither the type nor cap:/adj: columns are labels


# -- every way in ----------------------------------------------------------------------------


def test_mapping_of_columns() -> None:
    _check(Measurements.from_columns(SCHEME, _columns(RECORDS)))


def test_list_of_records() -> None:
    _check(as_measurements(SCHEME, RECORDS))


def test_pandas() -> None:
    pd = pytest.importorskip("pandas")
    _check(as_measurements(SCHEME, pd.DataFrame(RECORDS)))


def test_polars_and_arrow() -> None:
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame(_columns(RECORDS))
    _check(as_measurements(SCHEME, frame))
    _check(as_measurements(SCHEME, frame.to_arrow()))


def test_csv_file(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    path = tmp_path / "don_vi.csv"
    pd.DataFrame(RECORDS).to_csv(path, index=False)
    result = ps.score_file(SCHEME, path)
    _check(result.measurements)
    assert result.max.tolist() == [2.0, 6.0]  # 8 leaves a sở's max


def test_score_mapping_and_max_per_type() -> None:
    result = ps.score(SCHEME, RECORDS)
    assert result.max.tolist() == [2.0, 6.0]
    assert result.measurements.unit_types is not None


def test_type_column_named_by_the_scheme() -> None:
    scheme = ps.Scheme(
        id="col",
        name="Cột loại",
        unit_types=ps.UnitTypes(types=["so", "huyen"], column="loai_don_vi"),
        nodes=[ps.Node(id="1", name="A", max_points=1, rule=ps.YesNo())],
        tiers=PLAIN.tiers,
    )
    m = as_measurements(scheme, {"unit_id": ["a"], "loai_don_vi": [" Huyen "], "1": [1]})
    assert m.unit_types is not None
    assert m.unit_types.tolist() == ["huyen"]
    assert m.labels == {}


def test_from_array_keywords() -> None:
    compiled = compile_scheme(SCHEME)
    values = np.zeros((2, len(compiled.matrix_columns)))
    values[:, compiled.matrix_columns.index("1")] = [1, 0]
    m = Measurements.from_array(
        SCHEME,
        values,
        ["S01", "H01"],
        unit_types=["so", "Huyện"],
        caps={"ky_luat": [True, False]},
        items={"sang_kien": [0.5, 0], "adj:vi_pham": [0, 3]},
    )
    _check_arrays(m)


def _check_arrays(m: Measurements) -> None:
    assert m.unit_types is not None
    assert m.unit_types.tolist() == ["so", "huyen"]
    assert m.caps["ky_luat"].tolist() == [1.0, 0.0]
    assert m.items["sang_kien"].tolist() == [0.5, 0.0]
    assert m.items["vi_pham"].tolist() == [0.0, 3.0]


def test_from_array_named_columns() -> None:
    compiled = compile_scheme(SCHEME)
    names = [*compiled.columns, "cap:ky_luat", "adj:sang_kien", "adj:vi_pham"]
    values = np.zeros((2, len(names)))
    values[:, -3:] = np.array([[1, 0.5, 0], [0, 0, 3]])
    m = Measurements.from_array(
        SCHEME, values, ["S01", "H01"], columns=names, unit_types=["so", "huyen"]
    )
    _check_arrays(m)


def test_numpy_matrix_with_unit_types() -> None:
    compiled = compile_scheme(SCHEME)
    values = np.ones((2, len(compiled.matrix_columns)))
    m = as_measurements(SCHEME, values, unit_ids=["a", "b"], unit_types=["huyen", "so"])
    assert m.unit_types is not None
    assert m.unit_types.tolist() == ["huyen", "so"]
    assert m.caps["ky_luat"].tolist() == [0.0, 0.0]  # no column: the cap never holds
    assert m.items["vi_pham"].tolist() == [0.0, 0.0]


def test_table_with_unit_types_keyword() -> None:
    data = {k: v for k, v in _columns(RECORDS).items() if k != "type"}
    _check(as_measurements(SCHEME, data, unit_types=["so", "huyen"]))
    with pytest.raises(ps.MeasurementsError, match="pass one"):
        as_measurements(SCHEME, _columns(RECORDS), unit_types=["so", "huyen"])
    with pytest.raises(ps.MeasurementsError, match="declares no unit types"):
        as_measurements(PLAIN, {"unit_id": ["a"], "1": [1]}, unit_types=["so"])


def test_with_cells() -> None:
    m = as_measurements(SCHEME, RECORDS)
    changed = m.with_cells(
        {
            "S01": {"type": "Huyện", "cap:ky_luat": "không", "adj:vi_pham": "2"},
            "H01": {"adj:sang_kien": 1},
        }
    )
    assert changed.unit_types is not None
    assert changed.unit_types.tolist() == ["huyen", "huyen"]
    assert changed.caps["ky_luat"].tolist() == [0.0, 0.0]
    assert changed.items["vi_pham"].tolist() == [2.0, 3.0]
    assert changed.items["sang_kien"].tolist() == [0.5, 1.0]
    _check(m)  # unchanged
    with pytest.raises(ps.MeasurementsError) as exc:
        m.with_cells({"S01": {"type": "xa", "cap:ky_luat": "maybe", "adj:vi_pham": -1, "adj:x": 1}})
    messages = [p.message for p in _problems(exc)]
    assert len(messages) == 4
    assert "declared types: so (Sở, ban, ngành), huyen (Huyện)" in messages[0]
    assert "expected yes or no" in messages[1]
    assert "cannot be negative" in messages[2]
    assert "adjustments.items" in messages[3]


# -- bad input -------------------------------------------------------------------------------


def test_missing_type_column() -> None:
    data = {k: v for k, v in _columns(RECORDS).items() if k != "type"}
    with pytest.raises(ps.MeasurementsError) as exc:
        as_measurements(SCHEME, data)
    (problem,) = _problems(exc)
    assert problem.column == "type"
    assert 'no column "type" of unit types' in problem.message
    assert '"unit_id", "Tên", "1"' in problem.message  # the columns found


def test_missing_type_column_did_you_mean() -> None:
    data = {("Type" if k == "type" else k): v for k, v in _columns(RECORDS).items()}
    with pytest.raises(ps.MeasurementsError, match='did you mean "Type"'):
        as_measurements(SCHEME, data)


def test_unknown_and_blank_types() -> None:
    data = _columns(RECORDS)
    data["type"] = ["Sở", None]
    with pytest.raises(ps.MeasurementsError) as exc:
        as_measurements(SCHEME, data)
    unknown, blank = _problems(exc)
    assert unknown.unit_id == "S01"
    assert unknown.value == "Sở"
    assert 'did you mean "so"?' in unknown.message
    assert "declared types: so (Sở, ban, ngành), huyen (Huyện)" in unknown.message
    assert blank.unit_id == "H01"
    assert "the unit's type is empty" in blank.message


def test_from_array_needs_types() -> None:
    compiled = compile_scheme(SCHEME)
    values = np.ones((1, len(compiled.matrix_columns)))
    with pytest.raises(ps.MeasurementsError, match=r"pass unit_types=\[\.\.\.\]"):
        Measurements.from_array(SCHEME, values, ["a"])
    with pytest.raises(ps.MeasurementsError, match="declares no unit types"):
        Measurements.from_array(PLAIN, [[1.0]], ["a"], unit_types=["so"])


def test_unknown_reserved_columns() -> None:
    data = _columns(RECORDS)
    data["cap:ky_luot"] = data.pop("cap:ky_luat")
    data["adj:sang_kein"] = data.pop("adj:sang_kien")
    data["cap:yeu"] = [None, None]  # a node cap reads no column
    data["cap_ky_luat"] = [None, None]  # close to a reserved column: no label
    with pytest.raises(ps.MeasurementsError) as exc:
        as_measurements(SCHEME, data)
    found = {p.column: p.message for p in _problems(exc)}
    assert 'did you mean "cap:ky_luat"?' in found["cap:ky_luot"]
    assert 'did you mean "adj:sang_kien"?' in found["adj:sang_kein"]
    assert 'index of node "1"' in found["cap:yeu"]
    assert 'did you mean "cap:ky_luat"?' in found["cap_ky_luat"]


def test_reserved_columns_without_caps_or_items() -> None:
    data = {"unit_id": ["a"], "1": [1], "cap:ky_luat": ["x"], "ADJ:x": [1]}
    with pytest.raises(ps.MeasurementsError) as exc:
        as_measurements(PLAIN, data)
    found = {p.column: p.message for p in _problems(exc)}
    assert "reads no cap from a column" in found["cap:ky_luat"]
    assert "no named adjustments" in found["ADJ:x"]


def test_bad_cap_and_item_cells() -> None:
    data = _columns(RECORDS)
    data["cap:ky_luat"] = ["maybe", 2]
    data["adj:sang_kien"] = [-1, "n/a"]
    data["adj:vi_pham"] = ["1,5", "nhiều"]
    with pytest.raises(ps.MeasurementsError) as exc:
        as_measurements(SCHEME, data)
    found = [(p.unit_id, p.column, p.message) for p in _problems(exc)]
    assert ("S01", "cap:ky_luat", "expected yes or no (có/không, đạt/không đạt, x, 1/0)") in found
    assert ("H01", "cap:ky_luat", "expected yes or no (có/không, đạt/không đạt, x, 1/0)") in found
    assert ("S01", "adj:sang_kien", "adj:sang_kien cannot be negative") in found
    assert ("H01", "adj:sang_kien", "not applicable makes no sense here") in found
    assert ("S01", "adj:vi_pham", "expected a whole number of cases (0.5 points each)") in found
    assert ("H01", "adj:vi_pham", "expected a number") in found
    assert len(found) == 6


def test_type_column_without_unit_types_is_refused_as_label() -> None:
    with pytest.raises(ps.MeasurementsError, match='may not be named "type"'):
        as_measurements(PLAIN, {"unit_id": ["a"], "type": ["so"], "1": [1]})


# -- criteria that do not apply to a unit's type ---------------------------------------------


def test_empty_cells_of_leaves_not_applying() -> None:
    m = as_measurements(SCHEME, RECORDS)
    checked = check_inputs(compile_scheme(SCHEME), m)
    assert checked.problems == ()
    assert checked.na_mask is not None
    assert checked.na_mask[:, 0].tolist() == [False, True, True]  # 1, 8.1, 8.2 for the sở
    assert not checked.na_mask[:, 1].any()
    assert m.na_mask is None  # the measurements themselves are not changed


def test_empty_cell_of_an_applying_leaf_is_missing() -> None:
    records = [dict(r) for r in RECORDS]
    records[1]["8.1"] = None
    with pytest.raises(ps.MeasurementsError) as exc:
        ps.score(SCHEME, records)
    (problem,) = _problems(exc)
    assert (problem.unit_id, problem.column) == ("H01", "8.1")
    assert "value is missing" in problem.message


def test_unreadable_and_refused_cells_of_leaves_not_applying_are_ignored() -> None:
    records = [dict(r) for r in RECORDS]
    records[0]["8.1"] = "nhiều"  # unreadable, in a criterion a sở does not have
    records[0]["8.2:dung_han"] = "60"  # above its denominator: refused if it applied
    records[0]["8.2:tong_so"] = "50"
    result = ps.score(SCHEME, records)
    assert result.max.tolist() == [2.0, 6.0]


def test_columns_of_a_type_absent_from_the_table_may_be_left_out() -> None:
    records = [
        {"unit_id": "S01", "type": "so", "1": "có"},
        {"unit_id": "S02", "type": "so", "1": "không"},
    ]
    result = ps.score(SCHEME, records)
    assert result.max.tolist() == [2.0, 2.0]
    records[1]["type"] = "huyen"
    with pytest.raises(ps.MeasurementsError) as exc:
        ps.score(SCHEME, records)
    assert {p.column for p in _problems(exc)} == {"8.1", "8.2:dung_han", "8.2:tong_so"}


def test_written_not_applicable_stays() -> None:
    records = [dict(r) for r in RECORDS]
    records[1]["8.1"] = "n/a"
    m = as_measurements(SCHEME, records)
    assert m.na_mask is not None
    assert m.na_mask[:, 1].tolist() == [False, True, False]
    checked = check_inputs(compile_scheme(SCHEME), m)
    assert checked.na_mask is not None
    assert checked.na_mask.tolist() == [[False, False], [True, True], [True, False]]


def test_measurements_built_by_hand_without_types() -> None:
    m = as_measurements(SCHEME, RECORDS)
    checked = check_inputs(compile_scheme(SCHEME), attrs.evolve(m, unit_types=None))
    assert any("declares unit types" in p.message for p in checked.problems)
    bad = np.array(["so", "xa"], dtype=object)
    checked = check_inputs(compile_scheme(SCHEME), attrs.evolve(m, unit_types=bad))
    (problem,) = checked.problems
    assert (problem.unit_id, problem.column, problem.value) == ("H01", "type", "xa")


# -- scored (the engine reads what the door gives) -------------------------------------------


def _check_scored(result: ps.Result) -> None:
    assert result.unit_types is not None
    assert result.unit_types.tolist() == ["so", "huyen"]
    assert result.max.tolist() == [2.0, 6.0]
    assert result.items["sang_kien"].tolist() == [0.5, 0.0]
    assert result.items["vi_pham"].tolist() == [0.0, 1.5]  # 3 cases × 0.5
    assert result.bonus is not None
    assert result.penalty is not None
    assert result.bonus.tolist() == [0.5, 0.0]
    assert result.penalty.tolist() == [0.0, 1.5]
    assert result.index.tolist() == [100.0, 21.67]
    assert result.tier.tolist() == ["Khá", "Khá"]  # the sở is capped: its head disciplined
    assert result.capped_by is not None
    assert result.capped_by.tolist() == ["ky_luat", ""]
    assert result.rank.tolist() == [1, 1]  # ranks within each type


def test_scored_from_every_way_in(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    _check_scored(ps.score(SCHEME, RECORDS))
    _check_scored(ps.score(SCHEME, _columns(RECORDS)))
    _check_scored(ps.score(SCHEME, pd.DataFrame(RECORDS)))
    path = tmp_path / "don_vi.csv"
    pd.DataFrame(RECORDS).to_csv(path, index=False)
    _check_scored(ps.score_file(SCHEME, path))
    compiled = compile_scheme(SCHEME)
    names = [*compiled.columns, "cap:ky_luat", "adj:sang_kien", "adj:vi_pham"]
    row = {**RECORDS[1], "1": 0, "cap:ky_luat": 0, "adj:sang_kien": 0}
    values = np.array([[1, np.nan, np.nan, np.nan, 1, 0.5, 0], [float(row[c]) for c in names]])
    m = Measurements.from_array(
        SCHEME, values, ["S01", "H01"], columns=names, unit_types=["so", "huyen"]
    )
    _check_scored(ps.score(SCHEME, m))


def test_what_if_changes_caps_items_and_types() -> None:
    from parscore.analysis import what_if

    result = ps.score(SCHEME, RECORDS)
    changed = what_if(result, {"S01": {"cap:ky_luat": "không"}, "H01": {"adj:vi_pham": 6}})
    assert changed.tier.tolist() == ["Tốt", "Khá"]
    assert changed.items["vi_pham"].tolist() == [0.0, 2.0]  # its own max
    assert changed.penalty is not None
    assert changed.penalty.tolist() == [0.0, 2.0]
    moved = what_if(
        result, {"S01": {"type": "huyen", "8.1": 0, "8.2:dung_han": 5, "8.2:tong_so": 5}}
    )
    assert moved.max.tolist() == [6.0, 6.0]
    assert moved.rank.tolist() == [1, 2]  # one type now: ranked together

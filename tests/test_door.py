"""The one door: every kind of table reads the same way; labels kept; problems all at once."""

from __future__ import annotations

import numpy as np
import pytest

import parscore as ps

SCHEME = ps.Scheme(
    id="door",
    name="Cửa vào",
    nodes=[
        ps.Node(
            id="1",
            name="Chỉ đạo, điều hành",
            children=[
                ps.Node(
                    id="1.1",
                    name="Kế hoạch",
                    max_points=1,
                    rule=ps.Choice(options={"kip_thoi": 1, "khong_kip_thoi": 0.5, "khong": 0}),
                ),
                ps.Node(id="1.2", name="Báo cáo", max_points=1, rule=ps.YesNo()),
                ps.Node(id="1.3", name="Trễ hạn", max_points=2, rule=ps.Deduction(per=0.25)),
            ],
        ),
        ps.Node(
            id="2",
            name="Hồ sơ đúng hạn",
            max_points=6,
            rule=ps.Ratio(inputs=("dung_han", "tiep_nhan")),
        ),
    ],
    tiers=ps.TierScale(scale=[ps.Tier(name="Tốt", min=80), ps.Tier(name="Yếu", min=0)]),
)
RECORDS = [
    {
        "STT": 1,
        "unit_id": "001",
        "Tên đơn vị": "Xã An Bình",
        "group": "Huyện Đông Giang",
        "1.1": "Kịp thời",
        "1.2": "có",
        "1.3": "2",
        "2:dung_han": "1.234",
        "2:tiep_nhan": "1.300",
    },
    {
        "STT": 2,
        "unit_id": "002",
        "Tên đơn vị": "Xã Tây Sơn",
        "group": "Huyện Tây Sơn",
        "1.1": "KHONG_KIP_THOI",
        "1.2": "không",
        "1.3": "n/a",
        "2:dung_han": "50",
        "2:tiep_nhan": "50",
    },
]
EXPECTED_TOTAL = [1 + 1 + 1.5 + 6 * 1234 / 1300, 0.5 + 0 + 6]


def _columns() -> dict[str, list[object]]:
    return {k: [r[k] for r in RECORDS] for k in RECORDS[0]}


def _check(result: ps.Result) -> None:
    np.testing.assert_allclose(result.total, np.round(EXPECTED_TOTAL, 2))
    assert result.unit_ids.tolist() == ["001", "002"]
    assert list(result.labels) == ["STT", "Tên đơn vị"]
    assert result.labels["Tên đơn vị"].tolist() == ["Xã An Bình", "Xã Tây Sơn"]
    assert result.labels["STT"].tolist() == ["1", "2"]
    assert result.groups is not None
    assert result.groups.tolist() == ["Huyện Đông Giang", "Huyện Tây Sơn"]
    assert result.na_mask is not None
    assert result.na_mask[2].tolist() == [False, True]  # 1.3 does not apply to unit 002


def test_records_and_columns_score_alike() -> None:
    """A list of records (a JSON body) and a mapping of columns give the same result."""
    _check(ps.score(SCHEME, RECORDS))
    _check(ps.score(SCHEME, _columns()))


def test_pandas_polars_and_arrow_score_alike() -> None:
    """DataFrames of pandas and polars, and pyarrow tables, go through the same door."""
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow")
    columns = _columns()
    _check(ps.score(SCHEME, pd.DataFrame(columns)))
    _check(ps.score(SCHEME, pl.DataFrame(columns, strict=False)))
    text = {k: [str(v) for v in vs] for k, vs in columns.items()}
    _check(ps.score(SCHEME, pa.table(text)))
    _check(ps.score(SCHEME, pa.table(text).to_batches()[0]))


def test_a_misspelt_input_is_an_error_and_a_label_is_not() -> None:
    """A column shaped like an input is an error with a hint; a name column is a label."""
    columns = _columns()
    columns["2:tiep_nhna"] = columns.pop("2:tiep_nhan")
    columns["1.4"] = ["1", "1"]
    with pytest.raises(ps.MeasurementsError) as info:
        ps.score(SCHEME, columns)
    text = str(info.value)
    assert 'column "2:tiep_nhna": column names no input of the scheme' in text
    assert 'did you mean "2:tiep_nhan"' in text
    assert 'column "2:tiep_nhan": column is missing; found "2:tiep_nhna"' in text
    assert 'column "1.4": column names no input of the scheme' in text
    assert "Tên đơn vị" not in text


def test_a_column_naming_a_parent_node_is_an_error() -> None:
    """A column named after a field (a node that is not a leaf) is not taken for a label."""
    columns = {**_columns(), "1": ["3", "2"]}
    with pytest.raises(ps.MeasurementsError, match='names node "1", which is not a leaf'):
        ps.score(SCHEME, columns)


def test_a_label_may_not_take_a_result_column_name() -> None:
    """A label column named like a column of the result table is an error, not a collision."""
    columns = {**_columns(), "total": ["x", "y"]}
    with pytest.raises(ps.MeasurementsError, match='may not be named "total"'):
        ps.score(SCHEME, columns)


def test_blank_and_repeated_ids_do_not_hide_other_problems() -> None:
    """Blank and repeated ids are listed together with unreadable cells and refused values."""
    columns = _columns()
    columns["unit_id"] = ["", "  "]
    columns["1.2"] = ["có", "maybe"]
    columns["1.3"] = ["-1", "1"]
    with pytest.raises(ps.MeasurementsError) as info:
        ps.score(SCHEME, columns)
    problems = info.value.problems
    messages = [(p.row, p.unit_id, p.column, p.message) for p in problems]
    assert (1, None, None, "the unit id is empty") in messages
    assert (2, None, None, "the unit id is empty") in messages
    assert any(
        m[:3] == (2, None, "1.2") and m[3].startswith("expected yes or no") for m in messages
    )
    assert any(m[:3] == (1, None, "1.3") and "negative" in m[3] for m in messages)


def test_repeated_ids_are_listed_with_cell_problems() -> None:
    """A repeated id names the row where it first appeared; other problems still show."""
    columns = _columns()
    columns["unit_id"] = ["001", "001"]
    columns["2:dung_han"] = ["60", "50"]  # more on time than received in the first unit
    columns["2:tiep_nhan"] = ["50", "50"]
    with pytest.raises(ps.MeasurementsError) as info:
        ps.score(SCHEME, columns)
    text = str(info.value)
    assert 'unit "001": unit id repeats (first in row 1)' in text
    assert "exceeds the denominator" in text


def test_a_missing_id_column_lists_the_columns_found() -> None:
    """Without the id column the error lists the columns found and says how to name it."""
    columns = _columns()
    columns["Mã đơn vị"] = columns.pop("unit_id")
    with pytest.raises(ps.MeasurementsError) as info:
        ps.score(SCHEME, columns)
    text = str(info.value)
    assert 'no column "unit_id" of unit ids' in text
    assert '"Mã đơn vị"' in text
    assert "--unit-id" in text
    result = ps.score(SCHEME, columns, unit_id="Mã đơn vị")
    assert result.unit_ids.tolist() == ["001", "002"]


def test_counts_with_thousands_are_whole_from_every_source() -> None:
    """In a count column "1.234" is 1234 whether it arrives as text from a dict or Arrow."""
    pa = pytest.importorskip("pyarrow")
    columns = _columns()
    text = {k: [str(v) for v in vs] for k, vs in columns.items()}
    for data in (columns, pa.table(text)):
        m = ps.measurements.as_measurements(SCHEME, data)
        assert m.column("2:dung_han").tolist() == [1234.0, 50.0]
        assert m.column("2:tiep_nhan").tolist() == [1300.0, 50.0]


def test_with_cells_reads_cells_and_leaves_the_original() -> None:
    """with_cells() reads cells as tables do and returns a copy; the original is unchanged."""
    m = ps.measurements.as_measurements(SCHEME, RECORDS)
    changed = m.with_cells({"002": {"1.3": "3", "1.1": "Kịp thời"}, "001": {"1.2": "n/a"}})
    assert changed.column("1.3").tolist()[1] == 3.0
    assert changed.column("1.1").tolist()[1] == 0.0  # position of kip_thoi
    assert m.column("1.3").tolist()[1] != 3.0 or np.isnan(m.column("1.3")[1])
    assert changed.na_mask is not None
    assert changed.na_mask[1].tolist() == [True, False]  # 1.2 no longer applies to 001
    assert changed.na_mask[2].tolist() == [False, False]  # 1.3 applies to 002 again
    with pytest.raises(ps.MeasurementsError, match='did you mean "002"'):
        m.with_cells({"003": {"1.3": "1"}})


def test_an_empty_list_of_records_says_so() -> None:
    """An empty JSON body is a MeasurementsError saying there are no units."""
    with pytest.raises(ps.MeasurementsError, match="the list of records is empty"):
        ps.score(SCHEME, [])

"""Writing result tables: label columns, empty cells where a node does not apply, fast CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import parscore as ps
from parscore.datasets import example_data, synthetic_scheme
from parscore.io import _write
from parscore.io.tables import SHEET_LOST, SHEET_RESULTS, read_table, write_result

SCHEME = ps.Scheme(
    id="write-case",
    name="Bộ chỉ số thử ghi kết quả",
    year=2026,
    level="commune",
    tiers=ps.TierScale(scale=[ps.Tier(name="Tốt", min=80), ps.Tier(name="Khá", min=0)]),
    nodes=[
        ps.Node(
            id="1",
            name="Công tác chỉ đạo, điều hành",
            children=[
                ps.Node(id="1.1", name="Kế hoạch CCHC", max_points=2, rule=ps.YesNo()),
                ps.Node(id="1.2", name="Báo cáo", max_points=1, rule=ps.YesNo()),
            ],
        ),
        ps.Node(
            id="2",
            name="Thủ tục hành chính",
            children=[ps.Node(id="2.1", name="Tỷ lệ đúng hạn", max_points=7, rule=ps.Ratio())],
        ),
    ],
)
LABELS = {
    "STT": ["1", "2", "3"],
    "Tên đơn vị": ["Xã Đồng Tâm", 'Phường "Một"; mới', "Thị trấn, Hòa Bình"],
}


@pytest.fixture(scope="module")
def result() -> ps.Result:
    """Unit a earned 0 at 1.1; 1.2 does not apply to b; 2.1 (so field 2) not to c."""
    data = {"unit_id": ["a", "b", "c"], "1.1": [0, 1, 1], "1.2": [1, 1, 1], "2.1": [50, 100, 100]}
    scored = ps.score(
        SCHEME, data, not_applicable={"1.2": [False, True, False], "2.1": [False, False, True]}
    )
    labels = {name: np.array(values, dtype=object) for name, values in LABELS.items()}
    return attrs.evolve(scored, measurements=attrs.evolve(scored.measurements, labels=labels))


def _csv_rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def test_csv_has_labels_and_empty_cells_where_nodes_do_not_apply(
    tmp_path: Path, result: ps.Result
) -> None:
    """Labels follow unit_id; a node that does not apply is an empty cell, a zero is 0.00."""
    path = write_result(result, tmp_path / "out.csv", lost=True, node_max=True)
    rows = _csv_rows(path)
    assert list(rows[0])[:4] == ["unit_id", "STT", "Tên đơn vị", "1"]
    assert [r["Tên đơn vị"] for r in rows] == LABELS["Tên đơn vị"]
    assert [r["1.1"] for r in rows] == ["0.00", "2.00", "2.00"]
    assert [r["1.2"] for r in rows] == ["1.00", "", "1.00"]
    assert [r["2"] for r in rows] == ["3.50", "7.00", ""]
    assert [r["2 lost"] for r in rows] == ["3.50", "0.00", ""]
    assert [r["2 max"] for r in rows] == ["7.00", "7.00", "0.00"]
    assert [r["total"] for r in rows] == ["4.50", "9.00", "3.00"]
    assert [r["rank"] for r in rows] == ["3", "1", "1"]


def test_csv_with_decimal_comma_quotes_text_holding_semicolons(
    tmp_path: Path, result: ps.Result
) -> None:
    """decimal="," writes 3,50 between semicolons and quotes a label holding one."""
    path = write_result(result, tmp_path / "out.csv", decimal=",")
    rows = _csv_rows(path, delimiter=";")
    assert rows[1]["Tên đơn vị"] == 'Phường "Một"; mới'
    assert [r["2"] for r in rows] == ["3,50", "7,00", ""]
    assert '"Phường ""Một""; mới"' in path.read_text(encoding="utf-8-sig")


def test_csv_reads_back_with_missing_cells(tmp_path: Path, result: ps.Result) -> None:
    """The CSV reads back through read_table with NaN where a node does not apply."""
    table = read_table(write_result(result, tmp_path / "out.csv"))
    assert np.isnan(np.asarray(table.column("1.2"), dtype=float)).tolist() == [False, True, False]


def test_xlsx_has_labels_and_empty_cells(tmp_path: Path, result: ps.Result) -> None:
    """In both unit sheets labels follow unit_id and a node that does not apply is empty."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(write_result(result, tmp_path / "out.xlsx"))
    for sheet in (SHEET_RESULTS, SHEET_LOST):
        rows = [[c.value for c in r] for r in book[sheet].iter_rows()]
        header = rows[0]
        assert header[:3] == ["unit_id", "STT", "Tên đơn vị"], sheet
        table = [dict(zip(header, r, strict=True)) for r in rows[1:]]
        assert [r["Tên đơn vị"] for r in table] == LABELS["Tên đơn vị"]
        assert [r["2"] for r in table][2] is None, sheet
        assert [r["1.2"] for r in table][1] is None, sheet
    results = [[c.value for c in r] for r in book[SHEET_RESULTS].iter_rows()]
    assert results[1][results[0].index("1.1")] == 0  # an earned zero is a number
    cell = book[SHEET_RESULTS].cell(row=2, column=results[0].index("2") + 1)
    assert cell.number_format == "0.00"


def test_json_and_parquet_have_null_where_nodes_do_not_apply(
    tmp_path: Path, result: ps.Result
) -> None:
    """JSON and Parquet hold null (not 0, not NaN) where a node does not apply."""
    data = json.loads(write_result(result, tmp_path / "out.json", node_max=True).read_text("utf-8"))
    assert [u["2"] for u in data["units"]] == [3.5, 7.0, None]
    assert [n["id"] for n in data["nodes"]] == ["1", "1.1", "1.2", "2", "2.1"]
    pq = pytest.importorskip("pyarrow.parquet")
    table = pq.read_table(write_result(result, tmp_path / "out.parquet"))
    assert table.column("2").to_pylist() == [3.5, 7.0, None]
    assert table.column("Tên đơn vị").to_pylist() == LABELS["Tên đơn vị"]
    assert table.column("rank").to_pylist() == [3, 1, 1]


@pytest.mark.parametrize("rows_per_chunk", [1, 2, 1000])
def test_json_file_is_the_json_dict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, result: ps.Result, rows_per_chunk: int
) -> None:
    """The JSON file reads back as to_json_dict(), in any chunk size, strict (no NaN)."""
    monkeypatch.setattr(_write, "_ROW_CELLS", rows_per_chunk * 30)
    options = {"component_index": True, "lost": True, "node_max": True}
    path = write_result(result, tmp_path / "out.json", **options)

    def refuse(token: str) -> object:
        raise AssertionError(token)

    assert json.loads(path.read_text("utf-8"), parse_constant=refuse) == result.to_json_dict(
        **options
    )


def test_json_numbers_read_as_floats_with_zero_decimals(tmp_path: Path) -> None:
    """With 0 decimals JSON numbers are still written as floats (3.0); ranks as integers."""
    scheme = attrs.evolve(SCHEME, rounding=attrs.evolve(SCHEME.rounding, decimals=0))
    scored = ps.score(scheme, {"unit_id": ["a"], "1.1": [1], "1.2": [0], "2.1": [50]})
    unit = json.loads(write_result(scored, tmp_path / "out.json").read_text("utf-8"))["units"][0]
    assert type(unit["1.1"]) is float
    assert type(unit["rank"]) is int
    assert unit == scored.to_json_dict()["units"][0]


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "json", "parquet"])
def test_progress_reports_rows_up_to_the_total(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    """progress(done, total) is called per chunk, done rising to total."""
    pytest.importorskip("xlsxwriter")
    pytest.importorskip("pyarrow")
    monkeypatch.setattr(_write, "_ROW_CELLS", 200)  # chunks of a few rows
    scheme = synthetic_scheme()
    scored = ps.score(scheme, example_data(scheme, 50, seed=1))
    calls: list[tuple[int, int]] = []
    write_result(scored, tmp_path / f"out.{suffix}", progress=lambda d, t: calls.append((d, t)))
    done = [d for d, _ in calls]
    assert done == sorted(done)
    assert calls[-1][0] == calls[-1][1] >= 50
    if suffix in ("csv", "xlsx"):
        assert len(calls) > 2


def test_csv_is_the_same_in_any_chunk_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, result: ps.Result
) -> None:
    """Writing in chunks of one row gives the same bytes as writing all rows at once."""
    whole = write_result(result, tmp_path / "whole.csv", component_index=True).read_bytes()
    monkeypatch.setattr(_write, "_ROW_CELLS", 1)
    chunked = write_result(result, tmp_path / "chunked.csv", component_index=True).read_bytes()
    assert chunked == whole


def _bytes_of(cells: tuple[np.ndarray, np.ndarray]) -> list[bytes]:
    chars, keep = cells
    return [row[k].tobytes() for row, k in zip(chars, keep, strict=True)]


@given(
    decimals=st.integers(0, 6),
    scaled=st.lists(st.one_of(st.integers(-(10**9), 10**9), st.none()), min_size=1, max_size=12),
    columns=st.integers(1, 3),
)
def test_numbers_are_formatted_as_python_formats_them(
    decimals: int, scaled: list[int | None], columns: int
) -> None:
    """A number rounded to d decimals is written as f"{x:.{d}f}", a missing one as nothing."""
    flat = [np.nan if k is None else k / 10**decimals for k in scaled] * columns
    values = np.array(flat, dtype=np.float64).reshape(columns, -1).T
    lines = _bytes_of(_write._number_cells(values, decimals, ord(";"), ord(".")))
    for line, row in zip(lines, values, strict=True):
        want = "".join(";" + ("" if np.isnan(x) else f"{x:.{decimals}f}") for x in row)
        assert line.decode() == want


def test_negative_zero_is_written_as_zero() -> None:
    """-0.0 is written 0.00, not -0.00; the decimal separator is the one asked for."""
    values = np.array([[-0.0, -1.5, 0.25]])
    assert _bytes_of(_write._number_cells(values, 2, ord(";"), ord(","))) == [b";0,00;-1,50;0,25"]


@given(texts=st.lists(st.text(), min_size=1, max_size=8), delimiter=st.sampled_from([",", ";"]))
def test_text_is_quoted_as_the_csv_module_quotes_it(texts: list[str], delimiter: str) -> None:
    """A text cell holds what csv.writer writes for it after a separator."""
    texts = [t.replace("\x00", "") for t in texts]
    quote = _write._csv_quote(delimiter)
    cells = _bytes_of(_write._text_cells(np.array(texts, dtype=object), quote, ord(delimiter)))
    for text, cell in zip(texts, cells, strict=True):
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerow(["", text])
        assert cell.decode() == buffer.getvalue().removesuffix("\r\n")

"""Reading measurement tables (CSV, XLSX, Parquet, Arrow, JSON, data frames) and writing results."""

from __future__ import annotations

import csv
import io
import json
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pytest

import parscore as ps
from parscore.datasets import example_data, synthetic_scheme
from parscore.io.tables import (
    SHEET_LOST,
    SHEET_RESULTS,
    SHEET_SCHEME,
    read_measurements,
    read_table,
    result_to_json_dict,
    score_file,
    write_result,
)

TIERS = ps.TierScale(
    scale=[
        ps.Tier(name="Tốt", min=80),
        ps.Tier(name="Khá", min=70),
        ps.Tier(name="Trung bình", min=50),
        ps.Tier(name="Yếu", min=0),
    ]
)

SCHEME = ps.Scheme(
    id="table-case",
    name="Bộ chỉ số thử đọc bảng",
    year=2026,
    level="commune",
    tiers=TIERS,
    nodes=[
        ps.Node(
            id="1",
            name="Công tác chỉ đạo, điều hành",
            children=[
                ps.Node(id="1.1", name="Kế hoạch CCHC", max_points=2, rule=ps.YesNo()),
                ps.Node(
                    id="1.2",
                    name="Ban hành kịp thời",
                    max_points=1,
                    rule=ps.Choice(options={"kip_thoi": 1, "khong_kip_thoi": 0.5}),
                ),
            ],
        ),
        ps.Node(
            id="2",
            name="Thủ tục hành chính",
            children=[ps.Node(id="2.1", name="Tỷ lệ đúng hạn", max_points=7, rule=ps.Ratio())],
        ),
    ],
)
HEADER = ["unit_id", "1.1", "1.2", "2.1"]
NFD_NAME = unicodedata.normalize("NFD", "Xã Đồng Tâm")
NFC_NAME = unicodedata.normalize("NFC", "Xã Đồng Tâm")


def _write_csv(
    path: Path, rows: list[list[str]], *, delimiter: str = ",", bom: bool = False
) -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    path.write_bytes(("\ufeff" if bom else "").encode() + buf.getvalue().encode("utf-8"))
    return path


# -- CSV --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delimiter", "bom"), [(",", False), (";", True), (";", False), ("\t", True)]
)
def test_csv_is_read_with_any_delimiter_and_bom(tmp_path: Path, delimiter: str, bom: bool) -> None:
    """Comma, semicolon and tab files, with or without a BOM, read alike; decimal commas too."""
    rate = "92,08" if delimiter != "," else "92.08"
    rows = [HEADER, [NFD_NAME, "có", "kip_thoi", rate], ["xa-2", "không", "khong_kip_thoi", "n/a"]]
    path = _write_csv(tmp_path / "m.csv", rows, delimiter=delimiter, bom=bom)
    table = read_table(path)
    assert table.columns == tuple(HEADER)
    assert table.rows == (2, 3)
    result = ps.score_file(SCHEME, path)
    assert result.unit_ids.tolist() == [NFC_NAME, "xa-2"]
    assert result.points["2.1"].tolist() == [6.45, 0.0]  # 7 × 92.08 / 100 = 6.4456
    assert result.max.tolist() == [10.0, 3.0]  # 2.1 not applicable for xa-2


def test_csv_headers_are_nfc_normalised(tmp_path: Path) -> None:
    """A header written in decomposed (NFD) Unicode is matched in composed (NFC) form."""
    name = unicodedata.normalize("NFD", "nhóm")
    path = _write_csv(tmp_path / "m.csv", [["unit_id", name], ["a", "1"]])
    assert read_table(path).columns == ("unit_id", "nhóm")


def test_csv_ragged_rows_are_each_reported(tmp_path: Path) -> None:
    """Every row with the wrong number of cells is listed with its line number."""
    rows = [
        HEADER,
        ["a", "1", "kip_thoi", "90"],
        ["b", "1", "90"],
        ["c", "1", "kip_thoi", "9", "x"],
    ]
    path = _write_csv(tmp_path / "m.csv", rows)
    with pytest.raises(ps.MeasurementsError) as info:
        read_table(path)
    rows_found = [p.row for p in info.value.problems]
    assert rows_found == [3, 4]
    assert "m.csv" in str(info.value)
    assert "3 cells but the header has 4 columns" in str(info.value)


def test_csv_in_a_legacy_encoding_names_the_byte_and_says_to_save_as_utf8(tmp_path: Path) -> None:
    """cp1258 / latin-1 bytes give an error with the file, the byte offset and the remedy."""
    path = tmp_path / "cu.csv"
    path.write_bytes(b"unit_id,1.1\nxa-1,1\n" + "Đông,1\n".encode("cp1258"))
    with pytest.raises(ps.MeasurementsError) as info:
        read_table(path)
    text = str(info.value)
    assert "cu.csv" in text
    assert "offset 19" in text
    assert "UTF-8" in text
    assert info.value.problems[0].row == 3


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n  \n"])
def test_an_empty_file_is_an_error(tmp_path: Path, content: bytes) -> None:
    """An empty file (or only a BOM, or blank lines) is an error saying it is empty."""
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(ps.MeasurementsError, match="empty"):
        read_table(path)


def test_header_without_rows_is_an_error(tmp_path: Path) -> None:
    """A header and no unit is an error, not an empty result."""
    path = _write_csv(tmp_path / "m.csv", [HEADER])
    with pytest.raises(ps.MeasurementsError, match="no rows"):
        read_table(path)


def test_duplicate_and_empty_headers_are_errors(tmp_path: Path) -> None:
    """Repeated column names and a named-less column holding data are both reported."""
    path = _write_csv(tmp_path / "m.csv", [["unit_id", "1.1", "1.1", ""], ["a", "1", "0", "5"]])
    with pytest.raises(ps.MeasurementsError) as info:
        read_table(path)
    messages = [p.message for p in info.value.problems]
    assert any("repeats" in m and "column 3" in m for m in messages)
    assert any("column 4 has no name" in m for m in messages)


def test_trailing_empty_column_and_blank_lines_are_ignored(tmp_path: Path) -> None:
    """A trailing delimiter (an unnamed, empty column) and blank lines hold no data."""
    path = tmp_path / "m.csv"
    path.write_text("unit_id;1.1;\n\na;1;\nb;0;\n\n", encoding="utf-8")
    table = read_table(path)
    assert table.columns == ("unit_id", "1.1")
    assert table.rows == (3, 4)


def test_every_bad_cell_of_a_10000_row_csv_is_reported_with_row_and_column(
    tmp_path: Path,
) -> None:
    """One bad cell in the last of 10,000 rows is reported with its line, unit, column, value."""
    n = 10_000
    ids = [f"xa-{i:05d}" for i in range(n)]
    lines = ["unit_id,1.1,1.2,2.1"]
    lines += [f"{u},1,kip_thoi,{50 + i % 50}" for i, u in enumerate(ids)]
    lines[-1] = f"{ids[-1]},1,kip_thoi,9o"
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ps.MeasurementsError) as info:
        score_file(SCHEME, path)
    (problem,) = info.value.problems
    assert (problem.row, problem.unit_id, problem.column, problem.value) == (
        n + 1,
        ids[-1],
        "2.1",
        "9o",
    )
    assert str(path) in str(info.value)


def test_bad_cells_and_refused_values_come_in_one_error(tmp_path: Path) -> None:
    """score_file reports unreadable cells and values a rule refuses together."""
    rows = [
        HEADER,
        ["a", "có", "kip_thoi", "abc"],
        ["b", "7", "kip_thoi", "50"],
        ["c", "1", "x", "1"],
    ]
    path = _write_csv(tmp_path / "m.csv", rows)
    with pytest.raises(ps.MeasurementsError) as info:
        score_file(SCHEME, path)
    found = {(p.row, p.column) for p in info.value.problems}
    assert found == {(2, "2.1"), (3, "1.1"), (4, "1.2")}


def test_read_measurements_keeps_source_rows(tmp_path: Path) -> None:
    """Measurements read from a file carry the file name and each unit's line."""
    rows = [HEADER, ["a", "1", "kip_thoi", "90"], [], ["b", "0", "1", "80"]]
    path = _write_csv(tmp_path / "m.csv", rows)
    data = read_measurements(SCHEME, path)
    assert data.source == str(path)
    assert data.rows is not None
    assert data.rows.tolist() == [2, 4]


def test_repeated_unit_id_names_both_source_rows(tmp_path: Path) -> None:
    """A repeated unit id is reported at its line, naming the line where it first appeared."""
    rows = [
        HEADER,
        ["a", "1", "kip_thoi", "90"],
        ["b", "1", "kip_thoi", "90"],
        ["a", "1", "1", "9"],
    ]
    path = _write_csv(tmp_path / "m.csv", rows)
    with pytest.raises(ps.MeasurementsError) as info:
        read_measurements(SCHEME, path)
    (problem,) = info.value.problems
    assert problem.row == 4
    assert "first in row 2" in problem.message


def test_unknown_suffix_and_old_excel_are_explained(tmp_path: Path) -> None:
    """A suffix that names no format, and .xls, give errors saying what to do."""
    with pytest.raises(ps.MeasurementsError, match="format="):
        read_table(tmp_path / "m.dat")
    with pytest.raises(ps.MeasurementsError, match=r"save it as \.xlsx"):
        read_table(tmp_path / "m.xls")


# -- numbers in cells -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("92.08", 92.08),
        ("92,08", 92.08),
        ("1 234,5", 1234.5),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("1.234.567,8", 1234567.8),
        ("-1.234,5", -1234.5),
        ("1,2,3", None),
        ("1.234.567", None),
        ("12.34,5", None),
        ("1,234.5.6", None),
        ("1.2345,6", None),
    ],
)
def test_numbers_with_separators(text: str, expected: float | None) -> None:
    """One separator is decimal; both are read only as thousands groups then decimals."""
    from parscore.measurements._cells import parse_number as _parse_number

    assert _parse_number(text) == expected


def test_ambiguous_separators_get_a_clear_message() -> None:
    """A cell like "1,2,3" is reported as having ambiguous separators, not silently read."""
    data = {"unit_id": ["a"], "1.1": [1], "1.2": [0], "2.1": ["1,2,3"]}
    with pytest.raises(ps.MeasurementsError, match="separators are ambiguous"):
        ps.score(SCHEME, data)


# -- other formats ----------------------------------------------------------------------------


def test_xlsx_reads_a_chosen_sheet_with_numbers_as_numbers(tmp_path: Path) -> None:
    """A sheet by name, header in row 1, empty rows skipped, row numbers as Excel shows them."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "Hướng dẫn"
    book.active.append(["Điền số liệu vào trang Số liệu"])
    ws = book.create_sheet("Số liệu")
    ws.append(HEADER)
    ws.append([NFD_NAME, "có", "kip_thoi", 92.08])
    ws.append([None, None, None, None])
    ws.append([17, 0, 1, 55])
    ws.append([])
    ws.append([None, None])
    path = tmp_path / "m.xlsx"
    book.save(path)
    table = read_table(path, sheet="Số liệu")
    assert table.rows == (2, 4)
    assert isinstance(table.column("2.1"), np.ndarray)
    result = score_file(SCHEME, path, sheet=1)
    assert result.unit_ids.tolist() == [NFC_NAME, "17"]
    assert result.points["2.1"].tolist() == [6.45, 3.85]
    with pytest.raises(ps.MeasurementsError, match=r"no sheet named 'Data'"):
        read_table(path, sheet="Data")


def test_parquet_and_arrow_files_are_read(tmp_path: Path) -> None:
    """Parquet and Arrow IPC files read to the same table, record numbers as rows."""
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq
    from pyarrow import feather

    table = pa.table(
        {"unit_id": ["a", "b"], "1.1": [1, 0], "1.2": ["kip_thoi", None], "2.1": [92.08, None]}
    )
    pq.write_table(table, tmp_path / "m.parquet")
    feather.write_feather(table, tmp_path / "m.arrow")
    for name in ("m.parquet", "m.arrow"):
        read = read_table(tmp_path / name)
        assert read.columns == tuple(HEADER)
        assert read.rows == (1, 2)
        result = score_file(SCHEME, tmp_path / name, missing="zero")
        assert result.points["1"].tolist() == [3.0, 0.0]


def test_json_records_and_split_form_are_read(tmp_path: Path) -> None:
    """A list of records and {"columns", "data"} read alike; a short record is an error."""
    records = [
        {"unit_id": "a", "1.1": "đạt", "1.2": "kip_thoi", "2.1": 50},
        {"unit_id": "b", "1.1": 0, "1.2": 1, "2.1": "n/a"},
    ]
    (tmp_path / "r.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    split = {"columns": HEADER, "data": [list(r.values()) for r in records]}
    (tmp_path / "s.json").write_text(json.dumps(split), encoding="utf-8")
    for name in ("r.json", "s.json"):
        result = score_file(SCHEME, tmp_path / name)
        assert result.total.tolist() == [6.5, 0.5]
    split["data"][1] = ["b", 0]
    with pytest.raises(ps.MeasurementsError, match="record 2 has 2 cells"):
        read_table(split)


def test_pandas_frames_are_read_without_importing_pandas_to_check() -> None:
    """A DataFrame is recognised and read, its index named unit_id used as ids."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {"1.1": [1, 0], "1.2": ["kip_thoi", "khong_kip_thoi"], "2.1": [100.0, np.nan]},
        index=pd.Index(["a", "b"], name="unit_id"),
    )
    table = read_table(frame)
    assert table.columns == tuple(HEADER)
    result = ps.score(SCHEME, read_measurements(SCHEME, frame), missing="zero")
    assert result.total.tolist() == [10.0, 0.5]


def test_polars_frames_are_read() -> None:
    """A polars DataFrame reads like a pandas one (polars is optional)."""
    pl = pytest.importorskip("polars", reason="polars is optional: pip install 'parscore[polars]'")
    frame = pl.DataFrame(
        {"unit_id": ["a", "b"], "1.1": [1, 0], "1.2": ["kip_thoi", None], "2.1": [92.08, None]}
    )
    result = score_file(SCHEME, frame, missing="zero")
    assert result.points["2.1"].tolist() == [6.45, 0.0]


# -- writing ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def result() -> ps.Result:
    data = {
        "unit_id": [NFC_NAME, "xa-2", "xa-3"],
        "group": ["phường", "xã", "xã"],
        "1.1": [1, 0, 1],
        "1.2": ["kip_thoi", "khong_kip_thoi", "n/a"],
        "2.1": [92.08, 33.33, 70],
    }
    return ps.score(SCHEME, data)


def test_csv_output_has_a_bom_and_the_scheme_decimals(tmp_path: Path, result: ps.Result) -> None:
    """The CSV starts with a BOM, keeps Vietnamese text and formats numbers to 2 decimals."""
    path = write_result(result, tmp_path / "out.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == [
        "unit_id",
        "group",
        "1",
        "1.1",
        "1.2",
        "2",
        "2.1",
        "total",
        "max",
        "index",
        "tier",
        "rank",
    ]
    assert rows[1][:3] == [NFC_NAME, "phường", "3.00"]
    assert rows[1][-3:] == ["94.46", "Tốt", "1"]


def test_csv_output_with_decimal_comma_uses_semicolons(tmp_path: Path, result: ps.Result) -> None:
    """decimal="," writes 94,46 and separates cells with semicolons."""
    path = write_result(result, tmp_path / "out.csv", decimal=",")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[1][-3] == "94,46"


def test_csv_output_reads_back_with_extra_columns(tmp_path: Path, result: ps.Result) -> None:
    """Component index and points lost columns are added on request and read back."""
    path = write_result(result, tmp_path / "out.csv", component_index=True, lost=True)
    table = read_table(path)
    assert "2.1 %" in table.columns
    assert "1 lost" in table.columns
    cells = table.column("1.2 %")  # CSV columns are text: an empty cell is null or ""
    values = cells.to_pylist() if hasattr(cells, "to_pylist") else list(cells)
    assert values[2] in {None, ""}


def test_json_output_is_what_a_web_service_returns(tmp_path: Path, result: ps.Result) -> None:
    """The JSON has the scheme's id, name and fingerprint, the columns, and one object per unit."""
    path = write_result(result, tmp_path / "out.json", component_index=True)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data == result_to_json_dict(result, component_index=True)
    assert data["scheme"]["fingerprint"] == result.fingerprint
    assert data["columns"][:3] == ["unit_id", "group", "1"]
    assert data["units"][0]["unit_id"] == NFC_NAME
    assert data["units"][2]["1.2 %"] is None
    assert [u["rank"] for u in data["units"]] == result.rank.tolist()


def test_xlsx_output_has_three_sheets_with_formats(tmp_path: Path, result: ps.Result) -> None:
    """Results, the scheme and points lost, with number formats, bold frozen headers, Vietnamese."""
    openpyxl = pytest.importorskip("openpyxl")
    path = write_result(result, tmp_path / "out.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [SHEET_RESULTS, SHEET_SCHEME, SHEET_LOST]
    ws = book[SHEET_RESULTS]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["unit_id", "group", "1"]
    assert ws.freeze_panes == "B2"
    assert ws["A1"].font.b
    row = dict(zip(header, ws[2], strict=True))
    assert row["unit_id"].value == NFC_NAME
    assert row["index"].value == 94.46
    assert row["index"].number_format == "0.00"
    assert row["1.1"].number_format == "0.00"
    assert row["rank"].value == 1
    assert row["rank"].number_format == "0"
    assert row["tier"].value == "Tốt"
    scheme_rows = [[c.value for c in r] for r in book[SHEET_SCHEME].iter_rows(min_row=2)]
    assert [r[0] for r in scheme_rows] == list(result.node_ids)
    assert scheme_rows[0][1] == "Công tác chỉ đạo, điều hành"
    assert book[SHEET_SCHEME]["B3"].alignment.indent == 2
    lost = [c.value for c in book[SHEET_LOST][3]]
    assert lost[:2] == ["xa-2", "xã"]
    assert lost[[c.value for c in book[SHEET_LOST][1]].index("1.1")] == 2.0


def test_parquet_output_round_trips(tmp_path: Path, result: ps.Result) -> None:
    """The Parquet file holds the result table and the scheme's fingerprint."""
    pq = pytest.importorskip("pyarrow.parquet")
    path = write_result(result, tmp_path / "out.parquet")
    table = pq.read_table(path)
    assert table.column("index").to_pylist() == result.index.tolist()
    assert table.schema.metadata[b"parscore.fingerprint"] == result.fingerprint.encode()
    assert read_table(path).columns[0] == "unit_id"


def test_large_result_round_trips_through_every_format(tmp_path: Path) -> None:
    """300 synthetic units written to CSV, JSON, XLSX, Parquet read back to the same index."""
    pytest.importorskip("openpyxl")
    pytest.importorskip("pyarrow")
    scheme = synthetic_scheme()
    result = ps.score(scheme, example_data(scheme, 300, seed=3))
    for suffix in ("csv", "json", "xlsx", "parquet"):
        path = write_result(result, tmp_path / f"out.{suffix}")
        if suffix == "json":
            units = json.loads(path.read_text(encoding="utf-8"))["units"]
            back = np.array([u["index"] for u in units])
        else:
            back = np.asarray(read_table(path).column("index"), dtype=float)
        np.testing.assert_array_equal(back, result.index, err_msg=suffix)


# -- optional dependencies --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("module", "suffix", "extra", "writes", "reads"),
    [
        ("openpyxl", "xlsx", "excel", False, True),  # reads workbooks
        ("xlsxwriter", "xlsx", "excel", True, False),  # writes result workbooks
        ("pyarrow", "parquet", "arrow", True, True),
    ],
)
def test_missing_extra_is_named(  # noqa: PLR0917 - pytest passes fixtures by position
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    result: ps.Result,
    module: str,
    suffix: str,
    extra: str,
    writes: bool,
    reads: bool,
) -> None:
    """Without its library, a format raises MissingDependencyError naming the extra to install."""
    monkeypatch.setitem(sys.modules, module, None)
    if writes:
        with pytest.raises(ps.MissingDependencyError, match=rf"parscore\[{extra}\]"):
            write_result(result, tmp_path / f"out.{suffix}")
    if reads:
        (tmp_path / f"in.{suffix}").write_bytes(b"PK")
        with pytest.raises(ps.MissingDependencyError, match=rf"parscore\[{extra}\]"):
            read_table(tmp_path / f"in.{suffix}")


def test_data_frames_are_recognised_through_sys_modules(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without pandas or polars loaded, reading a plain mapping imports neither."""
    for name in ("pandas", "polars", "pyarrow"):
        monkeypatch.setitem(sys.modules, name, None)
    table = read_table({"unit_id": ["a"], "1.1": [1]})
    assert table.columns == ("unit_id", "1.1")

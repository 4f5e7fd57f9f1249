"""Readers turn files into columns: CSV as text on both paths, header rows found, no guessing."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import numpy as np
import pytest

import parscore as ps
import parscore.io._read_csv as read_csv_module
from parscore.io._files import Cells, Table
from parscore.io.tables import read_table

HEADER = ["unit_id", "1.1", "1.2", "2.1"]


def _texts(cells: Cells) -> list[object]:
    """The cells as Python values, an empty cell as ""."""
    values = cells.to_pylist() if hasattr(cells, "to_pylist") else list(cells)
    return ["" if v is None else v for v in values]


def _both_paths(path: Path, monkeypatch: pytest.MonkeyPatch, **options: object) -> Table:
    """Read *path* through pyarrow and through the stdlib, check they agree, return one."""
    fast = read_table(path, **options)  # type: ignore[arg-type]
    with monkeypatch.context() as patch:
        patch.setattr(read_csv_module, "USE_PYARROW", False)
        slow = read_table(path, **options)  # type: ignore[arg-type]
    assert fast.columns == slow.columns
    assert fast.rows == slow.rows
    assert [_texts(c) for c in fast.cells] == [_texts(c) for c in slow.cells]
    return slow


# -- CSV ---------------------------------------------------------------------------------------

NFD = unicodedata.normalize("NFD", "Xã Đồng Tâm")
NFC = unicodedata.normalize("NFC", "Xã Đồng Tâm")

CSV_FILES = {
    "plain": b"unit_id,1.1,1.2,2.1\na,1,kip_thoi,92.08\nb,0,khong,50\n",
    "bom-semicolon-crlf": (
        b"\xef\xbb\xbfunit_id;1.1;1.2;2.1\r\na;c\xc3\xb3;kip_thoi;92,08\r\n\r\nb;0;;n/a\r\n"
    ),
    "tab": b"unit_id\t1.1\t1.2\t2.1\na\t1\tx\t1.234\n",
    "blank-lines-and-empty-rows": b"\n\nunit_id,1.1\n\na,1\n,\n  ,  \nb,2\n\n",
    "trailing-delimiter": b"unit_id;1.1;\n\na;1;\nb;0;\n\n",
    "quoted": b'unit_id,name,1.1\na,"Huy\xe1\xbb\x87n, x\xc3\xa3",1\nb,"say ""hi""",2\n',
    "quoted-newline": b'unit_id,name,1.1\na,"line one\nline two",1\nb,x,2\n',
    "tokens": b"unit_id,1.1,1.2,2.1\na,n/a,NA,nan\nb,NULL,N/A, \n",
    "nfd": f"unit_id,t\u00ean\n{NFD},1\n".encode(),
    "titles": (
        "UBND TỈNH QUẢNG NAM,,,\nBẢNG TỔNG HỢP SỐ LIỆU,,,\n,,,\nunit_id,1.1,1.2,2.1\n"
        "a,1,kip_thoi,9\nb,0,khong,8\n"
    ).encode(),
}


@pytest.mark.parametrize("name", sorted(CSV_FILES))
def test_pyarrow_and_stdlib_csv_paths_give_the_same_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """Both CSV paths give the same names, row numbers and cell texts."""
    pytest.importorskip("pyarrow")
    path = tmp_path / f"{name}.csv"
    path.write_bytes(CSV_FILES[name])
    _both_paths(path, monkeypatch)


def test_csv_rows_are_the_lines_records_start_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Blank lines and all-empty rows are skipped; a record's row is the line it starts on."""
    path = tmp_path / "m.csv"
    path.write_bytes(b'\nunit_id,note\n\na,"two\nlines"\n,\nb,x\n')
    table = _both_paths(path, monkeypatch)
    assert table.rows == (4, 7)
    assert _texts(table.column("note")) == ["two\nlines", "x"]


def test_csv_counts_arrive_as_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A CSV cell "1.234" reaches the table as the text "1.234", never the number 1.234."""
    path = tmp_path / "m.csv"
    path.write_text("unit_id,8.1:A,2.1\na,1.234,92.5\nb,17,\n", encoding="utf-8")
    table = _both_paths(path, monkeypatch)
    assert _texts(table.column("8.1:A")) == ["1.234", "17"]
    assert _texts(table.column("2.1")) == ["92.5", ""]
    assert not isinstance(read_table(path).column("8.1:A"), np.ndarray)


def test_csv_tokens_are_text_and_only_empty_cells_are_empty(tmp_path: Path) -> None:
    """The pyarrow path reads "n/a", "NA", "nan" and "NULL" as text: only "" is null."""
    pytest.importorskip("pyarrow")
    path = tmp_path / "m.csv"
    path.write_bytes(CSV_FILES["tokens"])
    column = read_table(path).column("1.1")
    assert column.to_pylist() == ["n/a", "NULL"]  # type: ignore[union-attr]
    assert read_table(path).column("1.2").to_pylist() == ["NA", "N/A"]  # type: ignore[union-attr]


def test_csv_nfd_text_is_normalised(tmp_path: Path) -> None:
    """Decomposed (NFD) names and cells arrive composed (NFC)."""
    path = tmp_path / "m.csv"
    path.write_bytes(CSV_FILES["nfd"])
    table = read_table(path)
    assert table.columns == ("unit_id", "tên")
    assert _texts(table.column("unit_id")) == [NFC]


def test_csv_ragged_rows_are_reported_on_the_pyarrow_path_too(tmp_path: Path) -> None:
    """A ragged row makes the fast path give way, so every bad line is still listed."""
    path = tmp_path / "m.csv"
    path.write_text("unit_id,1.1\na,1\nb,1,2\nc\nd,4\n", encoding="utf-8")
    with pytest.raises(ps.MeasurementsError) as info:
        read_table(path)
    assert [p.row for p in info.value.problems] == [3, 4]


def test_csv_title_lines_and_a_given_header_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Title lines above a CSV header are skipped, or the header line is given."""
    path = tmp_path / "m.csv"
    path.write_bytes(CSV_FILES["titles"])
    table = _both_paths(path, monkeypatch)
    assert table.columns == tuple(HEADER)
    assert table.rows == (5, 6)
    given = _both_paths(path, monkeypatch, header_row=4)
    assert given.rows == (5, 6)
    with pytest.raises(ps.MeasurementsError, match=r"line 3 \(header_row\) is blank"):
        read_table(path, header_row=3)
    far = tmp_path / "far.csv"
    far.write_bytes(b"title\n" * 150 + b"unit_id,1.1\na,1\n")
    assert _both_paths(far, monkeypatch, header_row=151).rows == (152,)


def test_csv_progress_ends_with_done_equal_to_total(tmp_path: Path) -> None:
    """The progress callback is told the bytes read, ending with done == total."""
    path = tmp_path / "m.csv"
    path.write_bytes(CSV_FILES["plain"])
    calls: list[tuple[int, int]] = []
    read_table(path, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (len(CSV_FILES["plain"]),) * 2


# -- XLSX --------------------------------------------------------------------------------------


def _titled_book(path: Path) -> Path:
    """A sheet with two merged title rows, a blank row, the header in row 4 and two units."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    ws = book.active
    ws["A1"] = "UBND TỈNH QUẢNG NAM"
    ws.merge_cells("A1:B1")
    ws["C1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    ws.merge_cells("C1:F1")
    ws["A2"] = "BẢNG TỔNG HỢP SỐ LIỆU CHỈ SỐ CCHC NĂM 2025"
    ws.merge_cells("A2:F2")
    for c, name in enumerate(["STT", "unit_id", "Tên đơn vị", "1.1", "1.2", "2.1"], start=1):
        ws.cell(row=4, column=c, value=name)
    ws.append([1, "xa-1", NFD, "có", "kip_thoi", 92.08])
    ws.append([2, "xa-2", "Phường 2", "không", None, 1234])
    book.save(path)
    return path


def test_xlsx_title_rows_above_the_header_are_skipped(tmp_path: Path) -> None:
    """Merged title rows and a blank row above the header are passed over; rows stay Excel's."""
    table = read_table(_titled_book(tmp_path / "m.xlsx"))
    assert table.columns == ("STT", "unit_id", "Tên đơn vị", "1.1", "1.2", "2.1")
    assert table.rows == (5, 6)
    assert table.column("2.1").tolist() == [92.08, 1234.0]  # type: ignore[union-attr]
    assert table.column("Tên đơn vị") == [NFC, "Phường 2"]
    assert table.column("1.2") == ["kip_thoi", None]


def test_xlsx_header_row_can_be_given(tmp_path: Path) -> None:
    """header_row= forces the header; an empty row given as header is an error naming it."""
    path = _titled_book(tmp_path / "m.xlsx")
    assert read_table(path, header_row=4).rows == (5, 6)
    with pytest.raises(ps.MeasurementsError, match=r"row 3 \(header_row\) of the sheet is empty"):
        read_table(path, header_row=3)
    with pytest.raises(ps.MeasurementsError) as info:
        read_table(path, header_row=2)  # the title: one named column over six filled
    assert "--header-row" not in str(info.value)  # given, not guessed: no hint


def test_xlsx_without_a_recognisable_header_says_to_pass_header_row(tmp_path: Path) -> None:
    """A sheet where no row looks like a header gives an error suggesting --header-row."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    ws = book.active
    for r in range(1, 4):
        ws.cell(row=r, column=1, value=f"title {r}")  # a column of text, then sparse data
    ws.cell(row=4, column=2, value=1)
    ws.cell(row=5, column=3, value=2)
    path = tmp_path / "m.xlsx"
    book.save(path)
    with pytest.raises(ps.MeasurementsError, match="--header-row"):
        read_table(path)


def test_xlsx_header_problems_suggest_header_row(tmp_path: Path) -> None:
    """A found header with an unnamed column: the error names the row taken and --header-row."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["unit_id", "1.1", None, "2.1"])
    ws.append(["a", 1, 5, 2])
    path = tmp_path / "m.xlsx"
    book.save(path)
    with pytest.raises(ps.MeasurementsError) as info:
        read_table(path)
    text = str(info.value)
    assert "column 3 has no name" in text
    assert "taken to be row 1" in text
    assert "--header-row" in text


def test_xlsx_progress_reports_rows(tmp_path: Path) -> None:
    """Reading a sheet tells progress the rows read, ending with done == total."""
    path = _titled_book(tmp_path / "m.xlsx")
    calls: list[tuple[int, int]] = []
    read_table(path, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (6, 6)


def test_header_row_is_refused_for_formats_without_one(tmp_path: Path) -> None:
    """header_row= on JSON or a data frame is an error, not silently ignored."""
    path = tmp_path / "m.json"
    path.write_text(json.dumps([{"unit_id": "a"}]), encoding="utf-8")
    with pytest.raises(ps.MeasurementsError, match=r"header_row is for \.xlsx and \.csv"):
        read_table(path, header_row=2)


# -- nothing numeric is guessed from text -----------------------------------------------------


def test_json_strings_stay_text_and_numbers_stay_numbers(tmp_path: Path) -> None:
    """A JSON string "1.234" is text; a column of JSON numbers is a float64 array."""
    records = [{"unit_id": "a", "8.1:A": "1.234", "2.1": 92.5}, {"unit_id": "b", "2.1": None}]
    path = tmp_path / "m.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    table = read_table(path)
    assert table.column("8.1:A") == ["1.234", None]
    column = table.column("2.1")
    assert isinstance(column, np.ndarray)
    assert column.dtype == np.float64
    assert np.isnan(column[1])


def test_pandas_numbers_are_float_arrays_and_text_stays_text() -> None:
    """Numeric pandas columns (nullable ones too) give float64 arrays; text stays text."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "unit_id": ["a", NFD],
            "n": pd.array([1, None], dtype="Int64"),
            "t": ["1.234", None],
            "b": [True, False],
        }
    )
    table = read_table(frame)
    n = table.column("n")
    assert isinstance(n, np.ndarray)
    assert n.dtype == np.float64
    assert np.isnan(n[1])
    assert _texts(table.column("t")) == ["1.234", ""]
    assert _texts(table.column("unit_id")) == ["a", NFC]
    assert _texts(table.column("b")) == [True, False]


def test_polars_and_arrow_text_columns_arrive_as_arrow_strings() -> None:
    """Text columns of polars and Arrow come as NFC pyarrow strings, numbers as floats."""
    pa = pytest.importorskip("pyarrow")
    pl = pytest.importorskip("polars")
    data = {"unit_id": ["a", NFD], "t": ["1.234", None], "n": [1, None]}
    for source in (pl.DataFrame(data), pa.table(data)):
        table = read_table(source)
        assert isinstance(table.column("t"), pa.Array)
        assert _texts(table.column("unit_id")) == ["a", NFC]
        assert _texts(table.column("t")) == ["1.234", ""]
        assert table.column("n").dtype == np.float64  # type: ignore[union-attr]


def test_a_csv_count_with_a_thousands_dot_scores_as_thousands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Survey counts "1.234" in a CSV read as 1234 on both CSV paths, as from a dict."""
    scheme = ps.Scheme(
        id="counts",
        name="Đếm phiếu",
        level="commune",
        tiers=ps.TierScale(scale=[ps.Tier(name="Tốt", min=0)]),
        nodes=[
            ps.Node(
                id="8",
                name="Hài lòng",
                children=[
                    ps.Node(
                        id="8.1",
                        name="Phiếu khảo sát",
                        max_points=5,
                        rule=ps.Survey(options={"A": 100, "B": 0}),
                    )
                ],
            )
        ],
    )
    path = tmp_path / "m.csv"
    path.write_text("unit_id,8.1:A,8.1:B\na,1.234,1000\nb,1,1\n", encoding="utf-8")
    expected = ps.score(scheme, {"unit_id": ["a", "b"], "8.1:A": [1234, 1], "8.1:B": [1000, 1]})
    for fast in (True, False):
        monkeypatch.setattr(read_csv_module, "USE_PYARROW", fast)
        assert ps.score_file(scheme, path).points["8.1"].tolist() == expected.points["8.1"].tolist()

"""Untrusted data files end in a ParscoreError naming the file, within limits (issue 11).

Each test builds its bad file itself: a zip bomb and a shared-strings bomb of XLSX, a truncated
and a non-zip workbook, a CSV header past csv's own field limit, a CSV over ``max_rows``, JSON
nested deeply, a corrupt Parquet file.
"""

from __future__ import annotations

import contextlib
import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

import parscore as ps
from parscore.datasets import example_data, synthetic_scheme
from parscore.errors import LimitError, MeasurementsError
from parscore.io import _read_csv as read_csv_module
from parscore.io import read_table

SCHEME = synthetic_scheme()


def _frame(n: int = 5) -> object:
    pd = pytest.importorskip("pandas")
    return pd.DataFrame(example_data(SCHEME, n, seed=3))


def _workbook(tmp_path: Path) -> Path:
    path = tmp_path / "data.xlsx"
    _frame().to_excel(path, index=False)  # type: ignore[attr-defined]
    return path


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Override PartName="/xl/sharedStrings.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)


def test_a_zip_bomb_is_refused_from_its_directory_before_openpyxl(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("xl/worksheets/sheet1.xml", b" " * (64 * 1024 * 1024))  # 64 MiB of spaces
    assert path.stat().st_size < 200_000
    limits = ps.Limits(max_unzipped_bytes=16 * 1024 * 1024)
    with pytest.raises(LimitError) as caught:
        read_table(path, limits=limits)
    assert caught.value.limit == "max_unzipped_bytes"
    assert caught.value.where == str(path)


def test_a_shared_strings_bomb_is_refused_by_counting_them(tmp_path: Path) -> None:
    path = tmp_path / "strings.xlsx"
    si = b"<si><t>a</t></si>" * 200_000
    sst = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + si
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("xl/sharedStrings.xml", sst + b"</sst>")
    with pytest.raises(LimitError) as caught:
        ps.score_file(SCHEME, path, limits=ps.Limits(max_shared_strings=100_000))
    assert caught.value.limit == "max_shared_strings"
    assert caught.value.value is not None
    assert caught.value.value > 100_000


def test_a_truncated_workbook_is_a_measurements_error(tmp_path: Path) -> None:
    whole = _workbook(tmp_path).read_bytes()
    for keep in (len(whole) // 3, len(whole) // 2, len(whole) - 30):
        cut = tmp_path / f"cut{keep}.xlsx"
        cut.write_bytes(whole[:keep])
        with pytest.raises(MeasurementsError, match=r"cut\d+\.xlsx"):
            ps.score_file(SCHEME, cut)


def test_a_damaged_sheet_fails_while_rows_are_parsed_not_with_a_raw_error(tmp_path: Path) -> None:
    """The sheet's XML is parsed lazily, row by row, after openpyxl opened the workbook."""
    src = _workbook(tmp_path)
    bad = tmp_path / "bad_rows.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.endswith("sheet1.xml"):
                data = data[: len(data) * 2 // 3]  # XML cut in the middle of the rows
            zout.writestr(info, data)
    with pytest.raises(MeasurementsError, match="cannot read the workbook") as caught:
        read_table(bad)
    assert caught.value.source == str(bad)


def test_a_file_that_is_no_zip_is_a_measurements_error(tmp_path: Path) -> None:
    path = tmp_path / "not.xlsx"
    path.write_text("unit_id,1.1.1\nA,1\n")
    with pytest.raises(MeasurementsError, match=r"not an \.xlsx workbook"):
        ps.score_file(SCHEME, path)
    with pytest.raises(MeasurementsError):
        read_table(io.BytesIO(b"PK\x03\x04garbage"), format="xlsx")


@pytest.mark.parametrize("use_pyarrow", [True, False])
def test_a_csv_header_of_200_kib_is_a_limit_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, use_pyarrow: bool
) -> None:
    monkeypatch.setattr(read_csv_module, "USE_PYARROW", use_pyarrow)
    path = tmp_path / "wide.csv"
    path.write_text("unit_id," + "x" * (200 * 1024) + "\nA,1\nB,2\n")
    with pytest.raises(LimitError) as caught:
        ps.score_file(SCHEME, path)
    assert caught.value.limit == "max_cell_chars"
    assert "wide.csv" in str(caught.value)
    # raised past csv's own 128 KiB limit, the cell is read (and is no input of the scheme)
    big = ps.Limits(max_cell_chars=300 * 1024)
    table = read_table(path, limits=big)
    assert len(table.columns[1]) == 200 * 1024


@pytest.mark.parametrize("use_pyarrow", [True, False])
def test_a_csv_over_max_rows_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, use_pyarrow: bool
) -> None:
    monkeypatch.setattr(read_csv_module, "USE_PYARROW", use_pyarrow)
    path = tmp_path / "rows.csv"
    _frame(30).to_csv(path, index=False)  # type: ignore[attr-defined]
    with pytest.raises(LimitError) as caught:
        ps.score_file(SCHEME, path, limits=ps.Limits(max_rows=20))
    assert caught.value.limit == "max_rows"
    assert ps.score_file(SCHEME, path, limits=ps.Limits(max_rows=30)).unit_ids.size == 30


def test_columns_cells_and_bytes_are_limited_for_every_file(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    _frame().to_csv(path, index=False)  # type: ignore[attr-defined]
    with pytest.raises(LimitError, match="max_columns"):
        read_table(path, limits=ps.Limits(max_columns=10))
    with pytest.raises(LimitError, match="max_file_bytes"):
        ps.read_measurements(SCHEME, path, limits=ps.Limits(max_file_bytes=100))
    with pytest.raises(LimitError, match="max_file_bytes"):
        read_table(io.BytesIO(path.read_bytes()), format="csv", limits=ps.Limits(max_file_bytes=9))
    with pytest.raises(LimitError, match="max_cell_chars"):
        read_table(_workbook(tmp_path), limits=ps.Limits(max_cell_chars=3))
    with pytest.raises(LimitError, match="max_columns"):
        ps.read_measurements(SCHEME, _frame(), limits=ps.Limits(max_columns=10))


def test_deeply_nested_json_is_a_measurements_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 200_000 + "]" * 200_000)
    with pytest.raises(MeasurementsError, match="nested too deeply"):
        ps.score_file(SCHEME, path)
    cell = tmp_path / "cell.json"
    cell.write_text(json.dumps([{"unit_id": "A", "1.1.1": [[[1]]]}]))
    with pytest.raises(MeasurementsError, match="a cell must be text"):
        read_table(cell)
    wrong = tmp_path / "shape.json"
    for text in ('"text"', "12", '{"columns": 1, "data": 2}', "[1, 2]", "[{}]"):
        wrong.write_text(text)
        with pytest.raises(MeasurementsError):
            ps.score_file(SCHEME, wrong)
    digits = tmp_path / "digits.json"
    digits.write_text('[{"unit_id": ' + "9" * 5000 + "}]")
    with pytest.raises(MeasurementsError):
        ps.score_file(SCHEME, digits)


def test_a_corrupt_parquet_file_is_a_measurements_error(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    path = tmp_path / "data.parquet"
    _frame().to_parquet(path)  # type: ignore[attr-defined]
    whole = path.read_bytes()
    rng = np.random.default_rng(5)
    for k in range(20):
        data = bytearray(whole)
        for pos in rng.integers(0, len(data), 8):
            data[pos] = int(rng.integers(0, 256))
        bad = tmp_path / f"bad{k}.parquet"
        bad.write_bytes(bytes(data) if k % 2 else whole[: len(whole) // 2])
        message = ""
        try:
            ps.score_file(SCHEME, bad)
        except ps.ParscoreError as exc:
            message = str(exc)
        assert not message or f"bad{k}.parquet" in message
    with pytest.raises(LimitError, match="max_rows"):
        read_table(path, limits=ps.Limits(max_rows=2))


def test_a_number_followed_by_white_space_float_refuses_is_no_raw_error() -> None:
    r"""Found by the fuzz: Python's regex \\s matches "\\x1c", float() does not strip it."""
    data = {k: list(v) for k, v in example_data(SCHEME, 3, seed=1).items()}
    for column in ("1.1.1", "1.1.2:on_time", "1.2.1"):
        data[column] = ["0.\x1c", "1\x1d", "2"]
        with contextlib.suppress(ps.ParscoreError):
            ps.score(SCHEME, data)

"""A row of column numbers under the header ("(1)", "(2)" …) is not read as a unit."""

from __future__ import annotations

from pathlib import Path

import pytest

import parscore.io._read_csv as read_csv_module
from parscore.io import read_table

HEADER = ["STT", "unit_id", "Tên đơn vị", "1.1", "1.2"]
ROWS = [["1", "xa-1", "Xã An", "0.5", "1"], ["2", "xa-2", "Xã Bình", "1", "0"]]


def _csv(tmp_path: Path, numbering: list[str]) -> Path:
    path = tmp_path / "so-lieu.csv"
    lines = [HEADER, numbering, *ROWS]
    path.write_text("\n".join(",".join(r) for r in lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("arrow", [True, False])
@pytest.mark.parametrize(
    "numbering",
    [["(1)", "(2)", "(3)", "(4)", "(5)"], ["1", "2", "3", "4", "5"], ["A", "B", "1", "2", "3"]],
)
def test_a_numbering_row_is_skipped_in_csv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, arrow: bool, numbering: list[str]
) -> None:
    """Column numbers under the header are dropped; row numbers stay the file's."""
    if arrow:
        pytest.importorskip("pyarrow")
    monkeypatch.setattr(read_csv_module, "USE_PYARROW", arrow)
    table = read_table(_csv(tmp_path, numbering))
    ids = table.column("unit_id")
    cells = ids.to_pylist() if hasattr(ids, "to_pylist") else list(ids)
    assert cells == ["xa-1", "xa-2"]
    assert table.rows == (3, 4)


def test_a_first_unit_numbered_like_columns_is_kept(tmp_path: Path) -> None:
    """A data row is kept when its cells do not run on 1, 2, 3 … (here: a real unit)."""
    table = read_table(_csv(tmp_path, ["3", "xa-0", "Xã Cũ", "1", "1"]))
    assert table.rows == (2, 3, 4)


def test_a_numbering_row_is_skipped_in_a_sheet(tmp_path: Path) -> None:
    """In an XLSX sheet numbers stored as numbers under the header are dropped too."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["UBND XÃ", None, None, None, None])
    ws.append(HEADER)
    ws.append([1, 2, 3, 4, 5])
    for row in ROWS:
        ws.append(row)
    path = tmp_path / "so-lieu.xlsx"
    book.save(path)
    table = read_table(path)
    assert list(table.column("unit_id")) == ["xa-1", "xa-2"]
    assert table.rows == (4, 5)

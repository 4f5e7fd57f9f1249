"""Writing result tables (DESIGN §8 layout): CSV, XLSX, JSON and Parquet.

.. versionadded:: 0.2
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from parscore._optional import require
from parscore.io._files import WRITE_SUFFIXES, OutputFormat, format_of

if TYPE_CHECKING:
    from parscore.result import Result


#: Sheet names of the workbook :func:`write_result` writes.
SHEET_RESULTS = "Kết quả"
SHEET_SCHEME = "Bộ chỉ số"
SHEET_LOST = "Điểm bị trừ"


def result_columns(
    result: Result, *, component_index: bool = False, lost: bool = False
) -> list[tuple[str, str, list[object]]]:
    """The result table (DESIGN §8) as ``(name, kind, values)`` per column.

    The same as :meth:`parscore.Result.table_columns`, which see.

    .. versionadded:: 0.1
    """
    return result.table_columns(component_index=component_index, lost=lost)


def result_to_json_dict(
    result: Result, *, component_index: bool = False, lost: bool = False
) -> dict[str, Any]:
    """The result as a web service returns it: plain JSON types, numbers rounded.

    The same as :meth:`parscore.Result.to_json_dict`, which see.

    .. versionadded:: 0.1
    """
    return result.to_json_dict(component_index=component_index, lost=lost)


def write_result(
    result: Result,
    path: str | os.PathLike[str],
    *,
    format: OutputFormat | None = None,  # noqa: A002 - the natural name for callers
    component_index: bool = False,
    lost: bool = False,
    decimal: Literal[".", ","] = ".",
) -> Path:
    """Write a result table (DESIGN §8 layout) to CSV, XLSX, JSON or Parquet.

    - CSV: UTF-8 *with* a byte-order mark, so that Excel opens Vietnamese text correctly;
      numbers with the scheme's decimals and ``.`` (``decimal=","`` writes ``92,08`` and
      separates cells with ``;``, as Excel expects in a Vietnamese locale).
    - XLSX (``excel`` extra): sheet "Kết quả" (the results; numbers as numbers with a number
      format of the scheme's decimals), "Bộ chỉ số" (the scheme: id, name, max and rule per
      node, indented by depth) and "Điểm bị trừ" (points lost per node); header rows bold and
      frozen.
    - JSON: :func:`result_to_json_dict`.
    - Parquet (``arrow`` extra): one column per result column.

    Args:
        result: The result.
        path: The file; the format follows its suffix unless *format* is given.
        format: ``csv``, ``xlsx``, ``json`` or ``parquet``.
        component_index: Add the component index of every node (``"<id> %"``).
        lost: Add the points lost at every node (``"<id> lost"``).
        decimal: The decimal separator of CSV numbers.

    Returns:
        The path written.

    Raises:
        MeasurementsError: when the format is unknown.
        MissingDependencyError: when the format needs an extra that is not installed.

    .. versionadded:: 0.1
    """
    fmt = format_of(path, format, WRITE_SUFFIXES)
    target = Path(path)
    if fmt == "csv":
        _write_csv(result, target, component_index=component_index, lost=lost, decimal=decimal)
    elif fmt == "json":
        data = result_to_json_dict(result, component_index=component_index, lost=lost)
        text = json.dumps(data, ensure_ascii=False, allow_nan=False, indent=1)
        target.write_text(text + "\n", encoding="utf-8")
    elif fmt == "xlsx":
        _write_xlsx(result, target, component_index=component_index, lost=lost)
    else:
        _write_parquet(result, target, component_index=component_index, lost=lost)
    return target


def _write_csv(
    result: Result, path: Path, *, component_index: bool, lost: bool, decimal: str
) -> None:
    d = result.scheme.rounding.decimals
    columns = result_columns(result, component_index=component_index, lost=lost)
    texts: list[list[str]] = []
    for _, kind, values in columns:
        if kind == "number":
            col = ["" if v is None else f"{v:.{d}f}" for v in values]
            if decimal == ",":
                col = [t.replace(".", ",") for t in col]
            texts.append(col)
        else:
            texts.append([str(v) for v in values])
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";" if decimal == "," else ",", lineterminator="\r\n")
        writer.writerow([c[0] for c in columns])
        writer.writerows(zip(*texts, strict=True))


def _number_format(decimals: int) -> str:
    return "0." + "0" * decimals if decimals else "0"


def _write_xlsx(result: Result, path: Path, *, component_index: bool, lost: bool) -> None:
    # xlsxwriter, not openpyxl: a number format set once per column (not a styled cell per
    # number) and rows streamed to disk; about 3x faster, which matters from a few thousand
    # units up (openpyxl still reads workbooks and writes the template)
    xlsxwriter = require("xlsxwriter", "excel")
    d = result.scheme.rounding.decimals
    book = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,  # rows go to disk as they are written
            "strings_to_formulas": False,  # a unit named "=…" stays text
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    bold = book.add_format({"bold": True})
    formats = {
        "text": None,
        "number": book.add_format({"num_format": _number_format(d)}),
        "int": book.add_format({"num_format": "0"}),
    }

    def write_rows(ws: Any, columns: list[tuple[str, str, list[object]]]) -> None:
        ws.freeze_panes(1, 1)
        for j, (name, kind, _) in enumerate(columns):
            width = max(10, min(40, len(name) + 2)) if kind == "text" else max(8, len(name) + 2)
            ws.set_column(j, j, width, formats[kind])
        ws.write_row(0, 0, [c[0] for c in columns], bold)
        for i, row in enumerate(zip(*(c[2] for c in columns), strict=True), start=1):
            ws.write_row(i, 0, row)  # cells take their column's number format

    write_rows(
        book.add_worksheet(SHEET_RESULTS),
        result_columns(result, component_index=component_index, lost=lost),
    )

    ws = book.add_worksheet(SHEET_SCHEME)
    ws.freeze_panes(1, 1)
    ws.set_column(0, 0, 10)
    ws.set_column(1, 1, 70)
    ws.set_column(2, 2, 10, book.add_format({"num_format": "0.##" if d else "0"}))
    ws.set_column(3, 4, 60)
    ws.write_row(
        0,
        0,
        ["id", "Tên (name)", "Điểm tối đa (max)", "Cách chấm (rule)", "Căn cứ (legal basis)"],
        bold,
    )
    name_formats: dict[tuple[int, bool], Any] = {}
    compiled = result.compiled
    for i, pos in enumerate(compiled.display_pos, start=1):
        node = result.scheme.node(compiled.node_ids[pos])
        key = (int(compiled.depth[pos]) * 2, not node.is_leaf)
        if key not in name_formats:
            name_formats[key] = book.add_format({"indent": key[0], "bold": key[1]})
        ws.write_string(i, 0, node.id)
        ws.write_string(i, 1, node.name, name_formats[key])
        ws.write_number(i, 2, node.max)
        if node.rule is not None:
            ws.write_string(i, 3, node.rule.describe("vi"))
        if node.legal_basis is not None:
            ws.write_string(i, 4, node.legal_basis)

    lost_cols = [c for c in result_columns(result) if c[1] == "text" and c[0] != "tier"]
    lo = result.matrix("lost")
    lost_cols += [(nid, "number", lo[:, j].tolist()) for j, nid in enumerate(result.node_ids)]
    write_rows(book.add_worksheet(SHEET_LOST), lost_cols)
    book.close()


def _write_parquet(result: Result, path: Path, *, component_index: bool, lost: bool) -> None:
    pa = require("pyarrow", "arrow")
    pq = require("pyarrow.parquet", "arrow")
    arrays = {}
    for name, kind, values in result_columns(result, component_index=component_index, lost=lost):
        typ = pa.string() if kind == "text" else pa.int64() if kind == "int" else pa.float64()
        arrays[name] = pa.array(values, type=typ)
    table = pa.table(arrays)
    meta = {
        b"parscore.scheme": result.scheme.id.encode(),
        b"parscore.fingerprint": result.fingerprint.encode(),
    }
    pq.write_table(table.replace_schema_metadata(meta), path)

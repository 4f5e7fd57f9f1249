"""Writing result tables (the result-table layout of docs/data.md): CSV, XLSX, JSON and Parquet.

.. versionadded:: 0.2
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from parscore._optional import require
from parscore.io._files import WRITE_SUFFIXES, OutputFormat, format_of
from parscore.io._formula import inert

if TYPE_CHECKING:
    from parscore.result import Result
    from parscore.typing import BoolArray


#: Sheet names of the workbook :func:`write_result` writes.
SHEET_RESULTS = "Kết quả"
SHEET_SCHEME = "Bộ chỉ số"
SHEET_LOST = "Điểm bị trừ"


def result_columns(
    result: Result, *, component_index: bool = False, lost: bool = False, node_max: bool = False
) -> list[tuple[str, str, list[object]]]:
    """The result table (see docs/data.md) as ``(name, kind, values)`` per column.

    The same as :meth:`parscore.Result.table_columns`, which see.

    .. versionadded:: 0.1
    """
    return result.table_columns(component_index=component_index, lost=lost, node_max=node_max)


def result_to_json_dict(
    result: Result, *, component_index: bool = False, lost: bool = False, node_max: bool = False
) -> dict[str, Any]:
    """The result as a web service returns it: plain JSON types, numbers rounded.

    The same as :meth:`parscore.Result.to_json_dict`, which see.

    .. versionadded:: 0.1
    """
    return result.to_json_dict(component_index=component_index, lost=lost, node_max=node_max)


def write_result(
    result: Result,
    path: str | os.PathLike[str],
    *,
    format: OutputFormat | None = None,  # noqa: A002 - the natural name for callers
    component_index: bool = False,
    lost: bool = False,
    node_max: bool = False,
    decimal: Literal[".", ","] = ".",
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Write a result table (the result-table layout of docs/data.md) to CSV, XLSX, JSON or Parquet.

    The columns are those of :meth:`parscore.Result.table_columns`: ``unit_id``, the label
    columns of the input, ``group``, ``type``, the points of every node, ``total`` …
    ``rank``, then the columns asked for. A node that does not apply to a unit has no
    points: its cell is empty (CSV, XLSX), null (JSON, Parquet). The column ``quota_moved``
    (schemes with quotas) is ``true`` / ``false`` in CSV and JSON, a boolean in XLSX and
    Parquet.

    - CSV: UTF-8 *with* a byte-order mark, so that Excel opens Vietnamese text correctly;
      numbers with the scheme's decimals and ``.`` (``decimal=","`` writes ``92,08`` and
      separates cells with ``;``, as Excel expects in a Vietnamese locale).
    - XLSX (``excel`` extra): sheet "Kết quả" (the results; numbers as numbers with a number
      format of the scheme's decimals), "Bộ chỉ số" (the scheme: id, name, max and rule per
      node, indented by depth) and "Điểm bị trừ" (points lost per node); header rows bold and
      frozen.
    - CSV and XLSX text cells (ids, labels, groups, tiers) starting with ``=``, ``+``, ``-``,
      ``@``, a tab or CR get an apostrophe in front: no spreadsheet evaluates them.
    - JSON: :func:`result_to_json_dict`.
    - Parquet (``arrow`` extra): one column per result column.

    Args:
        result: The result.
        path: The file; the format follows its suffix unless *format* is given.
        format: ``csv``, ``xlsx``, ``json`` or ``parquet``.
        component_index: Add the component index of every node (``"<id> %"``).
        lost: Add the points lost at every node (``"<id> lost"``).
        node_max: Add the applicable max of every node (``"<id> max"``).
        decimal: The decimal separator of CSV numbers.
        progress: Called as ``progress(done, total)`` with the rows written so far and the
            rows to write (the units; in XLSX the rows of both unit sheets), after each chunk
            of rows, for a progress bar.

    Returns:
        The path written.

    Raises:
        MeasurementsError: when the format is unknown, or a label column has the name of a
            result column.
        MissingDependencyError: when the format needs an extra that is not installed.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       Label columns, empty cells for nodes that do not apply, *node_max*, *progress*; the
       columns of unit types, adjustment items, caps and quotas (see
       :meth:`parscore.Result.table_arrays`); text cells a spreadsheet would evaluate.
    """
    fmt = format_of(path, format, WRITE_SUFFIXES)
    target = Path(path)
    report = progress if progress is not None else _no_progress
    options = {"component_index": component_index, "lost": lost, "node_max": node_max}
    if fmt == "csv":
        _write_csv(result, target, options, decimal=decimal, progress=report)
    elif fmt == "json":
        _write_json(result, target, options, progress=report)
    elif fmt == "xlsx":
        _write_xlsx(result, target, options, progress=report)
    else:
        _write_parquet(result, target, options)
        report(result.n_units, result.n_units)
    return target


def _no_progress(done: int, total: int) -> None:
    """The default progress callback: nothing to show."""


def _write_json(
    result: Result,
    path: Path,
    options: dict[str, bool],
    *,
    progress: Callable[[int, int], None],
) -> None:
    """:meth:`Result.to_json_dict` as strict JSON: one line per top-level key, one per unit.

    The units are built as bytes like the CSV (numbers by integer arithmetic, null for no
    value): ``json.dumps`` spends about a microsecond on each float's repr.
    """
    d = max(1, result.scheme.rounding.decimals)  # 3.0, not 3: a JSON reader sees a float
    columns = result.table_arrays(**options)
    head = {**result.json_header(), "columns": [c[0] for c in columns]}
    dumps = functools.partial(json.dumps, ensure_ascii=False, allow_nan=False)
    n = result.n_units
    step = max(1, _ROW_CELLS // max(1, len(columns)))
    space, point = ord(" "), ord(".")
    prefixes = [
        ("{" if j == 0 else ", ") + dumps(name) + ":" for j, (name, _, _) in enumerate(columns)
    ]
    with path.open("wb") as fh:
        fh.write(b"{\n")
        for key, value in head.items():
            fh.write(f" {dumps(key)}: {dumps(value)},\n".encode())
        fh.write(b' "units": [')
        for start in range(0, n, step):
            stop = min(n, start + step)
            parts: list[tuple[npt.NDArray[np.uint8], BoolArray | None]] = []  # None: keep all
            j = 0
            for kind, block in _runs(columns):
                if kind == "text":
                    cells = [_text_cells(v[start:stop], dumps, space) for v in block]
                elif kind == "bool":  # true / false, unquoted
                    cells = [_text_cells(_bools(v[start:stop]), str, space) for v in block]
                else:
                    rows = np.column_stack([v[start:stop] for v in block])
                    chars, keep = _number_cells(
                        rows, 0 if kind == "int" else d, space, point, empty=b"null"
                    )
                    width = chars.shape[1] // len(block)
                    cells = [
                        (
                            chars[:, k * width : (k + 1) * width],
                            keep[:, k * width : (k + 1) * width],
                        )
                        for k in range(len(block))
                    ]
                for chars, keep in cells:
                    prefix = np.frombuffer(prefixes[j].encode(), dtype=np.uint8)
                    parts.append((np.broadcast_to(prefix, (stop - start, prefix.size)), None))
                    parts.append((chars, keep))
                    j += 1
            end = np.frombuffer(b"},\n  ", dtype=np.uint8)
            parts.append((np.broadcast_to(end, (stop - start, end.size)), None))
            first = np.frombuffer(b"\n  ", dtype=np.uint8)
            chars = np.concatenate([p[0] for p in parts], 1)
            keep = np.concatenate(
                [np.ones(p[0].shape, dtype=bool) if p[1] is None else p[1] for p in parts], 1
            )
            text = chars[keep].tobytes()
            fh.write((first.tobytes() if start == 0 else b",\n  ") + text[: -len(end)] + b"}")
            progress(stop, n)
        fh.write(b"\n ]\n}\n")
    if not n:
        progress(0, 0)


# -- CSV --------------------------------------------------------------------------------------
# The text of a chunk of rows is built as one byte matrix, a fixed-width slot per cell, and
# a keep-mask selects the bytes of each cell: numbers are formatted by integer arithmetic on
# round(x * 10**d), all cells of a run of number columns at once; only text cells (ids, labels,
# groups, tiers) pass through Python, once each.

_ROW_CELLS = 400_000  # cells per chunk: a few MB of bytes and masks at a time


def _write_csv(
    result: Result,
    path: Path,
    options: dict[str, bool],
    *,
    decimal: str,
    progress: Callable[[int, int], None],
) -> None:
    d = result.scheme.rounding.decimals
    delimiter = ";" if decimal == "," else ","
    columns = result.table_arrays(**options)
    runs = _runs(columns)
    n = result.n_units
    header = io.StringIO()
    csv.writer(header, delimiter=delimiter, lineterminator="\r\n").writerow(
        [inert(c[0]) for c in columns]
    )
    step = max(1, _ROW_CELLS // max(1, len(columns)))
    sep, point = ord(delimiter), ord(decimal)
    quoted = _csv_quote(delimiter)

    def quote(text: str) -> str:  # ids, labels, groups, tiers: never a formula
        return quoted(inert(text))

    with path.open("wb") as fh:
        fh.write(b"\xef\xbb\xbf" + header.getvalue().encode("utf-8"))
        for start in range(0, n, step):
            stop = min(n, start + step)
            parts: list[tuple[npt.NDArray[np.uint8], BoolArray]] = []
            for kind, block in runs:
                if kind == "text":
                    parts.extend(_text_cells(values[start:stop], quote, sep) for values in block)
                elif kind == "bool":
                    parts.extend(_text_cells(_bools(v[start:stop]), quote, sep) for v in block)
                else:
                    rows = np.column_stack([values[start:stop] for values in block])
                    parts.append(_number_cells(rows, 0 if kind == "int" else d, sep, point))
            chars = np.concatenate([p[0] for p in parts] + [_EOL[0].repeat(stop - start, 0)], 1)
            keep = np.concatenate([p[1] for p in parts] + [_EOL[1].repeat(stop - start, 0)], 1)
            keep[:, 0] = False  # no separator before the first cell
            fh.write(chars[keep].tobytes())
            progress(stop, n)
    if not n:
        progress(0, 0)


_EOL = (np.frombuffer(b"\r\n", dtype=np.uint8)[None, :], np.ones((1, 2), dtype=bool))


def _runs(
    columns: list[tuple[str, str, npt.NDArray[Any]]],
) -> list[tuple[str, list[npt.NDArray[Any]]]]:
    """Consecutive columns of one kind, grouped: number columns are formatted a run at once."""
    runs: list[tuple[str, list[npt.NDArray[Any]]]] = []
    for _, kind, values in columns:
        if runs and runs[-1][0] == kind:
            runs[-1][1].append(values)
        else:
            runs.append((kind, [values]))
    return runs


def _bools(values: npt.NDArray[Any]) -> npt.NDArray[np.object_]:
    """A bool column as the text ``true`` / ``false`` (CSV cells, JSON literals)."""
    return np.where(values, "true", "false").astype(object)


def _csv_quote(delimiter: str) -> Callable[[str], str]:
    """Quote a text cell as the csv module's QUOTE_MINIMAL does."""
    special = (delimiter, '"', "\r", "\n")

    def quote(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in special) else text

    return quote


def _text_cells(
    values: npt.NDArray[Any], quote: Callable[[str], str], sep: int
) -> tuple[npt.NDArray[np.uint8], BoolArray]:
    """A text column as bytes: a separator, then each text as *quote* writes it."""
    encoded = [quote(t).encode() for t in values]
    width = max((len(b) for b in encoded), default=0)
    chars = np.zeros((len(encoded), width + 1), dtype=np.uint8)
    chars[:, 0] = sep
    if width:
        chars[:, 1:] = np.array(encoded, dtype=f"S{width}").view(np.uint8).reshape(-1, width)
    lengths = np.fromiter((len(b) for b in encoded), dtype=np.int64, count=len(encoded))
    keep = np.arange(width + 1) <= lengths[:, None]
    return chars, keep


def _number_cells(
    values: npt.NDArray[Any], decimals: int, sep: int, point: int, *, empty: bytes = b""
) -> tuple[npt.NDArray[np.uint8], BoolArray]:
    """Numbers ``(rows, cols)`` as bytes: per cell a separator, then the number, right-aligned.

    The same text as ``f"{x:.{decimals}f}"`` for values already rounded to *decimals* (and
    "0.00", not "-0.00", for a negative zero); NaN gives *empty*.
    """
    n_rows, n_cols = values.shape
    nan_mask = np.isnan(values) if values.dtype.kind == "f" else np.zeros(values.shape, bool)
    unit = 10**decimals
    scaled = np.rint(np.abs(np.where(nan_mask, 0.0, values)) * float(unit)).astype(np.int64)
    neg_mask = (values < 0) & (scaled > 0)
    whole = scaled // unit
    int_width = len(str(int(whole.max()))) if whole.size else 1
    frac_width = decimals + 1 if decimals else 0
    width = 1 + max(int(neg_mask.any()) + int_width + frac_width, len(empty))  # separator first
    chars = np.empty((n_rows, n_cols, width), dtype=np.uint8)
    chars[..., 0] = sep
    pos = width - 1
    if decimals:
        frac = scaled % unit
        for _ in range(decimals):
            chars[..., pos] = 48 + frac % 10
            frac //= 10
            pos -= 1
        chars[..., pos] = point
        pos -= 1
    rest = whole.copy()
    for _ in range(int_width):
        chars[..., pos] = 48 + rest % 10
        rest //= 10
        pos -= 1
    digits = np.ones(whole.shape, dtype=np.int64)
    for p in range(1, int_width):
        digits += whole >= 10**p
    lengths = digits + frac_width + neg_mask
    if neg_mask.any():
        r, c = np.nonzero(neg_mask)
        chars[r, c, width - lengths[r, c]] = ord("-")
    lengths[nan_mask] = len(empty)
    if empty and nan_mask.any():
        chars[nan_mask, width - len(empty) :] = np.frombuffer(empty, dtype=np.uint8)
    keep = np.arange(width) >= (width - lengths)[..., None]
    keep[..., 0] = True
    return chars.reshape(n_rows, -1), keep.reshape(n_rows, -1)


# -- XLSX -------------------------------------------------------------------------------------


def _number_format(decimals: int) -> str:
    return "0." + "0" * decimals if decimals else "0"


def _rows(columns: list[tuple[str, str, npt.NDArray[Any]]], start: int, stop: int) -> list[Any]:
    """Rows ``start:stop`` as lists of Python values, None for an empty cell."""
    cells = np.empty((stop - start, len(columns)), dtype=object)
    for j, (_, kind, values) in enumerate(columns):
        # Python bools: xlsxwriter writes a numpy bool as a number, a bool as TRUE / FALSE
        cells[:, j] = values[start:stop].tolist() if kind == "bool" else values[start:stop]
    floats = [j for j, c in enumerate(columns) if c[1] == "number"]
    if floats:
        nan_mask = np.isnan(np.column_stack([columns[j][2][start:stop] for j in floats]))
        if nan_mask.any():
            block = cells[:, floats]
            block[nan_mask] = None
            cells[:, floats] = block
    return cells.tolist()


def _inert_text(
    columns: list[tuple[str, str, npt.NDArray[Any]]],
) -> list[tuple[str, str, npt.NDArray[Any]]]:
    """The text columns' cells passed through :func:`inert` (a spreadsheet never evaluates)."""
    out = []
    for name, kind, values in columns:
        cells = values
        if kind == "text":
            cells = np.empty(len(values), dtype=object)
            cells[:] = [inert(v) if isinstance(v, str) else v for v in values]
        out.append((name, kind, cells))
    return out


def _write_xlsx(
    result: Result, path: Path, options: dict[str, bool], *, progress: Callable[[int, int], None]
) -> None:
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
        "bool": None,
    }
    n = result.n_units
    total = 2 * n
    done = 0

    def write_rows(ws: Any, columns: list[tuple[str, str, npt.NDArray[Any]]]) -> None:
        nonlocal done
        ws.freeze_panes(1, 1)
        for j, (name, kind, _) in enumerate(columns):
            width = max(10, min(40, len(name) + 2)) if kind == "text" else max(8, len(name) + 2)
            ws.set_column(j, j, width, formats[kind])
        ws.write_row(0, 0, [inert(c[0]) for c in columns], bold)
        write_row = ws.write_row
        step = max(1, _ROW_CELLS // max(1, len(columns)))
        for start in range(0, n, step):
            stop = min(n, start + step)
            for i, row in enumerate(_rows(columns, start, stop), start=start + 1):
                write_row(i, 0, row)  # cells take their column's number format
            done += stop - start
            progress(done, total)

    columns = _inert_text(result.table_arrays(**options))
    write_rows(book.add_worksheet(SHEET_RESULTS), columns)

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
        ws.write_string(i, 0, inert(node.id))
        ws.write_string(i, 1, inert(node.name), name_formats[key])
        ws.write_number(i, 2, node.max)
        if node.rule is not None:
            ws.write_string(i, 3, inert(node.rule.describe("vi")))
        if node.legal_basis is not None:
            ws.write_string(i, 4, inert(node.legal_basis))

    # the unit's id, labels, group and type: the text columns before the first node's
    first_node = next((j for j, c in enumerate(columns) if c[1] != "text"), len(columns))
    lost_cols = columns[:first_node]
    lo = result.matrix("lost", na=np.nan)
    lost_cols += [(nid, "number", lo[:, j]) for j, nid in enumerate(result.node_ids)]
    write_rows(book.add_worksheet(SHEET_LOST), lost_cols)
    if not n:
        progress(0, 0)
    book.close()


# -- Parquet ----------------------------------------------------------------------------------


def _write_parquet(result: Result, path: Path, options: dict[str, bool]) -> None:
    pa = require("pyarrow", "arrow")
    pq = require("pyarrow.parquet", "arrow")
    arrays = {}
    for name, kind, values in result.table_arrays(**options):
        if kind == "number":
            arrays[name] = pa.array(values, type=pa.float64(), from_pandas=True)  # NaN: null
        elif kind == "int":
            arrays[name] = pa.array(values, type=pa.int64())
        elif kind == "bool":
            arrays[name] = pa.array(values, type=pa.bool_())
        else:
            arrays[name] = pa.array(values.tolist(), type=pa.string())
    table = pa.table(arrays)
    meta = {
        b"parscore.scheme": result.scheme.id.encode(),
        b"parscore.fingerprint": result.fingerprint.encode(),
    }
    pq.write_table(table.replace_schema_metadata(meta), path)

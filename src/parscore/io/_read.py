"""Reading measurement tables: CSV, XLSX, Parquet, Arrow, JSON and data frames.

Readers only turn files into columns (a :class:`~parscore.io._files.Table`); reading cells
and checking them is the business of :mod:`parscore.measurements`.

.. versionadded:: 0.2
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import sys
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from parscore._optional import require
from parscore.errors import CellProblem, MeasurementsError
from parscore.io._files import (
    DELIMITERS,
    PATHS,
    READ_SUFFIXES,
    Cells,
    Table,
    TableFormat,
    fail,
    format_of,
    header_name,
    is_empty,
    nfc,
)
from parscore.measurements import Measurements

if TYPE_CHECKING:
    from parscore.compile import CompiledScheme
    from parscore.model import Scheme
    from parscore.result import Result


def read_table(  # noqa: PLR0911 - one return per kind of source, flat on purpose
    path_or_obj: object,
    *,
    sheet: str | int | None = None,
    format: TableFormat | None = None,  # noqa: A002 - the natural name for callers
) -> Table:
    """Read a table of measurements (or any table) from a file or a data frame.

    Args:
        path_or_obj: A path (``str`` or :class:`os.PathLike`) to a ``.csv``, ``.xlsx``,
            ``.parquet``, ``.arrow``/``.feather`` or ``.json`` file; a binary file object
            (with *format*); a pandas or polars DataFrame; a pyarrow Table; JSON already
            parsed (a list of records, or ``{"columns": [...], "data": [[...], ...]}``); or a
            mapping of column name -> cells.
        sheet: The sheet of an ``.xlsx`` file, by name or position (0 = first; the default).
        format: The file format, when the suffix does not tell it.

    Returns:
        The table, with the source row of every record.

    Raises:
        MeasurementsError: an empty file, duplicate or empty column names, ragged CSV rows
            (each listed), text that is not UTF-8 (with the byte offset), an unknown sheet or
            format.
        MissingDependencyError: when the format needs an extra that is not installed.
        FileNotFoundError: when the file does not exist.

    .. versionadded:: 0.1
    """
    if isinstance(path_or_obj, PATHS):
        source = os.fspath(path_or_obj)
        fmt = format_of(path_or_obj, format, READ_SUFFIXES)
        if fmt == "xlsx":
            return _read_xlsx(source, source, sheet)
        if fmt in ("parquet", "arrow"):
            return _read_arrow_file(source, source, fmt)
        with open(source, "rb") as fh:
            data = fh.read()
        return _read_csv(data, source) if fmt == "csv" else _read_json(data, source)
    if hasattr(path_or_obj, "read"):
        name = getattr(path_or_obj, "name", None)
        source = name if isinstance(name, str) else None
        if format is None:
            if source is None:
                raise fail("pass format= to read from a file object", None)
            fmt = format_of(source, None, READ_SUFFIXES)
        else:
            fmt = format_of(source or "data", format, READ_SUFFIXES)
        if fmt in ("xlsx", "parquet", "arrow"):
            if fmt == "xlsx":
                return _read_xlsx(path_or_obj, source, sheet)
            return _read_arrow_file(path_or_obj, source, fmt)
        raw = path_or_obj.read()
        data = raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)
        return _read_csv(data, source) if fmt == "csv" else _read_json(data, source)
    return _read_object(path_or_obj)


def _read_object(obj: object) -> Table:
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(obj, pd.DataFrame):
        return _from_pandas(obj)
    pl = sys.modules.get("polars")
    if pl is not None and isinstance(obj, pl.DataFrame):
        return _from_polars(obj)
    pa = sys.modules.get("pyarrow")
    if pa is not None and isinstance(obj, pa.Table | pa.RecordBatch):
        return _from_arrow(obj, None, rows=False)
    if isinstance(obj, list | Mapping):
        return _from_json_value(obj, None)
    msg = (
        "expected a file path, a pandas or polars DataFrame, a pyarrow Table, a list of "
        f"records or a mapping of columns; found {type(obj).__name__}"
    )
    raise TypeError(msg)


def _check_header(
    names: Sequence[str], source: str | None, *, row: int | None = None
) -> list[CellProblem]:
    problems = []
    first: dict[str, int] = {}
    for i, name in enumerate(names):
        where = f"column {i + 1}"
        if not name:
            problems.append(CellProblem(message=f"{where} has no name in the header", row=row))
        elif name in first:
            msg = f"column name repeats ({where}; first as column {first[name] + 1})"
            problems.append(CellProblem(message=msg, column=name, row=row))
        else:
            first[name] = i
    return problems


def _drop_unnamed_empty(
    names: list[str], columns: list[list[object]]
) -> tuple[list[str], list[list[object]]]:
    """Drop columns with no name and no values (a trailing delimiter, formatted Excel cells)."""
    keep = [i for i, name in enumerate(names) if name or not all(is_empty(c) for c in columns[i])]
    return [names[i] for i in keep], [columns[i] for i in keep]


def _numeric(cells: list[object]) -> Cells:
    """A float64 array when every cell is a plain number or empty, else the cells themselves.

    The fast path reads exactly what the cell-by-cell reader would (numbers with a decimal point,
    empty = NaN); anything else (decimal commas, tokens, option names) stays text for it.
    """
    try:
        return np.array(["nan" if c == "" else c for c in cells], dtype=np.float64)
    except (ValueError, TypeError):
        return cells


def _decode(data: bytes, source: str | None) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start]
        msg = (
            f"the file is not UTF-8 text: byte 0x{byte:02x} at offset {exc.start} (line "
            f"{line}) cannot be read (an old Vietnamese encoding such as Windows-1258 or TCVN3?);"
            ' save it as UTF-8 (in Excel: Save As › "CSV UTF-8 (Comma delimited)") and retry'
        )
        raise fail(msg, source, row=line) from None
    return nfc(text)


def _sniff_delimiter(text: str) -> str:
    """The delimiter among , ; and tab that splits the header line into most fields."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: len(next(csv.reader([header], delimiter=d), [])) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] > 1 else ","


def _read_csv(data: bytes, source: str | None) -> Table:
    text = _decode(data, source)
    if not text.strip():
        raise fail("the file is empty: expected a header row and one row per unit", source)
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    header_line = 0
    records: list[list[str]] = []
    rows: list[int] = []
    problems: list[CellProblem] = []
    line = 0
    try:
        for found in reader:
            record = found
            start, line = line + 1, reader.line_num
            if not record or all(not c.strip() for c in record):
                continue  # a blank line holds no unit
            if header is None:
                header, header_line = [c.strip() for c in record], start
                continue
            if len(record) != len(header):
                # a trailing delimiter on some lines only: empty extra cells are harmless
                extra = record[len(header) :]
                if len(record) > len(header) and all(not c.strip() for c in extra):
                    record = record[: len(header)]
                else:
                    msg = (
                        f"the row has {len(record)} cells but the header has {len(header)} "
                        f"columns (delimiter {delimiter!r}); check for an unquoted "
                        f"{delimiter!r} inside a cell"
                    )
                    problems.append(CellProblem(message=msg, row=start))
                    continue
            records.append(record)
            rows.append(start)
    except csv.Error as exc:
        raise fail(f"cannot read the CSV text: {exc}", source, row=reader.line_num) from None
    if header is None:  # pragma: no cover - text.strip() is not empty, so a record exists
        raise fail("the file has no header row", source)
    columns: list[list[object]] = (
        [list(col) for col in zip(*records, strict=True)] if records else [[] for _ in header]
    )
    names, columns_ = _drop_unnamed_empty(header, columns)
    problems = _check_header(names, source, row=header_line) + problems
    if problems:
        raise MeasurementsError(problems, source)
    if not records:
        raise fail("the file has a header but no rows of units", source)
    cells = tuple(_numeric(col) for col in columns_)
    return Table(columns=tuple(names), cells=cells, source=source, rows=tuple(rows))


def _read_xlsx(path: object, source: str | None, sheet: str | int | None) -> Table:
    openpyxl = require("openpyxl", "excel")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise fail(f"cannot open the workbook: {exc}", source) from None
    try:
        names = list(book.sheetnames)
        if sheet is None:
            ws = book.worksheets[0]
        elif isinstance(sheet, int):
            if not 0 <= sheet < len(names):
                msg = f"no sheet number {sheet} (counting from 0); sheets: {', '.join(names)}"
                raise fail(msg, source)
            ws = book.worksheets[sheet]
        else:
            wanted = unicodedata.normalize("NFC", sheet)
            found = [n for n in names if unicodedata.normalize("NFC", n) == wanted]
            if not found:
                msg = f"no sheet named {sheet!r}; sheets: {', '.join(names)}"
                raise fail(msg, source)
            ws = book[found[0]]
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # files from other tools may state wrong dimensions
        return _sheet_table(ws.iter_rows(values_only=True), source)
    finally:
        book.close()


def _sheet_table(row_iter: Iterator[tuple[object, ...]], source: str | None) -> Table:
    header: list[str] | None = None
    header_row = 0
    records: list[list[object]] = []
    rows: list[int] = []
    for number, values in enumerate(row_iter, start=1):
        cells = [nfc(v) if isinstance(v, str) else v for v in values]
        if all(is_empty(c) for c in cells):
            continue  # empty rows (trailing or between units) hold no unit
        if header is None:
            header, header_row = [header_name(v) for v in cells], number
            continue
        records.append(cells)
        rows.append(number)
    if header is None:
        raise fail("the sheet is empty: expected a header row and one row per unit", source)
    width = max([len(header), *(len(r) for r in records)])
    header += [""] * (width - len(header))
    columns: list[list[object]] = [[] for _ in range(width)]
    for record in records:
        for j in range(width):
            columns[j].append(record[j] if j < len(record) else None)
    names, columns = _drop_unnamed_empty(header, columns)
    problems = _check_header(names, source, row=header_row)
    if problems:
        raise MeasurementsError(problems, source)
    if not records:
        raise fail("the sheet has a header but no rows of units", source)
    table_cells = tuple(_numeric_cells(col) for col in columns)
    return Table(columns=tuple(names), cells=table_cells, source=source, rows=tuple(rows))


def _numeric_cells(cells: list[object]) -> Cells:
    """A float64 array when every cell is an int, a float or empty; else the cells."""
    if all((type(c) is float or type(c) is int or c is None) for c in cells):
        return np.array([math.nan if c is None else c for c in cells], dtype=np.float64)
    return cells


def _read_arrow_file(path: object, source: str | None, fmt: str) -> Table:
    pa = require("pyarrow", "arrow")
    if fmt == "parquet":
        pq = require("pyarrow.parquet", "arrow")
        try:
            table = pq.read_table(path)
        except pa.ArrowInvalid as exc:
            raise fail(f"cannot read the Parquet file: {exc}", source) from None
    else:
        ipc = require("pyarrow.ipc", "arrow")
        try:
            table = ipc.open_file(path).read_all()
        except pa.ArrowInvalid:
            try:
                if hasattr(path, "seek"):
                    path.seek(0)
                table = ipc.open_stream(path).read_all()
            except pa.ArrowInvalid as exc:
                raise fail(f"cannot read the Arrow file: {exc}", source) from None
    return _from_arrow(table, source, rows=True)


def _from_arrow(table: Any, source: str | None, *, rows: bool) -> Table:
    names = [header_name(n) for n in table.column_names]
    problems = _check_header(names, source)
    if problems:
        raise MeasurementsError(problems, source)
    if table.num_rows == 0:
        raise fail("the table has no rows of units", source)
    cells: list[Cells] = []
    for j in range(table.num_columns):
        col = table.column(j)
        kind = str(col.type)
        if kind.startswith(("int", "uint", "float", "double", "bool", "decimal", "halffloat")):
            cells.append(
                np.asarray(col.to_numpy(zero_copy_only=False), dtype=np.float64)
                if not kind.startswith("bool") or col.null_count == 0
                else col.to_pylist()
            )
        else:
            cells.append([nfc(v) if isinstance(v, str) else v for v in col.to_pylist()])
    numbers = tuple(range(1, table.num_rows + 1)) if rows else None
    return Table(columns=tuple(names), cells=tuple(cells), source=source, rows=numbers)


def _read_json(data: bytes, source: str | None) -> Table:
    text = _decode(data, source)
    if not text.strip():
        raise fail("the file is empty: expected a list of records", source)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise fail(
            f"not valid JSON: {exc.msg} (column {exc.colno})", source, row=exc.lineno
        ) from None
    return _from_json_value(value, source)


def _from_json_value(value: object, source: str | None) -> Table:
    if isinstance(value, Mapping) and "columns" in value and "data" in value:
        return _from_split(value, source)
    if isinstance(value, Mapping):
        names = [header_name(k) for k in value]
        problems = _check_header(names, source)
        if problems:
            raise MeasurementsError(problems, source)
        cells: list[Cells] = []
        for key in value:
            col = value[key]
            if isinstance(col, str | bytes) or not isinstance(col, Sequence | np.ndarray):
                msg = f"a column must be a list of cells, found {type(col).__name__}"
                raise MeasurementsError([CellProblem(message=msg, column=str(key))], source)
            cells.append(col if isinstance(col, np.ndarray) else list(col))
        if not cells or not len(cells[0]):
            raise fail("the table has no rows of units", source)
        return Table(columns=tuple(names), cells=tuple(cells), source=source)
    if not isinstance(value, list):
        msg = (
            'expected a list of records [{"unit_id": ..., ...}, ...] or {"columns": [...], '
            f'"data": [[...], ...]}}; found {type(value).__name__}'
        )
        raise fail(msg, source)
    if not value:
        raise fail("the list of records is empty", source)
    order: dict[str, None] = {}
    bad: list[CellProblem] = []
    for i, record in enumerate(value, start=1):
        if not isinstance(record, Mapping):
            msg = f"record {i} is a {type(record).__name__}, expected an object"
            bad.append(CellProblem(message=msg, row=i))
            continue
        for key in record:
            order.setdefault(key, None)
    if bad:
        raise MeasurementsError(bad, source)
    keys = list(order)
    names = [header_name(k) for k in keys]
    problems = _check_header(names, source)
    if problems:
        raise MeasurementsError(problems, source)
    columns = [[_json_cell(record.get(k)) for record in value] for k in keys]
    record_cells = tuple(_numeric_cells(col) for col in columns)
    return Table(
        columns=tuple(names),
        cells=record_cells,
        source=source,
        rows=tuple(range(1, len(value) + 1)),
    )


def _json_cell(cell: object) -> object:
    return nfc(cell) if isinstance(cell, str) else cell


def _from_split(value: Mapping[str, Any], source: str | None) -> Table:
    unknown = sorted(set(value) - {"columns", "data", "index"})
    if unknown:
        msg = f"unknown keys {', '.join(map(repr, unknown))}: expected columns and data"
        raise fail(msg, source)
    header, data = value["columns"], value["data"]
    if not isinstance(header, list) or not isinstance(data, list):
        raise fail('"columns" and "data" must be lists', source)
    names = [header_name(n) for n in header]
    problems = _check_header(names, source)
    for i, record in enumerate(data, start=1):
        if not isinstance(record, list) or len(record) != len(names):
            size = len(record) if isinstance(record, list) else type(record).__name__
            msg = f"record {i} has {size} cells but there are {len(names)} columns"
            problems.append(CellProblem(message=msg, row=i))
    if problems:
        raise MeasurementsError(problems, source)
    if not data:
        raise fail('"data" has no rows of units', source)
    columns = [[_json_cell(r[j]) for r in data] for j in range(len(names))]
    cells = tuple(_numeric_cells(col) for col in columns)
    return Table(
        columns=tuple(names), cells=cells, source=source, rows=tuple(range(1, len(data) + 1))
    )


def _from_pandas(frame: Any) -> Table:
    if frame.index.name is not None and frame.index.name not in frame.columns:
        frame = frame.reset_index()
    names = [header_name(c) for c in frame.columns]
    problems = _check_header(names, None)
    if problems:
        raise MeasurementsError(problems, None)
    if len(frame) == 0:
        raise fail("the data frame has no rows of units", None)
    cells: list[Cells] = []
    for j in range(frame.shape[1]):
        col = frame.iloc[:, j]
        arr = col.to_numpy()
        if arr.dtype.kind in "fiu":
            cells.append(np.asarray(arr, dtype=np.float64))
        else:
            cells.append([_json_cell(None if _is_na(v) else v) for v in arr.tolist()])
    return Table(columns=tuple(names), cells=tuple(cells))


def _is_na(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    pd = sys.modules.get("pandas")
    return pd is not None and value is pd.NA


def _from_polars(frame: Any) -> Table:
    names = [header_name(c) for c in frame.columns]
    problems = _check_header(names, None)
    if problems:
        raise MeasurementsError(problems, None)
    if frame.height == 0:
        raise fail("the data frame has no rows of units", None)
    pl = sys.modules["polars"]
    cells: list[Cells] = []
    for name in frame.columns:
        series = frame.get_column(name)
        if series.dtype.is_numeric():
            cells.append(series.cast(pl.Float64).fill_null(math.nan).to_numpy())
        else:
            cells.append([_json_cell(v) for v in series.to_list()])
    return Table(columns=tuple(names), cells=tuple(cells))


def read_measurements(
    scheme: Scheme | CompiledScheme,
    path_or_obj: object,
    *,
    unit_id: str = "unit_id",
    group: str | None = None,
    sheet: str | int | None = None,
    not_applicable: object = None,
    format: TableFormat | None = None,  # noqa: A002 - the natural name for callers
    defer: bool = False,
) -> Measurements:
    """Read measurements for *scheme* from a file or a data frame (see :func:`read_table`).

    Cells are read as :meth:`Measurements.from_columns` reads them: empty = missing; ``n/a``,
    ``KAD``, ``không áp dụng`` = not applicable; có/không, đạt/không đạt, x = yes/no; option
    names for choice rules; "92,08" as well as "92.08".

    Args:
        scheme: The scheme (or compiled scheme) the columns follow.
        path_or_obj: What :func:`read_table` reads.
        unit_id: Name of the column of unit ids.
        group: Name of the column of unit groups (a column named ``group`` by default).
        sheet: The sheet of an ``.xlsx`` file.
        not_applicable: See :func:`parscore.score`.
        format: The file format, when the suffix does not tell it.
        defer: Keep the cells that cannot be read in ``pending`` so that
            :func:`parscore.score` reports them together with the values the rules refuse
            (what :func:`score_file` does); by default they are raised here.

    Raises:
        MeasurementsError: listing every bad cell with its row, unit, column and value.

    .. versionadded:: 0.1
    """
    table = read_table(path_or_obj, sheet=sheet, format=format)
    return Measurements.from_columns(
        scheme,
        table.to_dict(),
        unit_id=unit_id,
        group=group,
        not_applicable=not_applicable,
        source=table.source,
        rows=table.rows,
        defer=defer,
    )


def score_file(
    scheme: Scheme | CompiledScheme,
    path_or_obj: object,
    *,
    unit_id: str = "unit_id",
    group: str | None = None,
    sheet: str | int | None = None,
    not_applicable: object = None,
    format: TableFormat | None = None,  # noqa: A002 - the natural name for callers
    **score_options: Any,
) -> Result:
    """Read measurements and score them: every bad cell of the file is in one error.

    Args:
        scheme: The scheme.
        path_or_obj: What :func:`read_table` reads.
        unit_id: Name of the column of unit ids.
        group: Name of the column of unit groups.
        sheet: The sheet of an ``.xlsx`` file.
        not_applicable: See :func:`parscore.score`.
        format: The file format, when the suffix does not tell it.
        **score_options: Passed on to :func:`parscore.score` (``missing=``, ``ranking=``).

    Raises:
        MeasurementsError: listing every cell that cannot be read and every value a rule
            refuses, each with its row, unit, column and value.

    .. versionadded:: 0.1
    """
    from parscore.engine import score

    data = read_measurements(
        scheme,
        path_or_obj,
        unit_id=unit_id,
        group=group,
        sheet=sheet,
        not_applicable=not_applicable,
        format=format,
        defer=True,
    )
    return score(scheme, data, source=data.source, **score_options)


# -- writing ----------------------------------------------------------------------------------

"""Measurement tables in, result tables out: CSV, XLSX, Parquet, Arrow, JSON and data frames.

Reading gives a :class:`Table` (column names, cells, the source's name and the source row of
every record), which :func:`read_measurements` turns into
:class:`~parscore.measurements.Measurements`. Every problem of a file is reported at once in one
:class:`~parscore.errors.MeasurementsError`, each with its row, column and value; every input row
ends up in the result or in that error.

Writing (:func:`write_result`) uses the result-table layout of DESIGN §8 in every format.

openpyxl (``excel`` extra), pyarrow (``arrow``), pandas and polars are imported inside the
functions that need them; data frames are recognised through ``sys.modules``, never by importing
a library just to check.

.. versionadded:: 0.1
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
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import attrs
import numpy as np

from parscore._optional import require
from parscore.errors import CellProblem, MeasurementsError
from parscore.measurements import Measurements
from parscore.typing import FloatArray

if TYPE_CHECKING:
    from parscore.compile import CompiledScheme
    from parscore.model import Scheme
    from parscore.result import Result

__all__ = [
    "Cells",
    "OutputFormat",
    "Table",
    "TableFormat",
    "read_measurements",
    "read_table",
    "result_columns",
    "result_to_json_dict",
    "score_file",
    "write_result",
]

TableFormat = Literal["csv", "xlsx", "parquet", "arrow", "json"]
"""A file format :func:`read_table` reads."""

Cells = list[object] | FloatArray
"""One column of a :class:`Table`: a list of cells, or a float64 array (NaN = empty)."""

OutputFormat = Literal["csv", "xlsx", "parquet", "json"]
"""A file format :func:`write_result` writes."""

_READ_SUFFIXES: dict[str, TableFormat] = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".arrow": "arrow",
    ".feather": "arrow",
    ".ipc": "arrow",
    ".json": "json",
}
_WRITE_SUFFIXES: dict[str, OutputFormat] = {
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".json": "json",
}
_DELIMITERS = (",", ";", "\t")
_PATHS = (str, os.PathLike)
#: Sheet names of the workbook :func:`write_result` writes.
SHEET_RESULTS = "Kết quả"
SHEET_SCHEME = "Bộ chỉ số"
SHEET_LOST = "Điểm bị trừ"


@attrs.frozen(kw_only=True, eq=False)
class Table:
    """A table as read from a file or a data frame, before it meets a scheme.

    Attributes:
        columns: Column names, NFC-normalised and stripped, unique, in file order.
        cells: One sequence of cells per column, each of length ``n_rows``: a list of
            str / int / float / bool / None (None or "" = empty), or a float64 numpy array
            (NaN = empty) when the whole column was numbers.
        source: Where the table came from (the file name as given), for messages.
        rows: The source row number of each record: in a spreadsheet the row number Excel
            shows (the header is row 1), in a CSV file the line the record starts on, in
            JSON and Parquet the record's position counting from 1; None for data frames.

    .. versionadded:: 0.1
    """

    columns: tuple[str, ...]
    cells: tuple[Cells, ...]
    source: str | None = None
    rows: tuple[int, ...] | None = None

    @property
    def n_rows(self) -> int:
        """Number of records (data rows)."""
        return len(self.cells[0]) if self.cells else 0

    def column(self, name: str) -> Cells:
        """The cells of column *name*.

        Raises:
            KeyError: when there is no such column.
        """
        try:
            return self.cells[self.columns.index(name)]
        except ValueError:
            msg = f"no column {name!r} in {self.source or 'the table'}"
            raise KeyError(msg) from None

    def to_dict(self) -> dict[str, Cells]:
        """Columns by name, in order: ready for :meth:`Measurements.from_columns`."""
        return dict(zip(self.columns, self.cells, strict=True))


# -- reading ----------------------------------------------------------------------------------


def _fail(message: str, source: str | None, *, row: int | None = None) -> MeasurementsError:
    return MeasurementsError([CellProblem(message=message, row=row)], source)


def _nfc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _header_name(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a node id "1" typed in Excel arrives as the number 1.0
    return _nfc(str(value)).strip()


def _is_empty(cell: object) -> bool:
    if cell is None:
        return True
    if isinstance(cell, str):
        return not cell.strip()
    return isinstance(cell, float) and math.isnan(cell)


def _format_of(path: str | os.PathLike[str], given: str | None, suffixes: Mapping[str, str]) -> str:
    if given is not None:
        if given not in set(suffixes.values()):
            known = ", ".join(sorted(set(suffixes.values())))
            msg = f"unknown format {given!r}; known formats: {known}"
            raise _fail(msg, os.fspath(path))
        return given
    suffix = Path(path).suffix.lower()
    if suffix in suffixes:
        return suffixes[suffix]
    if suffix == ".xls":
        msg = "the old Excel format .xls is not read; open it in Excel and save it as .xlsx"
        raise _fail(msg, os.fspath(path))
    known = ", ".join(sorted(suffixes))
    msg = f"cannot tell the format from the suffix {suffix!r}; use one of {known} or pass format="
    raise _fail(msg, os.fspath(path))


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
    if isinstance(path_or_obj, _PATHS):
        source = os.fspath(path_or_obj)
        fmt = _format_of(path_or_obj, format, _READ_SUFFIXES)
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
                raise _fail("pass format= to read from a file object", None)
            fmt = _format_of(source, None, _READ_SUFFIXES)
        else:
            fmt = _format_of(source or "data", format, _READ_SUFFIXES)
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
    keep = [i for i, name in enumerate(names) if name or not all(_is_empty(c) for c in columns[i])]
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
        raise _fail(msg, source, row=line) from None
    return _nfc(text)


def _sniff_delimiter(text: str) -> str:
    """The delimiter among , ; and tab that splits the header line into most fields."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: len(next(csv.reader([header], delimiter=d), [])) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] > 1 else ","


def _read_csv(data: bytes, source: str | None) -> Table:
    text = _decode(data, source)
    if not text.strip():
        raise _fail("the file is empty: expected a header row and one row per unit", source)
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
        raise _fail(f"cannot read the CSV text: {exc}", source, row=reader.line_num) from None
    if header is None:  # pragma: no cover - text.strip() is not empty, so a record exists
        raise _fail("the file has no header row", source)
    columns: list[list[object]] = (
        [list(col) for col in zip(*records, strict=True)] if records else [[] for _ in header]
    )
    names, columns_ = _drop_unnamed_empty(header, columns)
    problems = _check_header(names, source, row=header_line) + problems
    if problems:
        raise MeasurementsError(problems, source)
    if not records:
        raise _fail("the file has a header but no rows of units", source)
    cells = tuple(_numeric(col) for col in columns_)
    return Table(columns=tuple(names), cells=cells, source=source, rows=tuple(rows))


def _read_xlsx(path: object, source: str | None, sheet: str | int | None) -> Table:
    openpyxl = require("openpyxl", "excel")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise _fail(f"cannot open the workbook: {exc}", source) from None
    try:
        names = list(book.sheetnames)
        if sheet is None:
            ws = book.worksheets[0]
        elif isinstance(sheet, int):
            if not 0 <= sheet < len(names):
                msg = f"no sheet number {sheet} (counting from 0); sheets: {', '.join(names)}"
                raise _fail(msg, source)
            ws = book.worksheets[sheet]
        else:
            wanted = unicodedata.normalize("NFC", sheet)
            found = [n for n in names if unicodedata.normalize("NFC", n) == wanted]
            if not found:
                msg = f"no sheet named {sheet!r}; sheets: {', '.join(names)}"
                raise _fail(msg, source)
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
        cells = [_nfc(v) if isinstance(v, str) else v for v in values]
        if all(_is_empty(c) for c in cells):
            continue  # empty rows (trailing or between units) hold no unit
        if header is None:
            header, header_row = [_header_name(v) for v in cells], number
            continue
        records.append(cells)
        rows.append(number)
    if header is None:
        raise _fail("the sheet is empty: expected a header row and one row per unit", source)
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
        raise _fail("the sheet has a header but no rows of units", source)
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
            raise _fail(f"cannot read the Parquet file: {exc}", source) from None
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
                raise _fail(f"cannot read the Arrow file: {exc}", source) from None
    return _from_arrow(table, source, rows=True)


def _from_arrow(table: Any, source: str | None, *, rows: bool) -> Table:
    names = [_header_name(n) for n in table.column_names]
    problems = _check_header(names, source)
    if problems:
        raise MeasurementsError(problems, source)
    if table.num_rows == 0:
        raise _fail("the table has no rows of units", source)
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
            cells.append([_nfc(v) if isinstance(v, str) else v for v in col.to_pylist()])
    numbers = tuple(range(1, table.num_rows + 1)) if rows else None
    return Table(columns=tuple(names), cells=tuple(cells), source=source, rows=numbers)


def _read_json(data: bytes, source: str | None) -> Table:
    text = _decode(data, source)
    if not text.strip():
        raise _fail("the file is empty: expected a list of records", source)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _fail(
            f"not valid JSON: {exc.msg} (column {exc.colno})", source, row=exc.lineno
        ) from None
    return _from_json_value(value, source)


def _from_json_value(value: object, source: str | None) -> Table:
    if isinstance(value, Mapping) and "columns" in value and "data" in value:
        return _from_split(value, source)
    if isinstance(value, Mapping):
        names = [_header_name(k) for k in value]
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
            raise _fail("the table has no rows of units", source)
        return Table(columns=tuple(names), cells=tuple(cells), source=source)
    if not isinstance(value, list):
        msg = (
            'expected a list of records [{"unit_id": ..., ...}, ...] or {"columns": [...], '
            f'"data": [[...], ...]}}; found {type(value).__name__}'
        )
        raise _fail(msg, source)
    if not value:
        raise _fail("the list of records is empty", source)
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
    names = [_header_name(k) for k in keys]
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
    return _nfc(cell) if isinstance(cell, str) else cell


def _from_split(value: Mapping[str, Any], source: str | None) -> Table:
    unknown = sorted(set(value) - {"columns", "data", "index"})
    if unknown:
        msg = f"unknown keys {', '.join(map(repr, unknown))}: expected columns and data"
        raise _fail(msg, source)
    header, data = value["columns"], value["data"]
    if not isinstance(header, list) or not isinstance(data, list):
        raise _fail('"columns" and "data" must be lists', source)
    names = [_header_name(n) for n in header]
    problems = _check_header(names, source)
    for i, record in enumerate(data, start=1):
        if not isinstance(record, list) or len(record) != len(names):
            size = len(record) if isinstance(record, list) else type(record).__name__
            msg = f"record {i} has {size} cells but there are {len(names)} columns"
            problems.append(CellProblem(message=msg, row=i))
    if problems:
        raise MeasurementsError(problems, source)
    if not data:
        raise _fail('"data" has no rows of units', source)
    columns = [[_json_cell(r[j]) for r in data] for j in range(len(names))]
    cells = tuple(_numeric_cells(col) for col in columns)
    return Table(
        columns=tuple(names), cells=cells, source=source, rows=tuple(range(1, len(data) + 1))
    )


def _from_pandas(frame: Any) -> Table:
    if frame.index.name is not None and frame.index.name not in frame.columns:
        frame = frame.reset_index()
    names = [_header_name(c) for c in frame.columns]
    problems = _check_header(names, None)
    if problems:
        raise MeasurementsError(problems, None)
    if len(frame) == 0:
        raise _fail("the data frame has no rows of units", None)
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
    names = [_header_name(c) for c in frame.columns]
    problems = _check_header(names, None)
    if problems:
        raise MeasurementsError(problems, None)
    if frame.height == 0:
        raise _fail("the data frame has no rows of units", None)
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
    fmt = _format_of(path, format, _WRITE_SUFFIXES)
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

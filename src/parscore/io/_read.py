"""Reading measurement tables: CSV, XLSX, Parquet, Arrow, JSON and data frames.

Readers only turn files into columns (a :class:`~parscore.io._files.Table`); reading cells
and checking them is the business of :mod:`parscore.measurements`.

.. versionadded:: 0.2
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from parscore._optional import require
from parscore.errors import CellProblem, MeasurementsError
from parscore.io._files import (
    PATHS,
    READ_SUFFIXES,
    Cells,
    Progress,
    Table,
    TableFormat,
    check_header,
    fail,
    format_of,
    has_pyarrow,
    header_name,
    nfc,
    without_numbering_row,
)
from parscore.io._read_csv import read_csv, utf8_bytes
from parscore.io._read_sheet import numbers_or_cells, read_xlsx
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
    header_row: int | None = None,
    progress: Progress | None = None,
) -> Table:
    """Read a table of measurements (or any table) from a file or a data frame.

    Readers only turn files into columns; they never guess numbers from text (a CSV column is
    text, "1.234" included), which :mod:`parscore.measurements` reads knowing each column's
    kind. See :class:`~parscore.io._files.Table` for what the cells may be.

    The header of a sheet or CSV file is the row of column names. Rows above it ("UBND TỈNH
    …", "BẢNG TỔNG HỢP …", blank rows, merged cells) are ignored: the header is the first row
    with at least 2 filled cells that names (has a filled cell above) more than half of the
    columns filled in the 5 non-empty rows below it; title rows fill one or two cells and are
    passed over. *header_row* says which row it is when that rule does not find it.

    Args:
        path_or_obj: A path (``str`` or :class:`os.PathLike`) to a ``.csv``, ``.xlsx``,
            ``.parquet``, ``.arrow``/``.feather`` or ``.json`` file; a binary file object
            (with *format*); a pandas or polars DataFrame; a pyarrow Table; JSON already
            parsed (a list of records, or ``{"columns": [...], "data": [[...], ...]}``); or a
            mapping of column name -> cells.
        sheet: The sheet of an ``.xlsx`` file, by name or position (0 = first; the default).
        format: The file format, when the suffix does not tell it.
        header_row: The row of the column names in an ``.xlsx`` or ``.csv`` file, counting
            from 1 as Excel shows it (in a CSV file: the line); found when None.
        progress: Called now and then as ``progress(done, total)`` (rows of a sheet, bytes
            of a CSV file; total 0 when unknown), e.g. to move a progress bar.

    Returns:
        The table, with the source row of every record.

    Raises:
        MeasurementsError: an empty file, duplicate or empty column names, no header row
            found, ragged CSV rows (each listed), text that is not UTF-8 (with the byte
            offset), an unknown sheet or format, *header_row* for a format without one.
        MissingDependencyError: when the format needs an extra that is not installed.
        FileNotFoundError: when the file does not exist.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       CSV columns stay text; *header_row* and *progress*; title rows above the header.
    """
    if isinstance(path_or_obj, PATHS):
        source = os.fspath(path_or_obj)
        fmt = format_of(path_or_obj, format, READ_SUFFIXES)
        _check_header_row(header_row, fmt, source)
        if fmt == "xlsx":
            table = read_xlsx(source, source, sheet=sheet, header_row=header_row, progress=progress)
            return without_numbering_row(table)
        if fmt in ("parquet", "arrow"):
            return _read_arrow_file(source, source, fmt)
        with open(source, "rb") as fh:
            data = fh.read()
        if fmt == "csv":
            table = read_csv(data, source, header_row=header_row, progress=progress)
            return without_numbering_row(table)
        return _read_json(data, source)
    if hasattr(path_or_obj, "read"):
        name = getattr(path_or_obj, "name", None)
        source = name if isinstance(name, str) else None
        if format is None:
            if source is None:
                raise fail("pass format= to read from a file object", None)
            fmt = format_of(source, None, READ_SUFFIXES)
        else:
            fmt = format_of(source or "data", format, READ_SUFFIXES)
        _check_header_row(header_row, fmt, source)
        if fmt == "xlsx":
            table = read_xlsx(
                path_or_obj, source, sheet=sheet, header_row=header_row, progress=progress
            )
            return without_numbering_row(table)
        if fmt in ("parquet", "arrow"):
            return _read_arrow_file(path_or_obj, source, fmt)
        raw = path_or_obj.read()
        data = raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)
        if fmt == "csv":
            table = read_csv(data, source, header_row=header_row, progress=progress)
            return without_numbering_row(table)
        return _read_json(data, source)
    _check_header_row(header_row, "data frame", None)
    return _read_object(path_or_obj)


def _check_header_row(header_row: int | None, fmt: str, source: str | None) -> None:
    if header_row is not None and fmt not in ("csv", "xlsx"):
        msg = f"header_row is for .xlsx and .csv files; a {fmt} has no rows above its header"
        raise fail(msg, source)


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


def _numbers_or_text(cells: list[object]) -> Cells:
    """A float64 array when every cell is an int, a float or None (JSON numbers); else a list."""
    return numbers_or_cells(cells)


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
    problems = check_header(names)
    if problems:
        raise MeasurementsError(problems, source)
    if table.num_rows == 0:
        raise fail("the table has no rows of units", source)
    cells = tuple(_arrow_cells(table.column(j)) for j in range(table.num_columns))
    numbers = tuple(range(1, table.num_rows + 1)) if rows else None
    return Table(columns=tuple(names), cells=cells, source=source, rows=numbers)


def _arrow_cells(col: Any) -> Cells:
    """A float64 array for numbers, a string array for text, a list for anything else."""
    pa = sys.modules["pyarrow"]
    kind = col.type
    if pa.types.is_dictionary(kind):
        col = col.cast(kind.value_type)  # a categorical column: its values
        kind = col.type
    if pa.types.is_boolean(kind) and col.null_count:
        return list(col.to_pylist())
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_boolean(kind):
        return np.asarray(col.to_numpy(zero_copy_only=False), dtype=np.float64)
    if pa.types.is_decimal(kind):
        return np.asarray(col.cast(pa.float64()).to_numpy(zero_copy_only=False), np.float64)
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or _is_string_view(kind):
        pc = require("pyarrow.compute", "arrow")
        strings = col.cast(pa.string()) if not pa.types.is_string(kind) else col
        if isinstance(strings, pa.ChunkedArray):
            strings = strings.combine_chunks()
        if not pc.all(pc.string_is_ascii(strings)).as_py():
            strings = pc.utf8_normalize(strings, "NFC")
        return strings  # type: ignore[no-any-return]
    return [nfc(v) if isinstance(v, str) else v for v in col.to_pylist()]


def _is_string_view(kind: Any) -> bool:
    is_view = getattr(sys.modules["pyarrow"].types, "is_string_view", None)
    return bool(is_view is not None and is_view(kind))


def _read_json(data: bytes, source: str | None) -> Table:
    text = utf8_bytes(data, source).decode("utf-8")
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
        problems = check_header(names)
        if problems:
            raise MeasurementsError(problems, source)
        cells: list[Cells] = []
        for key in value:
            col = value[key]
            if isinstance(col, str | bytes) or not (
                isinstance(col, Sequence | np.ndarray) or _is_arrow_array(col)
            ):
                msg = f"a column must be a list of cells, found {type(col).__name__}"
                raise MeasurementsError([CellProblem(message=msg, column=str(key))], source)
            cells.append(col if isinstance(col, np.ndarray) or _is_arrow_array(col) else list(col))
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
    problems = check_header(names)
    if problems:
        raise MeasurementsError(problems, source)
    columns = [[_json_cell(record.get(k)) for record in value] for k in keys]
    record_cells = tuple(_numbers_or_text(col) for col in columns)
    return Table(
        columns=tuple(names),
        cells=record_cells,
        source=source,
        rows=tuple(range(1, len(value) + 1)),
    )


def _is_arrow_array(obj: object) -> bool:
    pa = sys.modules.get("pyarrow")
    return pa is not None and isinstance(obj, pa.Array | pa.ChunkedArray)


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
    problems = check_header(names)
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
    cells = tuple(_numbers_or_text(col) for col in columns)
    return Table(
        columns=tuple(names), cells=cells, source=source, rows=tuple(range(1, len(data) + 1))
    )


def _from_pandas(frame: Any) -> Table:
    if frame.index.name is not None and frame.index.name not in frame.columns:
        frame = frame.reset_index()
    names = [header_name(c) for c in frame.columns]
    problems = check_header(names)
    if problems:
        raise MeasurementsError(problems, None)
    if len(frame) == 0:
        raise fail("the data frame has no rows of units", None)
    pd = sys.modules["pandas"]
    cells: list[Cells] = []
    for j in range(frame.shape[1]):
        col = frame.iloc[:, j]
        if pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
            cells.append(col.to_numpy(dtype=np.float64, na_value=math.nan))
        else:
            cells.append(_nfc_objects(col.to_numpy(dtype=object, na_value=None)))
    return Table(columns=tuple(names), cells=tuple(cells))


def _nfc_objects(values: np.ndarray[Any, np.dtype[np.object_]]) -> Cells:
    """*values* with their text NFC-normalised, each distinct value once (pandas factorize)."""
    pd = sys.modules["pandas"]
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    normal = [nfc(v) if isinstance(v, str) else v for v in uniques]
    if all(a is b for a, b in zip(normal, uniques, strict=True)):
        return values
    out = np.empty(len(normal) + 1, dtype=object)
    out[:-1] = normal
    out[-1] = None
    return out[codes]  # type: ignore[no-any-return]


def _from_polars(frame: Any) -> Table:
    names = [header_name(c) for c in frame.columns]
    problems = check_header(names)
    if problems:
        raise MeasurementsError(problems, None)
    if frame.height == 0:
        raise fail("the data frame has no rows of units", None)
    pl = sys.modules["polars"]
    text_types = tuple(t for t in (pl.String, pl.Categorical, getattr(pl, "Enum", None)) if t)
    cells: list[Cells] = []
    for name in frame.columns:
        series = frame.get_column(name)
        if series.dtype.is_numeric():
            cells.append(series.cast(pl.Float64).fill_null(math.nan).to_numpy())
        elif isinstance(series.dtype, text_types) or series.dtype == pl.String:
            if has_pyarrow():
                cells.append(_arrow_cells(series.cast(pl.String).to_arrow()))
            else:
                cells.append([nfc(v) if v is not None else v for v in series.cast(pl.String)])
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
    header_row: int | None = None,
    progress: Progress | None = None,
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
        header_row: The row of the column names in an ``.xlsx`` or ``.csv`` file (1 = the
            first, as Excel shows it); found when None, see :func:`read_table`.
        progress: Called as ``progress(done, total)`` while the file is read.
        defer: Keep the cells that cannot be read in ``pending`` so that
            :func:`parscore.score` reports them together with the values the rules refuse
            (what :func:`score_file` does); by default they are raised here.

    Raises:
        MeasurementsError: listing every bad cell with its row, unit, column and value.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       *header_row* and *progress*.
    """
    table = read_table(
        path_or_obj, sheet=sheet, format=format, header_row=header_row, progress=progress
    )
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
    header_row: int | None = None,
    progress: Progress | None = None,
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
        header_row: The row of the column names in an ``.xlsx`` or ``.csv`` file (1 = the
            first, as Excel shows it); found when None, see :func:`read_table`.
        progress: Called as ``progress(done, total)`` while the file is read.
        **score_options: Passed on to :func:`parscore.score` (``missing=``, ``ranking=``).

    Raises:
        MeasurementsError: listing every cell that cannot be read and every value a rule
            refuses, each with its row, unit, column and value.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       *header_row* and *progress*.
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
        header_row=header_row,
        progress=progress,
        defer=True,
    )
    return score(scheme, data, source=data.source, **score_options)


# -- writing ----------------------------------------------------------------------------------

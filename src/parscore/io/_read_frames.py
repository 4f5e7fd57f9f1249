"""Tables from data frames, Arrow and Parquet files, and JSON: the readers of _read.

Numbers stay numbers (a float64 array) only where no digit is lost: integer columns of
Arrow/Parquet/pandas/polars keep their digits (int64 arrays, or Python ints when some cells
are empty), JSON integers beyond 2**53 stay Python ints, and a JSON number written with a
decimal point keeps its text (so that the ids ``1`` and ``1.0`` stay two ids). Every error of
pyarrow and of the JSON parser becomes a :class:`~parscore.errors.MeasurementsError` naming
the file; sizes are checked against :class:`~parscore.limits.Limits`.

.. versionadded:: 0.2
"""

from __future__ import annotations

import functools
import json
import math
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from parscore._optional import require
from parscore.errors import CellProblem, LimitError, MeasurementsError, ParscoreError
from parscore.io._files import Cells, Table, check_header, fail, has_pyarrow, header_name, nfc
from parscore.io._read_csv import utf8_bytes
from parscore.io._read_sheet import numbers_or_cells
from parscore.limits import Limits

__all__ = ["read_arrow_file", "read_json", "read_object"]

_EXACT = 2**53  # integers up to this are float64 exactly
_CELL_TYPES = (str, int, float, bool, type(None))


def _check_size(n_rows: int, n_columns: int, lim: Limits, source: str | None) -> None:
    if n_columns > lim.max_columns:
        raise LimitError("max_columns", lim.max_columns, n_columns, source)
    if n_rows > lim.max_rows:
        raise LimitError("max_rows", lim.max_rows, n_rows, source)


def read_object(obj: object, lim: Limits) -> Table:
    """A table from a data frame, a pyarrow table, records or a mapping of columns."""
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(obj, pd.DataFrame):
        _check_size(len(obj), obj.shape[1], lim, None)
        return _from_pandas(obj)
    pl = sys.modules.get("polars")
    if pl is not None and isinstance(obj, pl.DataFrame):
        _check_size(obj.height, obj.width, lim, None)
        return _from_polars(obj)
    pa = sys.modules.get("pyarrow")
    if pa is not None and isinstance(obj, pa.Table | pa.RecordBatch):
        return _from_arrow(obj, None, lim, rows=False)
    if isinstance(obj, list | Mapping):
        return _from_json_value(obj, None, lim)
    msg = (
        "expected a file path, a pandas or polars DataFrame, a pyarrow Table, a list of "
        f"records or a mapping of columns; found {type(obj).__name__}"
    )
    raise TypeError(msg)


def _numbers_or_text(cells: list[object]) -> Cells:
    """A float64 array when every cell is an int, a float or None (JSON numbers); else a list."""
    return numbers_or_cells(cells)


def read_arrow_file(path: object, source: str | None, fmt: str, lim: Limits) -> Table:
    """A Parquet or Arrow (IPC file or stream) file; sizes checked before the data is read.

    Parquet: the footer's rows, columns and uncompressed bytes (against
    ``max_unzipped_bytes``) are checked before any page is decoded. Arrow: record batches are
    read one at a time, rows and bytes counted. Any error of pyarrow is a damaged file.
    """
    require("pyarrow", "arrow")
    what = "Parquet" if fmt == "parquet" else "Arrow"
    try:
        table = _parquet(path, source, lim) if fmt == "parquet" else _ipc(path, source, lim)
    except (FileNotFoundError, ParscoreError):
        raise
    except Exception as exc:
        detail = str(exc).strip()[:200] or "no detail"
        msg = f"cannot read the {what} file: {type(exc).__name__}: {detail}"
        raise fail(msg, source) from None
    return _from_arrow(table, source, lim, rows=True)


def _parquet(path: object, source: str | None, lim: Limits) -> Any:
    pq = require("pyarrow.parquet", "arrow")
    with pq.ParquetFile(path) as pf:
        meta = pf.metadata
        _check_size(meta.num_rows, meta.num_columns, lim, source)
        unpacked = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        if unpacked > lim.max_unzipped_bytes:
            raise LimitError("max_unzipped_bytes", lim.max_unzipped_bytes, unpacked, source)
        return pf.read()


def _ipc(path: object, source: str | None, lim: Limits) -> Any:
    pa = require("pyarrow", "arrow")
    ipc = require("pyarrow.ipc", "arrow")
    try:
        reader = ipc.open_file(path)
        batches = (reader.get_batch(i) for i in range(reader.num_record_batches))
    except pa.ArrowInvalid:
        if hasattr(path, "seek"):
            path.seek(0)
        reader = ipc.open_stream(path)
        batches = iter(reader)
    _check_size(0, len(reader.schema), lim, source)
    kept, rows, size = [], 0, 0
    for batch in batches:
        rows, size = rows + batch.num_rows, size + batch.nbytes
        _check_size(rows, 0, lim, source)
        if size > lim.max_unzipped_bytes:
            raise LimitError("max_unzipped_bytes", lim.max_unzipped_bytes, size, source)
        kept.append(batch)
    return pa.Table.from_batches(kept, schema=reader.schema)


def _from_arrow(table: Any, source: str | None, lim: Limits, *, rows: bool) -> Table:
    _check_size(table.num_rows, table.num_columns, lim, source)
    names = _header(table.column_names, source)
    if table.num_rows == 0:
        raise fail("the table has no rows of units", source)
    cells = tuple(_arrow_cells(table.column(j), lim, source) for j in range(table.num_columns))
    numbers = tuple(range(1, table.num_rows + 1)) if rows else None
    return Table(columns=tuple(names), cells=cells, source=source, rows=numbers)


def _arrow_cells(col: Any, lim: Limits, source: str | None) -> Cells:  # noqa: PLR0911 - flat
    """A float64 array for numbers, a string array for text, a list for anything else.

    An integer column stays integers (int64/uint64; Python ints when some cells are empty
    and some beyond 2**53), so that ids keep every digit.
    """
    pa = sys.modules["pyarrow"]
    kind = col.type
    if pa.types.is_dictionary(kind):
        col = col.cast(kind.value_type)  # a categorical column: its values
        kind = col.type
    if pa.types.is_boolean(kind) and col.null_count:
        return list(col.to_pylist())
    if pa.types.is_integer(kind):
        if not col.null_count:
            return np.asarray(col.to_numpy(zero_copy_only=False))
        pc = require("pyarrow.compute", "arrow")
        if pc.max(pc.abs(col.cast(pa.float64()))).as_py() > _EXACT:
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
        longest = pc.max(pc.utf8_length(strings)).as_py()
        if longest is not None and longest > lim.max_cell_chars:
            raise LimitError("max_cell_chars", lim.max_cell_chars, longest, source)
        if not pc.all(pc.string_is_ascii(strings)).as_py():
            strings = _nfc_strings(strings)
        return strings  # type: ignore[no-any-return]
    return _plain_cells([nfc(v) if isinstance(v, str) else v for v in col.to_pylist()], source)


def nfc_text(text: str) -> str:
    """*text* in NFC (not stripped: cells keep what was written)."""
    return unicodedata.normalize("NFC", text)


def _nfc_strings(strings: Any) -> Any:
    """An Arrow string array in NFC: by Arrow when its normaliser composes, else by Python.

    pyarrow 25 and older give NFD for ``utf8_normalize(..., "NFC")`` (apache/arrow#51225);
    there the distinct values are normalised with :mod:`unicodedata` and taken back.
    """
    pa = sys.modules["pyarrow"]
    pc = require("pyarrow.compute", "arrow")
    if _arrow_composes():
        return pc.utf8_normalize(strings, "NFC")
    encoded = pc.dictionary_encode(strings)
    values = [None if v is None else nfc_text(v) for v in encoded.dictionary.to_pylist()]
    return pc.take(pa.array(values, type=pa.string()), encoded.indices)


@functools.cache
def _arrow_composes() -> bool:
    """Whether this pyarrow's ``utf8_normalize(..., "NFC")`` composes (é from e + ◌́)."""
    pa = sys.modules["pyarrow"]
    pc = require("pyarrow.compute", "arrow")
    found = pc.utf8_normalize(pa.array(["e\u0301"]), "NFC").to_pylist()
    return bool(found == ["\u00e9"])


def _header(raw: Any, source: str | None) -> list[str]:
    """The column names as text, or every problem with them (blank, repeated) at once."""
    names = [header_name(n) for n in raw]
    problems = check_header(names)
    if problems:
        raise MeasurementsError(problems, source)
    return names


def _is_string_view(kind: Any) -> bool:
    is_view = getattr(sys.modules["pyarrow"].types, "is_string_view", None)
    return bool(is_view is not None and is_view(kind))


class WrittenFloat(float):
    """A JSON number written with a decimal point or exponent that is a whole number.

    It reads as the float it is; as an id or label it is the text written (``1.0`` is not
    the id ``1``).
    """

    __slots__ = ("written",)
    written: str


def _json_float(text: str) -> float:
    value = float(text)
    if not value.is_integer():
        return value
    out = WrittenFloat(value)
    out.written = text
    return out


def read_json(data: bytes, source: str | None, lim: Limits) -> Table:
    """A JSON file of records, or of ``{"columns": [...], "data": [[...], ...]}``."""
    text = utf8_bytes(data, source).decode("utf-8")
    if not text.strip():
        raise fail("the file is empty: expected a list of records", source)
    try:
        value = json.loads(text, parse_float=_json_float)
    except json.JSONDecodeError as exc:
        raise fail(
            f"not valid JSON: {exc.msg} (column {exc.colno})", source, row=exc.lineno
        ) from None
    except RecursionError:
        raise fail("not valid data: the JSON is nested too deeply", source) from None
    except ValueError as exc:  # a number of more than 4300 digits
        raise fail(f"not valid JSON: {exc}", source) from None
    return _from_json_value(value, source, lim)


def _plain_cells(
    cells: list[object], source: str | None, column: str | None = None
) -> list[object]:
    """*cells*, checked to be text, numbers, booleans or empty (no lists or objects)."""
    if not set(map(type, cells)) <= {*_CELL_TYPES, WrittenFloat}:
        bad = [
            CellProblem(
                message=f"a cell must be text, a number, true/false or empty; found a "
                f"{type(c).__name__}",
                row=i,
                column=column,
            )
            for i, c in enumerate(cells, start=1)
            if not isinstance(c, _CELL_TYPES)
        ]
        raise MeasurementsError(bad[:100], source)
    return cells


def _json_column(cells: list[object], lim: Limits, source: str | None, column: str) -> Cells:
    _plain_cells(cells, source, column)
    longest = max((len(c) for c in cells if type(c) is str), default=0)
    if longest > lim.max_cell_chars:
        raise LimitError("max_cell_chars", lim.max_cell_chars, longest, f"{source}, {column}")
    return _numbers_or_text(cells)


def _from_json_value(value: object, source: str | None, lim: Limits) -> Table:
    if isinstance(value, Mapping) and "columns" in value and "data" in value:
        return _from_split(value, source, lim)
    if isinstance(value, Mapping):
        _check_size(0, len(value), lim, source)
        names = _header(value, source)
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
    _check_size(len(value), 0, lim, source)
    order: dict[str, None] = {}
    bad: list[CellProblem] = []
    for i, record in enumerate(value, start=1):
        if not isinstance(record, Mapping):
            msg = f"record {i} is a {type(record).__name__}, expected an object"
            bad.append(CellProblem(message=msg, row=i))
            continue
        for key in record:
            order.setdefault(key, None)
        if len(order) > lim.max_columns:
            raise LimitError("max_columns", lim.max_columns, len(order), source)
    if bad:
        raise MeasurementsError(bad, source)
    keys = list(order)
    names = _header(keys, source)
    columns = [[_json_cell(record.get(k)) for record in value] for k in keys]
    record_cells = tuple(
        _json_column(col, lim, source, name) for col, name in zip(columns, names, strict=True)
    )
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


def _from_split(value: Mapping[str, Any], source: str | None, lim: Limits) -> Table:
    unknown = sorted(set(value) - {"columns", "data", "index"})
    if unknown:
        msg = f"unknown keys {', '.join(map(repr, unknown))}: expected columns and data"
        raise fail(msg, source)
    header, data = value["columns"], value["data"]
    if not isinstance(header, list) or not isinstance(data, list):
        raise fail('"columns" and "data" must be lists', source)
    _check_size(len(data), len(header), lim, source)
    names = [header_name(n) for n in _plain_cells(header, source)]
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
    cells = tuple(
        _json_column(col, lim, source, name) for col, name in zip(columns, names, strict=True)
    )
    return Table(
        columns=tuple(names), cells=cells, source=source, rows=tuple(range(1, len(data) + 1))
    )


def _from_pandas(frame: Any) -> Table:
    if frame.index.name is not None and frame.index.name not in frame.columns:
        frame = frame.reset_index()
    names = _header(frame.columns, None)
    if len(frame) == 0:
        raise fail("the data frame has no rows of units", None)
    pd = sys.modules["pandas"]
    cells: list[Cells] = []
    for j in range(frame.shape[1]):
        col = frame.iloc[:, j]
        if isinstance(col.dtype, np.dtype) and col.dtype.kind in "iu":
            cells.append(col.to_numpy())  # integers keep every digit (ids above 2**53)
        elif pd.api.types.is_integer_dtype(col.dtype):  # nullable: None for <NA>
            cells.append(numbers_or_cells(col.to_numpy(dtype=object, na_value=None).tolist()))
        elif pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
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
    names = _header(frame.columns, None)
    if frame.height == 0:
        raise fail("the data frame has no rows of units", None)
    pl = sys.modules["polars"]
    text_types = tuple(t for t in (pl.String, pl.Categorical, getattr(pl, "Enum", None)) if t)
    cells: list[Cells] = []
    for name in frame.columns:
        series = frame.get_column(name)
        if series.dtype.is_integer():  # integers keep every digit (ids above 2**53)
            if series.null_count():
                cells.append(numbers_or_cells(series.to_list()))
            else:
                cells.append(series.to_numpy())
        elif series.dtype.is_numeric():
            cells.append(series.cast(pl.Float64).fill_null(math.nan).to_numpy())
        elif isinstance(series.dtype, text_types) or series.dtype == pl.String:
            if has_pyarrow():
                strings = series.cast(pl.String).to_arrow()
                cells.append(_arrow_cells(strings, Limits(), None))
            else:
                cells.append([nfc(v) if v is not None else v for v in series.cast(pl.String)])
        else:
            cells.append([_json_cell(v) for v in series.to_list()])
    return Table(columns=tuple(names), cells=tuple(cells))

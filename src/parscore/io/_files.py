"""Shared pieces of reading and writing tables: the Table, formats by suffix, text helpers.

.. versionadded:: 0.2
"""

from __future__ import annotations

import functools
import importlib.util
import itertools
import math
import os
import re
import unicodedata
import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, Protocol

import attrs
import numpy as np
import numpy.typing as npt

from parscore.errors import CellProblem, LimitError, MeasurementsError, ParscoreError
from parscore.limits import Limits
from parscore.typing import FloatArray

TableFormat = Literal["csv", "xlsx", "parquet", "arrow", "json"]
"""A file format :func:`read_table` reads."""


class ArrowStrings(Protocol):
    """A pyarrow ``Array`` or ``ChunkedArray`` of strings; a null is an empty cell."""

    @property
    def null_count(self) -> int:
        """Number of nulls (empty cells)."""

    def __len__(self) -> int:
        """Number of cells."""

    def to_pylist(self) -> list[Any]:
        """The cells as Python objects (str, or None for an empty cell)."""

    def slice(self, offset: int = 0, length: int | None = None) -> ArrowStrings:
        """The cells from *offset* on (a view)."""


Cells = list[object] | FloatArray | npt.NDArray[np.object_] | ArrowStrings
"""One column of a :class:`Table`.

One of: a float64 array (NaN = empty) for a source that holds numbers; a list or object array
of str / int / float / bool / None cells (None or "" = empty); a pyarrow array of strings
(null = empty). A CSV column is always text: readers never guess numbers from text.
"""

Progress = Callable[[int, int], None]
"""Told ``(done, total)`` now and then during a long read (rows or bytes; total 0 = unknown)."""

OutputFormat = Literal["csv", "xlsx", "parquet", "json"]
"""A file format :func:`write_result` writes."""

READ_SUFFIXES: dict[str, TableFormat] = {
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
WRITE_SUFFIXES: dict[str, OutputFormat] = {
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".json": "json",
}
DELIMITERS = (",", ";", "\t")
PATHS = (str, os.PathLike)
#: Sheet names of the workbook :func:`write_result` writes.


@attrs.frozen(kw_only=True, eq=False)
class Table:
    """A table as read from a file or a data frame, before it meets a scheme.

    Readers only turn files into columns: what a cell means (a count, a percentage, an option
    name) is decided by :mod:`parscore.measurements`, which knows each column's kind. So a CSV
    column is handed over as text ("1.234" stays the text "1.234"), and only sources that
    really hold numbers (XLSX number cells, Parquet/Arrow/pandas/polars numeric columns, JSON
    numbers) give float64 arrays.

    Attributes:
        columns: Column names, NFC-normalised and stripped, unique, in file order.
        cells: One column of cells per name, each of length ``n_rows`` (see :data:`Cells`):
            a float64 numpy array (NaN = empty) when the source holds numbers; a list or
            numpy object array of str / int / float / bool / None (None or "" = empty); or a
            pyarrow ``Array``/``ChunkedArray`` of strings (null = empty), as the CSV reader
            gives when pyarrow is installed. Text is NFC-normalised; cells are not stripped.
        source: Where the table came from (the file name as given), for messages.
        rows: The source row number of each record: in a spreadsheet the row number Excel
            shows (rows above the header are ignored but still counted), in a CSV file the
            line the record starts on, in JSON and Parquet the record's position counting
            from 1; None for data frames.

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

HEADER_SCAN = 50
"""Non-empty rows searched for the header row when it is not given."""
HEADER_LOOK_BELOW = 5
"""Non-empty rows below a candidate header whose filled columns it must name."""


@functools.cache
def has_pyarrow() -> bool:
    """Whether pyarrow can be imported, found without importing it."""
    return importlib.util.find_spec("pyarrow") is not None


def find_header(records: Sequence[Sequence[object]]) -> int | None:
    """The position in *records* of the header row, or None when no row looks like one.

    *records* are the first non-empty rows of a sheet, in order (at least
    ``HEADER_SCAN + HEADER_LOOK_BELOW`` of them when there are so many). The header is the
    first of the first ``HEADER_SCAN`` rows that has at least 2 filled cells and names (has a
    filled cell above) more than half of the columns filled in the next ``HEADER_LOOK_BELOW``
    rows; a table of a single column needs 1 filled cell. Title rows ("UBND TỈNH …",
    "BẢNG TỔNG HỢP …", usually merged cells, whose value sits in the first cell only) fill
    one or two cells and so are passed over; a header with no rows below it is not found.
    """
    filled = [frozenset(j for j, c in enumerate(r) if not is_empty(c)) for r in records]
    for i, cols in enumerate(filled[:HEADER_SCAN]):
        below = frozenset().union(*filled[i + 1 : i + 1 + HEADER_LOOK_BELOW])
        if not below or not cols:
            continue
        if (len(cols) >= 2 or len(below) == 1) and 2 * len(cols & below) > len(below):
            return i
    return None


def no_header(source: str | None, n_rows: int, *, what: str) -> MeasurementsError:
    """The error for a table whose header row cannot be found."""
    msg = (
        f"cannot find the header row among the first {min(n_rows, HEADER_SCAN)} non-empty "
        f"rows of the {what}: the header is the first row that names (has a filled cell above) "
        "most of the columns the rows below it fill; pass header_row=N (--header-row N), N "
        "being the row number of the column names"
    )
    return fail(msg, source)


def header_hint(row: int) -> CellProblem:
    """A note added to header problems when the header row was found, not given."""
    msg = (
        f"the header was taken to be row {row}, the first row that looks like one; if the "
        "column names are in another row, pass header_row=N (--header-row N)"
    )
    return CellProblem(message=msg, row=row)


def fail(message: str, source: str | None, *, row: int | None = None) -> MeasurementsError:
    return MeasurementsError([CellProblem(message=message, row=row)], source)


def nfc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def check_header(names: Sequence[str], *, row: int | None = None) -> list[CellProblem]:
    """A problem for every empty or repeated column name; *row* is the header's row."""
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


def header_name(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a node id "1" typed in Excel arrives as the number 1.0
    return nfc(str(value)).strip()


def is_empty(cell: object) -> bool:
    if cell is None:
        return True
    if isinstance(cell, str):
        return not cell.strip()
    return isinstance(cell, float) and math.isnan(cell)


def format_of(path: str | os.PathLike[str], given: str | None, suffixes: Mapping[str, str]) -> str:
    if given is not None:
        if given not in set(suffixes.values()):
            known = ", ".join(sorted(set(suffixes.values())))
            msg = f"unknown format {given!r}; known formats: {known}"
            raise fail(msg, os.fspath(path))
        return given
    suffix = Path(path).suffix.lower()
    if suffix in suffixes:
        return suffixes[suffix]
    if suffix == ".xls":
        msg = "the old Excel format .xls is not read; open it in Excel and save it as .xlsx"
        raise fail(msg, os.fspath(path))
    known = ", ".join(sorted(suffixes))
    msg = f"cannot tell the format from the suffix {suffix!r}; use one of {known} or pass format="
    raise fail(msg, os.fspath(path))


_NUMBERING = re.compile(r"\(?\s*(\d{1,3}|[A-Z])\s*\)?")
_MIN_NUMBERED = 3


def without_numbering_row(table: Table) -> Table:
    """*table* without a row of column numbers right under the header, if it has one.

    Official sheets often number their columns in the row below the names: "(1)", "(2)",
    "(3)" … or 1, 2, 3 …, sometimes after letters "A", "B" for the first columns. Such a row
    holds no unit: it is dropped when at least 3 cells and half the columns are filled, every
    filled cell is a number or a capital letter (in brackets or not), and the numbers run on
    by one from left to right.
    """
    if table.n_rows < 2 or not table.columns:
        return table
    first = [_first_cell(col) for col in table.cells]
    filled = [c for c in first if c]
    if len(filled) < max(_MIN_NUMBERED, (len(first) + 1) // 2):
        return table
    numbers: list[int] = []
    for cell in filled:
        found = _NUMBERING.fullmatch(cell)
        if found is None:
            return table
        mark = found.group(1)
        if mark.isdigit():
            numbers.append(int(mark))
        elif numbers:  # letters come first, if at all
            return table
    if len(numbers) < _MIN_NUMBERED or any(b - a != 1 for a, b in itertools.pairwise(numbers)):
        return table
    rows = table.rows[1:] if table.rows is not None else None
    return Table(
        columns=table.columns,
        cells=tuple(_without_first(col) for col in table.cells),
        source=table.source,
        rows=rows,
    )


def _without_first(column: Cells) -> Cells:
    if isinstance(column, list | np.ndarray):
        return column[1:]
    return column.slice(1)


def _first_cell(column: Cells) -> str:
    """The first cell of *column* as stripped text ("" when empty)."""
    cell = column[0] if isinstance(column, list | np.ndarray) else column.slice(0, 1).to_pylist()[0]
    if cell is None or (isinstance(cell, float) and cell != cell):  # noqa: PLR0124 - NaN
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


# -- the zip directory, before openpyxl -------------------------------------------------------

_SHARED = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s>/]")
_OVERRIDE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Override\b[^>]*>")
_PART = re.compile(rb'PartName\s*=\s*["\']([^"\']+)["\']')
_TYPE = re.compile(rb'ContentType\s*=\s*["\']([^"\']+)["\']')
_CHUNK = 1 << 20
_CONTENT_TYPES_BYTES = 1 << 20
_DETAIL_CHARS = 200


def check_zip(path: object, source: str | None, limits: Limits) -> None:
    """Refuse a workbook whose parts decompress past the limits, before openpyxl reads it.

    The sizes are those of the zip directory; zipfile never decompresses a part past the
    size its directory states, so a part that lies about its size cannot grow past it.
    Shared strings are counted as the part streams by (in chunks, never held whole).
    """
    try:
        with zipfile.ZipFile(path) as archive:  # type: ignore[call-overload]
            infos = archive.infolist()
            total = sum(info.file_size for info in infos)
            if total > limits.max_unzipped_bytes:
                raise LimitError("max_unzipped_bytes", limits.max_unzipped_bytes, total, source)
            for name in _shared_string_parts(archive, infos):
                _count_shared(archive, name, source, limits.max_shared_strings)
    except FileNotFoundError:
        raise
    except ParscoreError:
        raise
    except Exception as exc:
        raise damaged(exc, source, "open") from None
    finally:
        seek = getattr(path, "seek", None)
        if seek is not None:
            seek(0)


def _shared_string_parts(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> list[str]:
    """The shared-string parts: as [Content_Types].xml names them, and any so named."""
    names = {info.filename for info in infos}
    parts = {n for n in names if n.lower().endswith("sharedstrings.xml")}
    if "[Content_Types].xml" in names:
        with archive.open("[Content_Types].xml") as fh:
            head = fh.read(_CONTENT_TYPES_BYTES)
        for element in _OVERRIDE.findall(head):
            part, kind = _PART.search(element), _TYPE.search(element)
            if part and kind and b"sharedStrings" in kind.group(1):
                name = part.group(1).decode("utf-8", "replace").lstrip("/")
                if name in names:
                    parts.add(name)
    return sorted(parts)


def _count_shared(archive: zipfile.ZipFile, name: str, source: str | None, maximum: int) -> None:
    count = 0
    tail = b""
    with archive.open(name) as fh:
        while chunk := fh.read(_CHUNK):
            block = tail + chunk
            # a tag holds no "<" after its first: tags starting before the block's last "<"
            # end before it, and the one starting there is counted with the next block
            last = block.rfind(b"<")
            if last < 0:
                tail = b""
                continue
            count += len(_SHARED.findall(block, 0, last))
            tail = block[last:]
            if count > maximum:
                raise LimitError("max_shared_strings", maximum, count, source)
    count += len(_SHARED.findall(tail))
    if count > maximum:
        raise LimitError("max_shared_strings", maximum, count, source)


def damaged(exc: BaseException, source: str | None, doing: str, row: int | None = None) -> Any:
    """A MeasurementsError saying the workbook is damaged, with *exc* as the detail."""
    detail = str(exc).strip() or "no detail"
    if len(detail) > _DETAIL_CHARS:
        detail = detail[:_DETAIL_CHARS] + " …"
    at = f" (after row {row})" if row is not None else ""
    msg = (
        f"cannot {doing} the workbook{at}: the file is damaged or not an .xlsx workbook "
        f"({type(exc).__name__}: {detail})"
    )
    return fail(msg, source, row=row)

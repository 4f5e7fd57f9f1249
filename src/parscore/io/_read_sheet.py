"""Reading a sheet of an XLSX workbook into a Table, title rows above the header skipped.

The work per cell is openpyxl's; what this module adds is a few passes in C over each row
(``all`` stops at the first filled cell, ``zip`` transposes) and one ``set(map(type, ...))``
per column to tell a column of numbers (a float64 array) from one of text (a list).

.. versionadded:: 0.2
"""

from __future__ import annotations

import contextlib
import math
import os
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from parscore._optional import require
from parscore.errors import LimitError, MeasurementsError, ParscoreError
from parscore.io._files import (
    HEADER_LOOK_BELOW,
    HEADER_SCAN,
    Cells,
    Progress,
    Table,
    check_header,
    check_zip,
    damaged,
    fail,
    find_header,
    header_hint,
    header_name,
    is_empty,
    nfc,
    no_header,
)
from parscore.io._formula import as_written
from parscore.limits import Limits, default_limits

_NUMBER_TYPES = frozenset({float, int, type(None)})
_PROGRESS_EVERY = 1000  # rows between calls of progress()


def read_xlsx(
    path: object,
    source: str | None,
    *,
    sheet: str | int | None = None,
    header_row: int | None = None,
    progress: Progress | None = None,
    limits: Limits | None = None,
) -> Table:
    """Read one sheet of a workbook (a path or a binary file object).

    Before openpyxl opens the file, its zip directory is checked against *limits*
    (``max_unzipped_bytes``: the parts' sizes once decompressed; ``max_shared_strings``: the
    strings of the shared-string table, counted as they stream by); rows, columns and text
    cells are checked while the sheet is read. Whatever openpyxl, zipfile, zlib or the XML
    parser raise on a damaged file, when opening or while rows are parsed, becomes a
    :class:`~parscore.errors.MeasurementsError` naming the file (and the row reached).

    Args:
        path: What :func:`openpyxl.load_workbook` opens.
        source: The file name, for messages.
        sheet: The sheet by name or position (0 = first, the default).
        header_row: The row of the column names as Excel numbers it; found when None (see
            :func:`~parscore.io._files.find_header`).
        progress: Told ``(rows read, rows the sheet says it has)``.
        limits: The limits in force (None: :func:`parscore.limits.default_limits`).

    Returns:
        The table: a float64 array for a column of numbers and empty cells, a list of cells
        (text NFC-normalised, as written: see :func:`parscore.io._formula.as_written`) for
        any other; ``rows`` as Excel numbers them.

    Raises:
        MeasurementsError: an unknown sheet, a workbook that cannot be opened or read, no
            header found, repeated or empty column names, no rows.
        LimitError: a limit exceeded.
    """
    openpyxl = require("openpyxl", "excel")
    lim = limits or default_limits()
    if isinstance(path, str | os.PathLike):
        # opened here, so that it is closed here too when openpyxl fails half-way
        with open(path, "rb") as fh:
            return read_xlsx(
                fh, source, sheet=sheet, header_row=header_row, progress=progress, limits=lim
            )
    check_zip(path, source, lim)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise
    except ParscoreError:  # pragma: no cover - openpyxl raises none
        raise
    except Exception as exc:
        raise damaged(exc, source, "open") from None
    try:
        ws = _worksheet(book, sheet, source)
        total = 0
        if hasattr(ws, "reset_dimensions"):
            total = ws.max_row or 0  # as the file states it: good enough for a progress bar
            ws.reset_dimensions()  # files from other tools may state wrong dimensions
        rows = _guarded(ws.iter_rows(values_only=True), source)
        return sheet_table(
            rows, source, header_row=header_row, progress=progress, total=total, limits=lim
        )
    finally:
        with contextlib.suppress(Exception):  # a damaged archive: nothing to add
            book.close()


def _worksheet(book: object, sheet: str | int | None, source: str | None) -> Any:
    try:
        names = list(book.sheetnames)  # type: ignore[attr-defined]
        if sheet is None:
            if not names:
                raise fail("the workbook has no sheets", source)
            return book.worksheets[0]  # type: ignore[attr-defined]
        if isinstance(sheet, int):
            if not 0 <= sheet < len(names):
                msg = f"no sheet number {sheet} (counting from 0); sheets: {', '.join(names)}"
                raise fail(msg, source)
            return book.worksheets[sheet]  # type: ignore[attr-defined]
        wanted = unicodedata.normalize("NFC", sheet)
        found = [n for n in names if unicodedata.normalize("NFC", n) == wanted]
        if not found:
            msg = f"no sheet named {sheet!r}; sheets: {', '.join(names)}"
            raise fail(msg, source)
        return book[found[0]]  # type: ignore[index]
    except ParscoreError:
        raise
    except Exception as exc:
        raise damaged(exc, source, "open") from None


def _guarded(rows: Iterable[Sequence[object]], source: str | None) -> Iterator[Sequence[object]]:
    """The rows of *rows*, openpyxl's errors while it parses them turned into ours."""
    it = iter(rows)
    number = 0
    while True:
        try:
            values = next(it)
        except StopIteration:
            return
        except ParscoreError:  # pragma: no cover - openpyxl raises none
            raise
        except Exception as exc:
            raise damaged(exc, source, "read", row=number or None) from None
        number += 1
        yield values


def sheet_table(
    row_iter: Iterable[Sequence[object]],
    source: str | None,
    *,
    header_row: int | None = None,
    progress: Progress | None = None,
    total: int = 0,
    limits: Limits | None = None,
) -> Table:
    """A table from the rows of a sheet (row 1 first), as :func:`read_xlsx` describes."""
    lim = limits or default_limits()
    most = lim.max_rows + HEADER_SCAN + HEADER_LOOK_BELOW  # title rows and the header too
    records: list[Sequence[object]] = []
    numbers: list[int] = []
    number = 0
    for number, values in enumerate(row_iter, start=1):
        # all() stops at the first filled cell: one look for a unit's row, its id
        if not all(is_empty(c) for c in values):
            if len(values) > lim.max_columns:
                values = _trimmed(values, lim, source)  # noqa: PLW2901 - the same row
            records.append(values)
            numbers.append(number)
            if len(records) > most:
                raise LimitError("max_rows", lim.max_rows, len(records), source)
        if progress is not None and number % _PROGRESS_EVERY == 0:
            progress(number, max(total, number))
    if progress is not None:
        progress(number, number)
    if not records:
        raise fail("the sheet is empty: expected a header row and one row per unit", source)
    h = _pick_header(records, numbers, source, header_row)
    header = [as_written(header_name(v)) for v in records[h]]
    _check_chars(header, lim, source, numbers[h])
    data = records[h + 1 :]
    if len(data) > lim.max_rows:
        raise LimitError("max_rows", lim.max_rows, len(data), source)
    width = max([len(header), *map(len, data)])
    header += [""] * (width - len(header))
    padded = [r if len(r) == width else (*r, *([None] * (width - len(r)))) for r in data]
    columns: list[Cells] = [_column(col, lim, source) for col in zip(*padded, strict=True)]
    if not data:
        columns = [[] for _ in header]
    keep = [j for j, name in enumerate(header) if name or not _all_empty(columns[j])]
    names = [header[j] for j in keep]
    problems = check_header(names, row=numbers[h])
    if problems:
        if header_row is None:
            problems.append(header_hint(numbers[h]))
        raise MeasurementsError(problems, source)
    if not data:
        raise fail("the sheet has a header but no rows of units", source)
    cells = tuple(columns[j] for j in keep)
    return Table(columns=tuple(names), cells=cells, source=source, rows=tuple(numbers[h + 1 :]))


def _trimmed(values: Sequence[object], lim: Limits, source: str | None) -> Sequence[object]:
    """*values* without the empty cells after its last filled one, within ``max_columns``.

    openpyxl pads every row to the widest row of the sheet: a stray cell far to the right
    makes every row wide, which is no reason to refuse the sheet.
    """
    last = max(j for j, c in enumerate(values) if not is_empty(c)) + 1
    if last > lim.max_columns:
        raise LimitError("max_columns", lim.max_columns, last, source)
    return tuple(values[:last])


def _check_chars(
    texts: Sequence[str], lim: Limits, source: str | None, row: int | None = None
) -> None:
    longest = max(map(len, texts), default=0)
    if longest > lim.max_cell_chars:
        where = f"{source or 'the table'}" + (f", row {row}" if row is not None else "")
        raise LimitError("max_cell_chars", lim.max_cell_chars, longest, where)


def _pick_header(
    records: Sequence[Sequence[object]],
    numbers: Sequence[int],
    source: str | None,
    header_row: int | None,
) -> int:
    if header_row is not None:
        if header_row < 1:
            raise fail(f"header_row counts from 1, as Excel does; found {header_row}", source)
        if header_row not in numbers:
            msg = f"row {header_row} (header_row) of the sheet is empty"
            raise fail(msg, source, row=header_row)
        return numbers.index(header_row)
    found = find_header(records[: HEADER_SCAN + HEADER_LOOK_BELOW])
    if found is not None:
        return found
    if len(records) == 1:
        raise fail("the sheet has a header but no rows of units", source)
    raise no_header(source, len(records), what="sheet")


def _column(cells: tuple[object, ...], lim: Limits, source: str | None) -> Cells:
    """A float64 array when every cell is an int, a float or empty; else the cells as a list.

    Text is NFC-normalised and read as written (an apostrophe guarding a formula start
    dropped); a text cell longer than ``max_cell_chars`` is refused.
    """
    types = set(map(type, cells))
    if types <= _NUMBER_TYPES and _exact(cells, types):
        return np.array(cells, dtype=np.float64)  # None becomes NaN
    if str in types:
        texts = [c for c in cells if type(c) is str]
        _check_chars(texts, lim, source)
        return [as_written(nfc(c)) if type(c) is str else c for c in cells]
    return list(cells)


def _all_empty(column: Cells) -> bool:
    if isinstance(column, np.ndarray):
        return bool(np.isnan(column).all())
    return all(is_empty(c) for c in column)  # type: ignore[union-attr]


def numbers_or_cells(cells: Sequence[object]) -> Cells:
    """A float64 array when every cell is an int, a float or None; else the cells as a list.

    Integers beyond 2**53 (ids of 17 digits and more) stay Python ints, every digit kept.
    """
    types = set(map(type, cells))
    if types <= _NUMBER_TYPES and _exact(cells, types):
        return np.array([math.nan if c is None else c for c in cells], dtype=np.float64)
    return list(cells)


_EXACT = 2**53


def _exact(cells: Sequence[object], types: set[type]) -> bool:
    """Whether every int of *cells* is a float64 exactly (no digit of an id lost)."""
    return int not in types or all(-_EXACT <= c <= _EXACT for c in cells if type(c) is int)

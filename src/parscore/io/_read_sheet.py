"""Reading a sheet of an XLSX workbook into a Table, title rows above the header skipped.

The work per cell is openpyxl's; what this module adds is a few passes in C over each row
(``all`` stops at the first filled cell, ``zip`` transposes) and one ``set(map(type, ...))``
per column to tell a column of numbers (a float64 array) from one of text (a list).

.. versionadded:: 0.2
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Sequence

import numpy as np

from parscore._optional import require
from parscore.errors import MeasurementsError
from parscore.io._files import (
    HEADER_LOOK_BELOW,
    HEADER_SCAN,
    Cells,
    Progress,
    Table,
    check_header,
    fail,
    find_header,
    header_hint,
    header_name,
    is_empty,
    nfc,
    no_header,
)

_NUMBER_TYPES = frozenset({float, int, type(None)})
_PROGRESS_EVERY = 1000  # rows between calls of progress()


def read_xlsx(
    path: object,
    source: str | None,
    *,
    sheet: str | int | None = None,
    header_row: int | None = None,
    progress: Progress | None = None,
) -> Table:
    """Read one sheet of a workbook (a path or a binary file object).

    Args:
        path: What :func:`openpyxl.load_workbook` opens.
        source: The file name, for messages.
        sheet: The sheet by name or position (0 = first, the default).
        header_row: The row of the column names as Excel numbers it; found when None (see
            :func:`~parscore.io._files.find_header`).
        progress: Told ``(rows read, rows the sheet says it has)``.

    Returns:
        The table: a float64 array for a column of numbers and empty cells, a list of cells
        (text NFC-normalised) for any other; ``rows`` as Excel numbers them.

    Raises:
        MeasurementsError: an unknown sheet, a workbook that cannot be opened, no header found,
            repeated or empty column names, no rows.
    """
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
        total = 0
        if hasattr(ws, "reset_dimensions"):
            total = ws.max_row or 0  # as the file states it: good enough for a progress bar
            ws.reset_dimensions()  # files from other tools may state wrong dimensions
        rows = ws.iter_rows(values_only=True)
        return sheet_table(rows, source, header_row=header_row, progress=progress, total=total)
    finally:
        book.close()


def sheet_table(
    row_iter: Iterable[Sequence[object]],
    source: str | None,
    *,
    header_row: int | None = None,
    progress: Progress | None = None,
    total: int = 0,
) -> Table:
    """A table from the rows of a sheet (row 1 first), as :func:`read_xlsx` describes."""
    records: list[Sequence[object]] = []
    numbers: list[int] = []
    number = 0
    for number, values in enumerate(row_iter, start=1):
        # all() stops at the first filled cell: one look for a unit's row, its id
        if not all(is_empty(c) for c in values):
            records.append(values)
            numbers.append(number)
        if progress is not None and number % _PROGRESS_EVERY == 0:
            progress(number, max(total, number))
    if progress is not None:
        progress(number, number)
    if not records:
        raise fail("the sheet is empty: expected a header row and one row per unit", source)
    h = _pick_header(records, numbers, source, header_row)
    header = [header_name(v) for v in records[h]]
    data = records[h + 1 :]
    width = max([len(header), *map(len, data)])
    header += [""] * (width - len(header))
    padded = [r if len(r) == width else (*r, *([None] * (width - len(r)))) for r in data]
    columns: list[Cells] = [_column(col) for col in zip(*padded, strict=True)]
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


def _column(cells: tuple[object, ...]) -> Cells:
    """A float64 array when every cell is an int, a float or empty; else the cells as a list."""
    types = set(map(type, cells))
    if types <= _NUMBER_TYPES:
        return np.array(cells, dtype=np.float64)  # None becomes NaN
    if str in types:
        return [nfc(c) if type(c) is str else c for c in cells]
    return list(cells)


def _all_empty(column: Cells) -> bool:
    if isinstance(column, np.ndarray):
        return bool(np.isnan(column).all())
    return all(is_empty(c) for c in column)  # type: ignore[union-attr]


def numbers_or_cells(cells: Sequence[object]) -> Cells:
    """A float64 array when every cell is an int, a float or None; else the cells as a list."""
    if set(map(type, cells)) <= _NUMBER_TYPES:
        return np.array([math.nan if c is None else c for c in cells], dtype=np.float64)
    return list(cells)

"""Reading measurement tables: CSV, XLSX, Parquet, Arrow, JSON and data frames.

Readers only turn files into columns (a :class:`~parscore.io._files.Table`); reading cells
and checking them is the business of :mod:`parscore.measurements`.

.. versionadded:: 0.2
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from parscore.errors import LimitError
from parscore.io._files import (
    PATHS,
    READ_SUFFIXES,
    Progress,
    Table,
    TableFormat,
    fail,
    format_of,
    without_numbering_row,
)
from parscore.io._read_csv import read_csv
from parscore.io._read_frames import read_arrow_file, read_json, read_object
from parscore.io._read_sheet import read_xlsx
from parscore.limits import Limits, default_limits
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
    limits: Limits | None = None,
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
        limits: Sizes past which the input is refused (:class:`parscore.Limits`; None: the
            process default, :func:`parscore.limits.default_limits`): the file's bytes
            (checked before reading), rows, columns, characters of a cell, and for ``.xlsx``
            the decompressed size and the shared strings (checked before opening).

    Returns:
        The table, with the source row of every record.

    Raises:
        MeasurementsError: an empty file, duplicate or empty column names, no header row
            found, ragged CSV rows (each listed), text that is not UTF-8 (with the byte
            offset), an unknown sheet or format, *header_row* for a format without one.
        MissingDependencyError: when the format needs an extra that is not installed.
        FileNotFoundError: when the file does not exist.
        LimitError: when the input exceeds one of *limits*.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       CSV columns stay text; *header_row*, *progress* and *limits*; title rows above the
       header; text cells read as written (a guarding apostrophe dropped); every error of a
       parser a MeasurementsError naming the file.
    """
    lim = limits or default_limits()
    if isinstance(path_or_obj, PATHS):
        source = os.fspath(path_or_obj)
        fmt = format_of(path_or_obj, format, READ_SUFFIXES)
        _check_header_row(header_row, fmt, source)
        size = os.stat(source).st_size
        if size > lim.max_file_bytes:
            raise LimitError("max_file_bytes", lim.max_file_bytes, size, source)
        if fmt == "xlsx":
            table = read_xlsx(
                source, source, sheet=sheet, header_row=header_row, progress=progress, limits=lim
            )
            return without_numbering_row(table)
        if fmt in ("parquet", "arrow"):
            return read_arrow_file(source, source, fmt, lim)
        with open(source, "rb") as fh:
            data = fh.read()
        if fmt == "csv":
            table = read_csv(data, source, header_row=header_row, progress=progress, limits=lim)
            return without_numbering_row(table)
        return read_json(data, source, lim)
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
                path_or_obj,
                source,
                sheet=sheet,
                header_row=header_row,
                progress=progress,
                limits=lim,
            )
            return without_numbering_row(table)
        if fmt in ("parquet", "arrow"):
            return read_arrow_file(path_or_obj, source, fmt, lim)
        raw = path_or_obj.read(lim.max_file_bytes + 1)
        data = raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)
        if len(data) > lim.max_file_bytes:
            raise LimitError("max_file_bytes", lim.max_file_bytes, None, source)
        if fmt == "csv":
            table = read_csv(data, source, header_row=header_row, progress=progress, limits=lim)
            return without_numbering_row(table)
        return read_json(data, source, lim)
    _check_header_row(header_row, "data frame", None)
    return read_object(path_or_obj, lim)


def _check_header_row(header_row: int | None, fmt: str, source: str | None) -> None:
    if header_row is not None and fmt not in ("csv", "xlsx"):
        msg = f"header_row is for .xlsx and .csv files; a {fmt} has no rows above its header"
        raise fail(msg, source)


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
    limits: Limits | None = None,
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
        limits: Sizes past which the input is refused (see :func:`read_table`).

    Raises:
        MeasurementsError: listing every bad cell with its row, unit, column and value.
        LimitError: when the input exceeds one of *limits*.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       *header_row*, *progress* and *limits*.
    """
    table = read_table(
        path_or_obj,
        sheet=sheet,
        format=format,
        header_row=header_row,
        progress=progress,
        limits=limits,
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
        limits=limits,
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
    limits: Limits | None = None,
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
        limits: Sizes past which the input is refused (see :func:`read_table`).
        **score_options: Passed on to :func:`parscore.score` (``missing=``, ``ranking=``).

    Raises:
        MeasurementsError: listing every cell that cannot be read and every value a rule
            refuses, each with its row, unit, column and value.
        LimitError: when the input exceeds one of *limits*.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       *header_row*, *progress* and *limits*.
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
        limits=limits,
    )
    return score(scheme, data, source=data.source, **score_options)


# -- writing ----------------------------------------------------------------------------------

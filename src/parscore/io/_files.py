"""Shared pieces of reading and writing tables: the Table, formats by suffix, text helpers.

.. versionadded:: 0.2
"""

from __future__ import annotations

import math
import os
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import attrs

from parscore.errors import CellProblem, MeasurementsError
from parscore.typing import FloatArray

if TYPE_CHECKING:
    pass


TableFormat = Literal["csv", "xlsx", "parquet", "arrow", "json"]
"""A file format :func:`read_table` reads."""

Cells = list[object] | FloatArray
"""One column of a :class:`Table`: a list of cells, or a float64 array (NaN = empty)."""

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


def fail(message: str, source: str | None, *, row: int | None = None) -> MeasurementsError:
    return MeasurementsError([CellProblem(message=message, row=row)], source)


def nfc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


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

"""Measurement tables in, result tables out: CSV, XLSX, Parquet, Arrow, JSON and data frames.

Reading gives a :class:`Table` (column names, cells, the source's name and the source row of
every record), which :func:`read_measurements` turns into
:class:`~parscore.measurements.Measurements`. Every problem of a file is reported at once in one
:class:`~parscore.errors.MeasurementsError`, each with its row, column and value; every input row
ends up in the result or in that error.

Writing (:func:`write_result`) uses the result-table layout (docs/data.md) in every format.

openpyxl (``excel`` extra), pyarrow (``arrow``), pandas and polars are imported inside the
functions that need them; data frames are recognised through ``sys.modules``, never by importing
a library just to check.

.. versionadded:: 0.1
"""

from __future__ import annotations

from parscore.io._files import Cells, OutputFormat, Table, TableFormat
from parscore.io._read import read_measurements, read_table, score_file
from parscore.io._write import (
    SHEET_LOST,
    SHEET_RESULTS,
    SHEET_SCHEME,
    result_columns,
    result_to_json_dict,
    write_result,
)

__all__ = [
    "SHEET_LOST",
    "SHEET_RESULTS",
    "SHEET_SCHEME",
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

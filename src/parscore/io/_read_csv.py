"""Reading CSV files into a Table of text columns: pyarrow's reader when it is there, else csv.

Both paths give the same table (names, rows, cell texts): every column as text, never
converted to numbers, because only the scheme knows whether "1.234" is a count (1234) or a
rate (1.234). pyarrow gives string arrays (null = empty cell); the stdlib path gives lists of
str ("" = empty cell). Whatever the fast path cannot vouch for (ragged rows, line breaks inside
quoted cells, old Mac line ends) is read again by the stdlib path, which reports each problem
with its line.

.. versionadded:: 0.2
"""

from __future__ import annotations

import csv
import importlib
import io
import itertools
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from parscore.errors import CellProblem, MeasurementsError
from parscore.io._files import (
    DELIMITERS,
    HEADER_LOOK_BELOW,
    HEADER_SCAN,
    Cells,
    Progress,
    Table,
    check_header,
    fail,
    find_header,
    has_pyarrow,
    header_hint,
    is_empty,
    no_header,
)
from parscore.typing import IntArray

BOM = b"\xef\xbb\xbf"
#: Set to False (tests do) to read every CSV file through the stdlib path.
USE_PYARROW = True


def read_csv(
    data: bytes,
    source: str | None,
    *,
    header_row: int | None = None,
    progress: Progress | None = None,
) -> Table:
    """Read CSV bytes (UTF-8, with or without BOM; delimiter , ; or tab) into text columns.

    Args:
        data: The file's bytes.
        source: The file name, for messages.
        header_row: The line of the column names (1-based); found when None (see
            :func:`~parscore.io._files.find_header`).
        progress: Told ``(bytes read, bytes in all)``.

    Returns:
        The table; ``rows`` are the lines each record starts on.

    Raises:
        MeasurementsError: not UTF-8 (with the byte offset), empty, no header found, repeated
            or empty column names, ragged rows (each with its line).
    """
    if progress is not None:
        progress(0, len(data))
    body = utf8_bytes(data, source)
    if not body.strip():
        raise fail("the file is empty: expected a header row and one row per unit", source)
    table = None
    if USE_PYARROW and has_pyarrow():
        table = _read_arrow(body, source, header_row)
    if table is None:
        table = _read_stdlib(body.decode("utf-8"), source, header_row)
    if progress is not None:
        progress(len(data), len(data))
    return table


def utf8_bytes(data: bytes, source: str | None) -> bytes:
    """The text as NFC-normalised UTF-8 bytes without BOM; decoded only when not ASCII."""
    skip = len(BOM) if data.startswith(BOM) else 0
    body = data[skip:]
    if body.isascii():
        return body
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + skip
        line = data[:offset].count(b"\n") + 1
        msg = (
            f"the file is not UTF-8 text: byte 0x{data[offset]:02x} at offset {offset} (line "
            f"{line}) cannot be read (an old Vietnamese encoding such as Windows-1258 or TCVN3?);"
            ' save it as UTF-8 (in Excel: Save As › "CSV UTF-8 (Comma delimited)") and retry'
        )
        raise fail(msg, source, row=line) from None
    if unicodedata.is_normalized("NFC", text):
        return body
    return unicodedata.normalize("NFC", text).encode("utf-8")


def _sniff_delimiter(lines: Sequence[str]) -> str:
    """The delimiter among , ; and tab that splits one of the first lines into most fields.

    The first 5 non-blank lines are looked at, so that title lines above the header ("UBND
    TỈNH …", with no delimiter or a comma in the text) do not decide.
    """
    first = [line for line in lines if line.strip()][:5]
    counts = {
        d: max((len(next(csv.reader([line], delimiter=d), [])) for line in first), default=0)
        for d in DELIMITERS
    }
    best = max(DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] > 1 else ","


def _is_blank(record: Sequence[str]) -> bool:
    return all(not c.strip() for c in record)


def _pick_header(
    records: Sequence[Sequence[str]],
    lines: Sequence[int],
    source: str | None,
    header_row: int | None,
) -> int:
    """The position of the header among the leading non-blank *records* starting at *lines*."""
    if header_row is not None:
        if header_row in lines:
            return lines.index(header_row)
        msg = f"line {header_row} (header_row) is blank or inside another record"
        raise fail(msg, source, row=header_row)
    found = find_header(records)
    if found is not None:
        return found
    if len(records) == 1:
        raise fail("the file has a header but no rows of units", source)
    raise no_header(source, len(records), what="file")


def _finish(
    header: list[str],
    columns: list[Cells],
    rows: tuple[int, ...],
    header_line: int,
    source: str | None,
    *,
    found: bool,
    ragged: list[CellProblem],
) -> Table:
    """Drop unnamed empty columns, check the header, build the table."""
    keep = [j for j, name in enumerate(header) if name or not _all_empty(columns[j])]
    names = [header[j] for j in keep]
    problems = check_header(names, row=header_line) + ragged
    if problems:
        if found and len(problems) > len(ragged):
            problems.append(header_hint(header_line))
        raise MeasurementsError(problems, source)
    if not rows:
        raise fail("the file has a header but no rows of units", source)
    cells = tuple(columns[j] for j in keep)
    return Table(columns=tuple(names), cells=cells, source=source, rows=rows)


def _all_empty(column: Cells) -> bool:
    if isinstance(column, np.ndarray):
        return column.dtype.kind == "f" and bool(np.isnan(column).all())
    if isinstance(column, list):
        return all(is_empty(c) for c in column)
    return column.null_count == len(column) or all(is_empty(c) for c in column.to_pylist())


# -- the stdlib path ---------------------------------------------------------------------------


def _lines(text: str) -> Iterator[str]:
    """The non-blank lines of *text*, lazily."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end]
        if line.strip():
            yield line
        start = end + 1


def _read_stdlib(text: str, source: str | None, header_row: int | None) -> Table:
    delimiter = _sniff_delimiter(list(itertools.islice(_lines(text), 5)))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[list[str]] = []
    starts: list[int] = []
    line = 0
    try:
        for record in reader:
            start, line = line + 1, reader.line_num
            if record and not _is_blank(record):  # a blank line holds no unit
                records.append(record)
                starts.append(start)
    except csv.Error as exc:
        raise fail(f"cannot read the CSV text: {exc}", source, row=reader.line_num) from None
    h = _pick_header(records[: HEADER_SCAN + HEADER_LOOK_BELOW], starts, source, header_row)
    header = [c.strip() for c in records[h]]
    width = len(header)
    kept: list[list[str]] = []
    rows: list[int] = []
    ragged: list[CellProblem] = []
    for record, start in zip(records[h + 1 :], starts[h + 1 :], strict=True):
        if len(record) != width:
            # a trailing delimiter on some lines only: empty extra cells are harmless
            if len(record) > width and _is_blank(record[width:]):
                record = record[:width]  # noqa: PLW2901 - the same record, trimmed
            else:
                msg = (
                    f"the row has {len(record)} cells but the header has {width} "
                    f"columns (delimiter {delimiter!r}); check for an unquoted "
                    f"{delimiter!r} inside a cell"
                )
                ragged.append(CellProblem(message=msg, row=start))
                continue
        kept.append(record)
        rows.append(start)
    columns: list[Cells] = (
        [list(col) for col in zip(*kept, strict=True)] if kept else [[] for _ in header]
    )
    return _finish(
        header,
        columns,
        tuple(rows),
        starts[h],
        source,
        found=header_row is None,
        ragged=ragged,
    )


# -- the pyarrow path --------------------------------------------------------------------------


def _read_arrow(body: bytes, source: str | None, header_row: int | None) -> Table | None:
    """The table read by pyarrow, or None when the stdlib path must read the file."""
    buf = np.frombuffer(body, dtype=np.uint8)
    ends = np.flatnonzero(buf == ord("\n"))
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [len(body)]))
    size = stops - starts
    # a "\r\n" line end leaves "\r" before the "\n"; pyarrow skips lines holding nothing else
    has_cr = np.zeros(len(size), dtype=bool)
    has_cr[size > 0] = buf[stops[size > 0] - 1] == ord("\r")
    filled_idx: IntArray = np.flatnonzero(size - has_cr > 0)
    if b"\r" in body and int(np.count_nonzero(buf == ord("\r"))) != int(has_cr.sum()):
        return None  # a "\r" that ends no line (old Mac files) or sits inside a cell
    if b'"' in body:
        quotes = np.flatnonzero(buf == ord('"'))
        per_line = np.searchsorted(quotes, stops) - np.searchsorted(quotes, starts)
        if np.any(per_line % 2):
            return None  # a quoted cell spans lines: the stdlib path numbers them right
    scan = filled_idx[: 2 * (HEADER_SCAN + HEADER_LOOK_BELOW)].tolist()
    texts = [body[starts[i] : stops[i]].decode("utf-8") for i in scan]
    delimiter = _sniff_delimiter(texts)
    leading: list[list[str]] = []
    leading_idx: list[int] = []
    for i, line in zip(scan, texts, strict=True):
        record = next(csv.reader([line], delimiter=delimiter), [])
        if not _is_blank(record):
            leading.append(record)
            leading_idx.append(i)
        if len(leading) == HEADER_SCAN + HEADER_LOOK_BELOW:
            break
    if not leading:  # pragma: no cover - the body is not blank, so a line holds something
        return None
    lines = [i + 1 for i in leading_idx]
    if header_row is not None and header_row not in lines:
        return None  # far down, blank or inside a record: the stdlib path looks and says
    h = _pick_header(leading, lines, source, header_row)
    header_idx = leading_idx[h]
    header = [c.strip() for c in leading[h]]
    data_idx = filled_idx[filled_idx > header_idx]
    columns, keep_mask = _arrow_columns(body[stops[header_idx] + 1 :], len(header), delimiter)
    if columns is None or len(keep_mask) != len(data_idx):
        return None
    rows = tuple((data_idx[keep_mask] + 1).tolist())
    return _finish(
        header,
        columns,
        rows,
        header_idx + 1,
        source,
        found=header_row is None,
        ragged=[],
    )


def _arrow_columns(
    data: bytes, width: int, delimiter: str
) -> tuple[list[Cells] | None, np.ndarray[Any, np.dtype[np.bool_]]]:
    """String columns of *data* without its all-blank rows, and which parsed rows were kept."""
    pa = importlib.import_module("pyarrow")
    pc = importlib.import_module("pyarrow.compute")
    pacsv = importlib.import_module("pyarrow.csv")
    names = [f"c{j}" for j in range(width)]
    try:
        table = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, ignore_empty_lines=True),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                null_values=[""],  # only an empty cell is empty: "n/a", "NA" stay text
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
    except pa.ArrowInvalid:
        return None, np.zeros(0, dtype=bool)
    # a row whose cells are all blank (",,,") holds no unit, as in the stdlib path
    blank = None
    for j in range(width):
        col = table.column(j)
        empty = pc.fill_null(pc.equal(pc.utf8_trim_whitespace(col), ""), fill_value=True)
        blank = empty if blank is None else pc.and_(blank, empty)
        if not pc.any(blank).as_py():
            break
    keep = np.ones(table.num_rows, dtype=bool)
    if blank is not None and pc.any(blank).as_py():
        keep = ~np.asarray(blank.to_numpy(zero_copy_only=False), dtype=bool)
        table = table.filter(pa.array(keep))
    columns: list[Cells] = [table.column(j).combine_chunks() for j in range(width)]
    return columns, keep

"""Reading CSV files into a Table of text columns: pyarrow's reader when it is there, else csv.

Both paths give the same table (names, rows, cell texts): every column as text, never
converted to numbers, because only the scheme knows whether "1.234" is a count (1234) or a
rate (1.234). pyarrow gives string arrays (null = empty cell); the stdlib path gives string
arrays too when pyarrow is installed, lists of str without it ("" = empty cell). Whatever the
fast path cannot vouch for (ragged rows, line breaks inside quoted cells, old Mac line ends) is
read again by the stdlib path, which reports each problem with its line.

Memory: neither path holds the text as Python strings per cell for long. pyarrow reads a
slice of the file's bytes (no copy); the stdlib path decodes a line at a time and turns each
batch of records into columns. Peak memory reading a 50 MB file: about 4x its size either way
(with pyarrow installed; without it the stdlib path keeps lists of str, about 18x).

.. versionadded:: 0.2
"""

from __future__ import annotations

import csv
import importlib
import itertools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from parscore.errors import CellProblem, LimitError, MeasurementsError
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
from parscore.io._formula import as_written
from parscore.limits import Limits, default_limits
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
    limits: Limits | None = None,
) -> Table:
    """Read CSV bytes (UTF-8, with or without BOM; delimiter , ; or tab) into text columns.

    Args:
        data: The file's bytes.
        source: The file name, for messages.
        header_row: The line of the column names (1-based); found when None (see
            :func:`~parscore.io._files.find_header`).
        progress: Told ``(bytes read, bytes in all)``.
        limits: The limits in force (None: :func:`parscore.limits.default_limits`): rows,
            columns and characters of a cell (the header's included).

    Returns:
        The table; ``rows`` are the lines each record starts on. Text cells are read as
        written (:func:`parscore.io._formula.as_written`).

    Raises:
        MeasurementsError: not UTF-8 (with the byte offset), empty, no header found, repeated
            or empty column names, ragged rows (each with its line), text the csv module
            cannot read (with the line).
        LimitError: a limit exceeded.
    """
    lim = limits or default_limits()
    if progress is not None:
        progress(0, len(data))
    body = utf8_bytes(data, source)
    if not body or body.isspace():
        raise fail("the file is empty: expected a header row and one row per unit", source)
    _allow_cells(lim.max_cell_chars)
    table = None
    if USE_PYARROW and has_pyarrow():
        table = _read_arrow(body, source, header_row, lim)
    if table is None:
        table = _read_stdlib(body, source, header_row, lim)
    if progress is not None:
        progress(len(data), len(data))
    return table


def _allow_cells(chars: int) -> None:
    """Let the csv module read cells of *chars* characters (its default stops at 128 KiB).

    csv's limit is process-wide: it is only ever raised, never lowered, and cells past
    ``max_cell_chars`` are refused here, not by csv.
    """
    if csv.field_size_limit() < chars + 1:
        csv.field_size_limit(chars + 1)


def _csv_failure(exc: csv.Error, source: str | None, line: int, lim: Limits) -> Exception:
    if "field larger than field limit" in str(exc):
        return LimitError("max_cell_chars", lim.max_cell_chars, None, f"{source}, line {line}")
    return fail(f"cannot read the CSV text: {exc}", source, row=line)


def _check_record(record: Sequence[str], lim: Limits, source: str | None, line: int) -> None:
    """Refuse a record wider than ``max_columns`` or with a cell past ``max_cell_chars``."""
    if len(record) > lim.max_columns:
        raise LimitError("max_columns", lim.max_columns, len(record), f"{source}, line {line}")
    longest = max(map(len, record), default=0)
    if longest > lim.max_cell_chars:
        where = f"{source}, line {line}"
        raise LimitError("max_cell_chars", lim.max_cell_chars, longest, where)


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
    counts = {d: max((_fields(line, d) for line in first), default=0) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] > 1 else ","


def _fields(line: str, delimiter: str) -> int:
    """The fields *delimiter* splits *line* into; 1 when it leaves a cell past csv's limit.

    A wide header split by the wrong delimiter is one cell of the whole line: csv refuses it
    (its field limit is ``max_cell_chars``), which says nothing about the right delimiter.
    """
    try:
        return len(next(csv.reader([line], delimiter=delimiter), []))
    except csv.Error:
        return 1


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


def _read_stdlib(body: bytes, source: str | None, header_row: int | None, lim: Limits) -> Table:
    """The table read by the csv module, a batch of records at a time.

    Until the header is known (the first ``HEADER_SCAN + HEADER_LOOK_BELOW`` records, or the
    line *header_row*) records are kept as lists; after it, every batch of records becomes
    columns at once (Arrow string arrays when pyarrow is installed), so that a large file is
    never held as a list of lists of Python strings.
    """
    try:
        filled = (line for line in _text_lines(body) if line.strip())
        delimiter = _sniff_delimiter(list(itertools.islice(filled, 5)))
    except csv.Error as exc:
        raise _csv_failure(exc, source, 1, lim) from None
    reader = csv.reader(_text_lines(body), delimiter=delimiter)
    lead: list[list[str]] = []
    starts: list[int] = []
    rows: _Rows | None = None
    line = 0
    most = lim.max_rows + HEADER_SCAN + HEADER_LOOK_BELOW  # title rows and the header too
    count = 0
    try:
        for record in reader:
            start, line = line + 1, reader.line_num
            if not record or _is_blank(record):  # a blank line holds no unit
                continue
            _check_record(record, lim, source, start)
            count += 1
            if count > most:
                raise LimitError("max_rows", lim.max_rows, count, source)
            if rows is not None:
                rows.add(record, start)
                continue
            lead.append(record)
            starts.append(start)
            if (header_row is None and len(lead) == HEADER_SCAN + HEADER_LOOK_BELOW) or (
                header_row is not None and start >= header_row
            ):
                rows = _Rows(lead, starts, source, header_row, delimiter)
    except csv.Error as exc:
        raise _csv_failure(exc, source, reader.line_num, lim) from None
    if rows is None:
        rows = _Rows(lead, starts, source, header_row, delimiter)
    if len(rows.rows) + len(rows.ragged) > lim.max_rows:
        raise LimitError("max_rows", lim.max_rows, len(rows.rows), source)
    return _finish(
        rows.header,
        rows.columns(),
        tuple(rows.rows),
        rows.header_line,
        source,
        found=header_row is None,
        ragged=rows.ragged,
    )


_BATCH_CELLS = 1 << 18  # cells turned into columns at once
_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _text_lines(body: bytes) -> Iterator[str]:
    """The lines of UTF-8 *body* with their ends, as ``io.StringIO(text, newline="")`` gives.

    Lazily, a line decoded at a time: neither the whole text nor a StringIO (4 bytes a
    character) is ever held.
    """
    return (m.group().decode("utf-8") for m in _LINE.finditer(body))


class _Rows:
    """The records after the header, gathered into columns a batch at a time."""

    def __init__(
        self,
        lead: list[list[str]],
        starts: list[int],
        source: str | None,
        header_row: int | None,
        delimiter: str,
    ) -> None:
        scan = lead if header_row is not None else lead[: HEADER_SCAN + HEADER_LOOK_BELOW]
        h = _pick_header(scan, starts, source, header_row)
        self.header = [as_written(c.strip()) for c in lead[h]]
        self.header_line = starts[h]
        self.width = len(self.header)
        self.delimiter = delimiter
        self.rows: list[int] = []
        self.ragged: list[CellProblem] = []
        self.batch: list[Sequence[str]] = []
        self.chunks: list[list[Any]] = [[] for _ in self.header]
        self.pa = importlib.import_module("pyarrow") if has_pyarrow() else None
        for record, start in zip(lead[h + 1 :], starts[h + 1 :], strict=True):
            self.add(record, start)
        lead.clear()

    def add(self, record: list[str], start: int) -> None:
        width = self.width
        if len(record) != width:
            # a trailing delimiter on some lines only: empty extra cells are harmless
            if len(record) > width and _is_blank(record[width:]):
                record = record[:width]
            else:
                d = self.delimiter
                msg = (
                    f"the row has {len(record)} cells but the header has {width} columns "
                    f"(delimiter {d!r}); check for an unquoted {d!r} inside a cell"
                )
                self.ragged.append(CellProblem(message=msg, row=start))
                return
        self.batch.append(record)
        self.rows.append(start)
        if len(self.batch) * width >= _BATCH_CELLS:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        pa = self.pa
        for chunks, col in zip(self.chunks, zip(*self.batch, strict=True), strict=True):
            cells = _as_written(col)
            chunks.append(cells if pa is None else pa.array(cells, type=pa.string()))
        self.batch = []

    def columns(self) -> list[Cells]:
        self.flush()
        if self.pa is None:
            return [list(itertools.chain.from_iterable(chunks)) for chunks in self.chunks]
        pa = self.pa
        return [pa.chunked_array(chunks, type=pa.string()) for chunks in self.chunks]


def _as_written(cells: Sequence[str]) -> list[object]:
    """The cells of a column as written: a guarding apostrophe dropped (see _formula)."""
    return [as_written(c) if c[:1] == "'" else c for c in cells]


# -- the pyarrow path --------------------------------------------------------------------------


def _read_arrow(
    body: bytes, source: str | None, header_row: int | None, lim: Limits
) -> Table | None:
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
    leading: list[list[str]] = []
    leading_idx: list[int] = []
    try:
        delimiter = _sniff_delimiter(texts)
        for i, line in zip(scan, texts, strict=True):
            record = next(csv.reader([line], delimiter=delimiter), [])
            if not _is_blank(record):
                _check_record(record, lim, source, i + 1)
                leading.append(record)
                leading_idx.append(i)
            if len(leading) == HEADER_SCAN + HEADER_LOOK_BELOW:
                break
    except csv.Error as exc:
        raise _csv_failure(exc, source, scan[len(leading)] + 1, lim) from None
    if not leading:  # pragma: no cover - the body is not blank, so a line holds something
        return None
    lines = [i + 1 for i in leading_idx]
    if header_row is not None and header_row not in lines:
        return None  # far down, blank or inside a record: the stdlib path looks and says
    h = _pick_header(leading, lines, source, header_row)
    header_idx = leading_idx[h]
    header = [as_written(c.strip()) for c in leading[h]]
    data_idx = filled_idx[filled_idx > header_idx]
    if len(data_idx) > lim.max_rows:
        raise LimitError("max_rows", lim.max_rows, len(data_idx), source)
    del buf, ends, starts, size, has_cr
    columns, keep_mask = _arrow_columns(body, int(stops[header_idx]) + 1, len(header), delimiter)
    if columns is None or len(keep_mask) != len(data_idx):
        return None
    _check_arrow_chars(columns, data_idx[keep_mask], lim, source)
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


def _check_arrow_chars(
    columns: list[Cells], lines: IntArray, lim: Limits, source: str | None
) -> None:
    """Refuse a cell longer than ``max_cell_chars``, naming its line."""
    pc = importlib.import_module("pyarrow.compute")
    for col in columns:
        lengths = pc.utf8_length(col)
        longest = pc.max(lengths).as_py()
        if longest is not None and longest > lim.max_cell_chars:
            at = int(pc.index(lengths, longest).as_py())
            where = f"{source}, line {int(lines[at]) + 1}"
            raise LimitError("max_cell_chars", lim.max_cell_chars, longest, where)


def _arrow_as_written(col: Any) -> Any:
    """*col* with the apostrophe guarding a formula start dropped (see _formula.as_written)."""
    pc = importlib.import_module("pyarrow.compute")
    if not pc.any(pc.starts_with(col, "'")).as_py():
        return col
    return pc.replace_substring_regex(col, r"^'('*[=+\-@\t\r])", r"\1", max_replacements=1)


def _arrow_columns(
    body: bytes, offset: int, width: int, delimiter: str
) -> tuple[list[Cells] | None, np.ndarray[Any, np.dtype[np.bool_]]]:
    """String columns of *body* from *offset* without all-blank rows, and which rows were kept.

    The bytes are not copied (a slice of one buffer) and columns stay in the chunks pyarrow
    parsed them in: the file and its columns are the only large things held at once.
    """
    pa = importlib.import_module("pyarrow")
    pc = importlib.import_module("pyarrow.compute")
    pacsv = importlib.import_module("pyarrow.csv")
    names = [f"c{j}" for j in range(width)]
    try:
        table = pacsv.read_csv(
            pa.py_buffer(body).slice(offset),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=False),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, ignore_empty_lines=True),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                null_values=[""],  # only an empty cell is empty: "n/a", "NA" stay text
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
    except pa.ArrowException:  # the stdlib path reads it again and says what is wrong
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
    columns: list[Cells] = [_arrow_as_written(table.column(j)) for j in range(width)]
    return columns, keep

"""Scheme tables: reading a CSV file or an XLSX sheet into a scheme."""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from parscore._format import scheme_from_dict
from parscore._optional import require
from parscore.errors import LimitError, MeasurementsError, Problem, SchemeError
from parscore.io._files import check_zip, damaged
from parscore.io._formula import as_written
from parscore.io.scheme_table._cells import (
    _PARSERS,
    _inferred_parent,
    _plain,
    _text,
)
from parscore.io.scheme_table._columns import (
    _COLUMN_OF,
    _META_KEYS,
    _RULE_COLUMNS,
    TABLE_COLUMNS,
    Cell,
    _fold,
)
from parscore.io.scheme_table._settings import (
    data_key,
    meta_key,
    misspelt,
    parse_value,
    put,
    split_key,
)
from parscore.limits import default_limits
from parscore.model import Scheme


def read_scheme_table(path: str | Path, *, sheet: str | None = None, **metadata: object) -> Scheme:
    """Read a scheme from a spreadsheet table (``.csv`` or ``.xlsx``).

    Args:
        path: The table. CSV is read as UTF-8 (a byte-order mark is fine), comma-, semicolon-
            or tab-separated; XLSX needs openpyxl (the ``excel`` extra).
        sheet: The XLSX sheet to read (default: the first).
        **metadata: Scheme metadata that override the table's header block: ``id``, ``name``,
            ``level``, ``year``, ``version``, ``legal_basis``, ``notes``, ``missing``,
            ``tiers`` (a :class:`~parscore.TierScale`, a list of tiers or the dict of the
            file format), ``rounding``, ``ranking``, ``adjustments``, ``unit_types`` (model
            objects or dicts).

    Returns:
        The validated scheme.

    Raises:
        SchemeError: listing every problem; each problem's ``line`` is the row number in the
            file and its message names the column. Also for a workbook that is damaged or no
            workbook at all (whatever openpyxl, zipfile, zlib or the XML parser raise).
        LimitError: for a workbook whose parts decompress past ``max_unzipped_bytes`` or hold
            more than ``max_shared_strings`` (the default limits), checked before it is opened.
        MissingDependencyError: for ``.xlsx`` without openpyxl.
        FileNotFoundError: when the file does not exist.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       Vietnamese headers for every column (``loại quy tắc``, ``mức`` …, with or without
       diacritics), the ``applies_to`` and ``need`` columns, and the header keys of unit
       types, tiers by type, quotas, tier caps and named adjustments; a text cell written
       with an apostrophe guarding a formula start (``'=…``, as :func:`write_scheme_table`
       writes it) is read without the apostrophe; a damaged workbook is a SchemeError, an
       oversized one a LimitError.
    """
    path = Path(path)
    rows = _read_rows(path, sheet)
    reader = _TableReader(str(path))
    data = reader.parse(rows)
    for key, value in metadata.items():
        data[key] = _plain(value)
        for row_key in [k for k in reader.meta_rows if data_key(k) == key]:
            del reader.meta_rows[row_key]  # the table's rows no longer say where it came from
    return reader.build(data)


def _read_rows(path: Path, sheet: str | None) -> list[tuple[int, list[Cell]]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return list(_csv_rows(path.read_bytes(), str(path)))
    if suffix in (".xlsx", ".xlsm"):
        return list(_xlsx_rows(path, sheet))
    msg = f"a scheme table is a .csv or .xlsx file, not {path.suffix or 'a file without suffix'!r}"
    raise SchemeError([Problem(message=msg)], str(path))


def _csv_rows(data: bytes, name: str) -> Iterator[tuple[int, list[Cell]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        msg = f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the table as CSV UTF-8"
        raise SchemeError([Problem(message=msg)], name) from None
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = next((d for d in (",", ";", "\t") if d in first), ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    for cells in reader:
        yield start, [as_written(c) if c.strip() else None for c in cells]
        start = reader.line_num + 1


def _xlsx_rows(path: Path, sheet: str | None) -> Iterator[tuple[int, list[Cell]]]:
    """The rows of a workbook's sheet; a damaged or oversized workbook is a SchemeError.

    The zip directory is checked against the default limits before openpyxl opens the file
    (as the data reader does); whatever openpyxl, zipfile, zlib or the XML parser raise, when
    opening or while rows are parsed, becomes a SchemeError naming the file (and the row).
    """
    openpyxl = require("openpyxl", "excel")
    name = str(path)
    try:
        with path.open("rb") as fh:
            check_zip(fh, name, default_limits())
    except LimitError:
        raise
    except MeasurementsError as exc:
        raise SchemeError([Problem(message=p.message) for p in exc.problems], name) from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise
    except Exception as exc:
        raise _damaged(exc, name, "open") from None
    try:
        ws = _worksheet(book, sheet, name)
        rows = iter(ws.iter_rows(values_only=True))
        number = 0
        while True:
            try:
                cells = next(rows)
            except StopIteration:
                return
            except Exception as exc:
                raise _damaged(exc, name, "read", number) from None
            number += 1
            yield number, [_xlsx_cell(c) for c in cells]
    finally:
        with contextlib.suppress(Exception):  # a damaged archive: nothing to add
            book.close()


def _worksheet(book: Any, sheet: str | None, name: str) -> Any:
    try:
        if sheet is None:
            if not book.sheetnames:
                raise SchemeError([Problem(message="the workbook has no sheets")], name)
            return book.worksheets[0]
        if sheet in book.sheetnames:
            return book[sheet]
    except SchemeError:
        raise
    except Exception as exc:
        raise _damaged(exc, name, "open") from None
    msg = f"no sheet {sheet!r}; sheets: {', '.join(book.sheetnames)}"
    raise SchemeError([Problem(message=msg)], name)


def _damaged(exc: Exception, name: str, doing: str, row: int | None = None) -> SchemeError:
    detail = damaged(exc, name, doing, row).problems[0].message
    return SchemeError([Problem(message=detail, line=row or None)], name)


def _xlsx_cell(value: object) -> Cell:
    """An XLSX cell's value: None when empty, text as written (without a formula guard)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return as_written(value) if isinstance(value, str) else value


class _TableReader:
    """Turns rows into the dict of the v1 format, remembering where each value came from."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.meta_rows: dict[str, int] = {}
        self.node_rows: dict[str, int] = {}  # JSON path of a node -> row
        self.bad_cells: set[tuple[int, str]] = set()
        self.data: dict[str, Any] = {}

    def problem(self, row: int | None, column: str | None, message: str, path: str = "$") -> None:
        if row is not None and column is not None:
            self.bad_cells.add((row, column))
        where = f'column "{column}": ' if column else ""
        self.problems.append(Problem(message=where + message, path=path, line=row))

    def parse(self, rows: list[tuple[int, list[Cell]]]) -> dict[str, Any]:
        data: dict[str, Any] = {"parscore": 1}
        header_at = None
        for i, (number, cells) in enumerate(rows):
            first = next((c for c in cells if c is not None), None)
            if first is None or _text(first).startswith("#"):
                continue
            if _COLUMN_OF.get(_fold(_text(cells[0] if cells[0] is not None else ""))) == "code":
                header_at = i
                break
            self.meta(number, cells, data)
        if header_at is None:
            self.problem(
                None,
                None,
                "no node table found: add a header row starting with 'code' (or 'mã', 'STT'), "
                "then one row per node",
            )
            return data
        number, header = rows[header_at]
        columns = self.header(number, header)
        data["nodes"] = self.nodes(rows[header_at + 1 :], columns)
        return data

    def meta(self, number: int, cells: list[Cell], data: dict[str, Any]) -> None:
        key = _text(cells[0]) if cells[0] is not None else ""
        value = cells[1] if len(cells) > 1 else None
        extra = [c for c in cells[2:] if c is not None]
        split = split_key(key)
        if split is None:
            close = [k for k in _META_KEYS if k.split(".")[0] == key.split(".")[0]]
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            self.problem(
                number,
                None,
                f"unknown key {key!r} in the header block{hint}; keys: {', '.join(_META_KEYS)}; "
                f"the node table starts at a row whose first cell is 'code'",
            )
            return
        if extra:
            self.problem(number, None, f"{key}: one value expected, found more cells {extra!r}")
        if key in self.meta_rows:
            self.problem(
                number, None, f"{key!r} is written twice (rows {self.meta_rows[key]} and {number})"
            )
            return
        self.meta_rows[key] = number
        if value is None:
            return
        pattern, found = split
        wrong = misspelt(key, found, data)
        if wrong is not None:
            self.problem(number, None, wrong)
            return
        try:
            parsed = parse_value(pattern, value)
        except (ValueError, TypeError) as exc:
            self.problem(number, None, f"{key}: {exc}")
            return
        put(data, key, pattern, found, parsed)

    def header(self, number: int, cells: list[Cell]) -> list[str | None]:
        columns: list[str | None] = []
        seen: set[str] = set()
        for cell in cells:
            if cell is None:
                columns.append(None)
                continue
            name = _text(cell)
            column = _COLUMN_OF.get(_fold(name))
            if column is None:
                self.problem(
                    number,
                    name,
                    f"unknown column; known columns: {', '.join(TABLE_COLUMNS)}",
                )
            elif column in seen:
                self.problem(number, name, f"the column {column!r} appears twice")
                column = None
            else:
                seen.add(column)
            columns.append(column)
        if "name" not in seen:
            self.problem(number, None, "the node table needs a column 'name' (or 'tên')")
        return columns

    def nodes(self, rows: list[tuple[int, list[Cell]]], columns: list[str | None]) -> list[Any]:
        top: list[dict[str, Any]] = []
        by_code: dict[str, tuple[dict[str, Any], str]] = {}  # code -> (node dict, its path)
        table = [
            (number, {c: v for c, v in zip(columns, cells, strict=False) if c and v is not None})
            for number, cells in rows
            if any(c is not None for c in cells)
        ]
        table = [(n, r) for n, r in table if not _text(r.get("code", "")).startswith("#")]
        codes = {_text(r["code"]) for _, r in table if "code" in r}
        explicit = "parent" in columns
        for number, row in table:
            if "code" not in row:
                self.problem(number, "code", "every node needs a code (e.g. 1, 1.2, 1.2.3)")
                continue
            code = _text(row["code"])
            if explicit:
                parent = _text(row["parent"]) if "parent" in row else None
            else:  # a dotted code without a parent row is a top-level node
                parent = _inferred_parent(code, codes)
            if parent is None:
                siblings, path = top, f"$.nodes[{len(top)}]"
            elif parent in by_code:
                parent_node, parent_path = by_code[parent]
                siblings = parent_node.setdefault("children", [])
                path = f"{parent_path}.children[{len(siblings)}]"
            else:
                where = "has no row" if parent not in codes else "comes after this row"
                self.problem(
                    number,
                    "parent" if explicit else "code",
                    f"the parent {parent!r} of {code!r} {where}; a parent's row comes first",
                )
                continue
            node = self.node(number, code, row, path)
            siblings.append(node)
            if code in by_code:
                self.problem(number, "code", f"the code {code!r} is used twice")
            else:
                by_code[code] = (node, path)
            self.node_rows[path] = number
        return top

    def node(self, number: int, code: str, row: dict[str, Cell], path: str) -> dict[str, Any]:
        node: dict[str, Any] = {"id": code}
        for column in ("name", "legal_basis", "missing"):
            if column in row:
                node[column] = _text(row[column])
        if "max" in row:
            self.cell(number, row=row, column="max", target=node, key="max", path=path)
        if "applies_to" in row:
            self.cell(
                number, row=row, column="applies_to", target=node, key="applies_to", path=path
            )
        rule: dict[str, Any] = {}
        if "params" in row:
            self.cell(number, row=row, column="params", target=rule, key=None, path=path)
        for column in _RULE_COLUMNS:
            if column in row:
                if column in ("when_empty", "over"):
                    rule[column] = _text(row[column])
                else:
                    self.cell(number, row=row, column=column, target=rule, key=column, path=path)
        if "kind" in row:
            node["rule"] = {"kind": _text(row["kind"]), **rule}
        elif rule:
            self.problem(number, "kind", "rule parameters are given but no kind", path)
        return node

    def cell(
        self,
        number: int,
        *,
        row: dict[str, Cell],
        column: str,
        target: dict[Any, Any],
        key: str | None,
        path: str,
    ) -> None:
        try:
            value = _PARSERS[column](row[column])
        except (ValueError, TypeError) as exc:
            self.problem(number, column, str(exc), path)
            return
        if key is None:
            target.update(value)
        else:
            target[key] = value

    # -- validation, with rows and columns -------------------------------------------------------

    def build(self, data: dict[str, Any]) -> Scheme:
        self.data = data
        try:
            scheme = scheme_from_dict(data)
        except SchemeError as exc:
            located = [self.locate(p) for p in exc.problems]
            found = [p for p in located if p is not None]
            raise type(exc)([*self.problems, *found], self.source) from None
        if self.problems:
            raise SchemeError(self.problems, self.source)
        return scheme

    def locate(self, problem: Problem) -> Problem | None:
        """Add the row and column of a problem found by validation (None: already reported)."""
        path = problem.path
        nodes = [p for p in self.node_rows if path == p or path.startswith((p + ".", p + "["))]
        if nodes:
            node_path = max(nodes, key=len)
            row = self.node_rows[node_path]
            column = _column_of(path[len(node_path) :])
            if (row, column) in self.bad_cells:
                return None
            message = f'column "{column}": {problem.message}'
            return attrs.evolve(problem, message=message, line=row)
        key = meta_key(path, self.data)
        if key is None:
            return problem
        message = f"{key}: {problem.message}"
        return attrs.evolve(problem, message=message, line=self._row_of(key))

    def _row_of(self, key: str) -> int | None:
        """The row of header key *key*, else of the key it belongs to (``cap:x`` for ``.node``)."""
        while key not in self.meta_rows and "." in key:
            key = key.rsplit(".", 1)[0]
        if key in self.meta_rows:
            return self.meta_rows[key]
        rows = [row for k, row in self.meta_rows.items() if k.startswith(key + ".")]
        return min(rows, default=None)


def _column_of(rest: str) -> str:
    """The table column of a path relative to its node (``.rule.bands[0].points`` → bands)."""
    if rest.startswith(".rule"):
        sub = rest[len(".rule") :]
        key = re.split(r"[.\[]", sub.lstrip("."), maxsplit=1)[0] if sub else "kind"
        return key if key in (*_RULE_COLUMNS, "kind") else "params"
    key = re.split(r"[.\[]", rest.lstrip("."), maxsplit=1)[0]
    return {"id": "code", "children": "code", "": "code"}.get(key, key)

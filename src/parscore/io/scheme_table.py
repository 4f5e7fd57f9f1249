"""Schemes as spreadsheet tables: one row per node, hierarchical codes, rule columns.

Officials keep criteria sets as tables (STT / code, name, max points, how to score). A scheme
table is a CSV file or an XLSX sheet laid out as:

* an optional **header block** of ``key | value`` rows with the scheme's metadata (``id``,
  ``name``, ``level``, ``year``, ``tiers`` …), then
* the **node table**: a header row whose first cell is ``code`` (or ``mã``, ``STT``), then one
  row per node in depth-first order. The parent of ``1.2.3`` is ``1.2`` (from the code), unless
  the table has a ``parent`` column, which then decides for every row (empty = top level).

Rule parameters are written in named columns (``kind``, ``inputs``, ``options``, ``bands``,
``otherwise``, ``per``, ``floor``, ``when_empty``, ``over``, ``clip``) with a small text syntax
(``kip_thoi=1; khong_kip_thoi=0,5``, ``gt 90: 2; ge 70 le 90: 1``); anything else goes in the
``params`` column as a JSON/YAML mapping. See ``docs/scheme-format.md``, "Schemes as
spreadsheet tables". The table is converted to the plain dict of the v1 format and validated by
:func:`~parscore.io.scheme_from_dict`, so a table means exactly what the same YAML file means.

.. versionadded:: 0.1
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from parscore._converter import converter, scheme_from_dict, scheme_to_dict
from parscore._optional import require
from parscore.errors import Problem, SchemeError
from parscore.model import Scheme

__all__ = ["TABLE_COLUMNS", "read_scheme_table", "write_scheme_table"]

TABLE_COLUMNS = (
    "code",
    "name",
    "max",
    "kind",
    "inputs",
    "options",
    "bands",
    "otherwise",
    "per",
    "floor",
    "when_empty",
    "over",
    "clip",
    "params",
    "legal_basis",
    "missing",
    "parent",
)
"""The columns of the node table, in the order :func:`write_scheme_table` writes them."""

_ALIASES = {
    "code": ("code", "mã", "mã số", "mã tiêu chí", "stt"),
    "name": ("name", "tên", "tên tiêu chí", "tiêu chí", "nội dung"),
    "max": ("max", "điểm tối đa", "điểm"),
    "legal_basis": ("legal_basis", "căn cứ", "căn cứ pháp lý"),
    "parent": ("parent", "cha", "mã cha"),
}
_COLUMN_OF = {
    unicodedata.normalize("NFC", alias).casefold(): column
    for column in TABLE_COLUMNS
    for alias in _ALIASES.get(column, (column,))
}
_RULE_COLUMNS = (
    "inputs",
    "options",
    "bands",
    "otherwise",
    "per",
    "floor",
    "when_empty",
    "over",
    "clip",
)
_NUMBER_COLUMNS = ("max", "otherwise", "per", "floor")

_META_KEYS = (
    "parscore",
    "id",
    "name",
    "level",
    "year",
    "version",
    "legal_basis",
    "notes",
    "missing",
    "tiers",
    "tiers.basis",
    "rounding.decimals",
    "rounding.where",
    "ranking.by",
    "ranking.method",
    "ranking.tie_break",
    "bonus",
    "bonus.name",
    "penalty",
    "penalty.name",
)
"""Keys of the header block, in the order they are written."""

_BOUND_WORDS = {
    "gt": "gt",
    ">": "gt",
    "trên": "gt",
    "ge": "ge",
    ">=": "ge",
    "≥": "ge",
    "từ": "ge",
    "lt": "lt",
    "<": "lt",
    "dưới": "lt",
    "le": "le",
    "<=": "le",
    "≤": "le",
    "đến": "le",
}
_NUMBER = r"[-+]?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?"
_BOUND = re.compile(rf"\s*(>=|<=|≥|≤|>|<|gt|ge|lt|le|trên|từ|dưới|đến)\s*({_NUMBER})\s*", re.I)
_TRUE = ("true", "yes", "1", "có", "x", "đúng")
_FALSE = ("false", "no", "0", "không", "sai")

Cell = object
"""A cell as read: ``None`` (empty), text, a number or a bool (XLSX)."""


# -- reading ------------------------------------------------------------------------------------


def read_scheme_table(path: str | Path, *, sheet: str | None = None, **metadata: object) -> Scheme:
    """Read a scheme from a spreadsheet table (``.csv`` or ``.xlsx``).

    Args:
        path: The table. CSV is read as UTF-8 (a byte-order mark is fine), comma-, semicolon-
            or tab-separated; XLSX needs openpyxl (the ``excel`` extra).
        sheet: The XLSX sheet to read (default: the first).
        **metadata: Scheme metadata that override the table's header block: ``id``, ``name``,
            ``level``, ``year``, ``version``, ``legal_basis``, ``notes``, ``missing``,
            ``tiers`` (a :class:`~parscore.TierScale`, a list of tiers or the dict of the
            file format), ``rounding``, ``ranking``, ``adjustments`` (model objects or dicts).

    Returns:
        The validated scheme.

    Raises:
        SchemeError: listing every problem; each problem's ``line`` is the row number in the
            file and its message names the column.
        MissingDependencyError: for ``.xlsx`` without openpyxl.
        FileNotFoundError: when the file does not exist.

    .. versionadded:: 0.1
    """
    path = Path(path)
    rows = _read_rows(path, sheet)
    reader = _TableReader(str(path))
    data = reader.parse(rows)
    for key, value in metadata.items():
        data[key] = _plain(value)
        reader.meta_rows.pop(key, None)
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
        yield start, [c if c.strip() else None for c in cells]
        start = reader.line_num + 1


def _xlsx_rows(path: Path, sheet: str | None) -> Iterator[tuple[int, list[Cell]]]:
    openpyxl = require("openpyxl", "excel")
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet is None:
            ws = book.worksheets[0]
        elif sheet in book.sheetnames:
            ws = book[sheet]
        else:
            msg = f"no sheet {sheet!r}; sheets: {', '.join(book.sheetnames)}"
            raise SchemeError([Problem(message=msg)], str(path))
        for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
            yield (
                number,
                [None if c is None or (isinstance(c, str) and not c.strip()) else c for c in cells],
            )
    finally:
        book.close()


def _text(cell: Cell) -> str:
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return unicodedata.normalize("NFC", str(cell)).strip()


def _number(cell: Cell) -> int | float:
    if isinstance(cell, bool):
        msg = f"expected a number, found {cell!r}"
        raise ValueError(msg)
    if isinstance(cell, int | float):
        if isinstance(cell, float) and not math.isfinite(cell):
            msg = f"expected a finite number, found {cell!r}"
            raise ValueError(msg)
        return cell
    text = _text(cell)
    if not re.fullmatch(_NUMBER, text):
        msg = f"expected a number (e.g. 2 or 0,5), found {text!r}"
        raise ValueError(msg)
    text = text.replace(",", ".")
    try:
        return int(text)
    except ValueError:
        return float(text)


def _whole(cell: Cell) -> int:
    value = _number(cell)
    if isinstance(value, float):
        if not value.is_integer():
            msg = f"expected a whole number, found {value!r}"
            raise ValueError(msg)
        return int(value)
    return value


def _bool(cell: Cell) -> bool:
    if isinstance(cell, bool):
        return cell
    text = _text(cell).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    msg = f"expected true or false (có/không), found {text!r}"
    raise ValueError(msg)


def _items(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _pair(item: str, what: str) -> tuple[str, int | float]:
    sep = "=" if "=" in item else ":"
    if sep not in item:
        msg = f"expected 'name{'='}number' in {what}, found {item!r}"
        raise ValueError(msg)
    name, value = item.rsplit(sep, 1)
    return name.strip(), _number(value.strip())


def _named_values(cell: Cell) -> dict[str, int | float]:
    out: dict[str, int | float] = {}
    for item in _items(_text(cell)):
        name, value = _pair(item, "options")
        if name in out:
            msg = f"option {name!r} is written twice"
            raise ValueError(msg)
        out[name] = value
    if not out:
        msg = "expected options such as 'kip_thoi=1; khong_kip_thoi=0,5'"
        raise ValueError(msg)
    return out


def _inputs(cell: Cell) -> list[str]:
    text = _text(cell)
    parts = [p.strip() for p in re.split(r"[;,]", text) if p.strip()]
    if not parts:
        msg = "expected input names separated by ';'"
        raise ValueError(msg)
    return parts


def _bands(cell: Cell) -> list[dict[str, int | float]]:
    out: list[dict[str, int | float]] = []
    for item in _items(_text(cell)):
        if ":" not in item:
            msg = f"expected 'bounds: points' such as 'ge 70 le 90: 1', found {item!r}"
            raise ValueError(msg)
        bounds, points = item.rsplit(":", 1)
        band: dict[str, int | float] = {}
        rest = bounds.strip()
        while rest:
            found = _BOUND.match(rest)
            if found is None:
                msg = (
                    f"cannot read the bounds {bounds.strip()!r}; write e.g. 'gt 90' or "
                    f"'ge 70 le 90'"
                )
                raise ValueError(msg)
            key = _BOUND_WORDS[found[1].casefold()]
            if key in band:
                msg = f"the bound {key} is written twice in {bounds.strip()!r}"
                raise ValueError(msg)
            band[key] = _number(found[2])
            rest = rest[found.end() :]
        band["points"] = _number(points.strip())
        out.append(band)
    if not out:
        msg = "expected bands such as 'gt 90: 2; ge 70 le 90: 1'"
        raise ValueError(msg)
    return out


def _params(cell: Cell) -> dict[str, Any]:
    import yaml

    text = _text(cell)
    try:
        value = yaml.safe_load(text if text.startswith("{") else "{" + text + "}")
    except yaml.YAMLError as exc:
        msg = f"expected a mapping such as {{items: {{a: 1, b: 2}}}}: {exc}"
        raise ValueError(msg) from None
    if not isinstance(value, dict):
        msg = f"expected a mapping such as {{items: {{a: 1, b: 2}}}}, found {text!r}"
        raise ValueError(msg)
    return value


def _tiers(cell: Cell) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for item in _items(_text(cell)):
        name, value = _pair(item, "tiers")
        out.append({"name": name, "min": value})
    if not out:
        msg = "expected tiers such as 'Tốt: 80; Khá: 70; Trung bình: 50; Yếu: 0'"
        raise ValueError(msg)
    return out


_PARSERS: dict[str, Any] = {
    "max": _number,
    "otherwise": _number,
    "per": _number,
    "floor": _number,
    "inputs": _inputs,
    "options": _named_values,
    "bands": _bands,
    "clip": _bool,
    "params": _params,
}
_META_PARSERS: dict[str, Any] = {
    "parscore": _whole,
    "year": _whole,
    "rounding.decimals": _whole,
    "tiers": _tiers,
    "ranking.tie_break": _items,
    "bonus": _number,
    "penalty": _number,
}


def _plain(value: object) -> object:
    """A keyword argument as the plain value of the file format."""
    if attrs.has(type(value)):
        return converter.unstructure(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


class _TableReader:
    """Turns rows into the dict of the v1 format, remembering where each value came from."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.meta_rows: dict[str, int] = {}
        self.node_rows: dict[str, int] = {}  # JSON path of a node -> row
        self.bad_cells: set[tuple[int, str]] = set()

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
            if _text(cells[0] if cells[0] is not None else "").casefold() in _ALIASES["code"]:
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
        if key not in _META_KEYS:
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
        try:
            parsed = _META_PARSERS.get(key, _text)(value)
        except (ValueError, TypeError) as exc:
            self.problem(number, None, f"{key}: {exc}")
            return
        head, _, sub = key.partition(".")
        if head in ("bonus", "penalty"):
            adjustments = data.setdefault("adjustments", {})
            adjustments.setdefault(head, {})["name" if sub else "max"] = parsed
        elif head == "tiers":
            tiers = data.setdefault("tiers", {})
            tiers["basis" if sub else "scale"] = parsed
        elif sub:
            data.setdefault(head, {})[sub] = parsed
        else:
            data[key] = parsed

    def header(self, number: int, cells: list[Cell]) -> list[str | None]:
        columns: list[str | None] = []
        seen: set[str] = set()
        for cell in cells:
            if cell is None:
                columns.append(None)
                continue
            name = _text(cell)
            column = _COLUMN_OF.get(name.casefold())
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
        key = _meta_key(path)
        if key is None:
            return problem
        message = f"{key}: {problem.message}"
        return attrs.evolve(problem, message=message, line=self.meta_rows.get(key))


def _column_of(rest: str) -> str:
    """The table column of a path relative to its node (``.rule.bands[0].points`` → bands)."""
    if rest.startswith(".rule"):
        sub = rest[len(".rule") :]
        key = re.split(r"[.\[]", sub.lstrip("."), maxsplit=1)[0] if sub else "kind"
        return key if key in (*_RULE_COLUMNS, "kind") else "params"
    key = re.split(r"[.\[]", rest.lstrip("."), maxsplit=1)[0]
    return {"id": "code", "children": "code", "": "code"}.get(key, key)


def _meta_key(path: str) -> str | None:
    """The header-block key of a scheme-level path (``$.tiers.scale[1].min`` → tiers)."""
    parts = re.split(r"[.\[]", path.removeprefix("$."), maxsplit=2)
    if not parts or not parts[0] or path == "$":
        return None
    head = parts[0]
    sub = parts[1] if len(parts) > 1 else ""
    if head == "adjustments":
        return sub.rstrip("]") or None
    if head == "tiers":
        return "tiers.basis" if sub == "basis" else "tiers"
    if head in ("rounding", "ranking") and sub:
        return f"{head}.{sub}"
    return head


# -- writing ------------------------------------------------------------------------------------


def write_scheme_table(scheme: Scheme, path: str | Path) -> Path:
    """Write *scheme* as a spreadsheet table that :func:`read_scheme_table` reads back equal.

    The header block carries the scheme's metadata, then one empty row, then the node table
    with the columns of :data:`TABLE_COLUMNS` (``params`` and ``parent`` only when needed).
    CSV is written as UTF-8 with a byte-order mark (so spreadsheet programs show Vietnamese);
    XLSX (openpyxl, the ``excel`` extra) as one sheet with numbers as numbers.

    Args:
        scheme: The scheme.
        path: ``.csv`` or ``.xlsx``.

    Returns:
        The path written.

    .. versionadded:: 0.1
    """
    path = Path(path)
    rows = _table_rows(scheme)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            for cells in rows:
                writer.writerow(["" if c is None else _csv_text(c) for c in cells])
        return path
    if suffix != ".xlsx":
        msg = f"a scheme table is written as .csv or .xlsx, not {path.suffix or 'no suffix'!r}"
        raise ValueError(msg)
    openpyxl = require("openpyxl", "excel")
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Bộ chỉ số"
    for cells in rows:
        ws.append([_xlsx_value(c) for c in cells])
    header = next(i for i, cells in enumerate(rows, start=1) if cells and cells[0] == "code")
    for cell in ws[header]:
        cell.font = Font(bold=True)
    for key in range(1, header):
        ws.cell(row=key, column=1).font = Font(bold=True)
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 60
    ws.freeze_panes = ws.cell(row=header + 1, column=3)
    book.save(path)
    return path


def _xlsx_value(value: object) -> object:
    """A cell for XLSX: a float Excel cannot hold exactly (15 digits) is written as its text."""
    if isinstance(value, float) and float(f"{value:.15g}") != value:
        return repr(value)
    return value


def _csv_text(value: object) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _num(x: float) -> str:
    return repr(x) if isinstance(x, float) else str(x)


def _table_rows(scheme: Scheme) -> list[list[Any]]:
    data = scheme_to_dict(scheme)
    meta = _meta_rows(data)
    flat: list[tuple[dict[str, Any], str | None]] = []

    def walk(nodes: Sequence[dict[str, Any]], parent: str | None) -> None:
        for node in nodes:
            flat.append((node, parent))
            walk(node.get("children", ()), node["id"])

    walk(data["nodes"], None)
    codes = {node["id"] for node, _ in flat}
    need_parent = any(_inferred_parent(node["id"], codes) != parent for node, parent in flat)
    cells_of = [(_node_cells(node), parent) for node, parent in flat]
    columns = [
        c
        for c in TABLE_COLUMNS
        if c not in ("params", "parent")
        or (c == "params" and any("params" in x for x, _ in cells_of))
    ]
    if need_parent:
        columns.append("parent")
    rows: list[list[Any]] = [*meta, [], list(columns)]
    for cells, parent in cells_of:
        if need_parent:
            cells["parent"] = parent
        rows.append([cells.get(c) for c in columns])
    return rows


def _inferred_parent(code: str, codes: set[str]) -> str | None:
    """The parent a table without a ``parent`` column gives *code*: the code less its last part."""
    parent = code.rsplit(".", 1)[0] if "." in code else None
    return parent if parent in codes else None


def _meta_rows(data: dict[str, Any]) -> list[list[Any]]:
    values: dict[str, Any] = {"parscore": data["parscore"]}
    for key in ("id", "name", "level", "year", "version", "legal_basis", "notes", "missing"):
        if key in data:
            values[key] = data[key]
    scale = data["tiers"]["scale"]
    if any(";" in t["name"] or "=" in t["name"] for t in scale):
        msg = "tier names containing ';' or '=' cannot be written in a scheme table"
        raise ValueError(msg)
    values["tiers"] = "; ".join(f"{t['name']}: {_num(t['min'])}" for t in scale)
    values["tiers.basis"] = data["tiers"]["basis"]
    for head in ("rounding", "ranking"):
        for sub, value in data.get(head, {}).items():
            values[f"{head}.{sub}"] = "; ".join(value) if isinstance(value, list) else value
    for head, adjustment in data.get("adjustments", {}).items():
        values[head] = adjustment["max"]
        if "name" in adjustment:
            values[f"{head}.name"] = adjustment["name"]
    return [[key, values[key]] for key in _META_KEYS if key in values]


_SAFE_NAME = re.compile(r"[^;=:,]+")


def _node_cells(node: dict[str, Any]) -> dict[str, Any]:
    cells: dict[str, Any] = {"code": node["id"], "name": node["name"]}
    for key in ("max", "legal_basis", "missing"):
        if key in node:
            cells[key] = node[key]
    rule = node.get("rule")
    if rule is None:
        return cells
    params: dict[str, Any] = {}
    cells["kind"] = rule["kind"]
    for key, value in rule.items():
        if key == "kind":
            continue
        text = _rule_cell(key, value)
        if text is None:
            params[key] = value
        else:
            cells[key] = text
    if params:
        cells["params"] = json.dumps(params, ensure_ascii=False, separators=(", ", ": "))
    return cells


def _rule_cell(key: str, value: Any) -> Any:  # noqa: PLR0911 - one return per column syntax
    """The cell for a rule parameter in its own column, or None to put it in ``params``."""
    if key in ("otherwise", "per", "floor"):
        return value if isinstance(value, int | float) and not isinstance(value, bool) else None
    if key in ("when_empty", "over"):
        return value if isinstance(value, str) and value.strip() == value and value else None
    if key == "clip":
        return ("true" if value else "false") if isinstance(value, bool) else None
    if key == "inputs":
        if isinstance(value, list) and all(
            isinstance(v, str) and _SAFE_NAME.fullmatch(v) and v.strip() == v for v in value
        ):
            return "; ".join(value)
        return None
    if key == "options":
        if isinstance(value, dict) and all(
            isinstance(k, str)
            and "=" not in k
            and ";" not in k
            and k.strip() == k
            and k
            and isinstance(v, int | float)
            and not isinstance(v, bool)
            for k, v in value.items()
        ):
            return "; ".join(f"{k}={_num(v)}" for k, v in value.items())
        return None
    if key == "bands":
        if isinstance(value, list) and all(isinstance(b, dict) for b in value):
            parts = []
            for band in value:
                bounds = " ".join(
                    f"{k} {_num(band[k])}" for k in ("gt", "ge", "lt", "le") if k in band
                )
                parts.append(f"{bounds}: {_num(band['points'])}")
            return "; ".join(parts)
        return None
    return None

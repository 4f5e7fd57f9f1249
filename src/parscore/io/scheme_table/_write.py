"""Scheme tables: writing a scheme as a CSV file or an XLSX sheet."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from parscore._format import scheme_to_dict
from parscore._optional import require
from parscore.io._formula import inert
from parscore.io.scheme_table._cells import _inferred_parent
from parscore.io.scheme_table._columns import (
    _OPTIONAL_COLUMNS,
    TABLE_COLUMNS,
    VIETNAMESE_HEADERS,
)
from parscore.io.scheme_table._settings import meta_rows
from parscore.model import Scheme
from parscore.typing import Language


def write_scheme_table(scheme: Scheme, path: str | Path, *, lang: Language = "en") -> Path:
    """Write *scheme* as a spreadsheet table that :func:`read_scheme_table` reads back equal.

    The header block carries the scheme's metadata, then one empty row, then the node table
    with the columns of :data:`TABLE_COLUMNS` (``applies_to``, ``need``, ``params`` and
    ``parent`` only when needed). CSV is written as UTF-8 with a byte-order mark (so
    spreadsheet programs show Vietnamese); XLSX (openpyxl, the ``excel`` extra) as one sheet
    with numbers as numbers. Text starting with ``=``, ``+``, ``-``, ``@``, a tab or CR (a
    formula to a spreadsheet) is written with an apostrophe in front, and as text, never a
    live formula; :func:`read_scheme_table` reads it back as it was.

    Args:
        scheme: The scheme.
        path: ``.csv`` or ``.xlsx``.
        lang: ``en`` (default): the node table's headers are the column names (``kind``,
            ``bands`` …); ``vi``: their Vietnamese names (:data:`VIETNAMESE_HEADERS`:
            ``loại quy tắc``, ``mức`` …). Both read back alike.

    Returns:
        The path written.

    Raises:
        ValueError: for another suffix, or a name the table's text syntax cannot hold (a tier
            name with ``;`` or ``=``, a unit type name with ``;``).

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       *lang*; the header keys of unit types, tiers by type, quotas, caps and named
       adjustments; the ``applies_to`` and ``need`` columns; text cells a spreadsheet would
       evaluate get an apostrophe.
    """
    path = Path(path)
    rows = _table_rows(scheme, lang)
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
    for r, cells in enumerate(rows, start=1):
        for c, value in enumerate(cells, start=1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c, value=_xlsx_value(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula (openpyxl takes "=…" for one)
    code = VIETNAMESE_HEADERS["code"] if lang == "vi" else "code"
    header = next(i for i, cells in enumerate(rows, start=1) if cells and cells[0] == code)
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
    """A cell for XLSX: a float Excel cannot hold exactly (15 digits) is written as its text.

    Text a spreadsheet would evaluate (``=…``, ``+…``, ``-…``, ``@…``) gets an apostrophe
    in front (:func:`~parscore.io._formula.inert`); the reader takes it off again.
    """
    if isinstance(value, float) and float(f"{value:.15g}") != value:
        return repr(value)
    if isinstance(value, str):
        return inert(value)
    return value


def _csv_text(value: object) -> str:
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return inert(value)
    return str(value)


def _num(x: float) -> str:
    return repr(x) if isinstance(x, float) else str(x)


def _table_rows(scheme: Scheme, lang: Language) -> list[list[Any]]:
    data = scheme_to_dict(scheme)
    meta = meta_rows(data)
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
        if c not in _OPTIONAL_COLUMNS
        or (c == "parent" and need_parent)
        or (c != "parent" and any(c in x for x, _ in cells_of))
    ]
    header = [VIETNAMESE_HEADERS[c] for c in columns] if lang == "vi" else list(columns)
    rows: list[list[Any]] = [*meta, [], header]
    for cells, parent in cells_of:
        if need_parent:
            cells["parent"] = parent
        rows.append([cells.get(c) for c in columns])
    return rows


_SAFE_NAME = re.compile(r"[^;=:,]+")


def _node_cells(node: dict[str, Any]) -> dict[str, Any]:
    cells: dict[str, Any] = {"code": node["id"], "name": node["name"]}
    for key in ("max", "legal_basis", "missing"):
        if key in node:
            cells[key] = node[key]
    if "applies_to" in node:
        cells["applies_to"] = ", ".join(node["applies_to"])
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
    if key == "need":
        return value if value in ("all", "any") or _is_whole(value) else None
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


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)

"""Columns beside the inputs: each unit's type, tier-cap conditions and named adjustments.

- The type column (``unit_types.column``, default ``type``) names each unit's kind, by id or
  name in any case; an empty cell or an undeclared value is a problem listing the types.
- ``cap:<id>`` columns hold yes/no cells: whether a cap's condition holds (empty = no).
- ``adj:<id>`` columns hold the points of a named bonus or penalty, or a count of cases when the
  item gives ``per`` points each (empty = none).

The prefixes ``cap:`` and ``adj:`` are reserved (in any case): such a column is never a label,
and one the scheme does not declare is a problem with a "did you mean".

.. versionadded:: 0.2
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from parscore.compile import CompiledScheme
from parscore.measurements._build import text_cells
from parscore.measurements._cells import CellReader, loose
from parscore.typing import FloatArray, IntArray

if TYPE_CHECKING:
    from parscore.measurements._build import Builder

__all__ = [
    "ADJ",
    "CAP",
    "declared_columns",
    "extras_columns",
    "is_reserved",
    "parse_extra",
    "parse_unit_type",
    "read_extras",
    "read_unit_types",
    "type_codes",
    "unit_types_of",
]

ObjectArray = npt.NDArray[np.object_]

CAP = "cap:"
"""Prefix of the yes/no columns of tier caps."""
ADJ = "adj:"
"""Prefix of the columns of named adjustments."""

_YES_NO = CellReader("yes_no")
_NOT_YES_NO = "expected yes or no (có/không, đạt/không đạt, x, 1/0)"
_SHOWN_COLUMNS = 12  # columns listed when the type column is missing


def is_reserved(name: str) -> bool:
    """Whether a column name starts with a reserved prefix (``cap:``, ``adj:``, any case)."""
    return name[:4].casefold() in {CAP, ADJ}


def declared_columns(compiled: CompiledScheme) -> tuple[str, ...]:
    """The columns beside the inputs the scheme reads: type column, ``cap:`` and ``adj:``."""
    scheme = compiled.scheme
    out = [] if scheme.unit_types is None else [scheme.unit_types.column]
    out += [c.column for c in scheme.tiers.caps if c.column is not None]
    out += [item.column for item in scheme.adjustments.items]
    return tuple(out)


# -- unit types ----------------------------------------------------------------------------------


def read_unit_types(
    builder: Builder, columns: dict[str, Any], ids: ObjectArray, found: Sequence[str]
) -> ObjectArray | None:
    """Take the type column out of *columns*: the declared type id of each unit ("" = none).

    Returns None when the scheme declares no unit types (a column named ``type`` is then
    left where it is). *found* lists the columns of the table, for the message when the
    type column is missing.
    """
    types = builder.compiled.scheme.unit_types
    if types is None:
        return None
    name = types.column
    if name not in columns:
        close = difflib.get_close_matches(name, list(found), n=1, cutoff=0.6)
        close = close or [c for c in found if c.casefold() == name.casefold()]
        hint = f' did you mean "{close[0]}"?' if close else ""
        shown = ", ".join(f'"{c}"' for c in found[:_SHOWN_COLUMNS])
        more = f" … ({len(found)} in all)" if len(found) > _SHOWN_COLUMNS else ""
        declared = _declared_of(builder.compiled)
        builder.add(
            f'no column "{name}" of unit types (unit_types.column; declared types: '
            f"{declared});{hint} columns found: {shown}{more}",
            column=name,
        )
        out = np.full(len(ids), "", dtype=object)
        builder.type_codes = np.full(len(ids), -1, dtype=np.int64)
        return out
    return unit_types_of(builder, columns.pop(name), ids, name)


def unit_types_of(builder: Builder, raw: object, ids: ObjectArray, column: str) -> ObjectArray:
    """Each unit's declared type id from its cells ("" where it names none: a problem)."""
    texts = text_cells(raw, len(ids))
    if isinstance(texts, str):
        raise builder.stop(texts, column=column)
    out = np.empty(len(ids), dtype=object)
    memo: dict[str, str | None] = {}
    for i, text in enumerate(texts.tolist()):
        if text not in memo:
            memo[text] = _lookup(builder.compiled, text) if text else None
        type_id = memo[text]
        out[i] = "" if type_id is None else type_id
        if type_id is None:
            message = _why_not_type(builder.compiled, text)
            builder.add(message, unit=i, unit_id=ids[i], column=column, value=text or None)
    builder.type_codes = type_codes(builder.compiled, out)
    return out


def parse_unit_type(compiled: CompiledScheme, cell: object) -> tuple[str | None, str]:
    """The type id one cell names and "", or None and why it names none."""
    texts = text_cells([cell], 1)
    text = "" if isinstance(texts, str) else str(texts[0])
    type_id = _lookup(compiled, text) if text else None
    return (None, _why_not_type(compiled, text)) if type_id is None else (type_id, "")


def _lookup(compiled: CompiledScheme, text: str) -> str | None:
    types = compiled.scheme.unit_types
    return None if types is None else types.lookup(text)


def _why_not_type(compiled: CompiledScheme, text: str) -> str:
    declared = _declared_of(compiled)
    if not text:
        return f"the unit's type is empty; declared types: {declared}"
    types = compiled.scheme.unit_types
    spellings: dict[str, str] = {}  # loosely written id or name -> id
    for t in () if types is None else types.types:
        spellings[loose(t.id)] = t.id
        if t.name:
            spellings[loose(t.name)] = t.id
    close = difflib.get_close_matches(loose(text), list(spellings), n=1, cutoff=0.6)
    hint = f'; did you mean "{spellings[close[0]]}"?' if close else ""
    return f"no declared unit type is named {text!r}{hint}; declared types: {declared}"


def _declared_of(compiled: CompiledScheme) -> str:
    types = compiled.scheme.unit_types
    if types is None:  # pragma: no cover - only called for schemes with types
        return "none"
    return ", ".join(f"{t.id} ({t.name})" if t.name else t.id for t in types.types)


def type_codes(compiled: CompiledScheme, unit_types: ObjectArray | None) -> IntArray | None:
    """Position of each unit's type in ``compiled.type_ids`` (-1: none), or None without types."""
    if not compiled.type_ids or unit_types is None:
        return None
    pos = {t: k for k, t in enumerate(compiled.type_ids)}
    return np.fromiter(
        (pos.get(t, -1) for t in unit_types.tolist()), dtype=np.int64, count=len(unit_types)
    )


# -- caps and named adjustments ------------------------------------------------------------------


def read_extras(
    builder: Builder, columns: dict[str, Any], ids: ObjectArray
) -> tuple[dict[str, FloatArray], dict[str, FloatArray]]:
    """Take the ``cap:`` and ``adj:`` columns out of *columns*.

    Returns the caps (cap id -> 1.0 where the condition holds, else 0.0) and the items (item
    id -> points, or count of cases with ``per``); every column cap and item of the scheme has
    an entry, all 0 when its column is absent.
    """
    scheme = builder.compiled.scheme
    n = len(ids)
    caps = {c.id: np.zeros(n) for c in scheme.tiers.caps if c.column is not None}
    items = {item.id: np.zeros(n) for item in scheme.adjustments.items}
    for name in [c for c in columns if is_reserved(c)]:
        raw = columns.pop(name)
        kind, key = _declared_as(builder.compiled, name)
        if kind == "cap":
            caps[key] = _read_cap(builder, raw, name, ids)
        elif kind == "item":
            items[key] = _read_item(builder, raw, name, ids)
        else:
            builder.add(key, column=name)
    return caps, items


def _declared_as(compiled: CompiledScheme, name: str) -> tuple[str, str]:
    """("cap", id) or ("item", id) for a declared column; else ("", why it is none)."""
    scheme = compiled.scheme
    for cap in scheme.tiers.caps:
        if cap.column == name:
            return "cap", cap.id
    for item in scheme.adjustments.items:
        if item.column == name:
            return "item", item.id
    return "", _unknown(compiled, name)


def _unknown(compiled: CompiledScheme, name: str) -> str:
    scheme = compiled.scheme
    known = [c for c in declared_columns(compiled) if is_reserved(c)]
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    close = close or [c for c in known if c.casefold() == name.casefold()]
    hint = f'; did you mean "{close[0]}"?' if close else ""
    if not close and known:
        hint = f"; the scheme's columns: {', '.join(known)}"
    key = name[4:]
    if name[:4].casefold() == CAP:
        node_cap = next((c for c in scheme.tiers.caps if c.id == key and c.node), None)
        if node_cap is not None:
            return (
                f'cap "{key}" is read from the index of node "{node_cap.node}", not from a '
                "column; leave the column out"
            )
        if not any(c.column for c in scheme.tiers.caps):
            return f"the scheme reads no cap from a column (tiers.caps){hint}"
        return f"column names no cap of the scheme (tiers.caps){hint}"
    if not scheme.adjustments.items:
        return f"the scheme has no named adjustments (adjustments.items){hint}"
    return f"column names no adjustment item of the scheme (adjustments.items){hint}"


def _read_cap(builder: Builder, raw: object, name: str, ids: ObjectArray) -> FloatArray:
    values = builder.read(raw, name, ids, _YES_NO, leaf=None)
    bad = ~np.isnan(values) & (values != 0.0) & (values != 1.0)
    for i in np.flatnonzero(bad).tolist():
        builder.add(
            _NOT_YES_NO,
            unit=i,
            unit_id=ids[i],
            column=name,
            value=float(values[i]),
        )
    return np.where(values == 1.0, 1.0, 0.0)  # empty: the condition does not hold


def _read_item(builder: Builder, raw: object, name: str, ids: ObjectArray) -> FloatArray:
    per = _item_of(builder.compiled, name).per
    reader = CellReader("count" if per is not None else "number")
    values = builder.read(raw, name, ids, reader, leaf=None)
    values = np.where(np.isnan(values), 0.0, values)  # nothing written: none
    for i in np.flatnonzero(values < 0).tolist():
        builder.add(
            f"{name} cannot be negative",
            unit=i,
            unit_id=ids[i],
            column=name,
            value=float(values[i]),
        )
    if per is not None:
        for i in np.flatnonzero(values != np.trunc(values)).tolist():
            builder.add(
                _WHOLE.format(per=per),
                unit=i,
                unit_id=ids[i],
                column=name,
                value=float(values[i]),
            )
    return values


_WHOLE = "expected a whole number of cases ({per:g} points each)"


def _item_of(compiled: CompiledScheme, column: str) -> Any:
    return next(i for i in compiled.scheme.adjustments.items if i.column == column)


def parse_extra(compiled: CompiledScheme, column: str, cell: object) -> tuple[str, str, float]:
    """One cell of a ``cap:`` or ``adj:`` column: ("cap" | "item", id, value), or ("", why, 0)."""
    kind, key = _declared_as(compiled, column)
    if not kind:
        return "", key, 0.0
    per = None if kind == "cap" else _item_of(compiled, column).per
    reader = _YES_NO if kind == "cap" else CellReader("count" if per is not None else "number")
    value = reader.parse(cell)
    if isinstance(value, str):
        return "", value, 0.0
    if not isinstance(value, float):  # NOT_APPLICABLE
        return "", "not applicable makes no sense here", 0.0
    number = 0.0 if math.isnan(value) else value
    why = _why_not(number, kind, per, column)
    return ("", why, 0.0) if why else (kind, key, number)


def _why_not(number: float, kind: str, per: float | None, column: str) -> str:
    """Why a number read from a ``cap:`` or ``adj:`` cell cannot be its value ("" = it can)."""
    if kind == "cap" and number not in {0.0, 1.0}:
        return _NOT_YES_NO
    if number < 0:
        return f"{column} cannot be negative"
    if per is not None and not number.is_integer():
        return _WHOLE.format(per=per)
    return ""


def extras_columns(
    compiled: CompiledScheme,
    caps: Mapping[str, object] | None,
    items: Mapping[str, object] | None,
) -> dict[str, object]:
    """The ``caps=`` and ``items=`` of ``from_array`` as columns (keys: ids or column names)."""
    out: dict[str, object] = {}
    for prefix, given in ((CAP, caps), (ADJ, items)):
        for key, cells in (given or {}).items():
            name = str(key)
            out[name if name.startswith(prefix) else prefix + name] = cells
    return out

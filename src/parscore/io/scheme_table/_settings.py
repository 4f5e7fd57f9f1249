"""Scheme tables: the header block (``key | value`` rows) read into and written from the dict.

Besides the fixed keys (``id``, ``tiers``, ``bonus`` …) the block has keys that carry an id:

* ``tiers.by_type.<type>`` (its scale) and ``tiers.by_type.<type>.basis``;
* ``cap:<id>`` (the cap's name), ``cap:<id>.at_most``, ``cap:<id>.node``,
  ``cap:<id>.index_below``: one tier cap, named like the yes/no column it reads;
* ``adj:<id>`` (the item's name), ``adj:<id>.sign``, ``adj:<id>.max``, ``adj:<id>.per``: one
  named adjustment, named like its column.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import Any

from parscore.io.scheme_table._cells import (
    _items,
    _number,
    _sign,
    _text,
    _tiers,
    _unit_types,
    _whole,
)
from parscore.io.scheme_table._columns import _META_KEYS, Cell

_BY_TYPE = "tiers.by_type."
_SUBKEYS = {"cap:": ("at_most", "node", "index_below"), "adj:": ("sign", "max", "per")}
_FIXED = tuple(k for k in _META_KEYS if "<" not in k)

_PARSERS: dict[str, Callable[[Cell], Any]] = {
    "parscore": _whole,
    "year": _whole,
    "rounding.decimals": _whole,
    "tiers": _tiers,
    "tiers.by_type.<type>": _tiers,
    "ranking.tie_break": lambda cell: _items(_text(cell)),
    "bonus": _number,
    "penalty": _number,
    "unit_types": _unit_types,
    "cap:<id>.index_below": _number,
    "adj:<id>.sign": _sign,
    "adj:<id>.max": _number,
    "adj:<id>.per": _number,
}


def split_key(key: str) -> tuple[str, str | None] | None:
    """The pattern of a header key (``cap:<id>.node``) and its id, or None for an unknown key."""
    if key in _FIXED:
        return key, None
    if key.startswith(_BY_TYPE) and len(key) > len(_BY_TYPE):
        rest = key[len(_BY_TYPE) :]
        if rest.endswith(".basis") and len(rest) > len(".basis"):
            return "tiers.by_type.<type>.basis", rest.removesuffix(".basis")
        return "tiers.by_type.<type>", rest
    for prefix, subs in _SUBKEYS.items():
        if key.startswith(prefix) and len(key) > len(prefix):
            rest = key[len(prefix) :]
            for sub in subs:
                if rest.endswith("." + sub) and len(rest) > len(sub) + 1:
                    return f"{prefix}<id>.{sub}", rest.removesuffix("." + sub)
            return f"{prefix}<id>", rest
    return None


def misspelt(key: str, found: str | None, data: dict[str, Any]) -> str | None:
    """A message when *key* reads as a new id but is a known id with an unknown sub-key."""
    if found is None or "." not in found:
        return None
    known, _, sub = found.rpartition(".")
    if key.startswith(_BY_TYPE):
        if known not in data.get("tiers", {}).get("by_type", {}):
            return None
        subs: tuple[str, ...] = ("basis",)
    else:
        prefix = key[:4]
        field, what = ("tiers", "caps") if prefix == "cap:" else ("adjustments", "items")
        if not any(e["id"] == known for e in data.get(field, {}).get(what, [])):
            return None
        subs = _SUBKEYS[prefix]
    close = difflib.get_close_matches(sub, subs, n=1)
    hint = f" (did you mean {key.removesuffix(sub) + close[0]!r}?)" if close else ""
    keys = ", ".join(key.removesuffix(sub) + s for s in subs)
    return f"unknown key {key!r} in the header block{hint}; keys of {known!r}: {keys}"


def parse_value(pattern: str, cell: Cell) -> Any:
    """The value of a header cell (raises ValueError with what was expected)."""
    return _PARSERS.get(pattern, _text)(cell)


def put(data: dict[str, Any], key: str, pattern: str, found: str | None, value: Any) -> None:
    """Store the value of header key *key* (of *pattern*, with id *found*) in the scheme dict."""
    head, _, sub = key.partition(".")
    if pattern in ("unit_types", "unit_types.column"):
        data.setdefault("unit_types", {})["column" if sub else "types"] = value
    elif pattern.startswith(_BY_TYPE):
        by_type = data.setdefault("tiers", {}).setdefault("by_type", {})
        scale = by_type.setdefault(found, {})
        scale["basis" if pattern.endswith(".basis") else "scale"] = value
    elif pattern.startswith("cap:"):
        caps = data.setdefault("tiers", {}).setdefault("caps", [])
        _entry(caps, found)[pattern.partition(".")[2] or "name"] = value
    elif pattern.startswith("adj:"):
        items = data.setdefault("adjustments", {}).setdefault("items", [])
        _entry(items, found)[pattern.partition(".")[2] or "name"] = value
    elif head in ("bonus", "penalty"):
        data.setdefault("adjustments", {}).setdefault(head, {})["name" if sub else "max"] = value
    elif head == "tiers":
        data.setdefault("tiers", {})["basis" if sub else "scale"] = value
    elif sub:
        data.setdefault(head, {})[sub] = value
    else:
        data[key] = value


def _entry(entries: list[dict[str, Any]], entry_id: str | None) -> dict[str, Any]:
    for entry in entries:
        if entry["id"] == entry_id:
            return entry
    entries.append({"id": entry_id})
    return entries[-1]


def data_key(key: str) -> str:
    """The top-level key of the scheme dict a header key writes to (``cap:x`` → tiers)."""
    if key.startswith("cap:"):
        return "tiers"
    if key.startswith(("adj:", "bonus", "penalty")):
        return "adjustments"
    return key.partition(".")[0]


def meta_key(path: str, data: dict[str, Any]) -> str | None:
    """The header key of a scheme-level path (``$.tiers.caps[0].at_most`` → cap:…at_most)."""
    if path == "$" or not path.startswith("$."):
        return None
    rest = path[2:]
    if rest.startswith("tiers.by_type"):
        return _by_type_key(rest[len("tiers.by_type") :], data)
    return _entry_key(rest, data) or _plain_key(rest)


def _entry_key(rest: str, data: dict[str, Any]) -> str | None:
    """``cap:<id>…`` or ``adj:<id>…`` for a path into tiers.caps or adjustments.items."""
    for prefix, field, what in (("cap:", "tiers", "caps"), ("adj:", "adjustments", "items")):
        found = re.match(rf"{field}\.{what}\[(\d+)\]\.?(\w*)", rest)
        if found:
            entries = data.get(field, {}).get(what, [])
            if int(found[1]) >= len(entries):
                return field
            base = f"{prefix}{entries[int(found[1])]['id']}"
            return f"{base}.{found[2]}" if found[2] in _SUBKEYS[prefix] else base
    return None


def _by_type_key(tail: str, data: dict[str, Any]) -> str:
    """``tiers.by_type.<type>`` (or its basis) for the rest of a path after tiers.by_type."""
    for type_id in sorted(data.get("tiers", {}).get("by_type", {}), key=len, reverse=True):
        for form in (f".{type_id}", f"['{type_id}']", f'["{type_id}"]', f"[{type_id}]"):
            if tail.startswith(form):
                basis = tail[len(form) :].startswith(".basis")
                return f"{_BY_TYPE}{type_id}" + (".basis" if basis else "")
    return "tiers"


def _plain_key(rest: str) -> str | None:
    parts = re.split(r"[.\[]", rest, maxsplit=2)
    head = parts[0]
    sub = parts[1] if len(parts) > 1 else ""
    if head == "unit_types":
        return "unit_types.column" if sub == "column" else "unit_types"
    if head == "adjustments":
        return sub.rstrip("]") or None
    if head == "tiers":
        return "tiers.basis" if sub == "basis" else "tiers"
    if head in ("rounding", "ranking") and sub:
        return f"{head}.{sub}"
    return head


# -- writing ------------------------------------------------------------------------------------


def _num(x: float) -> str:
    return repr(x) if isinstance(x, float) else str(x)


def _scale_text(scale: list[dict[str, Any]]) -> str:
    if any(";" in t["name"] or "=" in t["name"] for t in scale):
        msg = "tier names containing ';' or '=' cannot be written in a scheme table"
        raise ValueError(msg)
    parts = []
    for t in scale:
        bound = f"> {_num(t['above'])}" if "above" in t else _num(t["min"])
        quota = f" quota {_num(t['quota'])}" if t.get("quota") is not None else ""
        parts.append(f"{t['name']}: {bound}{quota}")
    return "; ".join(parts)


def _types_text(types: list[Any]) -> str:
    parts = []
    for t in types:
        if isinstance(t, str):
            parts.append(t)
            continue
        name = t.get("name")
        if name is not None and ";" in name:
            msg = f"unit type names containing ';' cannot be written in a scheme table: {name!r}"
            raise ValueError(msg)
        parts.append(f"{t['id']}: {name}" if name else t["id"])
    return "; ".join(parts)


def _writable(key: str, entry_id: str) -> str:
    """*key* itself, after checking that reading it back gives the id *entry_id*."""
    split = split_key(key)
    if split is None or split[1] != entry_id:
        msg = f"the id {entry_id!r} ends like a header key; it cannot be written in a scheme table"
        raise ValueError(msg)
    return key


def meta_rows(data: dict[str, Any]) -> list[list[Any]]:
    """The header block of the scheme dict *data*, in the order of the header keys."""
    values: dict[str, Any] = {"parscore": data["parscore"]}
    for key in ("id", "name", "level", "year", "version", "legal_basis", "notes", "missing"):
        if key in data:
            values[key] = data[key]
    unit_types = data.get("unit_types")
    if unit_types is not None:
        if "column" in unit_types:
            values["unit_types.column"] = unit_types["column"]
        values["unit_types"] = _types_text(unit_types["types"])
    tiers = data["tiers"]
    if tiers.get("scale"):
        values["tiers"] = _scale_text(tiers["scale"])
    if "basis" in tiers:
        values["tiers.basis"] = tiers["basis"]
    by_type: list[tuple[str, Any]] = []
    for type_id, scale in tiers.get("by_type", {}).items():
        key = _writable(f"{_BY_TYPE}{type_id}", type_id)
        by_type.append((key, _scale_text(scale["scale"])))
        if scale.get("basis", "index") != "index":  # the default is not written
            by_type.append((f"{key}.basis", scale["basis"]))
    caps: list[tuple[str, Any]] = []
    for cap in tiers.get("caps", []):
        key = _writable(f"cap:{cap['id']}", cap["id"])
        caps.append((key, cap.get("name")))
        caps += [(f"{key}.{s}", cap[s]) for s in _SUBKEYS["cap:"] if s in cap]
    for head in ("rounding", "ranking"):
        for sub, value in data.get(head, {}).items():
            values[f"{head}.{sub}"] = "; ".join(value) if isinstance(value, list) else value
    adjustments = data.get("adjustments", {})
    for head in ("bonus", "penalty"):
        if head in adjustments:
            if "max" in adjustments[head]:
                values[head] = adjustments[head]["max"]
            if "name" in adjustments[head]:
                values[f"{head}.name"] = adjustments[head]["name"]
    items: list[tuple[str, Any]] = []
    for item in adjustments.get("items", []):
        key = _writable(f"adj:{item['id']}", item["id"])
        items.append((key, item.get("name")))
        items += [(f"{key}.{s}", item[s]) for s in _SUBKEYS["adj:"] if s in item]
    dynamic = {"tiers.by_type.<type>": by_type, "cap:<id>": caps, "adj:<id>": items}
    rows: list[list[Any]] = []
    for key in _META_KEYS:
        if key in values:
            rows.append([key, values[key]])
        rows += [[k, v] for k, v in dynamic.get(key, [])]
    return rows

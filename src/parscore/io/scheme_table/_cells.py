"""Scheme tables: reading the text syntax of cells (numbers, options, bands, tiers …)."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

import attrs

from parscore._format import converter
from parscore.io.scheme_table._columns import (
    _BOUND,
    _BOUND_WORDS,
    _FALSE,
    _NUMBER,
    _TRUE,
    Cell,
)


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
        # "Tốt: > 80" is a strict bound (above), "Khá: 65" an inclusive one (min)
        head, sep, rest = item.rpartition("=" if "=" in item else ":")
        strict = sep != "" and rest.strip().startswith(">")
        name, value = _pair(f"{head}{sep}{rest.strip()[1:]}" if strict else item, "tiers")
        out.append({"name": name, "above" if strict else "min": value})
    if not out:
        msg = "expected tiers such as 'Tốt: > 80; Khá: 70; Trung bình: 50; Yếu: 0'"
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


def _inferred_parent(code: str, codes: set[str]) -> str | None:
    """The parent a table without a ``parent`` column gives *code*: the code less its last part."""
    parent = code.rsplit(".", 1)[0] if "." in code else None
    return parent if parent in codes else None

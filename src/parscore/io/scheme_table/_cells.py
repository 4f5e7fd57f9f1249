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


_TIER_VALUE = re.compile(
    rf"\s*(>|>=|≥|trên|từ)?\s*({_NUMBER})\s*(?:(?:quota|tối đa|toi da)\s*({_NUMBER})\s*(%)?)?\s*",
    re.I,
)


def _tiers(cell: Cell) -> list[dict[str, object]]:
    """Tiers best first: ``Tốt: > 80; Khá: 65 quota 0,2; Yếu: 0``.

    ``> 80`` (or ``trên 80``) is ``above: 80``; ``80``, ``>= 80``, ``≥ 80``, ``từ 80`` are
    ``min: 80``; ``quota 0,2``, ``quota 20%`` or ``tối đa 20%`` is ``quota: 0.2``.
    """
    out: list[dict[str, object]] = []
    for item in _items(_text(cell)):
        name, sep, rest = item.rpartition(":")
        found = _TIER_VALUE.fullmatch(rest)
        if found is None:  # "Tốt=80"
            name, sep, rest = item.rpartition("=")
            found = _TIER_VALUE.fullmatch(rest)
        if not sep or not name.strip() or found is None:
            msg = f"expected 'name: bound' like 'Tốt: > 80' or 'Khá: 65 quota 0,2', found {item!r}"
            raise ValueError(msg)
        tier: dict[str, object] = {
            "name": name.strip(),
            "above" if (found[1] or "").casefold() in (">", "trên") else "min": _number(found[2]),
        }
        if found[3] is not None:
            tier["quota"] = _share(found[3], percent=found[4] is not None)
        out.append(tier)
    if not out:
        msg = "expected tiers such as 'Tốt: > 80; Khá: 70; Trung bình: 50; Yếu: 0'"
        raise ValueError(msg)
    return out


def _share(text: str, *, percent: bool) -> int | float:
    """A quota as written: ``0,2`` or ``20%`` (the nearest float to 20 / 100)."""
    if not percent:
        return _number(text)
    from decimal import Decimal

    return float(Decimal(text.replace(",", ".")) / 100)


def _need(cell: Cell) -> str | int:
    """``all`` (also ``tất cả``), ``any`` (``bất kỳ``, ``một trong``) or a whole number."""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return _whole(cell)
    text = _text(cell).casefold()
    if text in ("all", "tất cả", "tat ca"):
        return "all"
    if text in ("any", "bất kỳ", "bất kì", "bat ky", "một trong", "mot trong"):
        return "any"
    try:
        return _whole(text)
    except ValueError:
        msg = f"expected all, any or a whole number of checks, found {text!r}"
        raise ValueError(msg) from None


def _type_ids(cell: Cell) -> list[str]:
    """Unit type ids separated by ``,`` or ``;``: ``so, huyen``."""
    parts = [p.strip() for p in re.split(r"[;,]", _text(cell)) if p.strip()]
    if not parts:
        msg = "expected unit type ids separated by ',' such as 'so, huyen'"
        raise ValueError(msg)
    return parts


def _unit_types(cell: Cell) -> list[object]:
    """Declared types: ``so: Sở, ban, ngành; huyen: Huyện`` (a bare id has no name)."""
    out: list[object] = []
    for item in _items(_text(cell)):
        type_id, sep, name = item.partition(":")
        if sep and name.strip():
            out.append({"id": type_id.strip(), "name": name.strip()})
        else:
            out.append(type_id.strip())
    if not out:
        msg = "expected unit types such as 'so: Sở, ban, ngành; huyen: Huyện'"
        raise ValueError(msg)
    return out


def _sign(cell: Cell) -> str:
    """``bonus`` (also ``thưởng``, ``cộng``) or ``penalty`` (``trừ``, ``phạt``)."""
    text = _text(cell).casefold()
    if text in ("bonus", "thưởng", "điểm thưởng", "cộng", "thuong", "cong"):
        return "bonus"
    if text in ("penalty", "trừ", "điểm trừ", "phạt", "tru", "phat"):
        return "penalty"
    return text  # the model names the allowed values


_PARSERS: dict[str, Any] = {
    "max": _number,
    "otherwise": _number,
    "per": _number,
    "floor": _number,
    "inputs": _inputs,
    "need": _need,
    "applies_to": _type_ids,
    "options": _named_values,
    "bands": _bands,
    "clip": _bool,
    "params": _params,
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

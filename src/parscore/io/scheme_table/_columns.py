"""Scheme tables: the columns, their aliases and the cell syntax."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["TABLE_COLUMNS"]

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

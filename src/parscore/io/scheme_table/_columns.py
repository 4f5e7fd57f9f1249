"""Scheme tables: the columns, their aliases and the cell syntax."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["TABLE_COLUMNS", "VIETNAMESE_HEADERS"]

TABLE_COLUMNS = (
    "code",
    "name",
    "max",
    "applies_to",
    "kind",
    "inputs",
    "need",
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
"""The columns of the node table, in the order :func:`write_scheme_table` writes them.

.. versionchanged:: 0.2 ``applies_to`` and ``need``.
"""

VIETNAMESE_HEADERS = {
    "code": "mã",
    "name": "tên tiêu chí",
    "max": "điểm tối đa",
    "applies_to": "áp dụng cho",
    "kind": "loại quy tắc",
    "inputs": "đầu vào",
    "need": "cần đạt",
    "options": "các lựa chọn",
    "bands": "mức",
    "otherwise": "trường hợp khác",
    "per": "điểm trừ mỗi lần",
    "floor": "điểm sàn",
    "when_empty": "khi mẫu số bằng 0",
    "over": "khi tỷ lệ vượt 100%",
    "clip": "cắt về khung điểm",
    "params": "tham số khác",
    "legal_basis": "căn cứ pháp lý",
    "missing": "khi thiếu số liệu",
    "parent": "mã cha",
}
"""The header each column is written under in a Vietnamese table (``lang="vi"``).

.. versionadded:: 0.2
"""

_OPTIONAL_COLUMNS = ("applies_to", "need", "params", "parent")
"""Columns written only when some row uses them (a v1 scheme writes the table it always did)."""

_ALIASES = {
    "code": ("code", "mã", "mã số", "mã tiêu chí", "stt"),
    "name": ("name", "tên", "tên tiêu chí", "tiêu chí", "nội dung"),
    "max": ("max", "điểm tối đa", "điểm"),
    "applies_to": ("applies_to", "áp dụng cho", "áp dụng", "loại đơn vị áp dụng"),
    "kind": ("kind", "loại quy tắc", "quy tắc", "cách chấm"),
    "inputs": ("inputs", "đầu vào", "cột đầu vào"),
    "need": ("need", "cần đạt", "cần"),
    "options": ("options", "các lựa chọn", "lựa chọn"),
    "bands": ("bands", "mức", "các mức", "mức điểm"),
    "otherwise": ("otherwise", "trường hợp khác", "còn lại"),
    "per": ("per", "điểm trừ mỗi lần", "mỗi lần"),
    "floor": ("floor", "điểm sàn", "sàn"),
    "when_empty": ("when_empty", "khi mẫu số bằng 0"),
    "over": ("over", "khi tỷ lệ vượt 100%", "vượt 100%"),
    "clip": ("clip", "cắt về khung điểm"),
    "params": ("params", "tham số khác", "tham số"),
    "legal_basis": ("legal_basis", "căn cứ", "căn cứ pháp lý"),
    "missing": ("missing", "khi thiếu số liệu", "thiếu số liệu"),
    "parent": ("parent", "cha", "mã cha"),
}


def _fold(text: str) -> str:
    """A header as compared: NFC, any case, with or without diacritics, spaces collapsed."""
    decomposed = unicodedata.normalize("NFD", text.strip().casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.replace("đ", "d").split())


_COLUMN_OF = {
    _fold(alias): column
    for column in TABLE_COLUMNS
    for alias in (*_ALIASES.get(column, (column,)), VIETNAMESE_HEADERS[column])
}
# the rule's parameters: the table's columns from inputs to clip, in order
_RULE_COLUMNS = TABLE_COLUMNS[TABLE_COLUMNS.index("inputs") : TABLE_COLUMNS.index("clip") + 1]
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
    "unit_types.column",
    "unit_types",
    "tiers",
    "tiers.basis",
    "tiers.by_type.<type>",
    "tiers.by_type.<type>.basis",
    "cap:<id>",
    "cap:<id>.at_most",
    "cap:<id>.node",
    "cap:<id>.index_below",
    "rounding.decimals",
    "rounding.where",
    "ranking.by",
    "ranking.method",
    "ranking.tie_break",
    "bonus",
    "bonus.name",
    "penalty",
    "penalty.name",
    "adj:<id>",
    "adj:<id>.sign",
    "adj:<id>.max",
    "adj:<id>.per",
)
"""Keys of the header block, in the order they are written (``<…>`` stands for an id)."""

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

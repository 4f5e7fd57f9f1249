"""Schemes as spreadsheet tables: one row per node, hierarchical codes, rule columns.

Officials keep criteria sets as tables (STT / code, name, max points, how to score). A scheme
table is a CSV file or an XLSX sheet laid out as:

* an optional **header block** of ``key | value`` rows with the scheme's metadata (``id``,
  ``name``, ``level``, ``year``, ``tiers`` …), then
* the **node table**: a header row whose first cell is ``code`` (or ``mã``, ``STT``), then one
  row per node in depth-first order. The parent of ``1.2.3`` is ``1.2`` (from the code), unless
  the table has a ``parent`` column, which then decides for every row (empty = top level).

Rule parameters are written in named columns (``kind``, ``inputs``, ``need``, ``options``,
``bands``, ``otherwise``, ``per``, ``floor``, ``when_empty``, ``over``, ``clip``) with a small
text syntax (``kip_thoi=1; khong_kip_thoi=0,5``, ``gt 90: 2; ge 70 le 90: 1``); anything else
goes in the ``params`` column as a JSON/YAML mapping. Every column also has a Vietnamese
header (:data:`VIETNAMESE_HEADERS`: ``loại quy tắc``, ``mức``, ``điểm trừ mỗi lần`` …), read
in any case, with or without diacritics, and written with ``write_scheme_table(..., lang="vi")``.
``applies_to`` (``áp dụng cho``) lists the unit types a node applies to (``so, huyen``); the
header block declares the unit types (``unit_types``, ``unit_types.column``), a scale per type
(``tiers.by_type.<type>``), quotas (``Xuất sắc: 90 quota 0,2``), tier caps (``cap:<id>``,
``cap:<id>.at_most`` …) and named adjustments (``adj:<id>``, ``adj:<id>.sign`` …). See
``docs/scheme-format.md``, "Schemes as spreadsheet tables". The table is converted to the
plain dict of the v1 format and validated by :func:`~parscore.io.scheme_from_dict`, so a
table means exactly what the same YAML file means.

.. versionadded:: 0.1
"""

from __future__ import annotations

from parscore.io.scheme_table._columns import TABLE_COLUMNS, VIETNAMESE_HEADERS
from parscore.io.scheme_table._read import read_scheme_table
from parscore.io.scheme_table._write import write_scheme_table

__all__ = ["TABLE_COLUMNS", "VIETNAMESE_HEADERS", "read_scheme_table", "write_scheme_table"]

"""The XLSX data-entry template: the entry sheet with drop-downs, and the guide sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from parscore._optional import require
from parscore.compile import CompiledScheme, compile_scheme
from parscore.io._formula import inert
from parscore.model import Scheme
from parscore.rules import cells_of, option_names_of

ENTRY_SHEET = "Nhập liệu"
GUIDE_SHEET = "Hướng dẫn"
YES_NO = ("có", "không")


def write_xlsx(
    scheme: Scheme,
    path: Path,
    columns: list[tuple[str, str]],
    *,
    units: int,
    first_input: int,
) -> None:
    """Write the template of *scheme* with *columns* (``(name, what to enter)``) to *path*."""
    openpyxl = require("openpyxl", "excel")
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    compiled = compile_scheme(scheme)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = ENTRY_SHEET
    guide = book.create_sheet(GUIDE_SHEET)
    type_ids_at = _write_guide(guide, scheme, compiled, columns)
    last_row = max(units, 1000) + 1
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for c, (name, what) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=c, value=inert(name))
        cell.data_type = "s"  # a header is text, never a formula
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center")
        cell.comment = Comment(what, "parscore", width=320, height=140)
        letter = get_column_letter(c)
        sheet.column_dimensions[letter].width = max(12, len(name) + 4)
        validation = _validation(scheme, compiled, name, type_ids_at)
        if validation is not None:
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{last_row}")
    for i in range(units):
        sheet.cell(row=i + 2, column=1, value=f"don-vi-{i + 1:03d}")
    sheet.freeze_panes = f"{get_column_letter(first_input)}2"  # ids and labels stay in view
    book.save(path)


def _list(choices: list[str] | tuple[str, ...], source: str | None = None) -> Any:
    """A drop-down of *choices* (inline), or of the cells *source*; None when it cannot be."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if source is None:
        if any("," in x or '"' in x for x in choices) or sum(len(x) + 1 for x in choices) >= 250:
            return None
        source = '"' + ",".join(choices) + '"'
    rule = DataValidation(type="list", formula1=source, allow_blank=True)
    rule.error = f"Chọn một trong: {', '.join(choices)}"
    rule.errorTitle = "Giá trị không hợp lệ"
    return rule


def _validation(
    scheme: Scheme, compiled: CompiledScheme, name: str, type_ids_at: str | None
) -> Any:
    """The data validation of column *name*, or None."""
    types = scheme.unit_types
    if types is not None and name == types.column:
        rule = _list(types.ids)
        return rule if rule is not None else _list(types.ids, type_ids_at)
    if name in compiled.column_pos:
        leaf = scheme.node(compiled.leaf_ids[compiled.column_leaf[compiled.column_pos[name]]])
        cells = cells_of(leaf.rule)
        if cells == "option" and option_names_of(leaf.rule):
            return _list([*option_names_of(leaf.rule), "n/a"])
        if cells == "yes_no":
            return _list([*YES_NO, "n/a"])
        return None
    if any(cap.column == name for cap in scheme.tiers.caps):
        return _list(YES_NO)
    return _item_validation(scheme, name)


def _item_validation(scheme: Scheme, name: str) -> Any:
    """A number ≥ 0 in an ``adj:`` column (a whole count with ``per``), or None."""
    from openpyxl.worksheet.datavalidation import DataValidation

    for item in scheme.adjustments.items:
        if item.column == name:
            whole = item.per is not None
            rule = DataValidation(
                type="whole" if whole else "decimal",
                operator="greaterThanOrEqual",
                formula1="0",
                allow_blank=True,
            )
            rule.error = "Ghi số lần (số nguyên ≥ 0)" if whole else "Ghi số điểm (≥ 0)"
            rule.errorTitle = "Giá trị không hợp lệ"
            return rule
    return None


def _write_guide(
    guide: Any, scheme: Scheme, compiled: CompiledScheme, columns: list[tuple[str, str]]
) -> str | None:
    """Fill the guide sheet; return the cells holding the unit type ids (for the drop-down)."""
    from openpyxl.styles import Font

    def heading(*cells: object) -> None:
        guide.append(list(cells))
        for cell in guide[guide.max_row]:
            cell.font = Font(bold=True)

    heading("cột (column)", "nội dung (what to enter)")
    for name, what in columns:
        guide.append([name, what])
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 120
    type_ids_at = None
    types = scheme.unit_types
    if types is not None:
        guide.append([])
        heading("loại đơn vị (unit type)", f"tên (name); cột {types.column!r} ghi mã hoặc tên")
        first = guide.max_row + 1
        for t in types.types:
            guide.append([t.id, t.name or ""])
        type_ids_at = f"'{GUIDE_SHEET}'!$A${first}:$A${guide.max_row}"
        guide.append([])
        note = (
            "Ô của tiêu chí không áp dụng cho loại của đơn vị có thể để trống (không tính là "
            "thiếu số liệu). x: tiêu chí áp dụng cho loại đơn vị."
        )
        guide.append(["áp dụng", note])
        heading("cột (column)", "tiêu chí", *types.ids)
        for j, column in enumerate(compiled.columns):
            leaf_id = compiled.leaf_ids[compiled.column_leaf[j]]
            marks = ["x" if scheme.applies(leaf_id, t) else "" for t in types.ids]
            guide.append([column, f"{leaf_id}. {scheme.node(leaf_id).name}", *marks])
    if scheme.tiers.caps:
        guide.append([])
        heading("điều kiện hạ xếp loại (tier caps)", "khi điều kiện đúng, xếp loại không quá")
        for cap in scheme.tiers.caps:
            if cap.column is not None:
                condition = f"{cap.name} (cột {cap.column}: có)"
            else:
                condition = f"{cap.name} (chỉ số thành phần {cap.node} dưới {cap.index_below:g})"
            guide.append([cap.column or cap.id, f"{condition} → {cap.at_most}"])
    guide.append([])
    guide.append(["bộ chỉ số", f"{scheme.name} ({scheme.id}), {compiled.fingerprint}"])
    _inert_cells(guide)
    return type_ids_at


def _inert_cells(sheet: Any) -> None:
    """Make every text cell of *sheet* text a spreadsheet never evaluates.

    Names come from untrusted scheme files: an apostrophe before ``=``, ``+``, ``-``, ``@`` …
    and the cell typed as text.
    """
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.value = inert(cell.value)
                cell.data_type = "s"

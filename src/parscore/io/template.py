"""The data-entry template of a scheme: one row per unit, one column per input.

.. versionadded:: 0.1
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from parscore._optional import require
from parscore.compile import compile_scheme
from parscore.model import Scheme
from parscore.rules import cells_of, input_label, option_names_of

__all__ = ["template_columns", "write_template"]


def template_columns(
    scheme: Scheme,
    *,
    unit_id: str = "unit_id",
    group: str | None = None,
    labels: Sequence[str] = (),
) -> list[tuple[str, str]]:
    """The template's columns: ``(column name, what to enter)``, in order.

    The column of unit ids first, then the group column and the label columns when asked
    for, then every input column of the scheme in depth-first order, then ``bonus`` and
    ``penalty`` when the scheme has them.

    Args:
        scheme: The scheme.
        unit_id: Name of the column of unit ids.
        group: Name of a column of unit groups (districts, kinds of unit), or None.
        labels: Names of label columns (``STT``, ``Tên đơn vị`` …), carried to the results.

    Raises:
        ValueError: a name given twice, or naming an input column of the scheme.

    .. versionchanged:: 0.2
       *unit_id*, *group* and *labels*.
    """
    compiled = compile_scheme(scheme)
    extra = [unit_id, *([group] if group is not None else []), *labels]
    taken = set(compiled.columns) | {"bonus", "penalty"}
    for i, name in enumerate(extra):
        if not name.strip() or name in taken or name in extra[:i]:
            why = "is empty" if not name.strip() else "is taken by another column"
            msg = f"template column name {name!r} {why}; choose another"
            raise ValueError(msg)
    out = [(unit_id, "Mã đơn vị (unit id), unique")]
    if group is not None:
        out.append((group, "Nhóm đơn vị để xếp hạng trong nhóm (group: ranks within each)"))
    out += [
        (name, "Cột nhãn, giữ nguyên trong kết quả (label, carried through)") for name in labels
    ]
    for j, column in enumerate(compiled.columns):
        leaf = scheme.node(compiled.leaf_ids[compiled.column_leaf[j]])
        rule = leaf.rule
        assert rule is not None  # leaves always have rules
        what = f"{leaf.name} — tối đa {leaf.max:g} điểm. {rule.describe('vi')}"
        if len(rule.inputs) > 1:
            label = input_label(rule, column.split(":", 1)[1])
            what = f"{leaf.name} — {label}. {rule.describe('vi')}"
        out.append((column, what + " Ghi 'n/a' nếu không áp dụng."))
    for name in ("bonus", "penalty"):
        adjustment = getattr(scheme.adjustments, name)
        if adjustment is not None:
            label = "Điểm thưởng" if name == "bonus" else "Điểm trừ"
            out.append((name, f"{label} (tối đa {adjustment.max:g} điểm); để trống nếu không có"))
    return out


def write_template(
    scheme: Scheme,
    path: str | Path,
    *,
    units: int = 0,
    unit_id: str = "unit_id",
    group: str | None = None,
    labels: Sequence[str] = (),
) -> Path:
    """Write the data-entry template for *scheme*.

    ``.xlsx``: a sheet "Nhập liệu" with one header row of column names (each header cell
    carries a comment saying what to enter: criterion name, max, rule), drop-down lists for
    yes/no and choice cells, and a sheet "Hướng dẫn" listing every column. ``.csv``: the
    header row only (UTF-8 with BOM so that spreadsheet programs show Vietnamese correctly).

    Args:
        scheme: The scheme.
        path: Where to write; the suffix picks the format.
        units: Number of empty rows to pre-number ("don-vi-001" …) in the XLSX template.
        unit_id: Name of the column of unit ids.
        group: Name of a column of unit groups, written after the unit ids; None for none.
        labels: Names of label columns, written after the group column.

    Returns:
        The path written.

    Raises:
        MissingDependencyError: for ``.xlsx`` without openpyxl (the ``excel`` extra).
        ValueError: for another suffix, or a column name given twice or naming an input.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       *unit_id*, *group* and *labels*.
    """
    path = Path(path)
    columns = template_columns(scheme, unit_id=unit_id, group=group, labels=labels)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        import csv

        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerow([name for name, _ in columns])
        return path
    if suffix != ".xlsx":
        msg = f"a template is written as .xlsx or .csv, not {path.suffix or 'no suffix'!r}"
        raise ValueError(msg)
    openpyxl = require("openpyxl", "excel")
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    compiled = compile_scheme(scheme)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Nhập liệu"
    last_row = max(units, 1000) + 1
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for c, (name, what) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=c, value=name)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center")
        cell.comment = Comment(what, "parscore", width=320, height=140)
        sheet.column_dimensions[get_column_letter(c)].width = max(12, len(name) + 4)
        if name in compiled.column_pos:
            leaf = scheme.node(compiled.leaf_ids[compiled.column_leaf[compiled.column_pos[name]]])
            choices: list[str] | None = None
            cells = cells_of(leaf.rule)
            if cells == "option" and option_names_of(leaf.rule):
                choices = [*option_names_of(leaf.rule), "n/a"]
            elif cells == "yes_no":
                choices = ["có", "không", "n/a"]
            if choices is not None and sum(len(x) + 1 for x in choices) < 250:
                quoted = ",".join(x.replace('"', "'").replace(",", " ") for x in choices)
                rule = DataValidation(type="list", formula1=f'"{quoted}"', allow_blank=True)
                rule.error = f"Chọn một trong: {', '.join(choices)}"
                rule.errorTitle = "Giá trị không hợp lệ"
                sheet.add_data_validation(rule)
                letter = get_column_letter(c)
                rule.add(f"{letter}2:{letter}{last_row}")
    for i in range(units):
        sheet.cell(row=i + 2, column=1, value=f"don-vi-{i + 1:03d}")
    first_input = 2 + (group is not None) + len(labels)
    sheet.freeze_panes = f"{get_column_letter(first_input)}2"  # ids and labels stay in view

    guide = book.create_sheet("Hướng dẫn")
    guide.append(["cột (column)", "nội dung (what to enter)"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for name, what in columns:
        guide.append([name, what])
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 120
    guide.append([])
    guide.append(["bộ chỉ số", f"{scheme.name} ({scheme.id}), {compiled.fingerprint}"])
    book.save(path)
    return path

"""The data-entry template of a scheme: one row per unit, one column per input.

.. versionadded:: 0.1
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path

from parscore.compile import compile_scheme
from parscore.errors import ParameterError
from parscore.io._formula import inert
from parscore.io._template_xlsx import write_xlsx
from parscore.model import AdjustmentItem, Scheme, UnitType
from parscore.rules import input_label

__all__ = ["template_columns", "write_template"]


def template_columns(
    scheme: Scheme,
    *,
    unit_id: str = "unit_id",
    group: str | None = None,
    labels: Sequence[str] = (),
) -> list[tuple[str, str]]:
    """The template's columns: ``(column name, what to enter)``, in order.

    The column of unit ids first, then the group column when asked for, the unit type column
    (``unit_types.column``) when the scheme declares unit types, the label columns when asked
    for, then every input column of the scheme in depth-first order, then ``bonus`` and
    ``penalty`` when the scheme has them, the named adjustments (``adj:<id>``) and the yes/no
    columns of tier caps (``cap:<id>``).

    Args:
        scheme: The scheme.
        unit_id: Name of the column of unit ids.
        group: Name of a column of unit groups (districts, kinds of unit), or None.
        labels: Names of label columns (``STT``, ``Tên đơn vị`` …), carried to the results.

    Raises:
        ParameterError: a name given twice, naming an input column of the scheme, empty, or
            holding a control character (a ``ValueError`` too).

    .. versionchanged:: 0.2
       *unit_id*, *group* and *labels*; the unit type, ``adj:`` and ``cap:`` columns.
    """
    compiled = compile_scheme(scheme)
    extra = [unit_id, *([group] if group is not None else []), *labels]
    types = scheme.unit_types
    taken = set(compiled.columns) | {"bonus", "penalty"}
    taken |= {types.column} if types is not None else set()
    for i, name in enumerate(extra):
        control = any(unicodedata.category(ch) == "Cc" for ch in name)
        if (
            not name.strip()
            or control
            or name in taken
            or name in extra[:i]
            or name.startswith(_RESERVED)
        ):
            why = "is empty" if not name.strip() else "is taken by another column"
            if name.startswith(_RESERVED):
                why = "starts with a reserved prefix (cap:, adj:)"
            if control:
                why = "holds a control character"
            msg = f"template column name {name!r} {why}; choose another"
            raise ParameterError(msg)
    out = [(unit_id, "Mã đơn vị (unit id), unique")]
    if group is not None:
        out.append((group, "Nhóm đơn vị để xếp hạng trong nhóm (group: ranks within each)"))
    if types is not None:
        kinds = "; ".join(_type_label(t) for t in types.types)
        out.append(
            (types.column, f"Loại đơn vị (unit type), một trong: {kinds}; chọn mã trong danh sách")
        )
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
        what += " Ghi 'n/a' nếu không áp dụng."
        if types is not None:
            only = [t for t in types.types if scheme.applies(leaf.id, t.id)]
            if len(only) < len(types.types):
                names = ", ".join(_type_label(t) for t in only) or "không loại nào"
                what += f" Chỉ áp dụng cho: {names}; để trống với đơn vị loại khác."
        out.append((column, what))
    for name in ("bonus", "penalty"):
        adjustment = getattr(scheme.adjustments, name)
        if adjustment is not None:
            label = "Điểm thưởng" if name == "bonus" else "Điểm trừ"
            cap = f" (tối đa {adjustment.max:g} điểm)" if adjustment.max is not None else ""
            out.append((name, f"{label}{cap}; để trống nếu không có"))
    for item in scheme.adjustments.items:
        out.append((item.column, _item_text(item)))
    for tier_cap in scheme.tiers.caps:
        if tier_cap.column is not None:
            what = (
                f"{tier_cap.name} — nếu có, xếp loại không quá {tier_cap.at_most}; "
                "chọn có/không (để trống: không)"
            )
            out.append((tier_cap.column, what))
    return out


_RESERVED = ("cap:", "adj:")


def _type_label(t: UnitType) -> str:
    return f"{t.id} ({t.name})" if t.name else t.id


def _item_text(item: AdjustmentItem) -> str:
    kind = "Điểm thưởng" if item.sign == "bonus" else "Điểm trừ"
    how = f"{item.per:g} điểm mỗi lần; ghi số lần" if item.per is not None else "ghi số điểm"
    cap = f", tối đa {item.max:g} điểm" if item.max is not None else ""
    return f"{item.name} — {kind.lower()}: {how}{cap}; để trống nếu không có"


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
    yes/no and choice cells, the unit type column (the declared type ids) and the ``cap:``
    columns (có/không), numbers ≥ 0 in the ``adj:`` columns, and a sheet "Hướng dẫn" listing
    every column, the unit types with their names, which criteria apply to which type (cells
    of the others may be left empty) and the tier caps. ``.csv``: the header row only (UTF-8
    with BOM so that spreadsheet programs show Vietnamese correctly). Text a spreadsheet would
    evaluate (a name starting with ``=``, ``+``, ``-``, ``@``) is written with an apostrophe in
    front, and as text.

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
        ValueError: for another suffix.
        ParameterError: a column name given twice, naming an input, or holding a control
            character (a ``ValueError`` too).

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       *unit_id*, *group* and *labels*; the unit type, ``adj:`` and ``cap:`` columns.
    """
    path = Path(path)
    columns = template_columns(scheme, unit_id=unit_id, group=group, labels=labels)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        import csv

        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerow([inert(name) for name, _ in columns])
        return path
    if suffix != ".xlsx":
        msg = f"a template is written as .xlsx or .csv, not {path.suffix or 'no suffix'!r}"
        raise ValueError(msg)
    first_input = 2 + (group is not None) + (scheme.unit_types is not None) + len(labels)
    write_xlsx(scheme, path, columns, units=units, first_input=first_input)
    return path

"""What ``parscore check`` says of the data a scheme needs: its input columns, in order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from parscore.cli._common import general

if TYPE_CHECKING:
    from rich.console import Console

    from parscore.model import Scheme

__all__ = ["input_columns", "print_input_columns"]

_CELLS = {
    "number": "a number",
    "count": "a whole number (count)",
    "percent": "a percentage 0–100",
    "yes_no": "yes/no (1/0, có/không)",
    "option": "one of",
}


def input_columns(scheme: Scheme) -> list[tuple[str, str, str, str]]:
    """``(column, for, what it holds, types)`` of every column a data table needs, in order.

    The order of the template (``parscore template``): the unit id, the unit type column,
    every input of the criteria depth-first, ``bonus`` and ``penalty``, the named items
    (``adj:<id>``), the yes/no columns of tier caps (``cap:<id>``). *types* is ``all`` or
    the unit types the column applies to ("" without unit types).
    """
    from parscore.compile import compile_scheme
    from parscore.rules import cells_of, input_label, option_names_of

    compiled = compile_scheme(scheme)
    types = scheme.unit_types
    every = "all" if types is not None else ""
    out = [("unit_id", "the unit", "its id, unique (another column: --unit-id COL)", every)]
    if types is not None:
        ids = ", ".join(types.ids)
        out.append((types.column, "the unit type", f"one of {ids}", every))
    for j, column in enumerate(compiled.columns):
        leaf = scheme.node(compiled.leaf_ids[compiled.column_leaf[j]])
        rule = leaf.rule
        assert rule is not None  # leaves always have rules
        what = f"criterion {leaf.id}"
        if ":" in column:
            what += f" ({input_label(rule, column.split(':', 1)[1])})"
        kind = cells_of(rule)
        holds = _CELLS.get(kind, kind)
        if kind == "option":
            holds += " " + ", ".join(option_names_of(rule))
        applies = every
        if types is not None:
            only = [t for t in types.ids if scheme.applies(leaf.id, t)]
            applies = "all" if len(only) == len(types.ids) else ", ".join(only) or "none"
        out.append((column, what, holds, applies))
    adjustments = scheme.adjustments
    for sign in ("bonus", "penalty"):
        cap = getattr(adjustments, sign)
        if cap is not None:
            most = f", at most {general(cap.max)}" if cap.max is not None else ""
            out.append((sign, sign, f"points{most}; empty if none", every))
    for item in adjustments.items:
        how = f"a count × {general(item.per)}" if item.per is not None else "points"
        out.append((item.column, f"{item.sign} {item.id}", f"{how}; empty if none", every))
    for tier_cap in scheme.tiers.caps:
        if tier_cap.column is not None:
            holds = f"yes/no: yes caps the tier at {tier_cap.at_most}; empty is no"
            out.append((tier_cap.column, f"cap {tier_cap.id}", holds, every))
    return out


def print_input_columns(scheme: Scheme, console: Console) -> None:
    """Print :func:`input_columns` as a table, and what other columns do."""
    from rich.table import Table

    rows = input_columns(scheme)
    table = Table(
        title=f"Input columns (cột số liệu), {len(rows)}, in this order", title_justify="left"
    )
    table.add_column("#", justify="right")
    table.add_column("column", overflow="fold")  # a name is never cut short
    table.add_column("for")
    table.add_column("holds")
    typed = scheme.unit_types is not None
    if typed:
        table.add_column("unit types")
    for i, (column, what, holds, types) in enumerate(rows, start=1):
        table.add_row(str(i), column, what, holds, *((types,) if typed else ()))
    console.print(table)
    console.print(
        "A criterion's input may be n/a where the criterion does not apply. Optional: a "
        "column 'group' (or --group COL) ranks within each group; any other column (STT, "
        "the unit's name) is carried to the results as a label."
    )

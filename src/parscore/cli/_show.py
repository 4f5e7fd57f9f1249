"""Tables printed on the terminal: the ranking, the tiers, an explanation, labels carried."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from parscore.cli._common import make_console
from parscore.cli._show_types import moved_why, tier_counts_by_type, type_groups, type_title

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from parscore.result import Explanation, Result

__all__ = ["carried", "explanation_table", "ranking_table", "tier_counts"]


def carried(result: Result) -> None:
    """Say which label columns of the input were carried through to the results."""
    names = list(result.labels)
    if names:
        n = len(names)
        make_console(stderr=True).print(
            f"carried {n} label column{'s' * (n != 1)}: {', '.join(names)}",
            markup=False,
            soft_wrap=True,
        )


def ranking_table(result: Result, *, top: int, bottom: int, title: str) -> None:
    """Print the *top* and *bottom* units by rank (group by group when there are groups).

    With unit types, one table per type (ranks restart in each type). With caps or quotas,
    a column says why a unit's tier is not its scale's.
    """
    for type_id, units in type_groups(result):
        of = type_title(result.scheme, type_id)
        _ranking(result, units, top=top, bottom=bottom, title=f"{title} — {of}" if of else title)


def _ranking(
    result: Result, units: npt.NDArray[np.intp], *, top: int, bottom: int, title: str
) -> None:
    import numpy as np
    from rich.table import Table

    d = result.scheme.rounding.decimals
    keys = [result.unit_ids[units].astype(str), result.rank[units]]
    if result.groups is not None:  # ranks restart in each group: list group by group
        keys.append(result.groups[units].astype(str))
    order = units[np.lexsort(tuple(keys))]
    why = result.scale_tier is not None
    table = Table(title=title, title_justify="left")
    for name, justify in (
        ("rank", "right"),
        ("unit", "left"),
        ("total", "right"),
        ("max", "right"),
        ("index", "right"),
        ("tier", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    if result.groups is not None:
        table.add_column("group")
    if why:
        table.add_column("tier moved by")
    shown = list(order[:top])
    hidden = len(order) - top - bottom
    if hidden > 0:
        tail = list(order[-bottom:]) if bottom else []
    else:
        shown, tail = list(order), []
    for rows in (shown, tail):
        for u in rows:
            cells = [
                str(result.rank[u]),
                str(result.unit_ids[u]),
                f"{result.total[u]:.{d}f}",
                f"{result.max[u]:.{d}f}",
                f"{result.index[u]:.{d}f}",
                str(result.tier[u]),
            ]
            if result.groups is not None:
                cells.append(str(result.groups[u]))
            if why:
                cells.append(moved_why(result, int(u)))
            table.add_row(*cells)
        if rows is shown and tail:
            table.add_row("…", f"{hidden} more", "", "", "", "")
    make_console().print(table)


def tier_counts(result: Result) -> None:
    """Print the number and share of units in each tier (type by type, with unit types)."""
    from rich.table import Table

    tiers = result.scheme.tiers
    if result.unit_types is not None or tiers.caps or tiers.has_quota or tiers.by_type:
        tier_counts_by_type(result)
        return
    counts = Counter(str(t) for t in result.tier)
    table = Table(title="Tiers (xếp loại)", title_justify="left")
    table.add_column("tier")
    table.add_column("from", justify="right")
    table.add_column("units", justify="right")
    table.add_column("share", justify="right")
    for tier in result.scheme.tiers.scale:
        n = counts.get(tier.name, 0)
        table.add_row(tier.name, tier.label(), str(n), f"{100 * n / result.n_units:.1f} %")
    make_console().print(table)


def explanation_table(explanation: Explanation) -> None:
    """Print an explanation as a table whose long names and rules wrap instead of being cut."""
    from rich.table import Table
    from rich.text import Text

    d = explanation.decimals
    table = Table(
        title=explanation.header,  # the unit, its label columns and the scheme
        title_justify="left",
        show_lines=False,
    )
    table.add_column("criterion (tiêu chí)", ratio=3)
    table.add_column("points", justify="right", no_wrap=True)
    table.add_column("max", justify="right", no_wrap=True)
    table.add_column("rule and inputs (cách chấm, số liệu)", ratio=4)
    for row in explanation.rows:
        label = Text("  " * row.depth + f"{row.node_id} {row.name}")
        if not row.is_leaf:
            label.stylize("bold")
        detail = ""
        if row.is_leaf:
            detail = f"{row.rule} [{row.shown_inputs()}]"
            if row.legal_basis:
                detail += f" — {row.legal_basis}"
        points = f"{row.points:.{d}f}" if row.applicable else "n/a"
        if not row.for_type:
            points, detail = "—", f"not for type {explanation.unit_type}"
        table.add_row(label, points, f"{row.max:.{d}f}", Text(detail))
    for sign, value in (("bonus", explanation.bonus), ("penalty", explanation.penalty)):
        if value is None:
            continue
        table.add_row(sign, f"{-value if sign == 'penalty' else value:.{d}f}", "", "")
        for item in explanation.items:
            if item.sign == sign:
                written = f"{item.column} = {item.written:g}"
                written += f" × {item.per:g}" if item.per is not None else ""
                written += f"; max {item.max:g}" if item.max is not None else ""
                shown = -item.points if sign == "penalty" and item.points else item.points
                table.add_row(Text(f"  {item.name}"), f"{shown:.{d}f}", "", Text(written))
    console = make_console()
    console.print(table)
    for line in explanation.notes:
        console.print(line, markup=False, soft_wrap=True)
    console.print(explanation.summary, markup=False)

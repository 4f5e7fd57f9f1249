"""Tables printed on the terminal: the ranking, the tiers, an explanation, labels carried."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from parscore.cli._collate import vi_key
from parscore.cli._common import bound, general, make_console, number
from parscore.cli._show_types import moved_why, tier_counts_by_type, type_groups, type_title

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from parscore.result import Explanation, Result

__all__ = [
    "carried",
    "explanation_table",
    "group_blocks",
    "ranking_table",
    "summary_line",
    "tier_counts",
]


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


def ranking_table(
    result: Result, *, top: int, bottom: int, title: str, stderr: bool = False
) -> None:
    """Print the *top* and *bottom* units by rank; with groups, the *top* of each group.

    Ranks restart in each group, so each group shows its own *top* units (and how many more
    it has), the groups in Vietnamese alphabetical order (:func:`parscore.cli._collate.vi_key`).
    With unit types, one table per type (ranks restart in each type). With caps or quotas, a
    column says why a unit's tier is not its scale's. ``top=0`` prints no rows (no table).
    """
    if top <= 0:
        return
    for type_id, units in type_groups(result):
        of = type_title(result.scheme, type_id)
        _ranking(
            result,
            units,
            top=top,
            bottom=bottom,
            title=f"{title} — {of}" if of else title,
            stderr=stderr,
        )


def group_blocks(
    result: Result, units: npt.NDArray[np.intp]
) -> list[tuple[str | None, npt.NDArray[np.intp]]]:
    """*units* by group (groups in Vietnamese order), each by rank then id; one block if none."""
    import numpy as np

    def by_rank(block: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
        keys = (result.unit_ids[block].astype(str), result.rank[block])
        return block[np.lexsort(keys)]

    if result.groups is None:
        return [(None, by_rank(units))]
    names = result.groups[units].astype(str)
    return [
        (name, by_rank(units[names == name])) for name in sorted(set(names.tolist()), key=vi_key)
    ]


def _ranking(
    result: Result,
    units: npt.NDArray[np.intp],
    *,
    top: int,
    bottom: int,
    title: str,
    stderr: bool,
) -> None:
    from rich.table import Table

    d = result.scheme.rounding.decimals
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
    blocks = group_blocks(result, units)
    if result.groups is not None:  # each group its top: the bottom of every group is too long
        bottom = 0
    for group, order in blocks:
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
                    number(result.total[u], d),
                    number(result.max[u], d),
                    number(result.index[u], d),
                    str(result.tier[u]),
                ]
                if result.groups is not None:
                    cells.append(str(result.groups[u]))
                if why:
                    cells.append(moved_why(result, int(u)))
                table.add_row(*cells)
            if rows is shown and hidden > 0:
                more = f"{hidden} more" + (f" in {group}" if group is not None else "")
                table.add_row("…", more, "", "", "", "")
    make_console(stderr=stderr).print(table)


def tier_counts(result: Result, *, stderr: bool = False) -> None:
    """Print the number and share of units in each tier (type by type, with unit types)."""
    from rich.table import Table

    tiers = result.scheme.tiers
    if result.unit_types is not None or tiers.caps or tiers.has_quota or tiers.by_type:
        tier_counts_by_type(result, stderr=stderr)
        return
    counts = Counter(str(t) for t in result.tier)
    table = Table(title="Tiers (xếp loại)", title_justify="left")
    table.add_column("tier")
    table.add_column("from", justify="right")
    table.add_column("units", justify="right")
    table.add_column("share", justify="right")
    for tier in result.scheme.tiers.scale:
        n = counts.get(tier.name, 0)
        share = number(100 * n / max(1, result.n_units), 1)
        table.add_row(tier.name, bound(tier), str(n), f"{share} %")
    make_console(stderr=stderr).print(table)


def summary_line(explanation: Explanation, result: Result) -> str:
    """The last line of ``explain``: total, max, index, tier, and the rank among whom.

    ``rank 8 of 23 in Huyện Tây Sơn``: the units ranked together (the unit's group, and its
    type with unit types: ``rank 3 of 5 huyen in Huyện Tây Sơn``); ``rank 4 of 12``
    without groups or types. No number is a negative zero.
    """
    import numpy as np

    e = explanation
    d = e.decimals
    u = result.unit_position(e.unit_id)
    same = np.ones(result.n_units, dtype=bool)
    if result.unit_types is not None:
        same &= result.unit_types == result.unit_types[u]
    group = None
    if result.groups is not None:
        group = str(result.groups[u])
        same &= result.groups == result.groups[u]
    among = int(same.sum())
    rank = f"rank {e.rank} of {among}"
    if e.unit_type is not None:
        rank += f" {e.unit_type}"
    if group is not None:
        rank += f" in {group}"
    return (
        f"total {number(e.total, d)} of {number(e.max, d)} = index {number(e.index, d)} — "
        f"tier {e.tier}, {rank}"
    )


def explanation_table(explanation: Explanation, *, summary: str | None = None) -> None:
    """Print an explanation as a table whose long names and rules wrap instead of being cut.

    The last line is *summary* (:func:`summary_line`), else the explanation's own.
    """
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
        points = number(row.points, d) if row.applicable else "n/a"
        if not row.for_type:
            points, detail = "—", f"not for type {explanation.unit_type}"
        table.add_row(label, points, number(row.max, d), Text(detail))
    for sign, value in (("bonus", explanation.bonus), ("penalty", explanation.penalty)):
        if value is None:
            continue
        table.add_row(sign, number(-value if sign == "penalty" else value, d), "", "")
        for item in explanation.items:
            if item.sign == sign:
                written = f"{item.column} = {general(item.written)}"
                written += f" × {general(item.per)}" if item.per is not None else ""
                written += f"; max {general(item.max)}" if item.max is not None else ""
                shown = -item.points if sign == "penalty" else item.points
                table.add_row(Text(f"  {item.name}"), number(shown, d), "", Text(written))
    console = make_console()
    console.print(table)
    for line in explanation.notes:
        console.print(line, markup=False, soft_wrap=True)
    console.print(summary if summary is not None else explanation.summary, markup=False)

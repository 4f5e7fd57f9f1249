"""What ``parscore demo`` prints for a scheme with unit types, caps, quotas or named items."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from parscore.cli._common import bound, general, make_console, number

if TYPE_CHECKING:
    from parscore.model import TierScale
    from parscore.result import Result

__all__ = ["typed_demo"]

_NAME_COLUMNS = ("ten_don_vi", "ten", "name", "Tên đơn vị")


def _name_of(result: Result) -> list[str]:
    """Each unit's name from a label column when there is one, else its id."""
    for column in _NAME_COLUMNS:
        if column in result.labels:
            return [str(v) for v in result.labels[column]]
    return [str(v) for v in result.unit_ids]


def _why(result: Result, u: int) -> str:
    """Why the unit's tier differs from its scale's: the cap or the quota that moved it."""
    capped_by = result.capped_by
    if capped_by is not None and capped_by[u]:
        return f"cap {capped_by[u]} (from {result.scale_tier[u]})"  # type: ignore[index]
    moved = result.quota_moved
    if moved is not None and moved[u]:
        return f"quota (from {result.scale_tier[u]})"  # type: ignore[index]
    return ""


def _ranking(result: Result, units: list[int], title: str, top: int, bottom: int) -> None:
    import numpy as np
    from rich.table import Table

    d = result.scheme.rounding.decimals
    names = _name_of(result)
    order = sorted(units, key=lambda u: (int(result.rank[u]), str(result.unit_ids[u])))
    shown, tail = order, []
    if len(order) > top + bottom:
        shown, tail = order[:top], order[len(order) - bottom :] if bottom else []
    table = Table(title=title, title_justify="left")
    for name, justify in (
        ("rank", "right"),
        ("unit", "left"),
        ("index", "right"),
        ("tier", "left"),
        ("lowered by", "left"),
        ("bonus", "right"),
        ("penalty", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    zero = np.zeros(result.n_units)
    bonus = result.bonus if result.bonus is not None else zero
    penalty = result.penalty if result.penalty is not None else zero
    for rows in (shown, tail):
        for u in rows:
            table.add_row(
                str(result.rank[u]),
                names[u],
                number(result.index[u], d),
                str(result.tier[u]),
                _why(result, u),
                number(bonus[u], d) if number(bonus[u], d) != number(0, d) else "",
                f"−{number(penalty[u], d)}" if number(penalty[u], d) != number(0, d) else "",
            )
        if rows is shown and tail:
            table.add_row("…", f"{len(order) - len(shown) - len(tail)} more")
    make_console().print(table)


def _tiers(result: Result, units: list[int], type_id: str | None, title: str) -> None:
    from rich.table import Table

    counts = Counter(str(result.tier[u]) for u in units)
    scale = result.scheme.tiers.for_type(type_id)
    table = Table(title=title, title_justify="left", min_width=len(title))
    for name, justify in (("tier", "left"), ("from", "right"), ("units", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    table.add_column("quota", justify="right")
    for tier in scale.scale:
        n = counts.get(tier.name, 0)
        quota = "" if tier.quota is None else f"≤ {general(100 * tier.quota)} %"
        table.add_row(tier.name, bound(tier), str(n), quota)
    make_console().print(table)


def _items(result: Result) -> None:
    from rich.table import Table

    adjustments = result.scheme.adjustments
    if not adjustments.items:
        return
    d = result.scheme.rounding.decimals
    title = "Named bonus and penalty items (điểm thưởng, điểm trừ)"
    table = Table(title=title, title_justify="left")
    for name, justify in (
        ("item", "left"),
        ("name", "left"),
        ("rule", "left"),
        ("units", "right"),
        ("points", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for item in adjustments.items:
        points = result.items[item.id]
        rule = f"{general(item.per)} per case" if item.per is not None else "points"
        if item.max is not None:
            rule += f", at most {general(item.max)}"
        sign = "+" if item.sign == "bonus" else "−"
        table.add_row(
            item.id,
            item.name,
            f"{sign} {rule}",
            str(int((points > 0).sum())),
            f"{sign}{number(points.sum(), d)}",
        )
    console = make_console()
    console.print(table)
    names = _name_of(result)
    for sign, cap, given in (
        ("bonus", adjustments.bonus, result.bonus),
        ("penalty", adjustments.penalty, result.penalty),
    ):
        if cap is None or given is None:
            continue
        items = [result.items[i.id] for i in adjustments.items_of(sign)]  # type: ignore[arg-type]
        reached = [names[u] for u in range(result.n_units) if sum(i[u] for i in items) > cap.max]
        line = f"{sign}: at most {general(cap.max)} in all"
        if reached:
            line += f"; the items of {', '.join(reached)} sum to more and are capped"
        console.print(line, markup=False)


def _units(n: int) -> str:
    return f"{n} unit{'s' * (n != 1)}"


def _quota_tiers(result: Result) -> list[tuple[str | None, str, float]]:
    """(type or None for the v1 scale, tier name, quota) of each tier with a quota."""
    tiers = result.scheme.tiers
    scales: list[tuple[str | None, TierScale]] = [(None, tiers), *tiers.by_type]
    return [
        (type_id, t.name, t.quota)
        for type_id, scale in scales
        for t in scale.scale
        if t.quota is not None
    ]


def typed_demo(result: Result, *, top: int = 10, bottom: int = 5) -> None:
    """Print each unit type's ranking and tiers, the caps and quotas that moved units, items."""
    scheme = result.scheme
    types = result.unit_types
    groups: list[tuple[str | None, str, list[int]]] = []
    if scheme.unit_types is not None and types is not None:
        for declared in scheme.unit_types.ids:
            units = [u for u in range(result.n_units) if types[u] == declared]
            groups.append((declared, f"{scheme.unit_types.name_of(declared)} ({declared})", units))
    else:
        groups.append((None, "all units", list(range(result.n_units))))
    for type_id, label, units in groups:
        n = len(units)
        _ranking(result, units, f"Ranking (xếp hạng): {label}, {n} units", top, bottom)
        _tiers(result, units, type_id, f"Tiers (xếp loại): {label}")
    console = make_console()
    capped = result.capped_by
    if capped is not None:
        for cap in scheme.tiers.caps:
            n = sum(1 for c in capped if c == cap.id)
            console.print(
                f"cap {cap.id}: {cap.name} → at most {cap.at_most}: {_units(n)} lowered",
                markup=False,
            )
    moved = result.quota_moved
    if moved is not None:
        quotas = [
            f"{name} ≤ {general(100 * quota)} % ({type_id or 'all'})"
            for type_id, name, quota in _quota_tiers(result)
        ]
        n = int(moved.sum())
        console.print(f"quota {', '.join(quotas)}: {_units(n)} moved to a lower tier", markup=False)
    _items(result)

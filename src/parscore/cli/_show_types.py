"""What the commands print for schemes with unit types, caps, quotas and adjustment items.

``score``: the ranking and the tier counts type by type (ranks restart in each type), with
why a tier is not its scale's; ``check``: each type's max and scale, the caps, the quotas and
the items; ``explain``: the item lines and the notes of an :class:`~parscore.Explanation`.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from parscore.cli._common import bound, general, make_console, number

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from rich.console import Console

    from parscore.model import Scheme, TierScale
    from parscore.result import Result

__all__ = ["moved_why", "scheme_additions", "tier_counts_by_type", "type_groups"]


def type_groups(result: Result) -> list[tuple[str | None, npt.NDArray[np.intp]]]:
    """``(type id, unit positions)`` per declared type with units; one ``(None, all)``."""
    import numpy as np

    if result.unit_types is None or result.scheme.unit_types is None:
        return [(None, np.arange(result.n_units))]
    out: list[tuple[str | None, npt.NDArray[np.intp]]] = []
    for type_id in result.scheme.unit_types.ids:
        units = np.flatnonzero(result.unit_types == type_id)
        if units.size:
            out.append((type_id, units))
    return out


def type_title(scheme: Scheme, type_id: str | None) -> str:
    """A type as a title: ``huyen (UBND cấp huyện)``; "" for None."""
    if type_id is None or scheme.unit_types is None:
        return ""
    name = scheme.unit_types.name_of(type_id)
    return type_id if name == type_id else f"{type_id} ({name})"


def moved_why(result: Result, u: int) -> str:
    """Why unit *u*'s tier is not its scale's: ``cap ky_luat (from Tốt)``, ``quota (…)``."""
    parts = []
    if result.capped_by is not None and result.capped_by[u]:
        parts.append(f"cap {result.capped_by[u]}")
    if result.quota_moved is not None and result.quota_moved[u]:
        parts.append("quota")
    if not parts or result.scale_tier is None:
        return ""
    return f"{' + '.join(parts)} (from {result.scale_tier[u]})"


def tier_counts_by_type(result: Result, *, stderr: bool = False) -> None:
    """Print the units in each tier, type by type, with those a cap or a quota moved there."""
    from rich.table import Table

    tiers = result.scheme.tiers
    moves = bool(tiers.caps) or tiers.has_quota
    console = make_console(stderr=stderr)
    for type_id, units in type_groups(result):
        scale = tiers.for_type(type_id)
        counts = Counter(str(result.tier[u]) for u in units)
        capped = Counter(
            str(result.tier[u])
            for u in units
            if result.capped_by is not None and result.capped_by[u]
        )
        quota = Counter(
            str(result.tier[u])
            for u in units
            if result.quota_moved is not None and result.quota_moved[u]
        )
        of = type_title(result.scheme, type_id)
        title = f"Tiers (xếp loại): {of}, {len(units)} units" if of else "Tiers (xếp loại)"
        table = Table(title=title, title_justify="left")
        table.add_column("tier")
        table.add_column("from", justify="right")
        table.add_column("units", justify="right")
        table.add_column("share", justify="right")
        if moves:
            table.add_column("capped here", justify="right")
            table.add_column("quota moved here", justify="right")
        for tier in scale.scale:
            n = counts.get(tier.name, 0)
            quota_text = f", quota {general(tier.quota * 100)}%" if tier.quota else ""
            row = [
                tier.name,
                bound(tier) + quota_text,
                str(n),
                f"{number(100 * n / max(1, len(units)), 1)} %",
            ]
            if moves:
                row += [str(capped.get(tier.name, 0)), str(quota.get(tier.name, 0))]
            table.add_row(*row)
        console.print(table)


def _scale_text(scale: TierScale) -> str:
    """A scale in words: ``Xuất sắc ≥ 90 (quota 20%); Tốt ≥ 80; Khá ≥ 0 (index)``."""
    tiers = "; ".join(
        f"{t.name} {bound(t)}"
        + (f" (quota {general(t.quota * 100)}%)" if t.quota is not None else "")
        for t in scale.scale
    )
    return f"{tiers} ({scale.basis})"


def _not_applying(scheme: Scheme, type_id: str) -> list[str]:
    """The highest nodes that do not apply to *type_id* (their criteria neither)."""
    out: list[str] = []
    todo = list(reversed(scheme.nodes))
    while todo:
        node = todo.pop()
        if not scheme.applies(node.id, type_id):
            out.append(node.id)
        else:
            todo.extend(reversed(node.children))
    return out


def scheme_additions(scheme: Scheme, console: Console) -> None:
    """Print the unit types (max and scale), caps, quotas and items of a scheme, when used."""
    from rich.table import Table

    tiers = scheme.tiers
    if scheme.unit_types is not None:
        table = Table(
            title=f"Unit types (loại đơn vị), column {scheme.unit_types.column!r}",
            title_justify="left",
        )
        table.add_column("type")
        table.add_column("name")
        table.add_column("max", justify="right")
        table.add_column("criteria not applying")
        table.add_column("scale")
        for t in scheme.unit_types.types:
            absent = _not_applying(scheme, t.id)
            table.add_row(
                t.id,
                t.name or "",
                f"{general(scheme.max_points_for(t.id))}",
                ", ".join(absent) or "—",
                _scale_text(tiers.for_type(t.id)),
            )
        console.print(table)
    for cap in tiers.caps:
        if cap.node is not None:
            below = cap.index_below if cap.index_below is not None else float("nan")
            condition = f"node {cap.node} index < {general(below)}"
        else:
            condition = f"column {cap.column} says yes"
        console.print(
            f"cap {cap.id}: {cap.name} — when {condition}, at most {cap.at_most}", markup=False
        )
    for type_id, scale in tiers.scales().items():
        for tier in scale.scale:
            if tier.quota is not None:
                of = f" ({type_id})" if type_id is not None else ""
                console.print(
                    f"quota{of}: {tier.name} at most {general(tier.quota * 100)}% of the units "
                    "ranked together (rounded down; ties at the cut move down)",
                    markup=False,
                )
    adjustments = scheme.adjustments
    for sign in ("bonus", "penalty"):
        cap = getattr(adjustments, sign)
        if adjustments.items_of(sign) and cap is not None:
            console.print(f"{sign}: the sum capped at {general(cap.max)}", markup=False)
    for item in adjustments.items:
        per = f", {general(item.per)} per count" if item.per is not None else ""
        most = f", max {general(item.max)}" if item.max is not None else ""
        console.print(
            f"item {item.id} ({item.sign}, column {item.column}{per}{most}): {item.name}",
            markup=False,
        )

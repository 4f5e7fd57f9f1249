"""The parts of an explanation that schemes with unit types, caps, quotas and items add.

Which type the unit is and which criteria are not for its type, the scale used and the tier
it gives, each cap that held (and the one that lowered the tier), each quota that moved the
unit down, and each named adjustment item with the value written and its points.

.. versionadded:: 0.2
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from parscore._rounding import round_half_up
from parscore._tiering import quota_limit
from parscore.typing import Language

if TYPE_CHECKING:
    from parscore.model import Scheme, TierCap, TierScale
    from parscore.result._result import Result

__all__ = ["CapCheck", "ItemLine", "QuotaMove", "group_sizes", "scale_text", "typed_parts"]


@attrs.frozen(kw_only=True)
class CapCheck:
    """One tier cap checked for one unit.

    Attributes:
        id: The cap's id.
        name: The cap's name (the condition as the decision writes it).
        at_most: The best tier the cap allows.
        held: Whether the cap's condition holds for the unit.
        lowered: Whether this cap lowered the unit's tier (``Result.capped_by``).
        node: For a cap on a node's component index, the node's id; None for a column cap.
        value: For a node cap, the node's component index (rounded); None when the node does
            not apply to the unit, or for a column cap.
        index_below: For a node cap, the bound the index must reach.
        reason: The condition in words, e.g. ``"Người đứng đầu bị kỷ luật: tối đa Khá"`` or
            ``"lĩnh vực 3 (TTHC) đạt 40% < 50%: tối đa Khá"``.

    .. versionadded:: 0.2
    """

    id: str
    name: str
    at_most: str
    held: bool
    lowered: bool
    node: str | None = None
    value: float | None = None
    index_below: float | None = None
    reason: str = ""


@attrs.frozen(kw_only=True)
class QuotaMove:
    """One step down a quota made the unit take.

    Attributes:
        tier: The tier whose quota was full.
        quota: Its quota (a share, 0.2 = 20%).
        units: The units of the unit's ranking group (its type, and its group).
        limit: The most units that may hold the tier: ``floor(quota × units)``.
        at_or_above: The units reaching the tier ranked at or above this one (itself
            included): more than *limit*, so it moved (units tied at the cut all move).
        moved_to: The next tier, which the unit took.
        reason: In words: ``"Xuất sắc: quota 20% of 5 units = 1; 2 units at rank 1 or
            above; moved to Tốt"``.

    .. versionadded:: 0.2
    """

    tier: str
    quota: float
    units: int
    limit: int
    at_or_above: int
    moved_to: str
    reason: str


@attrs.frozen(kw_only=True)
class ItemLine:
    """One named adjustment item of one unit.

    Attributes:
        id: The item's id.
        name: The item's name.
        sign: ``bonus`` or ``penalty``.
        column: Its input column, ``adj:<id>``.
        written: The value written in the column (a count when *per* is set).
        per: Points per count, or None (the column holds points).
        max: The item's own cap, or None.
        points: The item's points after its cap, rounded (positive for either sign).

    .. versionadded:: 0.2
    """

    id: str
    name: str
    sign: str
    column: str
    written: float
    per: float | None
    max: float | None
    points: float

    def text(self, decimals: int) -> str:
        """The item as one line: ``"+ 0.50 Sáng kiến … (adj:sang_kien = 0.5; max 1)"``."""
        sign = "+" if self.sign == "bonus" else "−"
        written = f"{self.column} = {self.written:g}"
        if self.per is not None:
            written += f" × {self.per:g}"
        if self.max is not None:
            written += f"; max {self.max:g}"
        return f"{sign} {self.points:.{decimals}f} {self.name} ({written})"


_WORDS: dict[str, dict[str, str]] = {
    "vi": {
        "at_most": "tối đa",
        "field": "lĩnh vực",
        "node": "tiêu chí",
        "reached": "đạt",
        "not_applicable": "không áp dụng",
        "quota": (
            "{tier}: không quá {share} của {units} đơn vị = {limit}; "
            "{above} đơn vị từ hạng {rank} trở lên; chuyển xuống {to}"
        ),
        "yes": "có",
    },
    "en": {
        "at_most": "at most",
        "field": "field",
        "node": "node",
        "reached": "at",
        "not_applicable": "not applicable",
        "quota": (
            "{tier}: quota {share} of {units} units = {limit}; "
            "{above} units at rank {rank} or above; moved to {to}"
        ),
        "yes": "yes",
    },
}


def _pct(value: float) -> str:
    return f"{value * 100:g}%"


def scale_text(scale: TierScale) -> str:
    """A scale in words: ``"Xuất sắc ≥ 90 (quota 20%); Tốt ≥ 80; Khá ≥ 0 (index)"``."""
    tiers = "; ".join(
        f"{t.name} {t.label()}" + (f" (quota {_pct(t.quota)})" if t.quota is not None else "")
        for t in scale.scale
    )
    return f"{tiers} ({scale.basis})"


def _cap_reason(
    scheme: Scheme, cap: TierCap, value: float | None, decimals: int, words: dict[str, str]
) -> str:
    limit = f"{words['at_most']} {cap.at_most}"
    if cap.node is None:
        return f"{cap.name}: {limit} ({cap.column} = {words['yes']})"
    node = scheme.node(cap.node)
    kind = words["field"] if any(n.id == cap.node for n in scheme.nodes) else words["node"]
    shown = words["not_applicable"] if value is None else f"{value:.{decimals}f}%"
    bound = f"{cap.index_below:g}%"
    return (
        f"{cap.name}: {kind} {cap.node} ({node.name}) {words['reached']} {shown} < {bound}: {limit}"
    )


def _caps(result: Result, u: int, words: dict[str, str]) -> tuple[CapCheck, ...]:
    scheme = result.scheme
    caps = scheme.tiers.caps
    if not caps or result.caps_held is None:
        return ()
    d = scheme.rounding.decimals
    capped_by = "" if result.capped_by is None else str(result.capped_by[u])
    out = []
    for c, cap in enumerate(caps):
        value = None
        if cap.node is not None:
            mx = float(result.node_max_points[cap.node][u])
            if mx > 0:
                value = float(result.component_index[cap.node][u])
        held = bool(result.caps_held[c, u])
        out.append(
            CapCheck(
                id=cap.id,
                name=cap.name,
                at_most=cap.at_most,
                held=held,
                lowered=capped_by == cap.id,
                node=cap.node,
                value=value,
                index_below=cap.index_below,
                reason=_cap_reason(scheme, cap, value, d, words),
            )
        )
    return tuple(out)


def _ranking_group(result: Result, u: int) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """The units ranked with unit *u*: its type, and its group."""
    same = np.ones(result.n_units, dtype=bool)
    if result.unit_types is not None:
        same &= result.unit_types == result.unit_types[u]
    if result.groups is not None:
        same &= result.groups == result.groups[u]
    return same


def group_sizes(result: Result) -> np.ndarray[Any, np.dtype[np.int64]]:
    """For every unit, how many units are ranked with it (its type, and its group)."""
    keys = [k for k in (result.unit_types, result.groups) if k is not None]
    if not keys:
        return np.full(result.n_units, result.n_units, dtype=np.int64)
    codes = np.zeros(result.n_units, dtype=np.int64)
    for key in keys:
        _, inverse = np.unique(key.astype(str), return_inverse=True)
        codes = codes * (int(inverse.max()) + 1) + inverse.reshape(-1)
    _, inverse, counts = np.unique(codes, return_inverse=True, return_counts=True)
    return np.asarray(counts[inverse.reshape(-1)], dtype=np.int64)


def _quota_moves(
    result: Result, u: int, type_id: str | None, words: dict[str, str]
) -> tuple[QuotaMove, ...]:
    if result.quota_moved is None or not result.quota_moved[u] or result.scale_tier is None:
        return ()
    names = result.scheme.tiers.for_type(type_id).names
    scale = result.scheme.tiers.for_type(type_id).scale
    group = np.flatnonzero(_ranking_group(result, u))
    # each unit of the group passed through the tiers from its tier after caps to its final
    # tier: it was a candidate for each of them (a unit moves down one tier at a time)
    first = np.array([names.index(_after_caps(result, int(v))) for v in group])
    last = np.array([names.index(str(result.tier[v])) for v in group])
    ranks = result.rank[group]
    me = int(np.flatnonzero(group == u)[0])
    n = len(group)
    out = []
    for k in range(int(first[me]), int(last[me])):
        quota = scale[k].quota
        if quota is None:  # not reached: a unit moves down only past full quotas
            continue
        limit = quota_limit(quota, n)
        above = int(((first <= k) & (last >= k) & (ranks <= ranks[me])).sum())
        reason = words["quota"].format(
            tier=names[k],
            share=_pct(quota),
            units=n,
            limit=limit,
            above=above,
            rank=int(ranks[me]),
            to=names[k + 1],
        )
        out.append(
            QuotaMove(
                tier=names[k],
                quota=quota,
                units=n,
                limit=limit,
                at_or_above=above,
                moved_to=names[k + 1],
                reason=reason,
            )
        )
    return tuple(out)


def _after_caps(result: Result, v: int) -> str:
    """Unit *v*'s tier after caps, before quotas."""
    if result.capped_by is not None and result.capped_by[v]:
        return next(c.at_most for c in result.scheme.tiers.caps if c.id == result.capped_by[v])
    assert result.scale_tier is not None  # a scheme with quotas keeps the scale's tier
    return str(result.scale_tier[v])


def _items(result: Result, u: int) -> tuple[ItemLine, ...]:
    items = result.scheme.adjustments.items
    written = result.measurements.items
    d = result.scheme.rounding.decimals
    out = []
    for item in items:
        value = float(written[item.id][u]) if item.id in written else 0.0
        pts = result.items.get(item.id)
        points = (
            float(pts[u])
            if pts is not None
            else float(round_half_up(np.array([item.points(value)]), d)[0])
        )
        out.append(
            ItemLine(
                id=item.id,
                name=item.name,
                sign=item.sign,
                column=item.column,
                written=value,
                per=item.per,
                max=item.max,
                points=points,
            )
        )
    return tuple(out)


def _not_for_type(scheme: Scheme, type_id: str | None) -> tuple[str, ...]:
    """The highest nodes that do not apply to *type_id* (their criteria neither)."""
    if type_id is None or scheme.unit_types is None:
        return ()
    out: list[str] = []

    def walk(nodes: Any) -> None:
        for node in nodes:
            if not scheme.applies(node.id, type_id):
                out.append(node.id)
            else:
                walk(node.children)

    walk(scheme.nodes)
    return tuple(out)


def typed_parts(
    result: Result, u: int, *, lang: Language = "vi", among: int | None = None
) -> dict[str, Any]:
    """The :class:`Explanation` fields that unit types, caps, quotas and items add.

    *among*: the size of the unit's ranking group when known (:func:`group_sizes`).
    """
    scheme = result.scheme
    words = _WORDS.get(lang, _WORDS["en"])
    type_id = None if result.unit_types is None else str(result.unit_types[u])
    typed = type_id is not None and scheme.unit_types is not None
    moves = scheme.tiers.caps or scheme.tiers.has_quota
    out: dict[str, Any] = {
        "caps": _caps(result, u, words),
        "quota_moves": _quota_moves(result, u, type_id, words),
        "items": _items(result, u),
    }
    if typed or moves:
        scale = scheme.tiers.for_type(type_id)
        out["scale"] = scale_text(scale)
        out["scale_tier"] = (
            str(result.tier[u]) if result.scale_tier is None else str(result.scale_tier[u])
        )
    if typed:
        assert scheme.unit_types is not None  # typed
        assert type_id is not None
        out["unit_type"] = type_id
        name = scheme.unit_types.name_of(type_id)
        out["type_name"] = None if name == type_id else name
        out["not_for_type"] = _not_for_type(scheme, type_id)
        out["rank_among"] = int(_ranking_group(result, u).sum()) if among is None else among
    return out

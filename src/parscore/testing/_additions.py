"""Strategies for the additions of 0.2: unit types, scales per type, tier caps, quotas, items.

:func:`~parscore.testing.schemes` calls these when asked for ``additions``; the cells they
need (the type column, ``cap:<id>`` and ``adj:<id>`` columns) are drawn by
:func:`~parscore.testing.measurements_for` from the scheme alone.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Literal

import attrs
from hypothesis import strategies as st

from parscore.model import (
    AdjustmentItem,
    Node,
    Scheme,
    Tier,
    TierCap,
    TierScale,
    UnitType,
    UnitTypes,
)
from parscore.testing._common import ROLL, decimal, max_of

__all__ = [
    "ADDITIONS",
    "TIER_NAMES",
    "additions_of",
    "applicable_leaves",
    "caps",
    "items",
    "scale",
    "unit_types",
    "with_applies_to",
]

ADDITIONS: tuple[str, ...] = ("unit_types", "caps", "quotas", "items")
"""The additions :func:`~parscore.testing.schemes` can draw: ``unit_types`` (types, nodes with
``applies_to``, scales ``by_type``), ``caps`` (tier caps from a yes/no column or a node's
index), ``quotas`` (``quota`` on tiers) and ``items`` (named adjustment items).

.. versionadded:: 0.2
"""

TIER_NAMES: tuple[str, ...] = ("Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu")
"""Tier names of the generated scales, best first; every scale ends with the last."""

_TYPES = (
    ("so", "Sở, ban, ngành"),
    ("huyen", "UBND cấp huyện"),
    ("xa", "UBND cấp xã"),
)
_CAPS = (
    ("ky_luat", "Người đứng đầu bị kỷ luật"),
    ("tthc_yeu", "Lĩnh vực cải cách TTHC đạt dưới 50%"),
    ("khieu_nai", "Có khiếu nại kéo dài"),
)
_ITEMS = (
    ("sang_kien", "Sáng kiến CCHC được công nhận"),
    ("vi_pham", "Vi phạm kỷ luật hành chính"),
    ("khen_thuong", "Được khen thưởng"),
    ("tre_han", "Báo cáo trễ hạn"),
)
_QUOTAS = (0.1, 0.2, 0.25, 0.3, 0.5, 1.0)


def additions_of(value: bool | Iterable[str]) -> frozenset[str]:
    """The additions a flag asks for: every one for True, none for False, else those named.

    Raises:
        ValueError: for a name that is no addition.
    """
    if value is True:
        return frozenset(ADDITIONS)
    if value is False:
        return frozenset()
    chosen = frozenset(value)
    unknown = sorted(chosen - set(ADDITIONS))
    if unknown:
        msg = f"no such addition: {', '.join(unknown)} (choose from {', '.join(ADDITIONS)})"
        raise ValueError(msg)
    return chosen


def sometimes(draw: st.DrawFn) -> bool:
    """True in about eight draws of ten: an asked-for addition is left out now and then."""
    return draw(ROLL) < 8


# -- unit types and applies_to ----------------------------------------------------------------


@st.composite
def unit_types(draw: st.DrawFn) -> UnitTypes:
    """Two or three types (sở, huyện, xã), named or not, in the column ``type`` or another."""
    k = draw(st.integers(2, 3))
    types = [
        UnitType(id=tid, name=name if draw(st.booleans()) else None) for tid, name in _TYPES[:k]
    ]
    column = draw(st.sampled_from(["type", "loai_don_vi"]))
    return UnitTypes(types=types, column=column)


def _uncovered(
    nodes: Sequence[Node], own: dict[str, tuple[str, ...] | None], type_ids: tuple[str, ...]
) -> list[str]:
    """The types no leaf applies to, given each node's own ``applies_to``."""
    covered: set[str] = set()

    def walk(node: Node, allowed: frozenset[str]) -> None:
        mine = own[node.id]
        here = allowed if mine is None else allowed & frozenset(mine)
        if node.is_leaf:
            covered.update(here)
        for child in node.children:
            walk(child, here)

    for top in nodes:
        walk(top, frozenset(type_ids))
    return [t for t in type_ids if t not in covered]


def with_applies_to(
    draw: st.DrawFn, nodes: Sequence[Node], type_ids: tuple[str, ...]
) -> list[Node]:
    """*nodes* with ``applies_to`` on about one node in four, each within its parent's types.

    Every type keeps at least one leaf: a type left without one is added along the path to
    the first leaf.
    """
    own: dict[str, tuple[str, ...] | None] = {}

    def pick(node: Node, allowed: tuple[str, ...]) -> None:
        mine: tuple[str, ...] | None = None
        if draw(ROLL) < 3:
            sub = draw(st.lists(st.sampled_from(allowed), min_size=1, unique=True))
            mine = tuple(t for t in allowed if t in sub)  # in declared order
        own[node.id] = mine
        for child in node.children:
            pick(child, allowed if mine is None else mine)

    for top in nodes:
        pick(top, type_ids)
    path = [nodes[0]]
    while not path[-1].is_leaf:
        path.append(path[-1].children[0])
    for t in _uncovered(nodes, own, type_ids):
        for node in path:
            mine = own[node.id]
            if mine is not None and t not in mine:
                own[node.id] = tuple(x for x in type_ids if x in mine or x == t)

    def rebuild(node: Node) -> Node:
        return attrs.evolve(
            node, applies_to=own[node.id], children=[rebuild(c) for c in node.children]
        )

    return [rebuild(top) for top in nodes]


def applicable_leaves(scheme: Scheme, type_id: str | None) -> list[Node]:
    """The leaves that apply to units of *type_id* (every leaf for None)."""
    out: list[Node] = []

    def walk(node: Node) -> None:
        if type_id is not None and node.applies_to is not None and type_id not in node.applies_to:
            return
        if node.is_leaf:
            out.append(node)
        for child in node.children:
            walk(child)

    for top in scheme.nodes:
        walk(top)
    return out


def type_max(nodes: Sequence[Node], type_id: str | None) -> float:
    """The sum of the maxima of the leaves that apply to *type_id*."""
    total = 0.0

    def walk(node: Node) -> None:
        nonlocal total
        if type_id is not None and node.applies_to is not None and type_id not in node.applies_to:
            return
        if node.is_leaf:
            total += max_of(node)
        for child in node.children:
            walk(child)

    for top in nodes:
        walk(top)
    return total


# -- tier scales with caps and quotas ---------------------------------------------------------


@st.composite
def scale(draw: st.DrawFn, total_max: float, required: frozenset[str], quotas: bool) -> TierScale:
    """A scale of tiers named from :data:`TIER_NAMES`, holding every name in *required*.

    Bounds have up to 2 decimals, some strict (``above``); with *quotas* about a third of the
    tiers above the last get a quota.
    """
    basis: Literal["index", "total"] = "total" if draw(st.booleans()) else "index"
    top = 100.0 if basis == "index" else total_max
    room = math.floor(top * 100 + 1e-9)  # bounds in hundredths, from 0.01 to top
    needed = sorted(n for n in required if n != TIER_NAMES[-1])
    hundredths = st.one_of(
        st.integers(1, room),
        st.sampled_from([k for k in (8000, 7999, 5000, room) if k <= room]),
    )
    bounds = draw(st.lists(hundredths, min_size=len(needed), max_size=min(4, room), unique=True))
    others = [n for n in TIER_NAMES[:-1] if n not in needed]
    extra = draw(st.permutations(others))[: len(bounds) - len(needed)]
    names = [n for n in TIER_NAMES[:-1] if n in needed or n in extra]
    tiers = []
    for name, k in zip(names, sorted(bounds, reverse=True), strict=True):
        bound = k / 100
        quota = draw(st.sampled_from(_QUOTAS)) if quotas and draw(ROLL) < 4 else None
        if bound < top - 1e-6 and draw(st.booleans()):  # strict below the top: none above it
            tiers.append(Tier(name=name, above=bound, quota=quota))
        else:
            tiers.append(Tier(name=name, min=bound, quota=quota))
    tiers.append(Tier(name=TIER_NAMES[-1], min=0.0))
    return TierScale(scale=tiers, basis=basis)


def cap_targets(draw: st.DrawFn, room: int) -> list[str]:
    """The ``at_most`` of 1–3 caps: tier names below the best, at most *room* above the last."""
    targets = draw(st.lists(st.sampled_from(TIER_NAMES[1:]), min_size=1, max_size=3))
    upper = sorted({t for t in targets if t != TIER_NAMES[-1]}, key=TIER_NAMES.index)
    keep = set(upper[:room])
    return [t if t in keep or t == TIER_NAMES[-1] else TIER_NAMES[-1] for t in targets]


@st.composite
def caps(draw: st.DrawFn, targets: Sequence[str], node_ids: Sequence[str]) -> list[TierCap]:
    """One cap per name in *targets*: a yes/no column cap or a node cap (index below a bound)."""
    out = []
    for (cid, name), at_most in zip(_CAPS, targets, strict=False):
        if draw(st.booleans()):
            below = draw(st.one_of(st.sampled_from([50.0, 80.0, 100.0]), decimal(0.01, 100, 2)))
            out.append(
                TierCap(
                    id=cid,
                    name=name,
                    at_most=at_most,
                    node=draw(st.sampled_from(list(node_ids))),
                    index_below=below,
                )
            )
        else:
            out.append(TierCap(id=cid, name=name, at_most=at_most))
    return out


@st.composite
def items(draw: st.DrawFn) -> list[AdjustmentItem]:
    """1–3 named bonus or penalty items, with or without their own max and a per-count rate."""
    k = draw(st.integers(1, 3))
    chosen = draw(st.permutations(_ITEMS))[:k]
    out = []
    for iid, name in chosen:
        sign: Literal["bonus", "penalty"] = draw(st.sampled_from(["bonus", "penalty"]))
        out.append(
            AdjustmentItem(
                id=iid,
                name=name,
                sign=sign,
                max=draw(st.sampled_from([None, 0.5, 1.0, 2.0])),
                per=draw(st.sampled_from([None, None, 0.25, 0.5, 1.0])),
            )
        )
    return out

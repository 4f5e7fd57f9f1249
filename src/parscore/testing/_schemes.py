"""Strategies for whole schemes: node trees, tier scales, rounding, adjustments, ranking."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Literal

from hypothesis import strategies as st

from parscore.model import (
    Adjustment,
    Adjustments,
    MissingPolicy,
    Node,
    Ranking,
    Rounding,
    Scheme,
    Tier,
    TierScale,
)
from parscore.testing._additions import (
    TIER_NAMES,
    additions_of,
    cap_targets,
    caps,
    items,
    scale,
    sometimes,
    type_max,
    unit_types,
    with_applies_to,
)
from parscore.testing._common import decimal, max_of
from parscore.testing._rules import rules

__all__ = ["MAX_NODES", "POLICIES", "schemes"]

MAX_NODES = 30
"""The most nodes a generated scheme has by default."""

POLICIES: tuple[MissingPolicy, ...] = ("error", "zero", "not_applicable")
"""Every missing-value policy."""

_MAXES = st.one_of(
    st.integers(1, 10).map(float),
    st.integers(1, 40).map(lambda k: k / 4),
    st.integers(1, 1000).map(lambda k: k / 100),
)


def _node(draw: st.DrawFn, node_id: str, depth: int, max_depth: int, budget: list[int]) -> Node:
    budget[0] -= 1
    name = f"Tiêu chí {node_id}"
    legal = draw(st.sampled_from([None, f"Quyết định số 1/QĐ-UBND, mục {node_id}"]))
    if depth < max_depth and budget[0] >= 2 and draw(st.booleans()):
        n_children = draw(st.integers(1, min(4, budget[0])))
        children = [
            _node(draw, f"{node_id}.{i + 1}", depth + 1, max_depth, budget)
            for i in range(n_children)
        ]
        stated = math.fsum(max_of(c) for c in children) if draw(st.booleans()) else None
        return Node(id=node_id, name=name, max_points=stated, children=children, legal_basis=legal)
    max_points = draw(_MAXES)
    return Node(
        id=node_id,
        name=name,
        max_points=max_points,
        rule=draw(rules(max_points)),
        legal_basis=legal,
        missing=draw(st.sampled_from([None, None, *POLICIES])),
    )


@st.composite
def _tiers(draw: st.DrawFn, total_max: float) -> TierScale:
    basis: Literal["index", "total"] = "total" if draw(st.booleans()) else "index"
    top = 100.0 if basis == "index" else total_max
    mins = draw(
        st.lists(
            st.one_of(decimal(0, top, 0), decimal(0, top, 2), st.sampled_from([80.0, 79.99])),
            max_size=3,
            unique=True,
        ).map(lambda xs: sorted({x for x in xs if 0 < x <= top}, reverse=True))
    )
    names = [*["Xuất sắc", "Tốt", "Khá", "Trung bình"][: len(mins)], "Yếu"]
    # some bounds strict ("trên 80%"): above, below the top (above it nothing is); the last
    # tier always has min 0
    strict = [m < top - 1e-6 and draw(st.booleans()) for m in mins] + [False]
    scale = [
        Tier(name=n, above=m) if s else Tier(name=n, min=m)
        for n, m, s in zip(names, [*mins, 0.0], strict, strict=True)
    ]
    return TierScale(scale=scale, basis=basis)


def _decimals_of(value: float) -> int:
    """The fewest decimals (0–4) that write *value* exactly."""
    for d in range(5):
        scaled = value * 10**d
        if abs(scaled - round(scaled)) < 1e-9 * max(1.0, abs(scaled)):
            return d
    return 4


@st.composite
def _tiers_with_additions(
    draw: st.DrawFn,
    nodes: list[Node],
    type_ids: tuple[str, ...],
    chosen: frozenset[str],
) -> TierScale | None:
    """Tiers with caps, quotas or a scale per type, or None when none was drawn."""
    total_max = math.fsum(max_of(n) for n in nodes)
    node_ids = [n.id for top in nodes for n in top.walk()]
    targets: list[str] = []
    if "caps" in chosen and sometimes(draw):
        # every scale holds every at_most: room for that many bounds above the last tier
        smallest = min(type_max(nodes, t) for t in type_ids) if type_ids else total_max
        targets = cap_targets(draw, min(3, math.floor(smallest * 100 + 1e-9)))
    quotas = "quotas" in chosen and sometimes(draw)
    if not (targets or quotas or type_ids):
        return None
    required = frozenset([*targets, TIER_NAMES[-1]])
    by_type = [
        (t, draw(scale(type_max(nodes, t), required, quotas)))
        for t in type_ids
        if draw(st.booleans())
    ]
    tier_caps = draw(caps(targets, node_ids)) if targets else []
    if type_ids and len(by_type) == len(type_ids) and draw(st.booleans()):
        return TierScale(scale=(), by_type=by_type, caps=tier_caps)  # no scale for all
    v1 = draw(scale(total_max, required, quotas))
    return TierScale(scale=v1.scale, basis=v1.basis, by_type=by_type, caps=tier_caps)


@st.composite
def schemes(
    draw: st.DrawFn,
    max_nodes: int = MAX_NODES,
    *,
    additions: bool | Iterable[str] = False,
) -> Scheme:
    """Valid schemes: trees of depth 1–4 mixing every built-in rule kind.

    Node ids are hierarchical codes ("1", "1.2", "1.2.3"); leaf maxima have at most 2
    decimals; parents state their max or not. Tiers are on the index or on the total with
    1–4 bounds (inclusive ``min`` or strict ``above``) above the last tier at 0; rounding
    keeps 0–3 decimals at the report or at the leaves (then at least as many as any leaf max
    has); the missing-value policy is random for the scheme and sometimes for a leaf; bonus
    and penalty caps and a tie-break by 1–2 nodes are optional.

    With *additions*, schemes also use the additions of 0.2, each in about eight schemes of
    ten (names in :data:`ADDITIONS`):

    - ``unit_types``: 2–3 unit types (some named), in the column ``type`` or
      ``loai_don_vi``; about one node in four has ``applies_to`` (within its parent's
      types; every type keeps a leaf); some types have their own scale in ``by_type`` (when
      all do, the scale for all may be left empty);
    - ``caps``: 1–3 tier caps, each reading a yes/no column ``cap:<id>`` or testing a node's
      component index against ``index_below``; every scale holds every ``at_most``;
    - ``quotas``: about a third of the tiers above the last have a ``quota``;
    - ``items``: 1–3 named bonus or penalty items, some per count, some with their own max.

    Args:
        draw: Supplied by Hypothesis.
        max_nodes: The most nodes a scheme may have (30 by default).
        additions: True for every addition, False (default) for v1 schemes only, or the
            names of the additions to draw (e.g. ``{"unit_types", "caps"}``).

    Returns:
        A strategy of :class:`~parscore.model.Scheme`.

    Raises:
        ValueError: for a name in *additions* that is no addition.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 *additions*.
    """
    chosen = additions_of(additions)
    max_depth = draw(st.integers(1, 4))
    budget = [max_nodes]
    n_top = draw(st.integers(1, 4))
    nodes = []
    for i in range(n_top):
        if budget[0] <= 0:
            break
        nodes.append(_node(draw, str(i + 1), 1, max_depth, budget))
    types = draw(unit_types()) if "unit_types" in chosen and sometimes(draw) else None
    if types is not None:
        nodes = with_applies_to(draw, nodes, types.ids)
    total_max = math.fsum(max_of(n) for n in nodes)
    node_ids = [n.id for top in nodes for n in top.walk()]
    adjustments = Adjustments(
        bonus=draw(st.sampled_from([None, Adjustment(max=1.0), Adjustment(max=2.5)])),
        penalty=draw(st.sampled_from([None, Adjustment(max=2.0), Adjustment(max=0.5)])),
        items=draw(items()) if "items" in chosen and sometimes(draw) else (),
    )
    ranking = Ranking(
        by=draw(st.sampled_from(["index", "total"])),
        method=draw(st.sampled_from(["competition", "dense", "ordinal"])),
        tie_break=draw(
            st.one_of(
                st.just(()),
                st.lists(st.sampled_from(node_ids), min_size=1, max_size=2, unique=True).map(tuple),
            )
        ),
    )
    where: Literal["report", "leaf"] = draw(st.sampled_from(["report", "leaf"]))
    # leaf rounding needs every leaf max written with the rounding's decimals
    needed = (
        max(_decimals_of(max_of(leaf)) for top in nodes for leaf in top.leaves())
        if where == "leaf"
        else 0
    )
    tiers = (
        draw(_tiers_with_additions(nodes, () if types is None else types.ids, chosen))
        if chosen
        else None
    )
    return Scheme(
        id="generated-scheme",
        name="Bộ chỉ số sinh ngẫu nhiên",
        nodes=nodes,
        tiers=tiers if tiers is not None else draw(_tiers(total_max)),
        rounding=Rounding(decimals=draw(st.integers(needed, 3)), where=where),
        missing=draw(st.sampled_from(POLICIES)),
        adjustments=adjustments,
        ranking=ranking,
        unit_types=types,
    )

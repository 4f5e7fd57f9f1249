"""Where units lose points, which criteria most units lose, and what lifts a unit a tier.

.. versionadded:: 0.1
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import attrs
import numpy as np

from parscore._rounding import round_half_up
from parscore.analysis._common import (
    HTML_ROWS,
    AnalysisError,
    ObjectArray,
    adjusted_total,
    adjustment_terms,
    applicable_max,
    fmt,
    has_adjustments,
    html_table,
    node_max_matrix,
    pandas,
)
from parscore.ranking import tier_position
from parscore.result import Result
from parscore.typing import BoolArray, FloatArray, IntArray, Rule

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Gaps", "gaps"]

_NONE = np.array(None, dtype=object)


@attrs.frozen(kw_only=True, eq=False)
class Gaps:
    """Points lost against the applicable maximum, per unit, per criterion, and to the next tier.

    Attributes:
        scheme_id: The scheme's id.
        decimals: Decimals of every number.
        unit_ids: Unit ids, shape ``(n_units,)``.
        node_ids: Every node, depth first, shape ``(n_nodes,)``.
        lost: Points lost (applicable max - points) per unit and node, rounded,
            ``(n_units, n_nodes)``; 0 where the node does not apply.
        top: How many leaves ``top_nodes`` keeps per unit.
        top_nodes: The leaves where each unit lost most, largest first, object array of
            str ``(n_units, top)``; None where the unit lost points on fewer leaves.
        top_lost: Their points lost, ``(n_units, top)``; NaN where ``top_nodes`` is None.
        criteria_ids: Every node, sorted by the number of units losing points on it (then
            by the points lost in all), shape ``(n_nodes,)``.
        criteria_units_losing: Units losing points on each of ``criteria_ids``, int64.
        criteria_units_applicable: Units to which each applies, int64.
        criteria_total_lost: Points lost by all units, rounded.
        criteria_mean_lost: Mean points lost per unit to which the node applies, rounded;
            NaN when it applies to none.
        criteria_is_leaf: Whether each is a leaf (a criterion a unit acts on), bool.
        tier_names: The scheme's tiers, best first.
        tier: Each unit's tier.
        target_tier: The next better tier, object array ``(n_units,)``; None for units in
            the top tier.
        points_needed: Points (of the tree) the unit needs to reach ``target_tier``, rounded
            up to ``decimals``; NaN for top-tier units.
        target_nodes: A small set of leaves whose full recovery reaches ``target_tier``,
            object array of tuples of node ids ``(n_units,)``; None for top-tier units, and
            every leaf with points to recover when even that is not enough.
        target_points: Points those leaves recover, rounded; NaN for top-tier units.
        reachable: Whether recovering every leaf would reach ``target_tier`` (a penalty can
            keep a unit below it), bool ``(n_units,)``; False for top-tier units.

    .. versionadded:: 0.1
    """

    scheme_id: str
    decimals: int
    unit_ids: ObjectArray
    node_ids: tuple[str, ...]
    node_names: tuple[str, ...] = attrs.field(repr=False)
    lost: FloatArray = attrs.field(repr=False)
    top: int
    top_nodes: ObjectArray = attrs.field(repr=False)
    top_lost: FloatArray = attrs.field(repr=False)
    criteria_ids: tuple[str, ...] = attrs.field(repr=False)
    criteria_units_losing: IntArray = attrs.field(repr=False)
    criteria_units_applicable: IntArray = attrs.field(repr=False)
    criteria_total_lost: FloatArray = attrs.field(repr=False)
    criteria_mean_lost: FloatArray = attrs.field(repr=False)
    criteria_is_leaf: BoolArray = attrs.field(repr=False)
    tier_names: tuple[str, ...]
    tier: ObjectArray = attrs.field(repr=False)
    target_tier: ObjectArray = attrs.field(repr=False)
    points_needed: FloatArray = attrs.field(repr=False)
    target_nodes: ObjectArray = attrs.field(repr=False)
    target_points: FloatArray = attrs.field(repr=False)
    reachable: BoolArray = attrs.field(repr=False)

    def unit(self, unit_id: str) -> list[tuple[str, float]]:
        """The leaves where *unit_id* lost most: ``[(node id, points lost), …]``.

        Raises:
            KeyError: when no unit has that id.
        """
        hits = np.flatnonzero(self.unit_ids == unit_id)
        if not hits.size:
            msg = f"no unit {unit_id!r} in the gaps"
            raise KeyError(msg)
        u = int(hits[0])
        return [
            (str(n), float(v))
            for n, v in zip(self.top_nodes[u], self.top_lost[u], strict=True)
            if n is not None
        ]

    def to_pandas(self, kind: str = "units") -> pd.DataFrame:
        """The gaps as a table.

        Args:
            kind: ``units`` (default): one row per unit and top leaf (``unit_id``,
                ``position``, ``node_id``, ``name``, ``lost``); ``criteria``: one row per node
                sorted by the units losing points on it; ``targets``: one row per unit with
                its tier, target tier, points needed, leaves to recover and their points;
                ``nodes``: the points lost, one row per unit and a column per node.

        Raises:
            ValueError: for another *kind*.
            MissingDependencyError: when pandas is not installed.
        """
        pd_mod = pandas()
        if kind == "units":
            keep = np.array([n is not None for n in self.top_nodes.ravel()], dtype=bool)
            name_of = dict(zip(self.node_ids, self.node_names, strict=True))
            nodes = self.top_nodes.ravel()[keep]
            return pd_mod.DataFrame(  # type: ignore[no-any-return]
                {
                    "unit_id": np.repeat(self.unit_ids.astype(str), self.top)[keep],
                    "position": np.tile(np.arange(1, self.top + 1), len(self.unit_ids))[keep],
                    "node_id": nodes.astype(str),
                    "name": [name_of[n] for n in nodes],
                    "lost": self.top_lost.ravel()[keep],
                }
            )
        if kind == "criteria":
            name_of = dict(zip(self.node_ids, self.node_names, strict=True))
            return pd_mod.DataFrame(  # type: ignore[no-any-return]
                {
                    "node_id": list(self.criteria_ids),
                    "name": [name_of[n] for n in self.criteria_ids],
                    "is_leaf": self.criteria_is_leaf,
                    "units_losing": self.criteria_units_losing,
                    "units_applicable": self.criteria_units_applicable,
                    "total_lost": self.criteria_total_lost,
                    "mean_lost": self.criteria_mean_lost,
                }
            )
        if kind == "targets":
            return pd_mod.DataFrame(  # type: ignore[no-any-return]
                {
                    "unit_id": self.unit_ids.astype(str),
                    "tier": self.tier.astype(str),
                    "target_tier": self.target_tier,
                    "points_needed": self.points_needed,
                    "target_nodes": [
                        None if t is None else ", ".join(t) for t in self.target_nodes
                    ],
                    "target_points": self.target_points,
                    "reachable": self.reachable,
                }
            )
        if kind == "nodes":
            frame = pd_mod.DataFrame(self.lost, columns=list(self.node_ids))
            frame.insert(0, "unit_id", self.unit_ids.astype(str))
            return frame  # type: ignore[no-any-return]
        msg = f"kind must be 'units', 'criteria', 'targets' or 'nodes', found {kind!r}"
        raise ValueError(msg)

    def __repr__(self) -> str:
        n_targets = int(np.count_nonzero(self.target_tier != None))  # noqa: E711 - elementwise
        return (
            f"<Gaps {self.scheme_id}: {len(self.unit_ids)} units, top {self.top} leaves each, "
            f"{n_targets} units with a next-tier target>"
        )

    def _repr_html_(self) -> str:
        d = self.decimals
        leaf_rows = np.flatnonzero(self.criteria_is_leaf)[:HTML_ROWS]
        name_of = dict(zip(self.node_ids, self.node_names, strict=True))
        rows = [
            (
                self.criteria_ids[i],
                name_of[self.criteria_ids[i]],
                f"{self.criteria_units_losing[i]} / {self.criteria_units_applicable[i]}",
                fmt(self.criteria_total_lost[i], d),
                fmt(self.criteria_mean_lost[i], d),
            )
            for i in leaf_rows
        ]
        n_targets = int(np.count_nonzero(self.target_tier != None))  # noqa: E711 - elementwise
        return html_table(
            f"{self.scheme_id}: criteria where most units lose points",
            ("criterion", "name", "units losing", "points lost", "mean lost"),
            rows,
            total_rows=int(np.count_nonzero(self.criteria_is_leaf)),
            notes=[f"{n_targets} of {len(self.unit_ids)} units have a next-tier target"],
        )


def gaps(result: Result, top: int = 5) -> Gaps:
    """Where each unit lost points, the criteria most units lose, and next-tier targets.

    Points lost are ``applicable max - points`` for every node and unit. For every unit
    below the top tier, the target is the next better tier, and the leaves proposed are a
    small set whose recovery reaches it: leaves are taken greedily, largest recoverable
    points first. That gives the fewest leaves possible (no smaller set recovers as much);
    the last leaf is then swapped for the smallest one that still suffices, so when one leaf
    is enough the answer is exact: the smallest single leaf that reaches the tier. With two
    or more leaves the set is greedy, not necessarily the one recovering the fewest points.

    A leaf's recoverable points are its rule's best points (the top of its exact bounds, at
    most the leaf's max: less for a ``choice``, ``bands`` or ``survey`` rule whose best option
    is worth less) minus its points.
    Recovering leaves raises the tree's points by their sum; the total is then computed as
    the engine does (bonus added, penalty taken, clipped to ``[0, applicable max]``), and the
    rounded index (or total, by the tiers' basis) is compared with the tier's minimum.

    Args:
        result: The result.
        top: How many leaves to list per unit (those where it lost most).

    Returns:
        The gaps.

    Raises:
        AnalysisError: when *top* is below 1.

    .. versionadded:: 0.1
    """
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        msg = f"gaps(top=...) must be a whole number of leaves, at least 1; found {top!r}"
        raise AnalysisError(msg)
    compiled = result.compiled
    scheme = result.scheme
    d = scheme.rounding.decimals
    n_units = result.n_units
    display = compiled.display_pos
    node_ids = tuple(compiled.node_ids[i] for i in display)
    all_max = node_max_matrix(result, display)  # (n_nodes, n_units), display order
    raw_lost = all_max - result.node_points[display]
    lost = round_half_up(raw_lost, d)

    # -- per unit: the leaves where it lost most ------------------------------------------------
    leaf_max = node_max_matrix(result, compiled.leaf_pos)  # (n_leaves, n_units)
    leaf_points = result.node_points[compiled.leaf_pos]
    leaf_lost = leaf_max - leaf_points
    leaf_lost_r = round_half_up(leaf_lost, d)
    k = min(top, compiled.n_leaves)
    order = np.argsort(-leaf_lost, axis=0, kind="stable")[:k]  # (k, n_units)
    top_lost = np.take_along_axis(leaf_lost_r, order, axis=0)
    leaf_id_arr = np.array(compiled.leaf_ids, dtype=object)
    top_nodes = np.where(top_lost > 0, leaf_id_arr[order], _NONE).T
    top_lost_out = np.where(top_lost > 0, top_lost, np.nan).T
    if k < top:
        pad = top - k
        top_nodes = np.hstack([top_nodes, np.full((n_units, pad), None, dtype=object)])
        top_lost_out = np.hstack([top_lost_out, np.full((n_units, pad), np.nan)])

    # -- per criterion: how many units lose points on it -------------------------------------------
    applies = all_max > 0
    losing = np.count_nonzero(lost > 0, axis=1).astype(np.int64)
    n_applicable = np.count_nonzero(applies, axis=1).astype(np.int64)
    total_lost = raw_lost.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):  # a node that applies to no unit
        mean_lost = np.where(n_applicable > 0, total_lost / n_applicable, np.nan)
    total_lost_r = round_half_up(total_lost, d)
    crit = np.lexsort((np.arange(len(node_ids)), -total_lost_r, -losing))
    is_leaf = np.array([not scheme.node(n).children for n in node_ids], dtype=bool)

    # -- next-tier targets ---------------------------------------------------------------------
    targets = _targets(result, leaf_max, leaf_points, d)

    return Gaps(
        scheme_id=scheme.id,
        decimals=d,
        unit_ids=result.unit_ids,
        node_ids=node_ids,
        node_names=tuple(scheme.node(n).name for n in node_ids),
        lost=lost.T,
        top=top,
        top_nodes=top_nodes,
        top_lost=top_lost_out,
        criteria_ids=tuple(node_ids[i] for i in crit),
        criteria_units_losing=losing[crit],
        criteria_units_applicable=n_applicable[crit],
        criteria_total_lost=total_lost_r[crit],
        criteria_mean_lost=round_half_up(mean_lost, d)[crit],
        criteria_is_leaf=is_leaf[crit],
        tier_names=scheme.tiers.names,
        tier=result.tier,
        target_tier=targets.target_tier,
        points_needed=targets.points_needed,
        target_nodes=targets.target_nodes,
        target_points=targets.target_points,
        reachable=targets.reachable,
    )


class _Targets(NamedTuple):
    target_tier: ObjectArray
    points_needed: FloatArray
    target_nodes: ObjectArray
    target_points: FloatArray
    reachable: BoolArray


def _targets(result: Result, leaf_max: FloatArray, leaf_points: FloatArray, d: int) -> _Targets:
    """Next-tier targets of every unit (see :func:`gaps`), vectorised over units and leaves."""
    compiled = result.compiled
    scheme = result.scheme
    tiers = scheme.tiers
    n_leaves, n_units = leaf_points.shape
    basis_total = tiers.basis == "total"
    # the lowest rounded value in each tier: min, or the first value of d decimals above `above`
    scale = 10.0**d
    mins = np.array(
        [
            (np.floor(t.bound * scale + 1e-9) + 1.0) / scale if t.is_strict else t.bound
            for t in tiers.scale
        ],
        dtype=np.float64,
    )
    names = np.array(tiers.names, dtype=object)
    pos = tier_position(result.total if basis_total else result.index, tiers)
    needs = pos > 0
    target_pos = np.maximum(pos - 1, 0)
    target_min = mins[target_pos]  # (n_units,)

    # best points each leaf can reach, and what recovering it adds
    best = np.array(
        [
            _best_points(scheme.node(leaf_id).rule, float(mx))
            for leaf_id, mx in zip(compiled.leaf_ids, compiled.leaf_max, strict=True)
        ],
        dtype=np.float64,
    )
    if scheme.rounding.where == "leaf":  # the engine rounds each leaf's points first
        best = round_half_up(best, d)
    recoverable = np.where(leaf_max > 0, np.maximum(best[:, None] - leaf_points, 0.0), 0.0)
    order = np.argsort(-recoverable, axis=0, kind="stable")  # (n_leaves, n_units)
    rec_sorted = np.take_along_axis(recoverable, order, axis=0)
    cum = np.cumsum(rec_sorted, axis=0)

    tree_total = result.node_points[: compiled.n_top].sum(axis=0)
    bonus, penalty = adjustment_terms(result)
    app_max = applicable_max(result)

    clip = has_adjustments(result)

    def reaches(extra: FloatArray) -> BoolArray:
        """Whether adding *extra* tree points (``(..., n_units)``) reaches the target tier."""
        total = adjusted_total(tree_total + extra, bonus, penalty, app_max, clip=clip)
        value = total if basis_total else total / app_max * 100.0
        return np.asarray(round_half_up(value, d) >= target_min)

    ok = reaches(cum) & (rec_sorted > 0)  # (n_leaves, n_units): recovering the first j + 1
    reachable = needs & ok.any(axis=0)
    n_take = np.where(reachable, ok.argmax(axis=0) + 1, np.count_nonzero(rec_sorted > 0, axis=0))
    # swap the last leaf for the smallest that still suffices (exact when one leaf suffices)
    base = np.where(n_take > 1, np.take_along_axis(cum, np.maximum(n_take - 2, 0)[None], 0)[0], 0)
    trial_ok = reaches(base[None] + rec_sorted) & (rec_sorted > 0)
    later = np.arange(n_leaves)[:, None] >= (n_take - 1)[None]
    last = (n_take - 1) + np.count_nonzero(trial_ok & later, axis=0) - 1
    last = np.where(reachable, last, n_take - 1)

    leaf_ids = compiled.leaf_ids
    target_nodes = np.empty(n_units, dtype=object)
    target_points = np.full(n_units, np.nan)
    for u in np.flatnonzero(needs):  # builds the output tuples only; the search is vectorised
        m = int(n_take[u])
        chosen = [*order[: max(m - 1, 0), u].tolist(), int(order[last[u], u])] if m else []
        target_nodes[u] = tuple(leaf_ids[i] for i in sorted(chosen))
        target_points[u] = recoverable[chosen, u].sum() if chosen else 0.0

    # points needed: the smallest tree increase whose rounded value reaches the tier minimum
    step_min = np.ceil(target_min * scale - 1e-9) / scale - 0.5 / scale
    need_total = step_min if basis_total else step_min * app_max / 100.0
    # before the clip: a unit clipped to 0 by its penalty must first make up the difference
    start = tree_total + (0.0 if bonus is None else bonus) - (0.0 if penalty is None else penalty)
    needed = np.maximum(need_total - start, 0.0)
    needed = np.ceil(needed * scale - 1e-6) / scale
    return _Targets(
        target_tier=np.where(needs, names[target_pos], _NONE),
        points_needed=np.where(needs, needed, np.nan),
        target_nodes=target_nodes,
        target_points=np.where(needs, round_half_up(target_points, d), np.nan),
        reachable=reachable,
    )


def _best_points(rule: Rule | None, max_points: float) -> float:
    """The most points a leaf's rule can award: its exact bounds' top, at most the leaf's max.

    Every rule's bounds are exact (a survey whose best option is worth 80 % tops out at
    80 % of its max), so no rule kind needs a case of its own.
    """
    top = max_points if rule is None else float(rule.bounds(max_points)[1])
    return min(top, max_points)

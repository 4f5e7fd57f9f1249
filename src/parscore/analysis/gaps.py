"""Where units lose points, which criteria most units lose, and what lifts a unit a tier.

.. versionadded:: 0.1
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import numpy as np

from parscore._rounding import round_half_up
from parscore.analysis._common import (
    HTML_ROWS,
    AnalysisError,
    ObjectArray,
    fmt,
    html_table,
    node_max_matrix,
    pandas,
)
from parscore.analysis._targets import next_tier_targets
from parscore.analysis._types import all_tier_names
from parscore.result import Result
from parscore.typing import BoolArray, FloatArray, IntArray

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
        tier_names: The scheme's tiers, best first (with a scale per unit type, every
            type's tiers in one order).
        tier: Each unit's tier.
        target_tier: The next better tier of the unit's own scale, object array
            ``(n_units,)``; None for units in the top tier and for units a yes/no cap
            blocks (``blocked_by``).
        points_needed: Points (of the tree) the unit needs to reach ``target_tier``, rounded
            up to ``decimals`` (with ``lifted_caps``, at least the points that lift them);
            NaN where there is no target.
        target_nodes: A small set of leaves whose full recovery reaches ``target_tier``,
            object array of tuples of node ids ``(n_units,)``; None where there is no target,
            every leaf with points to recover when even that is not enough, and ``()`` for
            a unit that reaches the tier's bound already (a quota moved it).
        target_points: Points those leaves recover, rounded; NaN where there is no target.
        reachable: Whether recovering every leaf would reach ``target_tier`` (a penalty can
            keep a unit below it, a node cap may not be liftable), bool ``(n_units,)``; False
            where there is no target. With a quota, see ``quota_limited``.
        unit_types: Each unit's type, or None without unit types.
        blocked_by: The id of the yes/no cap (``cap:<id>`` column) that keeps the unit below
            its next tier, object array ``(n_units,)``, None elsewhere: no points lift it, so
            the unit has no target.
        lifted_caps: Ids of the node caps (a node's component index below a bound) that keep
            the unit below its next tier, as a tuple, None elsewhere: ``target_nodes``
            include leaves of each such node raising its component index to the bound.
        quota_limited: Whether the target tier has a quota, bool ``(n_units,)``: reaching its
            bound is then not enough by itself; the unit must also rank within the quota of
            its ranking group (its type × group).
        quota_value: With a quota, the ranked value (index, or total when the ranking is by
            total) of the last unit holding the target tier in the unit's ranking group:
            others unchanged, a unit that ranks above it is kept within the quota. NaN
            without a quota or when no unit of the group holds the tier (every candidate
            tied at the cut, or a quota below one unit).

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 each unit's own type's scale; caps (``blocked_by``,
       ``lifted_caps``) and quotas (``quota_limited``, ``quota_value``).
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
    unit_types: ObjectArray | None = attrs.field(default=None, repr=False)
    blocked_by: ObjectArray | None = attrs.field(default=None, repr=False)
    lifted_caps: ObjectArray | None = attrs.field(default=None, repr=False)
    quota_limited: BoolArray | None = attrs.field(default=None, repr=False)
    quota_value: FloatArray | None = attrs.field(default=None, repr=False)

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
                ``nodes``: the points lost, one row per unit and a column per node. With
                unit types a ``type`` column follows ``unit_id``; ``targets`` gains
                ``blocked_by`` and ``lifted_caps`` when the scheme has caps, and
                ``quota_limited`` and ``quota_value`` when it has quotas.

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
            return pd_mod.DataFrame(self._target_columns())  # type: ignore[no-any-return]
        if kind == "nodes":
            frame = pd_mod.DataFrame(self.lost, columns=list(self.node_ids))
            frame.insert(0, "unit_id", self.unit_ids.astype(str))
            if self.unit_types is not None:
                frame.insert(1, "type", self.unit_types.astype(str))
            return frame  # type: ignore[no-any-return]
        msg = f"kind must be 'units', 'criteria', 'targets' or 'nodes', found {kind!r}"
        raise ValueError(msg)

    def _target_columns(self) -> dict[str, object]:
        cols: dict[str, object] = {"unit_id": self.unit_ids.astype(str)}
        if self.unit_types is not None:
            cols["type"] = self.unit_types.astype(str)
        cols.update(
            {
                "tier": self.tier.astype(str),
                "target_tier": self.target_tier,
                "points_needed": self.points_needed,
                "target_nodes": [None if t is None else ", ".join(t) for t in self.target_nodes],
                "target_points": self.target_points,
                "reachable": self.reachable,
            }
        )
        if self.blocked_by is not None and self.lifted_caps is not None:
            cols["blocked_by"] = self.blocked_by
            cols["lifted_caps"] = [None if c is None else ", ".join(c) for c in self.lifted_caps]
        if self.quota_limited is not None:
            cols["quota_limited"] = self.quota_limited
            cols["quota_value"] = self.quota_value
        return cols

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
        notes = [f"{n_targets} of {len(self.unit_ids)} units have a next-tier target"]
        if self.blocked_by is not None:
            n_blocked = sum(b is not None for b in self.blocked_by)
            if n_blocked:  # pragma: no branch
                notes.append(f"{n_blocked} units are held below their next tier by a cap")
        if self.quota_limited is not None and self.quota_limited.any():
            notes.append(
                f"{int(self.quota_limited.sum())} targets have a quota: reaching the bound is "
                "not enough by itself (see quota_value)"
            )
        criteria = html_table(
            f"{self.scheme_id}: criteria where most units lose points",
            ("criterion", "name", "units losing", "points lost", "mean lost"),
            rows,
            total_rows=int(np.count_nonzero(self.criteria_is_leaf)),
            notes=notes,
        )
        return criteria + self._units_html()

    def _units_html(self) -> str:
        """The units closest to their next tier: tier, target, points needed, leaves."""
        d = self.decimals
        has = np.flatnonzero(self.target_tier != None)  # noqa: E711 - elementwise
        needed = np.array([self.points_needed[i] for i in has], dtype=np.float64)
        order = has[np.lexsort((self.unit_ids[has].astype(str), needed))][:HTML_ROWS]
        rows = [
            (
                self.unit_ids[i],
                self.tier[i],
                self.target_tier[i],
                fmt(float(self.points_needed[i]), d),
                "" if self.target_nodes[i] is None else ", ".join(self.target_nodes[i]),
                "yes" if self.reachable[i] else "no",
            )
            for i in order
        ]
        return html_table(
            f"{self.scheme_id}: units closest to their next tier",
            ("unit", "tier", "next tier", "points needed", "leaves to work on", "reachable"),
            rows,
            total_rows=len(has),
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

    With unit types, each unit aims at the next tier of its own type's scale (with that
    scale's basis). Its current tier is the published one, after caps and quotas. Caps:
    a unit held below its next tier by a yes/no cap (``cap:<id>``, which no points change)
    gets no target, and ``blocked_by`` names the cap; under a node cap (a node's component
    index below a bound) the target first recovers leaves of that node, largest first, until
    its rounded component index reaches the bound (``lifted_caps``), then leaves as above.
    Quotas: the target is the tier's bound, which is not enough by itself when the tier has
    a quota (``quota_limited``): the unit must also rank within the quota of its ranking group,
    and ``quota_value`` gives the ranked value of the last unit holding the tier there (NaN
    when none does). A unit a quota moved down already reaches the bound: its target has no
    leaves and needs 0 points.

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
    targets = next_tier_targets(result, leaf_max, leaf_points, d)

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
        tier_names=all_tier_names(scheme),
        tier=result.tier,
        target_tier=targets.target_tier,
        points_needed=targets.points_needed,
        target_nodes=targets.target_nodes,
        target_points=targets.target_points,
        reachable=targets.reachable,
        unit_types=result.unit_types,
        blocked_by=targets.blocked_by if scheme.tiers.caps else None,
        lifted_caps=targets.lifted_caps if scheme.tiers.caps else None,
        quota_limited=targets.quota_limited if scheme.tiers.has_quota else None,
        quota_value=targets.quota_value if scheme.tiers.has_quota else None,
    )

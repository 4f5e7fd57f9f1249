"""Next-tier targets of :func:`parscore.analysis.gaps`: each unit's own scale, caps, quotas.

The search over leaves is vectorised over units and leaves; only units held back by a node
cap (whose target must first raise that node above its bound) are searched one by one.

.. versionadded:: 0.2
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from parscore._rounding import round_half_up
from parscore.analysis._common import (
    ObjectArray,
    adjusted_total,
    adjustment_terms,
    applicable_max,
    has_adjustments,
)
from parscore.analysis._types import ranking_groups, tier_positions, unit_basis, unit_scales
from parscore.model import TierCap, TierScale
from parscore.result import Result
from parscore.typing import BoolArray, FloatArray, IntArray, Rule

__all__ = ["Targets", "next_tier_targets"]

_NONE = np.array(None, dtype=object)


class Targets(NamedTuple):
    target_tier: ObjectArray
    points_needed: FloatArray
    target_nodes: ObjectArray
    target_points: FloatArray
    reachable: BoolArray
    blocked_by: ObjectArray
    lifted_caps: ObjectArray
    quota_limited: BoolArray
    quota_value: FloatArray


def _lowest_values(scale: TierScale, d: int) -> FloatArray:
    """The lowest rounded value in each tier: min, or the first value of d decimals above."""
    step = 10.0**d
    return np.array(
        [
            (np.floor(t.bound * step + 1e-9) + 1.0) / step if t.is_strict else t.bound
            for t in scale.scale
        ],
        dtype=np.float64,
    )


def _at_least(bound: FloatArray | float, d: int) -> FloatArray:
    """The smallest unrounded value that rounds (half up, to *d* decimals) to *bound* or more."""
    step = 10.0**d
    return np.asarray(np.ceil(np.asarray(bound) * step - 1e-9) / step - 0.5 / step)


def _up(value: FloatArray, d: int) -> FloatArray:
    step = 10.0**d
    return np.asarray(np.ceil(np.maximum(value, 0.0) * step - 1e-6) / step + 0.0)  # no -0.0


def next_tier_targets(
    result: Result, leaf_max: FloatArray, leaf_points: FloatArray, d: int
) -> Targets:
    """Next-tier targets of every unit (see :func:`parscore.analysis.gaps`)."""
    compiled = result.compiled
    scheme = result.scheme
    n_leaves, n_units = leaf_points.shape
    on_total, _ = unit_basis(result)
    pos = tier_positions(result)
    needs = pos > 0
    target_pos = np.maximum(pos - 1, 0)
    target_min = np.zeros(n_units)
    target_name = np.full(n_units, None, dtype=object)
    quota = np.full(n_units, np.nan)
    for _, scale, mask in unit_scales(result):
        units = slice(None) if mask is None else mask
        at = target_pos[units]
        target_min[units] = _lowest_values(scale, d)[at]
        target_name[units] = np.array(scale.names, dtype=object)[at]
        quota[units] = np.array([np.nan if t.quota is None else t.quota for t in scale.scale])[at]

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
        value = np.where(on_total, total, total / app_max * 100.0)
        return np.asarray(round_half_up(value, d) >= target_min)

    def reaches_one(u: int, extra: float) -> bool:
        """:func:`reaches` for unit *u* alone (the same arithmetic, in the same order)."""
        total = tree_total[u] + extra
        if clip:
            total = total + (0.0 if bonus is None else bonus[u])
            total = total - (0.0 if penalty is None else penalty[u])
            total = min(max(total, 0.0), app_max[u])
        value = total if on_total[u] else total / app_max[u] * 100.0
        return bool(round_half_up(np.array([value]), d)[0] >= target_min[u])

    already = reaches(np.zeros(n_units))  # a unit lowered by a cap or a quota
    ok = reaches(cum) & (rec_sorted > 0)  # (n_leaves, n_units): recovering the first j + 1
    reachable = needs & (already | ok.any(axis=0))
    n_take = np.where(reachable, ok.argmax(axis=0) + 1, np.count_nonzero(rec_sorted > 0, axis=0))
    n_take = np.where(already, 0, n_take)
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
    step_min = _at_least(target_min, d)
    need_total = np.where(on_total, step_min, step_min * app_max / 100.0)
    # before the clip: a unit clipped to 0 by its penalty must first make up the difference
    start = tree_total + (0.0 if bonus is None else bonus) - (0.0 if penalty is None else penalty)
    needed = _up(need_total - start, d)

    blocked_by, lifts = _caps_in_the_way(result, needs, target_pos)
    lifted_caps = np.full(n_units, None, dtype=object)
    for unit, caps in lifts.items():
        if blocked_by[unit] is not None:
            continue
        lifted_caps[unit] = tuple(c.id for c in caps)
        search = _LiftSearch(result, recoverable[:, unit], leaf_max[:, unit], unit, d)
        chosen, lift_points, lifted = search.lift(caps)
        extra = float(recoverable[chosen, unit].sum())
        rest = [int(i) for i in order[:, unit] if recoverable[i, unit] > 0 and int(i) not in chosen]
        done = reaches_one(unit, extra)
        for i in rest:
            if done:
                break
            chosen.append(i)
            extra += float(recoverable[i, unit])
            done = reaches_one(unit, extra)
        reachable[unit] = lifted and done
        target_nodes[unit] = tuple(leaf_ids[i] for i in sorted(chosen))
        target_points[unit] = extra
        needed[unit] = max(float(needed[unit]), lift_points)
    blocked = blocked_by != None  # noqa: E711 - elementwise
    shown = needs & ~blocked
    for u in np.flatnonzero(blocked):
        target_nodes[u] = None
    reachable &= ~blocked
    quota_limited = shown & ~np.isnan(quota)
    return Targets(
        target_tier=np.where(shown, target_name, _NONE),
        points_needed=np.where(shown, needed, np.nan),
        target_nodes=target_nodes,
        target_points=np.where(shown, round_half_up(target_points, d), np.nan),
        reachable=reachable,
        blocked_by=blocked_by,
        lifted_caps=lifted_caps,
        quota_limited=quota_limited,
        quota_value=_quota_values(result, quota_limited, target_name),
    )


def _caps_in_the_way(
    result: Result, needs: BoolArray, target_pos: IntArray
) -> tuple[ObjectArray, dict[int, list[TierCap]]]:
    """Caps holding units below their target tier.

    Returns the first column cap that blocks each unit (a yes/no condition no points change),
    and for each unit the node caps its target must lift.
    """
    n_units = result.n_units
    blocked_by = np.full(n_units, None, dtype=object)
    lifts: dict[int, list[TierCap]] = {}
    caps = result.scheme.tiers.caps
    held = result.caps_held
    if not caps or held is None:
        return blocked_by, lifts
    for c, cap in enumerate(caps):
        at = np.zeros(n_units, dtype=np.int64)
        for _, scale, mask in unit_scales(result):
            names = scale.names
            k = names.index(cap.at_most) if cap.at_most in names else len(names) - 1
            at[slice(None) if mask is None else mask] = k
        in_way = held[c] & needs & (target_pos < at)
        for u in np.flatnonzero(in_way):
            if cap.node is None:
                if blocked_by[u] is None:
                    blocked_by[u] = cap.id
            else:
                lifts.setdefault(int(u), []).append(cap)
    return blocked_by, lifts


class _LiftSearch:
    """Leaves of one unit that raise each capping node's component index to its bound."""

    def __init__(
        self, result: Result, recoverable: FloatArray, leaf_max: FloatArray, u: int, d: int
    ) -> None:
        self.result = result
        self.rec = recoverable
        self.leaf_max = leaf_max
        self.u = u
        self.d = d

    def lift(self, caps: list[TierCap]) -> tuple[list[int], float, bool]:
        """(leaves chosen, points the lifts need at least, whether every cap is lifted)."""
        compiled = self.result.compiled
        chosen: list[int] = []
        need = 0.0
        lifted = True
        for cap in caps:
            assert cap.node is not None  # a node cap
            assert cap.index_below is not None
            leaves = [int(i) for i in compiled.descendant_leaves[cap.node]]
            node_max = float(self.leaf_max[leaves].sum())
            points = float(self.result.node_points[compiled.node_pos[cap.node], self.u])
            need += max(float(_at_least(cap.index_below, self.d)) * node_max / 100.0 - points, 0.0)
            points += float(self.rec[[i for i in leaves if i in chosen]].sum())
            for i in sorted(leaves, key=lambda i: -self.rec[i]):
                if self._lifted(points, node_max, cap.index_below):
                    break
                if i in chosen or self.rec[i] <= 0:
                    continue
                chosen.append(i)
                points += float(self.rec[i])
            lifted &= self._lifted(points, node_max, cap.index_below)
        step = 10.0**self.d
        return chosen, float(np.ceil(need * step - 1e-6) / step), lifted

    def _lifted(self, points: float, node_max: float, bound: float) -> bool:
        if node_max <= 0:
            return True
        index = round_half_up(np.array([points / node_max * 100.0]), self.d)
        return bool(index[0] >= bound)


def _quota_values(result: Result, limited: BoolArray, target: ObjectArray) -> FloatArray:
    """Ranked value of the last unit holding each unit's target tier in its ranking group."""
    out = np.full(result.n_units, np.nan)
    if not limited.any():
        return out
    groups = ranking_groups(result)
    ranked = result.index if result.ranking.by == "index" else result.total
    tiers = result.tier.astype(str)
    for g, name in {(int(groups[u]), str(target[u])) for u in np.flatnonzero(limited)}:
        holders = (groups == g) & (tiers == name)
        if holders.any():
            out[limited & (groups == g) & (target == name)] = float(ranked[holders].min())
    return out


def _best_points(rule: Rule | None, max_points: float) -> float:
    """The most points a leaf's rule can award: its exact bounds' top, at most the leaf's max.

    Every rule's bounds are exact (a survey whose best option is worth 80 % tops out at
    80 % of its max), so no rule kind needs a case of its own.
    """
    top = max_points if rule is None else float(rule.bounds(max_points)[1])
    return min(top, max_points)

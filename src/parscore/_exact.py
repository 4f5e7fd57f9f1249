"""Exact at the half: values within float error of a rounding half are decided exactly.

Floats carry points through the engine. A reported number whose float lies farther than
:data:`BAND` (relative) from a rounding half rounds the same as its exact value, because the
float error of summing a few hundred leaves is about 1e-13 relative. A number *within* the band
may not: the sum of two ratios of counts can land 2e-12 below a half (2194/2627 and
6452/8437 of 50 points each sum to 79.99499999977…, which Decimal rounds to 79.99).

For the few units with such a number, :func:`settle_halves` recomputes every node, the total
and the index with rational arithmetic from the inputs as written (each float read as its
shortest decimal, the text it came from), and replaces each float near a half by a float that
:func:`~parscore._rounding.round_half_up` rounds the same way as the exact value (within 1e-9
of it). Rules from plugins cannot be recomputed exactly: their float points are taken as
written.

.. versionadded:: 0.2
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from parscore._rounding import REL_TOL
from parscore.compile import CompiledScheme
from parscore.measurements import Measurements
from parscore.rules import Bands, Choice, Deduction, Points, Ratio, Survey, YesNo
from parscore.typing import BoolArray, FloatArray, IntArray, Rule

__all__ = ["BAND", "exact_leaf_points", "near_half", "settle_halves"]

BAND = 1e-9
"""Relative distance from a rounding half within which a value is decided exactly."""

_ZERO = Fraction(0)
_HUNDRED = Fraction(100)


def as_written(x: float) -> Fraction:
    """The exact value of the decimal a float was read from: its shortest repr."""
    return Fraction(repr(float(x)))


def near_half(values: FloatArray, decimals: int) -> BoolArray:
    """Where a value lies within :data:`BAND` (relative) of a rounding half."""
    scaled = np.abs(values) * 10.0**decimals
    dist = np.abs(scaled - np.floor(scaled) - 0.5)
    with np.errstate(invalid="ignore"):
        out: BoolArray = dist <= BAND * np.maximum(scaled, 1.0)
    return out


def _in_band(band: object, v: Fraction) -> bool:
    gt, ge, lt, le = (getattr(band, k) for k in ("gt", "ge", "lt", "le"))
    return (
        (gt is None or v > as_written(gt))
        and (ge is None or v >= as_written(ge))
        and (lt is None or v < as_written(lt))
        and (le is None or v <= as_written(le))
    )


def _empty(when_empty: str | None, mx: Fraction) -> Fraction | None:
    return {"full": mx, "zero": _ZERO, None: mx}.get(when_empty)


def exact_leaf_points(  # noqa: PLR0911 - one return per rule kind
    rule: Rule, max_points: float, values: Sequence[Fraction]
) -> Fraction | None:
    """A built-in rule's points, exactly, from valid inputs; None: not applicable.

    Raises:
        TypeError: for a rule from a plugin (no exact form is known).
    """
    mx = as_written(max_points)
    if isinstance(rule, YesNo):
        needed = {"all": len(values), "any": 1}.get(str(rule.need), rule.need)
        return mx if sum(v == 1 for v in values) >= int(needed) else _ZERO
    if isinstance(rule, Choice):
        return as_written(rule.options[int(values[0])][1])
    if isinstance(rule, Bands):
        if len(values) == 2:
            num, den = values
            if den == 0:
                return _empty(rule.when_empty or "full", mx)
            values = [_HUNDRED * num / den]
        hit = next((b for b in rule.bands if _in_band(b, values[0])), None)
        return as_written(hit.points if hit is not None else rule.otherwise)
    if isinstance(rule, Ratio):
        if len(values) == 1:
            return mx * min(max(values[0], _ZERO), _HUNDRED) / _HUNDRED
        num, den = values
        if den == 0:
            return _empty(rule.when_empty, mx)
        return mx * min(num / den, Fraction(1))
    if isinstance(rule, Deduction):
        return max(mx - as_written(rule.per) * values[0], as_written(rule.floor))
    if isinstance(rule, Points):
        return min(max(values[0], _ZERO), mx)
    if isinstance(rule, Survey):
        n = sum(values, _ZERO)
        if n == 0:
            return _empty(rule.when_empty, mx)
        weighted = sum(
            (c * as_written(p) for c, (_, p) in zip(values, rule.options, strict=True)), _ZERO
        )
        return mx * weighted / (_HUNDRED * n)
    msg = f"no exact form of rule kind {rule.kind!r}"
    raise TypeError(msg)


def _half_up(x: Fraction, decimals: int) -> Fraction:
    scale = 10**decimals
    k = math.floor(abs(x) * scale + Fraction(1, 2))
    return Fraction(k if x >= 0 else -k, scale)


def _decisive(exact: Fraction, decimals: int) -> float:
    """A float within 1e-9 of *exact* that round_half_up rounds as *exact* rounds half up.

    round_half_up(x) is t (the exact rounding, ``k / 10**d``) when ``|x| (1 + REL_TOL)`` lies
    between the halves either side of t: x is float(exact) kept a margin inside them.
    """
    target = _half_up(abs(exact), decimals)
    half = Fraction(1, 2 * 10**decimals)
    low = float(target - half) * (1.0 + 10 * REL_TOL)
    high = float(target + half) * (1.0 - 10 * REL_TOL)
    value = min(max(float(abs(exact)), low), high)
    return -value if exact < 0 else value


def settle_halves(
    compiled: CompiledScheme,
    data: Measurements,
    *,
    node_points: FloatArray,
    na: BoolArray | None,
    total: FloatArray,
    index: FloatArray,
    app_max: FloatArray,
) -> IntArray:
    """Decide exactly the node points, totals and indexes near a rounding half, in place.

    Args:
        compiled: The compiled scheme.
        data: The measurements scored.
        node_points: Unrounded points ``(n_nodes, n_units)``, breadth-first (summed).
        na: Leaves not applicable per unit, or None.
        total: Unrounded totals (adjusted and clipped).
        index: Unrounded indexes.
        app_max: Unrounded applicable max per unit.

    Returns:
        The positions of the units recomputed.
    """
    d = compiled.scheme.rounding.decimals
    flagged = near_half(total, d) | near_half(index, d) | near_half(node_points, d).any(axis=0)
    units = np.flatnonzero(flagged)
    leaf_rounding = compiled.scheme.rounding.where == "leaf"
    for u in units.tolist():
        exact_nodes = _unit_nodes(compiled, data, node_points, na, u, leaf_rounding, d)
        if exact_nodes is None:
            continue  # a plugin rule: its floats stand
        tree = sum((exact_nodes[p] for p in range(compiled.n_top)), _ZERO)
        mx = as_written(app_max[u])  # sums of maxima as written: exact in practice
        exact_total = tree
        if compiled.scheme.adjustments.any:
            exact_total = min(max(tree + _adjustment(compiled, data, u), _ZERO), mx)
        for p, value in enumerate(exact_nodes):
            if near_half(node_points[p : p + 1, u], d)[0]:
                node_points[p, u] = _decisive(value, d)
        if near_half(total[u : u + 1], d)[0]:
            total[u] = _decisive(exact_total, d)
        if mx > 0 and near_half(index[u : u + 1], d)[0]:
            index[u] = _decisive(exact_total / mx * _HUNDRED, d)
    return units


def _adjustment(compiled: CompiledScheme, data: Measurements, u: int) -> Fraction:
    """Bonus less penalty of unit *u*, exactly, as the engine computes it in floats."""
    adjustments = compiled.scheme.adjustments
    sums = {"bonus": _ZERO, "penalty": _ZERO}
    for name, column in (("bonus", data.bonus), ("penalty", data.penalty)):
        if column is not None:
            sums[name] += as_written(column[u])
    for item in adjustments.items:
        raw = data.items.get(item.id)
        value = _ZERO if raw is None else as_written(raw[u])
        pts = value * as_written(item.per) if item.per is not None else value
        if item.max is not None:
            pts = min(pts, as_written(item.max))
        sums[item.sign] += pts
    for name, cap in (("bonus", adjustments.bonus), ("penalty", adjustments.penalty)):
        if cap is not None:
            sums[name] = min(sums[name], as_written(cap.max))
    return sums["bonus"] - sums["penalty"]


def _unit_nodes(  # noqa: PLR0917 - private, one call site
    compiled: CompiledScheme,
    data: Measurements,
    node_points: FloatArray,
    na: BoolArray | None,
    u: int,
    leaf_rounding: bool,
    d: int,
) -> list[Fraction] | None:
    """Exact points of every node of unit *u* (breadth-first), or None for a plugin rule."""
    out = [_ZERO] * compiled.n_nodes
    scheme = compiled.scheme
    for leaf, leaf_id in enumerate(compiled.leaf_ids):
        pos = int(compiled.leaf_pos[leaf])
        if na is not None and na[leaf, u]:
            continue
        rule = scheme.node(leaf_id).rule
        assert rule is not None
        raw = [data.values[compiled.row_of[c], u] for c in compiled.leaf_columns(leaf)]
        if any(math.isnan(v) for v in raw):
            continue  # scored zero under the missing policy
        try:
            pts = exact_leaf_points(
                rule, float(compiled.leaf_max[leaf]), [as_written(v) for v in raw]
            )
        except TypeError:
            return None
        if pts is None:
            continue
        out[pos] = _half_up(pts, d) if leaf_rounding else pts
    for step in compiled.steps:  # deepest parents first, as the engine sums
        out[step.parent] = sum(out[step.start : step.stop], _ZERO)
    del node_points
    return out

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

import contextlib
import functools
import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

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

    Points of yes/no, choice, bands, deduction, points and percentage-ratio leaves are decimals
    of the inputs as written, and so are their sums: such a sum within float error of a half
    *is* the half, which :func:`~parscore._rounding.round_half_up` already rounds up. A node
    with a true fraction below it (a ratio of two counts, a survey), the total of such a tree,
    and every index (a division) are decided exactly when they are near a half: the decimal
    leaves read back from their floats (at most 9 places), the fractions from the inputs.

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
    rational = _rational_nodes(compiled)
    if compiled.scheme.rounding.where == "leaf":
        rational = np.zeros_like(rational)  # sums of rounded leaves are decimals
    cells: dict[int, list[int]] = {}
    rows = np.flatnonzero(rational)
    if rows.size:
        for start in range(0, len(total), _BLOCK):
            block = near_half(node_points[rows, start : start + _BLOCK], d)
            hit = np.flatnonzero(block.any(axis=0))
            if not hit.size:
                continue
            # a ratio of counts that is 0, full or empty is a decimal too: only cells with a
            # true fraction below them need rational arithmetic; only the leaves below a
            # flagged node are looked at, for the units it is flagged for
            flagged = block[:, hit]
            need = (_below(compiled, rows) @ flagged.astype(np.float32)) > 0  # BLAS, not int loops
            fraction = _fraction_leaves(compiled, data, na, node_points, start + hit, need)
            odd = _odd_nodes(compiled, fraction)[rows]
            for r, u in np.argwhere(block[:, hit] & odd).tolist():
                cells.setdefault(int(start + hit[u]), []).append(int(rows[r]))
    whole = near_half(index, d)
    if rational[: compiled.n_top].any():
        whole |= near_half(total, d)
    units = np.union1d(np.fromiter(cells, dtype=np.int64, count=len(cells)), np.flatnonzero(whole))
    if not units.size:
        return units
    exact = _Exact(compiled, data, na, node_points, units)
    for k, u in enumerate(units.tolist()):
        with contextlib.suppress(TypeError):  # a plugin rule below: its floats stand
            for p in cells.get(u, ()):
                node_points[p, u] = _decisive(exact.node(p, k), d)
            if whole[u]:
                exact_max = exact.applicable_max(k)
                exact_total = exact.total(k, exact_max)
                if near_half(total[u : u + 1], d)[0]:
                    total[u] = _decisive(exact_total, d)
                if exact_max > 0:
                    index[u] = _decisive(exact_total / exact_max * _HUNDRED, d)
    return units


_BLOCK = 8192


def _fraction_leaves(  # noqa: PLR0917 - private, two call sites
    compiled: CompiledScheme,
    data: Measurements,
    na: BoolArray | None,
    node_points: FloatArray,
    units: IntArray,
    need: BoolArray | None = None,
) -> BoolArray:
    """Leaves × *units* whose points may be no decimal of at most 9 places (a true fraction).

    A ratio of two counts or a survey is tested exactly, with whole numbers: its points read
    back from the float as billionths q are exact when ``q × den == num × 10⁹``. A rule from a
    plugin is always taken as a fraction. With *need* (leaves × *units*), only those cells are
    tested; the others are left False.
    """
    scheme = compiled.scheme
    out = np.zeros((compiled.n_leaves, len(units)), dtype=bool)
    for leaf, leaf_id in enumerate(compiled.leaf_ids):
        rule = scheme.node(leaf_id).rule
        if _decimal_rule(rule):
            continue
        which = np.arange(len(units)) if need is None else np.flatnonzero(need[leaf])
        if not which.size:
            continue
        chosen = units[which]
        cols = np.vstack(
            [data.values[compiled.row_of[c], chosen] for c in compiled.leaf_columns(leaf)]
        )
        value = node_points[compiled.leaf_pos[leaf], chosen]
        if isinstance(rule, Ratio | Survey):
            cell = ~_decimal_cells(rule, float(compiled.leaf_max[leaf]), cols, value)
        else:
            cell = np.ones(len(chosen), dtype=bool)
        if na is not None:
            cell &= ~na[leaf, chosen]
        out[leaf, which] = cell
    return out


def _below(compiled: CompiledScheme, rows: IntArray) -> npt.NDArray[np.float32]:
    """Leaves × *rows*: 1 where the leaf lies at or below the node at that position."""
    return _below_all(compiled)[:, rows]


@functools.lru_cache(maxsize=32)
def _below_all(compiled: CompiledScheme) -> npt.NDArray[np.float32]:
    out = np.zeros((compiled.n_leaves, compiled.n_nodes), dtype=np.float32)
    for p, node_id in enumerate(compiled.node_ids):
        out[compiled.descendant_leaves[node_id], p] = 1
    return out


def _decimal_cells(
    rule: Ratio | Survey, max_points: float, cols: FloatArray, value: FloatArray
) -> BoolArray:
    """Cells of a ratio of counts or a survey whose points are decimals of at most 9 places.

    Whole numbers in int64 when every product fits (realistic counts and maxima), else Python
    integers.
    """
    whole = np.all(np.isfinite(cols) & (cols == np.trunc(cols)) & (np.abs(cols) < 2.0**53), axis=0)
    mx_num, mx_den = as_written(max_points).as_integer_ratio()
    counts_f = np.where(whole, cols, 0.0)
    q_f = np.rint(np.where(np.isfinite(value), value, 0.0) * _NANO)
    if isinstance(rule, Ratio):
        full = (cols[0] >= cols[1]) | (cols[1] == 0) | (cols[0] == 0)
        factors: list[int] = []
        top_f, bottom_f = counts_f[0] * mx_num, counts_f[1] * mx_den
        scale = 1
    else:
        weights = [as_written(p) for _, p in rule.options]
        common = math.lcm(*(w.denominator for w in weights))
        factors = [int(w * common) for w in weights]
        answered_f = counts_f.sum(axis=0)
        full = answered_f == 0
        top_f = (np.abs(factors) @ np.abs(counts_f)) * mx_num if factors else answered_f * 0
        bottom_f = answered_f * (mx_den * common * 100)
        scale = mx_den * common * 100
    fits = (
        float(np.max(np.abs(q_f) * bottom_f, initial=0.0)) < _INT64_SAFE
        and float(np.max(np.abs(top_f), initial=0.0)) * _NANO < _INT64_SAFE
    )
    kind: type = np.int64 if fits else object
    counts: npt.NDArray[Any] = counts_f.astype(np.int64).astype(kind)
    q: npt.NDArray[Any] = q_f.astype(np.int64).astype(kind)
    if isinstance(rule, Ratio):
        top, bottom = counts[0] * mx_num, counts[1] * mx_den
    else:
        weighted: npt.NDArray[Any] = np.zeros(len(value), dtype=np.int64).astype(kind)
        for c, w in zip(counts, factors, strict=True):
            weighted = weighted + c * w
        top, bottom = weighted * mx_num, counts.sum(axis=0) * scale
    exact = np.asarray(q * bottom == top * _NANO, dtype=bool)
    return np.asarray(whole & (full | exact), dtype=bool)


_INT64_SAFE = 2.0**62


def _odd_nodes(compiled: CompiledScheme, fraction: BoolArray) -> BoolArray:
    """Nodes (breadth-first) with a true fraction below, from :func:`_fraction_leaves`."""
    odd = np.zeros((compiled.n_nodes, fraction.shape[1]), dtype=bool)
    odd[compiled.leaf_pos] = fraction
    for step in compiled.steps:  # deepest parents first
        np.logical_or.reduce(odd[step.start : step.stop], axis=0, out=odd[step.parent])
    return odd


_NANO = 10**9
_DECIMAL_RANGE = 1e6  # below it, a float times 1e9 is a whole number exactly representable


@functools.lru_cache(maxsize=32)
def _rational_nodes(compiled: CompiledScheme) -> BoolArray:
    """Nodes (breadth-first) with a leaf below whose points need not be a decimal."""
    scheme = compiled.scheme
    odd = np.array(
        [not _decimal_rule(scheme.node(leaf_id).rule) for leaf_id in compiled.leaf_ids],
        dtype=bool,
    )
    out = np.zeros(compiled.n_nodes, dtype=bool)
    for p, node_id in enumerate(compiled.node_ids):
        out[p] = bool(odd[compiled.descendant_leaves[node_id]].any())
    return out


@functools.lru_cache(maxsize=32)
def _leaf_maxima(compiled: CompiledScheme) -> tuple[list[int], int]:
    """Every leaf's max as written, as whole numbers over one common denominator."""
    maxima = [as_written(m) for m in compiled.leaf_max.tolist()]
    scale = math.lcm(*(m.denominator for m in maxima)) if maxima else 1
    return [int(m * scale) for m in maxima], scale


def _decimal_rule(rule: Rule | None) -> bool:
    """Whether the rule's points are decimals of its inputs and parameters as written."""
    if isinstance(rule, YesNo | Choice | Bands | Deduction | Points):
        return True
    return isinstance(rule, Ratio) and len(rule.inputs) == 1


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


class _Exact:
    """Exact points of the nodes of some units.

    Decimal leaves are summed as whole numbers of billionths (vectorised); true fractions are
    added from the inputs as written.
    """

    def __init__(
        self,
        compiled: CompiledScheme,
        data: Measurements,
        na: BoolArray | None,
        node_points: FloatArray,
        units: IntArray,
    ) -> None:
        self.compiled, self.data, self.na, self.units = compiled, data, na, units
        self.leaf_rounding = compiled.scheme.rounding.where == "leaf"
        fraction = _fraction_leaves(compiled, data, na, node_points, units)
        leaf_values = node_points[np.ix_(compiled.leaf_pos, units)]
        nano = np.zeros((compiled.n_nodes, len(units)), dtype=np.int64)
        usable = ~fraction & (np.abs(leaf_values) < _DECIMAL_RANGE)
        if na is not None:
            usable &= ~na[:, units]
        nano[compiled.leaf_pos] = np.where(usable, np.rint(leaf_values * _NANO), 0).astype(np.int64)
        for step in compiled.steps:  # deepest parents first, as the engine sums
            np.add.reduce(nano[step.start : step.stop], axis=0, out=nano[step.parent])
        self.nano = nano
        # leaves computed from their inputs: true fractions, and decimals too large to read back
        self.by_input = ~usable
        if na is not None:
            self.by_input &= ~na[:, units]
        self.known: dict[tuple[int, int], Fraction] = {}

    def node(self, p: int, k: int) -> Fraction:
        """Exact points of the node at breadth-first position *p* for the *k*-th unit.

        Raises:
            TypeError: when a leaf to compute from its inputs has a rule from a plugin.
        """
        compiled = self.compiled
        out = Fraction(int(self.nano[p, k]), _NANO)
        leaves = compiled.descendant_leaves[compiled.node_ids[p]]
        for leaf in leaves[self.by_input[leaves, k]].tolist():
            out += self.leaf(leaf, k)
        return out

    def applicable_max(self, k: int) -> Fraction:
        """The exact applicable max of the *k*-th unit: its applicable leaves' maxima as written.

        Not the float: 7 and 5.25 taken from a sum leave 9.600000000000001, not 9.6.
        """
        whole, scale = _leaf_maxima(self.compiled)
        applies = np.ones(self.compiled.n_leaves, dtype=bool)
        if self.na is not None:
            applies = ~self.na[:, int(self.units[k])]
        return Fraction(sum(whole[i] for i in np.flatnonzero(applies).tolist()), scale)

    def total(self, k: int, app_max: Fraction) -> Fraction:
        """The exact total of the *k*-th unit: the tree, adjusted and kept within [0, max]."""
        tree = sum((self.node(p, k) for p in range(self.compiled.n_top)), _ZERO)
        if not self.compiled.scheme.adjustments.any:
            return tree
        u = int(self.units[k])
        return min(max(tree + _adjustment(self.compiled, self.data, u), _ZERO), app_max)

    def leaf(self, leaf: int, k: int) -> Fraction:
        found = self.known.get((leaf, k))
        if found is None:
            found = self.known[leaf, k] = self._compute(leaf, int(self.units[k]))
        return found

    def _compute(self, leaf: int, u: int) -> Fraction:
        compiled = self.compiled
        rule = compiled.scheme.node(compiled.leaf_ids[leaf]).rule
        assert rule is not None  # a leaf has a rule (model validation)
        raw = [self.data.values[compiled.row_of[c], u] for c in compiled.leaf_columns(leaf)]
        if any(math.isnan(v) for v in raw):
            return _ZERO  # scored zero under the missing policy
        pts = exact_leaf_points(rule, float(compiled.leaf_max[leaf]), [_fraction(v) for v in raw])
        if pts is None:
            return _ZERO
        d = compiled.scheme.rounding.decimals
        return _half_up(pts, d) if self.leaf_rounding else pts


def _fraction(value: float) -> Fraction:
    """An input as written: whole counts directly, other numbers by their shortest repr."""
    if value.is_integer() and abs(value) < 2.0**53:
        return Fraction(int(value))
    return as_written(value)

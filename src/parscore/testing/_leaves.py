"""One unit's cells for a leaf, read from what its rule declares, not from its type.

A rule declares what its cells hold (``cells``: number, count, percent, yes_no or option),
its ``inputs``, its ``option_names`` (option cells), ``check`` (which values are invalid),
``bounds`` and ``can_be_not_applicable``, read through :mod:`parscore.rules` (``cells_of``,
``option_names_of``, ``can_be_not_applicable``); ``points`` then tells where its behaviour
changes. From these the strategies here find, once per leaf:

- the valid range of a number or percentage, by asking ``check`` about a fine grid;
- the *interesting values* of a number or percentage: where the points, or their slope,
  change along that grid (band edges, a cap at 100 %, a clip at 0 or the maximum), drawn
  with their neighbours one step of 0.0001 away;
- cells that earn the maximum (:func:`full_inputs`), by scoring a few candidates.

So a plugin rule gets edge cases, ties, zero denominators and not-applicable units without
a line here.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from hypothesis import strategies as st

from parscore.model import Node
from parscore.rules import can_be_not_applicable, cells_of, option_names_of
from parscore.testing._common import ROLL, decimal, max_of
from parscore.typing import BoolArray, CellKind, FloatArray, Rule

__all__ = ["full_inputs", "leaf_values", "surely_applicable"]

_STEPS = 200
"""Probe grid steps per unit: k / 200 lands inside any band between two 2-decimal cuts."""

_COUNT_TOP = 30
"""The largest generated count."""

_FINE_RATE_DEN = 20000
"""Denominator of the fine rates tried for full points: k / 20000 lands inside any band
between two 2-decimal cuts (in percent)."""

_MAX_KINKS = 32
"""More changes than this along the grid: the rule is not piecewise, keep only the ends."""

_NEAR = (-0.0001, 0.0, 0.0001)
"""An interesting value is drawn with its neighbours one step of 0.0001 away."""


# -- what a rule declares ---------------------------------------------------------------------


def _rule(node: Node) -> Rule:
    if node.rule is None:
        msg = f'node "{node.id}" has no rule'
        raise ValueError(msg)
    return node.rule


def _valid(rule: Rule, values: FloatArray, max_points: float) -> BoolArray:
    """Mask ``(n_units,)`` of the columns of *values* ``(n_inputs, n_units)`` check accepts."""
    bad = np.zeros(values.shape[1], dtype=bool)
    for mask, _ in rule.check(values, max_points):
        bad |= np.asarray(mask, dtype=bool)
    return ~bad


def _as_numbers(rule: Rule, cells: Sequence[object]) -> FloatArray:
    """Cells as one unit's column of floats, option names as their positions."""
    names = option_names_of(rule)
    out = [float(names.index(c)) if isinstance(c, str) else float(c) for c in cells]  # type: ignore[arg-type]
    return np.array(out, dtype=np.float64)[:, None]


# -- numbers and percentages ------------------------------------------------------------------


def _grid(kind: CellKind, max_points: float) -> FloatArray:
    """Candidate values of a number (-max to 2 x max) or a percentage (0 to 150)."""
    lo, hi = (0.0, 150.0) if kind == "percent" else (-max_points, 2 * max_points)
    ks = np.arange(math.ceil(lo * _STEPS), math.floor(hi * _STEPS) + 1, dtype=np.float64)
    return ks / _STEPS


def _probe(rule: Rule, kind: CellKind, max_points: float, j: int) -> tuple[FloatArray, FloatArray]:
    """Input *j*'s valid grid values (others at 0) and the points they earn."""
    grid = _grid(kind, max_points)
    values = np.zeros((len(rule.inputs), grid.size))
    values[j] = grid
    ok = _valid(rule, values, max_points)
    pts = np.asarray(rule.points(np.ascontiguousarray(values[:, ok]), max_points))
    return grid[ok], pts


def _kinks(grid: FloatArray, pts: FloatArray, max_points: float) -> list[float]:
    """Grid values where the points or their slope change (not-applicable counts as a value)."""
    if grid.size < 3:
        return []
    marked = np.where(np.isnan(pts), -7.0 * (abs(max_points) + 1.0), pts)
    slope = np.diff(marked)
    turn = np.abs(np.diff(slope)) > 1e-9 * max(1.0, abs(max_points))
    found = grid[1:-1][turn]
    if found.size > _MAX_KINKS:
        return []
    # the grid point on each side of a turn: a band edge owned by either side is covered
    return sorted({float(x) for x in found} | {float(x) for x in grid[2:][turn]})


def _number(rule: Rule, kind: CellKind, max_points: float, j: int) -> st.SearchStrategy[float]:
    grid, pts = _probe(rule, kind, max_points, j)
    if grid.size == 0:
        msg = f"rule {rule!r}: no valid {kind} found for input {rule.inputs[j]!r}"
        raise ValueError(msg)
    lo, hi = float(grid[0]), float(grid[-1])
    ends = [v for v in (lo, hi, 0.0, max_points, 100.0) if lo <= v <= hi]
    near = [round(e + d, 4) for e in _kinks(grid, pts, max_points) for d in _NEAR]
    favoured = st.sampled_from(sorted({*ends, *(v for v in near if lo <= v <= hi)}))
    if grid.size != round((hi - lo) * _STEPS) + 1:  # valid values with holes: stay on the grid
        return st.one_of(favoured, st.sampled_from([float(v) for v in grid]))
    return st.one_of(favoured, *(decimal(lo, hi, places) for places in (0, 2, 4)))


# -- cells of every kind ----------------------------------------------------------------------


def _counts(m: int) -> st.SearchStrategy[list[object]]:
    counts = st.lists(st.integers(0, _COUNT_TOP), min_size=m, max_size=m)
    if m == 1:
        return counts.map(list)

    def some_empty(roll_and_counts: tuple[int, list[int]]) -> list[object]:
        roll, values = roll_and_counts
        return list(values) if roll else [0] * m  # about one unit in ten: all zero

    return st.tuples(ROLL, counts).map(some_empty)


def _raw(rule: Rule, kind: CellKind, max_points: float) -> st.SearchStrategy[list[object]]:
    m = len(rule.inputs)
    if kind == "yes_no":
        return st.lists(st.sampled_from([0, 1]), min_size=m, max_size=m)
    if kind == "option":
        names = option_names_of(rule)
        one = st.sampled_from([*range(len(names)), *names])
        return st.lists(one, min_size=m, max_size=m)
    if kind == "count":
        return _counts(m)
    per_input = [_number(rule, kind, max_points, j) for j in range(m)]
    return st.tuples(*per_input).map(list)


def _sample(kind: CellKind, m: int, names: int, max_points: float) -> FloatArray:
    """A spread of candidate cells ``(m, k)`` of a kind, to learn whether check ever objects."""
    rng = np.random.default_rng(0)
    size = 512
    if kind == "yes_no":
        return rng.integers(0, 2, size=(m, size)).astype(np.float64)
    if kind == "option":
        return rng.integers(0, max(names, 1), size=(m, size)).astype(np.float64)
    if kind == "count":
        return rng.integers(0, _COUNT_TOP + 1, size=(m, size)).astype(np.float64)
    grid = _grid(kind, max_points)
    return rng.choice(grid, size=(m, size))


def _candidates(rule: Rule, kind: CellKind, max_points: float) -> list[list[float]]:
    """Cells worth trying for full points, likeliest first."""
    m = len(rule.inputs)
    ones = [1.0] * m
    hots = [[1.0 if i == j else 0.0 for i in range(m)] for j in range(m)]
    if kind == "yes_no":
        return [ones, *([float(b) for b in bits] for bits in itertools.product((1, 0), repeat=m))]
    if kind == "option":
        positions = range(len(option_names_of(rule)))
        return [[float(p) for p in combo] for combo in itertools.product(positions, repeat=m)]
    if kind == "count":
        small = (0.0, 1.0, 2.0, 5.0, 10.0, float(_COUNT_TOP)) if m > 1 else range(_COUNT_TOP + 1)
        return [
            ones,
            *hots,
            [0.0] * m,
            *(list(map(float, c)) for c in itertools.product(small, repeat=m)),
        ]
    grid = [float(v) for v in _grid(kind, max_points)]
    if m > 1:
        grid = grid[:: max(1, len(grid) // 20)]
    firsts = [[max_points] * m, [100.0] * m, [0.0] * m]
    return [*firsts, *([float(v) for v in combo] for combo in itertools.product(grid, repeat=m))]


@functools.lru_cache(maxsize=4096)
def _full(node: Node) -> tuple[object, ...]:
    rule, mx = _rule(node), max_of(node)
    kind = cells_of(rule)
    tried = _candidates(rule, kind, mx)
    values = np.array(tried, dtype=np.float64).T.reshape(len(rule.inputs), len(tried))
    ok = _valid(rule, values, mx)
    pts = np.full(len(tried), np.nan)
    pts[ok] = np.asarray(rule.points(np.ascontiguousarray(values[:, ok]), mx))
    hits = np.flatnonzero(pts == mx)
    if hits.size == 0 and kind == "count" and len(rule.inputs) == 2:
        # a rate of two counts banded between close edges (up to 2 decimals, e.g. from
        # 33.33 to below 33.34): try every rate k / 20000, a step of 0.005 %
        tried = [[float(k), float(_FINE_RATE_DEN)] for k in range(_FINE_RATE_DEN + 1)]
        values = np.array(tried, dtype=np.float64).T
        ok = _valid(rule, values, mx)
        pts = np.full(len(tried), np.nan)
        pts[ok] = np.asarray(rule.points(np.ascontiguousarray(values[:, ok]), mx))
        hits = np.flatnonzero(pts == mx)
    if hits.size == 0:
        msg = f'the rule of node "{node.id}" cannot award its maximum'
        raise ValueError(msg)
    cells = tried[int(hits[0])]
    if kind in ("yes_no", "option", "count"):
        return tuple(round(c) for c in cells)
    return tuple(cells)


def full_inputs(node: Node) -> list[object]:
    """Cells that earn the leaf *node* its full points (for a rule from :func:`rules`).

    Found by scoring candidates that suit the rule's declared ``cells`` (all ones, one input
    at a time, each option, the probe grid of a number), keeping those ``check`` accepts.

    Args:
        node: A leaf with a rule whose maximum is reachable.

    Returns:
        One cell per input.

    Raises:
        ValueError: when the rule cannot award the maximum.

    .. versionadded:: 0.1
    """
    return list(_full(node))


@functools.lru_cache(maxsize=4096)
def _leaf_values(node: Node) -> st.SearchStrategy[list[object]]:
    # Strategies are built once per node: building and validating a strategy per draw costs
    # more than drawing from it.
    rule, mx = _rule(node), max_of(node)
    kind = cells_of(rule)
    raw = _raw(rule, kind, mx)
    m = len(rule.inputs)
    if kind in ("number", "percent") and m == 1:
        return raw  # drawn within the valid range found by the probe
    if _valid(rule, _sample(kind, m, len(option_names_of(rule)), mx), mx).all():
        return raw
    fallback = list(_full(node)) if _reaches_max(node) else None

    def repair(cells: list[object]) -> list[object]:
        # Check rejects some combinations (a numerator above its denominator): the cells in
        # ascending order, else cells that earn the maximum.
        if _valid(rule, _as_numbers(rule, cells), mx)[0]:
            return cells
        ordered = sorted(cells, key=float)  # type: ignore[arg-type]
        if _valid(rule, _as_numbers(rule, ordered), mx)[0] or fallback is None:
            return ordered
        return list(fallback)

    return raw.map(repair)


def _reaches_max(node: Node) -> bool:
    try:
        _full(node)
    except ValueError:
        return False
    return True


def leaf_values(node: Node) -> st.SearchStrategy[list[object]]:
    """One unit's valid cells for the leaf *node*, one per input (its columns' order).

    What is drawn follows the rule's declared ``cells``: yes/no cells are 0 or 1; option
    cells an option's position or its name; counts are whole numbers 0–30, with several
    inputs all zero in about one unit in ten (an empty denominator, no answers); numbers and
    percentages have at most 4 decimals within the range ``check`` accepts, favouring the
    values where the points change (band edges, caps) and their neighbours. Combinations
    ``check`` rejects are put in ascending order (a numerator never above its denominator).

    Args:
        node: A leaf with a rule.

    Returns:
        A strategy of lists of cells (built once per node and cached).

    .. versionadded:: 0.1
    """
    return _leaf_values(node)


def surely_applicable(node: Node, cells: list[object]) -> bool:
    """Whether a leaf with these (present, valid) cells certainly counts towards the max."""
    rule = _rule(node)
    if not can_be_not_applicable(rule):
        return True
    pts: Any = rule.points(_as_numbers(rule, cells), max_of(node))
    return not bool(np.isnan(pts[0]))

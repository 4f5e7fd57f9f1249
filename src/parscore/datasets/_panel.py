"""Example data over several years of the same units: :func:`example_panel`.

Each unit keeps a latent quality that moves a little from one year to the next, a workload,
and its own strengths and weaknesses criterion by criterion; only a smaller part of the noise
is new each year. So year-on-year comparisons show what they show in real data: most ranks
move a few places, a few units climb or fall far, and most tiers stay.

.. versionadded:: 0.2
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from parscore.compile import CompiledScheme, compile_scheme
from parscore.datasets._fill import place_inputs
from parscore.datasets._typed import typed_columns
from parscore.errors import Problem, SchemeError
from parscore.model import Scheme
from parscore.rules import example_values
from parscore.typing import FloatArray

__all__ = ["example_panel"]

ObjectArray = npt.NDArray[np.object_]
Columns = dict[str, FloatArray | ObjectArray]

# The performance of a unit on a criterion: sigmoid(_BASE + _QUALITY × quality − difficulty
# + its own persistent effect + this year's noise). The two noises add up to about the variance
# of example_data's one noise, so the indices spread alike (mostly 60 to 95).
_BASE = 1.8
_QUALITY = 0.7
_OWN = 0.9  # the unit's persistent strength or weakness on the criterion
_YEAR = 0.3  # what is new each year


def _sigmoid(x: FloatArray) -> FloatArray:
    out: FloatArray = 1.0 / (1.0 + np.exp(-x))
    return out


def _check(
    n_units: int, years: Sequence[int], change: float, missing: float, na: float
) -> list[int]:
    if isinstance(n_units, bool) or not isinstance(n_units, int | np.integer) or n_units < 1:
        msg = f"n_units must be a whole number ≥ 1, found {n_units!r}"
        raise ValueError(msg)
    shown = list(years)
    if not shown or any(isinstance(y, bool) or not isinstance(y, int | np.integer) for y in shown):
        msg = f"years must be one or more whole numbers, found {years!r}"
        raise ValueError(msg)
    if any(b <= a for a, b in itertools.pairwise(shown)):
        msg = f"years must increase, found {years!r}"
        raise ValueError(msg)
    if not 0.0 <= change <= 1.0:
        msg = f"change must be from 0 to 1, found {change!r}"
        raise ValueError(msg)
    for name, value in (("missing_rate", missing), ("not_applicable_rate", na)):
        if not 0.0 <= value < 1.0:
            msg = f"{name} must be from 0 up to (not including) 1, found {value!r}"
            raise ValueError(msg)
    return [int(y) for y in shown]


def _leaf_values(
    compiled: CompiledScheme,
    rng: np.random.Generator,
    quality: FloatArray,
    *,
    seed: int,
    size: FloatArray,
    difficulty: FloatArray,
    own: FloatArray,
) -> FloatArray:
    """The inputs of every leaf for one year, ``(n_columns, n_units)``."""
    scheme = compiled.scheme
    n = quality.shape[0]
    values = np.empty((len(compiled.columns), n), dtype=np.float64)
    unsupported: list[Problem] = []
    for leaf, node_id in enumerate(compiled.leaf_ids):
        node = scheme.node(node_id)
        assert node.rule is not None  # leaves have rules (scheme validation)
        noise = own[leaf] + _YEAR * rng.standard_normal(n)
        perf = _sigmoid(_BASE + _QUALITY * quality - difficulty[leaf] + noise)
        # the same random numbers each year for the rule's own draws (options, counts), so an
        # input changes only as far as the unit's performance does
        same = np.random.default_rng([seed, leaf])
        inputs = example_values(node.rule, same, perf, node.max, size)
        place_inputs(values, compiled, leaf, node.rule, inputs, unsupported)
    if unsupported:
        raise SchemeError(unsupported)
    return values


def _columns(
    compiled: CompiledScheme,
    rng: np.random.Generator,
    ids: ObjectArray,
    *,
    types: ObjectArray | None,
    values: FloatArray,
    rates: tuple[float, float],
) -> Columns:
    """One year's table: ids, the type column, inputs, adjustments, caps and items."""
    scheme = compiled.scheme
    n = len(ids)
    missing_rate, na_rate = rates
    if types is not None:
        assert scheme.unit_types is not None  # types are drawn for typed schemes only
        for leaf, node_id in enumerate(compiled.leaf_ids):
            start = int(compiled.leaf_col_start[leaf])
            width = len(scheme.node(node_id).rule.inputs)  # type: ignore[union-attr]
            for type_id in scheme.unit_types.ids:
                if not scheme.applies(node_id, type_id):
                    values[start : start + width, types == type_id] = np.nan
    na_cells = None
    if missing_rate > 0.0 or na_rate > 0.0:
        draw = rng.random((compiled.n_leaves, n))
        missing = draw < missing_rate
        na = (draw >= missing_rate) & (draw < missing_rate + na_rate)
        empty = (missing | na).all(axis=0)  # every unit keeps one criterion filled in
        missing[0, empty] = False
        na[0, empty] = False
        values[missing[compiled.column_leaf]] = np.nan
        na_cells = na[compiled.column_leaf] if na.any() else None
    out: Columns = {"unit_id": ids}
    if types is not None and scheme.unit_types is not None:
        out[scheme.unit_types.column] = types
    for j, name in enumerate(compiled.columns):
        if na_cells is not None and na_cells[j].any():
            cells = values[j].astype(object)
            cells[na_cells[j]] = "n/a"
            out[name] = cells
        else:
            out[name] = values[j]
    for name, rate in (("bonus", 0.2), ("penalty", 0.1)):
        adjustment = getattr(scheme.adjustments, name)
        if adjustment is not None:
            amount = np.round(rng.uniform(0.0, adjustment.max, size=n), 2)
            out[name] = np.where(rng.random(n) < rate, amount, 0.0)
    # caps and items are drawn anew each year (the type column drawn there is not used)
    extra = typed_columns(compiled, rng, np.zeros((len(compiled.columns), n)))
    if scheme.unit_types is not None:
        extra.pop(scheme.unit_types.column)
    out.update(extra)
    return out


def example_panel(
    scheme: Scheme | CompiledScheme,
    n_units: int,
    *,
    years: Sequence[int] = (2025, 2026),
    seed: int = 0,
    change: float = 0.1,
    trend: float = 0.1,
    missing_rate: float = 0.0,
    not_applicable_rate: float = 0.0,
) -> dict[int, dict[str, FloatArray | ObjectArray]]:
    """Example measurements of the same units over several years, with realistic moves.

    Unlike calling :func:`example_data` once per year (independent draws, so ranks move
    by hundreds of places), a unit here keeps its latent quality from year to year, moved by
    a small change (standard deviation *change*, plus *trend* for every unit: units improve
    a little each year), keeps its workload and its strengths and weaknesses on each
    criterion, and gets only a smaller part of its noise anew each year; the rules' own
    draws (options reached, counts of dossiers) use the same random numbers every year, so an
    input changes only as far as the unit's performance does. With the defaults
    most units move a few places (the median move is a few percent of the units) and a
    minority, about one unit in five or fewer, changes tier. The inputs follow each rule as
    in :func:`example_data`; the unit type of a unit stays the same every year, while
    missing and not-applicable cells, adjustments, tier caps and named items are drawn each
    year.

    Args:
        scheme: Any scheme whose rules declare ``example_values`` or ``cells`` (every
            built-in rule does), or its compilation.
        n_units: Number of units (≥ 1); ids are ``"xa-0001"``, ``"xa-0002"`` … in every year.
        years: The years, increasing (one or more).
        seed: Seed of the :class:`numpy.random.Generator`; the same arguments always give
            the same data.
        change: Standard deviation of the yearly change of a unit's latent quality (a
            standard normal across units), from 0 (only the noise moves) to 1.
        trend: Added to every unit's latent quality each year (0 for no improvement).
        missing_rate: Share of (unit, leaf) pairs left empty each year (NaN).
        not_applicable_rate: Share of (unit, leaf) pairs marked ``"n/a"`` each year.

    Returns:
        ``{year: columns}``, one table per year in the order of *years*, each laid out as
        :func:`example_data` lays out its table (the same units in the same order).

    Raises:
        ValueError: when *n_units*, *years*, *change* or a rate is out of range.
        SchemeError: when a leaf's rule declares neither ``example_values`` nor ``cells``.

    Example:
        >>> from parscore.datasets import example_panel, synthetic_scheme
        >>> import parscore as ps
        >>> scheme = synthetic_scheme()
        >>> panel = example_panel(scheme, 200, years=(2025, 2026), seed=1)
        >>> before, after = (ps.score(scheme, panel[y]) for y in (2025, 2026))
        >>> moves = ps.compare(before, after)  # doctest: +SKIP

    .. versionadded:: 0.2
    """
    shown = _check(n_units, years, change, missing_rate, not_applicable_rate)
    compiled = compile_scheme(scheme)
    n = int(n_units)
    rng = np.random.default_rng(seed)
    # what a unit keeps from year to year
    quality = rng.standard_normal(n)
    size = np.exp(rng.normal(np.log(300.0), 0.8, size=n))  # dossiers a commune receives
    difficulty = rng.normal(0.0, 0.6, size=compiled.n_leaves)
    own = _OWN * rng.standard_normal((compiled.n_leaves, n))
    types = None
    if compiled.scheme.unit_types is not None:
        type_ids = compiled.scheme.unit_types.ids
        types = np.asarray(type_ids, dtype=object)[rng.integers(len(type_ids), size=n)]
    width = max(4, len(str(n)))
    ids = np.array([f"xa-{i + 1:0{width}d}" for i in range(n)], dtype=object)
    out: dict[int, Columns] = {}
    for k, year in enumerate(shown):
        if k:
            quality = quality + trend + change * rng.standard_normal(n)
            size = size * np.exp(rng.normal(0.0, 0.1, size=n))
        values = _leaf_values(
            compiled, rng, quality, seed=seed, size=size, difficulty=difficulty, own=own
        )
        out[year] = _columns(
            compiled,
            rng,
            ids.copy(),
            types=types,
            values=values,
            rates=(missing_rate, not_applicable_rate),
        )
    return out

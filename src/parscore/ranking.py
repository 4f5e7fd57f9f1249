"""Tiers and ranks, vectorised over units.

Ranks on rounded values are computed by counting, not sorting: a value rounded to *decimals*
is a whole number of steps of ``10**-decimals``, so a histogram of the steps within each group
and its running sum give every unit the number of units above it (:func:`rank` with
``decimals=``, and :func:`rank_rows` for many rankings of the same units at once). Values
that are not whole steps, not finite or spread over too wide a range are sorted instead, with
the same result.

.. versionadded:: 0.1
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt

from parscore.model import TierScale
from parscore.typing import FloatArray, IntArray

__all__ = [
    "RankMethod",
    "classify",
    "code_groups",
    "order_by_id",
    "rank",
    "rank_rows",
    "ranking_codes",
]

RankMethod = Literal["competition", "dense", "ordinal"]
"""How ties are ranked: competition ("1, 2, 2, 4"), dense ("1, 2, 2, 3") or ordinal."""

Ranks = npt.NDArray[np.int32] | npt.NDArray[np.int64]
"""Ranks from 1 as int32 or int64 (:func:`rank_rows` writes either)."""

_METHODS = ("competition", "dense", "ordinal")

_BINS_PER_UNIT = 8
"""Counting is used while the histogram (groups × distinct steps) has at most this many bins
per unit ranked (or :data:`_MIN_BINS`); a wider histogram costs more than a sort."""

_MIN_BINS = 1 << 16
"""Histogram size always counted, whatever the number of units (a few hundred µs at most)."""

_MAX_STEPS = float(2**53)
"""Steps beyond this are no longer exact whole numbers in float64."""

_CHUNK = 1 << 17
"""Values ranked together by :func:`rank_rows`: its temporaries stay near 1 MB, in cache and
below numpy's 4 MB huge-page threshold (fresh huge pages measured 3× slower than the work)."""


def classify(values: FloatArray, scale: TierScale) -> npt.NDArray[np.object_]:
    """Return the tier name of each value: the best tier whose bound it reaches.

    A value reaches ``min`` when it is at least ``min`` and ``above`` when it is strictly
    greater (a value equal to ``above`` falls to the next tier).

    Args:
        values: Rounded index (or total), shape ``(n_units,)``. Values below every tier's
            ``min`` (only possible below 0) get the last tier.
        scale: The tier scale.

    Returns:
        Tier names, object array of str, shape ``(n_units,)``.

    .. versionadded:: 0.1
    """
    names = np.array(scale.names, dtype=object)
    out: npt.NDArray[np.object_] = names[tier_position(values, scale)]
    return out


def tier_position(values: FloatArray, scale: TierScale) -> IntArray:
    """Position of each value's tier in the scale, 0 = best; shape ``(n_units,)``."""
    # value > above is value >= the next float after it: one inclusive threshold per tier
    mins = np.array(
        [np.nextafter(t.bound, np.inf) if t.is_strict else t.bound for t in scale.scale],
        dtype=np.float64,
    )[::-1]
    pos = np.clip(np.searchsorted(mins, values, side="right") - 1, 0, len(mins) - 1)
    return (len(mins) - 1 - pos).astype(np.int64)


def code_groups(groups: npt.NDArray[np.object_] | None, n_units: int) -> IntArray:
    """Code each unit's group as a whole number, once, for :func:`rank` and :func:`rank_rows`.

    Args:
        groups: Group label per unit, shape ``(n_units,)``, or None for one group. Labels are
            compared as text (``1`` and ``"1"`` are one group).
        n_units: Number of units (used when *groups* is None).

    Returns:
        Codes ``0 … n_groups - 1`` (labels in sorted order), int64, shape ``(n_units,)``;
        all 0 when *groups* is None.

    .. versionadded:: 0.1
    """
    if groups is None:
        return np.zeros(n_units, dtype=np.int64)
    # a dict codes the labels in order of appearance (4× faster than sorting every label as
    # text); only the distinct labels are then sorted
    seen: dict[str, int] = {}
    first = np.fromiter(
        (seen.setdefault(g if type(g) is str else str(g), len(seen)) for g in groups),
        dtype=np.int64,
        count=len(groups),
    )
    sorted_code = np.unique(np.array(list(seen), dtype=str), return_inverse=True)[1]
    return sorted_code.astype(np.int64).reshape(len(seen))[first]


def ranking_codes(
    groups: npt.NDArray[np.object_] | None, type_codes: IntArray | None, n_units: int
) -> IntArray:
    """The ranking group of each unit: its group within its unit type, as whole numbers.

    Args:
        groups: Group label per unit, or None.
        type_codes: Position of each unit's type among the scheme's types, or None.
        n_units: Number of units.

    Returns:
        Codes ``≥ 0``, int64, shape ``(n_units,)``, for :func:`rank` (``group_codes``).

    .. versionadded:: 0.2
    """
    codes = code_groups(groups, n_units)
    if type_codes is None:
        return codes
    width = int(codes.max()) + 1 if n_units else 1
    return np.asarray(type_codes, dtype=np.int64) * width + codes


def rank(
    values: FloatArray,
    *,
    groups: npt.NDArray[np.object_] | None = None,
    method: RankMethod = "competition",
    tie_break: Sequence[FloatArray] = (),
    unit_ids: npt.NDArray[np.object_] | None = None,
    decimals: int | None = None,
    group_codes: IntArray | None = None,
) -> IntArray:
    """Rank units by *values*, highest first, within each group.

    With *decimals* (and no *tie_break*), values that are rounded to *decimals* are ranked
    by counting: rank = 1 + the number of units of the group with a higher value
    (competition), 1 + the number of distinct higher values (dense), or the competition rank
    plus the unit's position among its ties by unit id (ordinal). Otherwise, or when the
    values are not all finite multiples of ``10**-decimals`` or span too many of them, the
    units are sorted. Both give the same ranks.

    Args:
        values: The (rounded) values ranked, shape ``(n_units,)``. NaN ranks below every
            number, each NaN on its own rank (in input order).
        groups: Group label per unit, or None for one group.
        method: ``competition`` (ties share the best rank, the next rank skips),
            ``dense`` (ties share, no skip), ``ordinal`` (no ties: broken by unit id).
        tie_break: Further values (rounded points of named nodes), each ``(n_units,)``,
            compared in order, highest first, before units are considered tied.
        unit_ids: Unit ids, shape ``(n_units,)``, to order ordinal ties deterministically
            (defaults to input order).
        decimals: Decimals the values are rounded to, to rank them by counting; None sorts.
        group_codes: The groups as whole numbers ``≥ 0``, shape ``(n_units,)``, as
            :func:`code_groups` returns them; when given, *groups* is not read. Pass them to
            code the groups once for many rankings.

    Returns:
        Ranks from 1, int64, shape ``(n_units,)``.

    Raises:
        ValueError: for an unknown *method*.

    .. versionadded:: 0.1
    """
    n = len(values)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if method not in _METHODS:
        msg = f"method must be competition, dense or ordinal, found {method!r}"
        raise ValueError(msg)
    if group_codes is None and groups is not None:
        group_codes = code_groups(groups, n)
    if decimals is not None and not tie_break:
        out = np.empty((1, n), dtype=np.int64)
        grp = np.zeros(n, dtype=np.int64) if group_codes is None else group_codes
        values_2d = np.asarray(values, dtype=np.float64).reshape(1, n)
        counted = _rank_by_counting(
            out,
            values_2d,
            decimals=decimals,
            group_codes=grp,
            method=method,
            unit_ids=unit_ids,
            checked=False,
        )
        if counted:
            return out.reshape(n)
    return _rank_by_sorting(values, group_codes, method, tie_break, unit_ids)


def rank_rows(
    values: FloatArray,
    *,
    decimals: int,
    group_codes: IntArray,
    method: RankMethod = "competition",
    unit_ids: npt.NDArray[np.object_] | None = None,
    out: Ranks | None = None,
    id_order: IntArray | None = None,
) -> Ranks:
    """Rank the units in each row of *values* at once, as :func:`rank` ranks one row.

    Meant for many rankings of the same units (Monte Carlo draws): the rows are offset into
    one histogram, so a chunk of rows is ranked by one counting pass; rows that cannot be
    counted (values not finite, or spread over too many steps) are sorted row by row.

    Args:
        values: Values rounded to *decimals*, shape ``(n_rows, n_units)``; they are trusted to
            be whole multiples of ``10**-decimals`` (as :func:`round_half_up` gives them).
        decimals: Decimals the values are rounded to.
        group_codes: The groups as whole numbers ``≥ 0``, shape ``(n_units,)``
            (:func:`code_groups`).
        method: As for :func:`rank`.
        unit_ids: Unit ids, shape ``(n_units,)``, to order ordinal ties (defaults to input
            order).
        out: Where to write the ranks, an integer array of shape ``(n_rows, n_units)``
            (int32 is enough below 2**31 units); a new int64 array by default.
        id_order: :func:`order_by_id` of *unit_ids*, when the caller ranks the same units many
            times (ordinal ranks only): computed here when None.

    Returns:
        Ranks from 1, within each row and group, shape ``(n_rows, n_units)``.

    .. versionadded:: 0.1
    """
    if method not in _METHODS:
        msg = f"method must be competition, dense or ordinal, found {method!r}"
        raise ValueError(msg)
    if out is None:
        out = np.empty(values.shape, dtype=np.int64)
    if method == "ordinal" and id_order is None:
        id_order = order_by_id(unit_ids)
    _rank_rows(
        out,
        values,
        decimals=decimals,
        group_codes=group_codes,
        method=method,
        unit_ids=unit_ids,
        id_order=id_order,
    )
    return out


def _rank_rows(
    out: Ranks,
    values: FloatArray,
    *,
    decimals: int,
    group_codes: IntArray,
    method: str,
    unit_ids: npt.NDArray[np.object_] | None,
    id_order: IntArray | None,
) -> None:
    """:func:`rank_rows` with the ids' order (:func:`order_by_id`) computed once by the caller."""
    if values.size == 0:
        return
    rows = max(1, _CHUNK // values.shape[1])
    for start in range(0, len(values), rows):
        chunk = values[start : start + rows]
        counted = _rank_by_counting(
            out[start : start + rows],
            chunk,
            decimals=decimals,
            group_codes=group_codes,
            method=method,
            unit_ids=unit_ids,
            id_order=id_order,
            checked=True,
        )
        if not counted:
            for r in range(start, start + len(chunk)):
                out[r] = _rank_by_sorting(values[r], group_codes, method, (), unit_ids)


def order_by_id(unit_ids: npt.NDArray[np.object_] | None) -> IntArray | None:
    """Positions of the units in order of their ids as text (ties: input order), or None.

    .. versionadded:: 0.2
    """
    if unit_ids is None:
        return None
    return np.argsort(unit_ids.astype(str), kind="stable")


def _rank_by_counting(
    out: Ranks,
    values: FloatArray,
    *,
    decimals: int,
    group_codes: IntArray,
    method: str,
    unit_ids: npt.NDArray[np.object_] | None,
    id_order: IntArray | None = None,
    checked: bool,
) -> bool:
    """Write the ranks of each row of *values* ``(n_rows, n_units)`` into *out* by counting.

    Ordinal ties follow *unit_ids*, through *id_order* when the caller has it already.

    Returns False, leaving *out* unspecified, when the values cannot be counted: not finite,
    not whole steps of ``10**-decimals`` (unless *checked*: the caller vouches for that), or
    too many groups × steps for the number of units.
    """
    n_rows, n = values.shape
    scale = 10.0**decimals
    steps = np.multiply(values, scale)
    np.rint(steps, out=steps)
    lo, hi = float(steps.min()), float(steps.max())  # NaN if any value is NaN
    if not (lo > -_MAX_STEPS and hi < _MAX_STEPS):
        return False
    n_groups = int(group_codes.max()) + 1
    n_bins = int(hi - lo) + 1
    if n_groups * n_bins > max(_MIN_BINS, _BINS_PER_UNIT * n):
        return False
    if not checked and not np.array_equal(steps / scale, values):
        return False  # not rounded to *decimals*: equal steps might hide different values
    # code 0 is the best value; each (row, group) gets its own run of n_bins codes
    code = np.subtract(hi, steps, out=np.empty(values.shape, dtype=np.int64), casting="unsafe")
    if n_groups > 1:
        code += group_codes * n_bins
    if method == "ordinal":
        if id_order is None:
            id_order = order_by_id(unit_ids)
        _ordinal_ranks(out, code, group_codes, n_groups, id_order)
        return True
    if n_rows > 1:
        code += (np.arange(n_rows, dtype=np.int64) * (n_groups * n_bins))[:, None]
    n_codes = n_rows * n_groups * n_bins
    counts = np.bincount(code.ravel(), minlength=n_codes)
    if method == "dense":
        np.minimum(counts, 1, out=counts)  # a distinct value counts once
    above = np.empty(n_codes + 1, dtype=np.int64)
    above[0] = 0
    np.cumsum(counts, out=above[1:])
    above = above[:-1]  # units (or distinct values) with a smaller code, in every run so far
    before = above[::n_bins] - 1  # ... of which those in the runs before; ranks start at 1
    runs = above.reshape(-1, n_bins)
    runs -= before[:, None]
    np.take(above, code, out=out, mode="wrap")  # every code is in range: no check needed
    return True


def _ordinal_ranks(
    out: Ranks,
    code: IntArray,
    group_codes: IntArray,
    n_groups: int,
    id_order: IntArray | None,
) -> None:
    """Ordinal ranks from each row's codes (0 = best, groups apart): a stable counting sort.

    Units with equal codes keep their order in *id_order* (:func:`order_by_id`), or else their
    input order.
    """
    n = code.shape[1]
    group_start = np.zeros(n_groups, dtype=np.int64)
    np.cumsum(np.bincount(group_codes, minlength=n_groups)[:-1], out=group_start[1:])
    positions = np.arange(1, n + 1, dtype=np.int64)
    for row, row_code in zip(out, code, strict=True):
        if id_order is None:
            order = _stable_argsort(row_code)
        else:
            order = id_order[_stable_argsort(row_code[id_order])]
        row[order] = positions - group_start[group_codes[order]]


def _stable_argsort(keys: IntArray) -> IntArray:
    """``np.argsort(keys, kind="stable")`` for whole numbers ≥ 0, by radix passes of 16 bits.

    numpy sorts 16-bit integers stably by a radix sort, in linear time (several times faster
    than its merge sort of int64); keys below 2**32 take two such passes.
    """
    top = int(keys.max()) if len(keys) else 0
    if top < 1 << 16:
        return np.argsort(keys.astype(np.uint16), kind="stable")
    if top < 1 << 32:
        order = np.argsort(keys.astype(np.uint16), kind="stable")  # the low 16 bits
        high = (keys[order] >> 16).astype(np.uint16)
        return order[np.argsort(high, kind="stable")]
    return np.argsort(keys, kind="stable")


def _rank_by_sorting(
    values: FloatArray,
    group_codes: IntArray | None,
    method: str,
    tie_break: Sequence[FloatArray],
    unit_ids: npt.NDArray[np.object_] | None,
) -> IntArray:
    """:func:`rank` by one sort of the units on (group, values, tie-breaks, unit id)."""
    n = len(values)
    value_keys = [-values, *(-np.asarray(t, dtype=np.float64) for t in tie_break)]
    keys: list[npt.NDArray[np.generic]] = []
    if method == "ordinal":  # only ordinal ranks depend on the order of tied units
        keys.append(
            np.arange(n, dtype=np.int64)
            if unit_ids is None
            else np.unique(unit_ids.astype(str), return_inverse=True)[1].astype(np.int64)
        )
    keys.extend(reversed(value_keys))
    if group_codes is not None:
        keys.append(group_codes)
    group_code = group_codes if group_codes is not None else np.zeros(n, dtype=np.int64)
    # np.lexsort sorts by the last key first
    order = np.lexsort(tuple(keys)) if len(keys) > 1 else np.argsort(keys[0], kind="stable")
    g = group_code[order]
    new_group = np.r_[True, g[1:] != g[:-1]]
    differs = new_group.copy()
    for key in value_keys:
        k = key[order]
        differs[1:] |= k[1:] != k[:-1]
    positions = np.arange(n, dtype=np.int64)
    group_start = np.maximum.accumulate(np.where(new_group, positions, 0))
    if method == "ordinal":
        ranks_sorted = positions - group_start + 1
    elif method == "competition":
        tie_start = np.maximum.accumulate(np.where(differs, positions, 0))
        ranks_sorted = tie_start - group_start + 1
    else:
        steps = np.cumsum(differs)
        ranks_sorted = steps - steps[group_start] + 1
    out = np.empty(n, dtype=np.int64)
    out[order] = ranks_sorted
    return out

"""Tiers and ranks, vectorised over units.

.. versionadded:: 0.1
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt

from parscore.model import TierScale
from parscore.typing import FloatArray, IntArray

__all__ = ["RankMethod", "classify", "rank"]

RankMethod = Literal["competition", "dense", "ordinal"]
"""How ties are ranked: competition ("1, 2, 2, 4"), dense ("1, 2, 2, 3") or ordinal."""


def classify(values: FloatArray, scale: TierScale) -> npt.NDArray[np.object_]:
    """Return the tier name of each value: the best tier whose ``min`` it reaches.

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
    mins = np.array([t.min for t in scale.scale], dtype=np.float64)[::-1]
    pos = np.clip(np.searchsorted(mins, values, side="right") - 1, 0, len(mins) - 1)
    return (len(mins) - 1 - pos).astype(np.int64)


def rank(
    values: FloatArray,
    *,
    groups: npt.NDArray[np.object_] | None = None,
    method: RankMethod = "competition",
    tie_break: Sequence[FloatArray] = (),
    unit_ids: npt.NDArray[np.object_] | None = None,
) -> IntArray:
    """Rank units by *values*, highest first, within each group.

    Args:
        values: The (rounded) values ranked, shape ``(n_units,)``.
        groups: Group label per unit, or None for one group.
        method: ``competition`` (ties share the best rank, the next rank skips),
            ``dense`` (ties share, no skip), ``ordinal`` (no ties: broken by unit id).
        tie_break: Further values (rounded points of named nodes), each ``(n_units,)``,
            compared in order, highest first, before units are considered tied.
        unit_ids: Unit ids, shape ``(n_units,)``, to order ordinal ties deterministically
            (defaults to input order).

    Returns:
        Ranks from 1, int64, shape ``(n_units,)``.

    .. versionadded:: 0.1
    """
    n = len(values)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    value_keys = [-values, *(-np.asarray(t, dtype=np.float64) for t in tie_break)]
    keys: list[npt.NDArray[np.generic]] = []
    if method == "ordinal":  # only ordinal ranks depend on the order of tied units
        keys.append(
            np.arange(n, dtype=np.int64)
            if unit_ids is None
            else np.unique(unit_ids.astype(str), return_inverse=True)[1].astype(np.int64)
        )
    keys.extend(reversed(value_keys))
    if groups is not None:
        keys.append(np.unique(groups.astype(str), return_inverse=True)[1].astype(np.int64))
    group_code = keys[-1] if groups is not None else np.zeros(n, dtype=np.int64)
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
    elif method == "dense":
        steps = np.cumsum(differs)
        ranks_sorted = steps - steps[group_start] + 1
    else:  # a user may pass any string despite the annotation
        msg = f"method must be competition, dense or ordinal, found {method!r}"  # type: ignore[unreachable]
        raise ValueError(msg)
    out = np.empty(n, dtype=np.int64)
    out[order] = ranks_sorted
    return out

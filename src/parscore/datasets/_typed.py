"""Example columns for the additions of format 0.2: unit types, tier caps, adjustment items."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from parscore.compile import CompiledScheme
from parscore.typing import FloatArray

__all__ = ["typed_columns"]

ObjectArray = npt.NDArray[np.object_]

# Shares of units: a column cap holds (e.g. the head was disciplined), a bonus item is earned,
# a penalty item is incurred.
_CAP_RATE = 0.05
_BONUS_RATE = 0.2
_PENALTY_RATE = 0.15


def typed_columns(
    compiled: CompiledScheme, rng: np.random.Generator, values: FloatArray
) -> dict[str, FloatArray | ObjectArray]:
    """The type column, ``cap:<id>`` and ``adj:<id>`` columns of a scheme that has them.

    Types are drawn uniformly; the cells of leaves that do not apply to a unit's type are
    emptied in *values* (NaN, in place). Nothing is drawn for a scheme without the additions,
    so the random stream of other schemes is unchanged.
    """
    scheme = compiled.scheme
    n = values.shape[1]
    out: dict[str, FloatArray | ObjectArray] = {}
    unit_types = scheme.unit_types
    if unit_types is not None:
        ids = unit_types.ids
        types = np.asarray(ids, dtype=object)[rng.integers(len(ids), size=n)]
        out[unit_types.column] = types
        for leaf, node_id in enumerate(compiled.leaf_ids):
            start = int(compiled.leaf_col_start[leaf])
            width = len(scheme.node(node_id).rule.inputs)  # type: ignore[union-attr]
            for type_id in ids:
                if not scheme.applies(node_id, type_id):
                    values[start : start + width, types == type_id] = np.nan
    for cap in scheme.tiers.caps:
        if cap.column is not None:
            out[cap.column] = np.where(rng.random(n) < _CAP_RATE, 1.0, 0.0)
    for item in scheme.adjustments.items:
        rate = _BONUS_RATE if item.sign == "bonus" else _PENALTY_RATE
        if item.per is not None:  # a count of cases
            amount = rng.integers(1, 4, size=n).astype(np.float64)
        else:  # points, in steps of 0.25 up to the item's cap
            top = item.max if item.max is not None else 1.0
            amount = np.ceil(rng.uniform(0.0, top, size=n) * 4.0) / 4.0
        out[item.column] = np.where(rng.random(n) < rate, amount, 0.0)
    return out

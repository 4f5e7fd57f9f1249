"""Unit types, tier scales, caps and quotas as the analyses read them from a result.

With ``unit_types`` a scheme may have one tier scale per type (``tiers.by_type``, the v1
``tiers.scale`` then possibly empty), and ranks are within type × group: every analysis that
classifies or ranks goes through these helpers, which give the v1 answers without types.

.. versionadded:: 0.2
"""

from __future__ import annotations

import numpy as np

from parscore._display import tier_order
from parscore.model import Scheme, TierScale
from parscore.ranking import ranking_codes, tier_position
from parscore.result import Result
from parscore.typing import BoolArray, FloatArray, IntArray

__all__ = [
    "UnitScale",
    "all_tier_names",
    "ranking_groups",
    "tier_positions",
    "type_codes",
    "unit_basis",
    "unit_scales",
]

UnitScale = tuple[str | None, TierScale, BoolArray | None]
"""A type id (None without types), its scale, and its units (None: every unit)."""


def type_codes(result: Result) -> IntArray | None:
    """Each unit's position in ``compiled.type_ids``, or None without unit types."""
    type_ids = result.compiled.type_ids
    if not type_ids or result.unit_types is None:
        return None
    lookup = {t: i for i, t in enumerate(type_ids)}
    return np.fromiter(
        (lookup[str(t)] for t in result.unit_types), dtype=np.int64, count=result.n_units
    )


def ranking_groups(result: Result) -> IntArray:
    """The ranking group of each unit (its group within its type), as the engine ranks."""
    return ranking_codes(result.groups, type_codes(result), result.n_units)


def unit_scales(result: Result) -> list[UnitScale]:
    """The scale of each unit type and the units it classifies (one entry without types)."""
    tiers = result.scheme.tiers
    codes = type_codes(result)
    if codes is None:
        return [(None, tiers.for_type(None), None)]
    return [(t, tiers.for_type(t), codes == i) for i, t in enumerate(result.compiled.type_ids)]


def tier_positions(result: Result) -> IntArray:
    """Position of each unit's tier (after caps and quotas) in its own scale, 0 = best."""
    out = np.zeros(result.n_units, dtype=np.int64)
    for _, scale, mask in unit_scales(result):
        values = result.index if scale.basis == "index" else result.total
        where = {name: k for k, name in enumerate(scale.names)}
        units = np.arange(result.n_units) if mask is None else np.flatnonzero(mask)
        found = np.array([where.get(str(result.tier[u]), -1) for u in units], dtype=np.int64)
        missing = found < 0  # a tier the scale does not name: placed by its value
        if missing.any():
            found[missing] = tier_position(values[units[missing]], scale)
        out[units] = found
    return out


def unit_basis(result: Result) -> tuple[BoolArray, FloatArray]:
    """Whether each unit's scale is on the total (else the index), and that value."""
    on_total = np.zeros(result.n_units, dtype=bool)
    for _, scale, mask in unit_scales(result):
        if scale.basis == "total":
            on_total[slice(None) if mask is None else mask] = True
    return on_total, np.where(on_total, result.total, result.index)


def all_tier_names(scheme: Scheme) -> tuple[str, ...]:
    """Every tier name of the scheme's scales in one order, best first (v1: the scale's)."""
    tiers = scheme.tiers
    if scheme.unit_types is not None:
        return tier_order([tiers.for_type(t).names for t in scheme.unit_types.ids])
    return tier_order([tiers.for_type(None).names])

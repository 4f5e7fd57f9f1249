"""Tiers beyond thresholds: a scale per unit type, caps, then quotas per ranking group.

Pure array functions below the engine: the engine computes which caps hold (it knows the
node points), ranks the units, and calls :func:`assign_tiers`.

.. versionadded:: 0.2
"""

from __future__ import annotations

from fractions import Fraction

import attrs
import numpy as np
import numpy.typing as npt

from parscore.model import TierScale
from parscore.ranking import tier_position
from parscore.typing import BoolArray, FloatArray, IntArray

__all__ = ["Tiering", "assign_tiers", "quota_limit"]

ObjectArray = npt.NDArray[np.object_]


@attrs.frozen(kw_only=True, eq=False)
class Tiering:
    """The tiers of every unit, and what moved them.

    Attributes:
        tier: Final tier name per unit.
        position: Final tier position per unit in its own type's scale (0 = best).
        scale_tier: Tier from the scale alone, or None without caps and quotas.
        capped_by: Id of the cap that lowered the unit's tier ("" none), or None without caps.
        quota_moved: Units moved to a lower tier by a quota, or None without quotas.
    """

    tier: ObjectArray
    position: IntArray
    scale_tier: ObjectArray | None
    capped_by: ObjectArray | None
    quota_moved: BoolArray | None


def quota_limit(quota: float, n: int) -> int:
    """The most units of a group of *n* that a tier with *quota* may hold: floor(quota × n).

    Exact: the quota is read as written (``0.2`` is 1/5, not the float below it).
    """
    return int(Fraction(repr(quota)) * n // 1)


def assign_tiers(
    *,
    tiers: TierScale,
    type_ids: tuple[str, ...],
    type_codes: IntArray | None,
    index: FloatArray,
    total: FloatArray,
    caps_held: BoolArray | None,
    ranks: IntArray,
    group_codes: IntArray,
) -> Tiering:
    """Tier of every unit: its type's scale, lowered by caps that hold, then by quotas.

    Args:
        tiers: The scheme's tiers (scales by type and caps).
        type_ids: The declared types (empty without unit types).
        type_codes: Each unit's position in *type_ids*, or None without unit types.
        index: Rounded index per unit.
        total: Rounded total per unit.
        caps_held: ``(n_caps, n_units)``: where each cap's condition holds, or None.
        ranks: Rank per unit within its ranking group.
        group_codes: Ranking group per unit (type × group), whole numbers from 0.
    """
    n = len(index)
    kinds: list[tuple[TierScale, BoolArray | None]] = (
        [(tiers.for_type(t), type_codes == i) for i, t in enumerate(type_ids)]
        if type_codes is not None
        else [(tiers.for_type(None), None)]
    )
    position = np.zeros(n, dtype=np.int64)
    for scale, mask in kinds:
        values = index if scale.basis == "index" else total
        if mask is None:
            position = tier_position(values, scale)
        elif mask.any():
            position[mask] = tier_position(values[mask], scale)
    before = position.copy()
    capped_by = _apply_caps(tiers, kinds, position, caps_held)
    has_quota = tiers.has_quota  # as the model says, so every reader agrees (even when unused)
    quota_moved = None
    if has_quota:
        quota_moved = np.zeros(n, dtype=bool)
        sizes = np.bincount(group_codes)
        for scale, mask in kinds:
            _apply_quotas(scale, mask, position, quota_moved, ranks, group_codes, sizes)
    tier = _names(kinds, position, n)
    scale_tier = _names(kinds, before, n) if (tiers.caps or has_quota) else None
    return Tiering(
        tier=tier,
        position=position,
        scale_tier=scale_tier,
        capped_by=capped_by,
        quota_moved=quota_moved,
    )


def _apply_caps(
    tiers: TierScale,
    kinds: list[tuple[TierScale, BoolArray | None]],
    position: IntArray,
    caps_held: BoolArray | None,
) -> ObjectArray | None:
    """Lower *position* in place where caps hold; the cap that set each tier ("" none)."""
    if not tiers.caps:
        return None
    n = len(position)
    capped_by = np.full(n, "", dtype=object)
    if caps_held is None:
        return capped_by
    for c, cap in enumerate(tiers.caps):
        held = caps_held[c]
        if not held.any():
            continue
        at = np.empty(n, dtype=np.int64)
        for scale, mask in kinds:
            pos = scale.names.index(cap.at_most)
            if mask is None:
                at[:] = pos
            else:
                at[mask] = pos
        lowered = held & (at > position)  # strict: of equal caps, the first listed stays
        position[lowered] = at[lowered]
        capped_by[lowered] = cap.id
    return capped_by


def _apply_quotas(  # noqa: PLR0917 - private, one call site
    scale: TierScale,
    mask: BoolArray | None,
    position: IntArray,
    moved: BoolArray,
    ranks: IntArray,
    group_codes: IntArray,
    sizes: IntArray,
) -> None:
    """Move units beyond each tier's quota to the next tier, in place, best tier first.

    In each ranking group a tier keeps at most ``floor(quota × group size)`` units: a unit
    is kept when the units of the tier ranked at or above it are within the limit, so units
    tied at the cut all move down and the quota is never exceeded.
    """
    top = int(ranks.max()) + 1 if len(ranks) else 1
    for k, tier in enumerate(scale.scale[:-1]):
        if tier.quota is None:
            continue
        cand = position == k
        if mask is not None:
            cand &= mask
        idx = np.flatnonzero(cand)
        if idx.size == 0:
            continue
        g = group_codes[idx]
        key = g * top + ranks[idx]
        ordered = np.sort(key)
        at_or_above = np.searchsorted(ordered, key, side="right") - np.searchsorted(
            ordered, g * top, side="left"
        )
        group_size, which = np.unique(sizes[g], return_inverse=True)
        limit = np.array([quota_limit(tier.quota, int(s)) for s in group_size], dtype=np.int64)[
            which.reshape(-1)
        ]
        out = idx[at_or_above > limit]
        position[out] = k + 1
        moved[out] = True


def _names(
    kinds: list[tuple[TierScale, BoolArray | None]], position: IntArray, n: int
) -> ObjectArray:
    out = np.empty(n, dtype=object)
    for scale, mask in kinds:
        names = np.array(scale.names, dtype=object)
        if mask is None:
            out[:] = names[position]
        elif mask.any():
            out[mask] = names[position[mask]]
    return out

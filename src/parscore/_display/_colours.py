"""Tier colours, shared by the notebook views and the report's plots and badges."""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["TIER_COLOURS", "tier_colour_map", "tier_colours", "tier_order"]

TIER_COLOURS = ("#15803d", "#65a30d", "#2563eb", "#d97706", "#ea580c", "#dc2626")
"""Tier colours from best to worst; a scale of n tiers takes n of them, spread out."""


def tier_colours(n: int) -> list[str]:
    """Colours for a scale of *n* tiers, best first: green for the best, red for the worst."""
    if n <= 1:
        return list(TIER_COLOURS[:1])
    last = len(TIER_COLOURS) - 1
    return [TIER_COLOURS[math.floor(i * last / (n - 1) + 0.5)] for i in range(n)]


def tier_order(scales: Sequence[Sequence[str]]) -> tuple[str, ...]:
    """Every tier name of several scales (one per unit type) in one order, best first.

    Each name is placed by its mean relative place in the scales that have it (0 = best,
    1 = worst; ties keep the order of first appearance): with ``[Tốt, Khá, Yếu]`` and
    ``[Xuất sắc, Tốt, Khá]`` the order is Xuất sắc, Tốt, Khá, Yếu. One scale keeps its order.

    .. versionadded:: 0.2
    """
    places: dict[str, list[float]] = {}
    for names in scales:
        last = max(len(names) - 1, 1)
        for k, name in enumerate(names):
            places.setdefault(name, []).append(k / last)
    if len(scales) == 1:
        return tuple(scales[0])
    first = {name: i for i, name in enumerate(places)}
    return tuple(sorted(places, key=lambda n: (math.fsum(places[n]) / len(places[n]), first[n])))


def tier_colour_map(scales: Sequence[Sequence[str]]) -> dict[str, str]:
    """One colour per tier name of the scales (:func:`tier_order`), green best to red worst.

    .. versionadded:: 0.2
    """
    names = tier_order(scales)
    return dict(zip(names, tier_colours(len(names)), strict=False))

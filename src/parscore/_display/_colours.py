"""Tier colours, shared by the notebook views and the report's plots and badges."""

from __future__ import annotations

import math

__all__ = ["TIER_COLOURS", "tier_colours"]

TIER_COLOURS = ("#15803d", "#65a30d", "#2563eb", "#d97706", "#ea580c", "#dc2626")
"""Tier colours from best to worst; a scale of n tiers takes n of them, spread out."""


def tier_colours(n: int) -> list[str]:
    """Colours for a scale of *n* tiers, best first: green for the best, red for the worst."""
    if n <= 1:
        return list(TIER_COLOURS[:1])
    last = len(TIER_COLOURS) - 1
    return [TIER_COLOURS[math.floor(i * last / (n - 1) + 0.5)] for i in range(n)]

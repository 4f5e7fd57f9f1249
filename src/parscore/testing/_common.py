"""Pieces shared by the strategy families: cell constants and number strategies."""

from __future__ import annotations

import math

from hypothesis import strategies as st

from parscore.model import Node

__all__ = [
    "MISSING_CELLS",
    "NOT_APPLICABLE_CELLS",
    "ROLL",
    "Columns",
    "decimal",
    "max_of",
    "up_to",
]

Columns = dict[str, list[object]]
"""Measurements as a mapping of column name -> cells, one cell per unit (``unit_id`` first)."""

MISSING_CELLS: tuple[object, ...] = (None, math.nan, "")
"""Cells that mean "missing" (handled by the missing-value policy)."""

NOT_APPLICABLE_CELLS: tuple[str, ...] = ("n/a", "KAD", "không áp dụng")
"""Cells that mark a criterion not applicable to a unit."""

ROLL = st.integers(0, 9)
"""A roll of a ten-sided die: chances are written in tenths."""


def decimal(lo: float, hi: float, places: int = 4) -> st.SearchStrategy[float]:
    """Floats ``k / 10**places`` in ``[lo, hi]``: exact decimals with at most *places* digits."""
    scale = 10**places
    return st.integers(math.ceil(lo * scale - 1e-9), math.floor(hi * scale + 1e-9)).map(
        lambda k: k / scale
    )


def up_to(hi: float) -> st.SearchStrategy[float]:
    """Points from 0 to *hi* with 0–2 decimals, favouring round values and both ends."""
    return st.one_of(
        st.sampled_from([0.0, hi]),
        decimal(0.0, hi, 0),
        decimal(0.0, hi, 2),
    )


def max_of(node: Node) -> float:
    """The node's ``max_points``; generated and validated nodes always have one."""
    if node.max_points is None:
        msg = f'node "{node.id}" has no max'
        raise ValueError(msg)
    return node.max_points

"""The scheme model: a frozen tree of nodes with rules, tiers, rounding and policies.

A :class:`Scheme` is a province's published criteria set ("Bộ chỉ số CCHC") for one group of
units: fields (lĩnh vực) → criteria (tiêu chí) → sub-criteria (tiêu chí thành phần), any depth.
Every object here is a frozen, keyword-only attrs class validated on construction; derive a
changed copy with :func:`attrs.evolve`.

.. versionadded:: 0.1
"""

from __future__ import annotations

from parscore.model._adjustments import Adjustment, AdjustmentItem, Adjustments
from parscore.model._caps import TierCap
from parscore.model._common import RESERVED_COLUMNS, Level, MissingPolicy
from parscore.model._node import Node
from parscore.model._scales import Ranking, Rounding, Tier, TierScale
from parscore.model._scheme import Scheme
from parscore.model._unit_types import UnitType, UnitTypes

__all__ = [
    "RESERVED_COLUMNS",
    "Adjustment",
    "AdjustmentItem",
    "Adjustments",
    "Level",
    "MissingPolicy",
    "Node",
    "Ranking",
    "Rounding",
    "Scheme",
    "Tier",
    "TierCap",
    "TierScale",
    "UnitType",
    "UnitTypes",
]

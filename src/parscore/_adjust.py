"""Bonus and penalty from the measurements: named items capped, summed, then the overall caps.

One computation, for the engine and for the analyses that re-add the very floats it added.

.. versionadded:: 0.2
"""

from __future__ import annotations

import numpy as np

from parscore.measurements import Measurements
from parscore.model import Adjustments
from parscore.typing import FloatArray

__all__ = ["capped_adjustments"]


def capped_adjustments(
    adjustments: Adjustments, data: Measurements
) -> tuple[FloatArray | None, FloatArray | None, dict[str, FloatArray]]:
    """Capped bonus and penalty per unit (or None), and each named item's capped points.

    Each item gives ``per × count`` (or the points written), capped by its own max; the bonus
    (penalty) is the column's value plus the items of its sign, capped by the overall max.
    """
    items: dict[str, FloatArray] = {}
    sums: dict[str, FloatArray | None] = {"bonus": data.bonus, "penalty": data.penalty}
    for item in adjustments.items:
        raw = data.items.get(item.id)
        if raw is None:
            raw = np.zeros(data.n_units)
        pts = raw * item.per if item.per is not None else raw.astype(np.float64, copy=True)
        if item.max is not None:
            np.minimum(pts, item.max, out=pts)
        items[item.id] = pts
        before = sums[item.sign]
        sums[item.sign] = pts.copy() if before is None else before + pts
    capped: list[FloatArray | None] = []
    for sign, cap in (("bonus", adjustments.bonus), ("penalty", adjustments.penalty)):
        values = sums[sign]
        capped.append(values if values is None or cap is None else np.minimum(values, cap.max))
    return capped[0], capped[1], items

"""The project's single half-up rounding helper.

``round()`` and ``np.round`` round half to even and see the binary value of a float, so
79.995 (stored as 79.99499999…) would become 79.99. Officials round half up on the decimal
value they wrote; :func:`round_half_up` does the same: a value within a relative 1e-11 of a
half is treated as exactly the half. That tolerance is far above the float noise of summing a
few hundred leaves (about 1e-13 relative) and far below the distance from a half of any value
that inputs with up to 4 decimals can produce through the built-in rules (ratios of counts
below ten million included).
"""

from __future__ import annotations

import numpy as np

from parscore.typing import FloatArray

__all__ = ["REL_TOL", "round_half_up", "round_half_up_scalar"]

REL_TOL = 1e-11
"""Relative distance from a half below which a value is taken to be exactly the half."""


def round_half_up(
    values: FloatArray, decimals: int, *, out: FloatArray | None = None
) -> FloatArray:
    """Round half away from zero, as ``Decimal.quantize(..., ROUND_HALF_UP)`` would.

    Args:
        values: Any shape, float64. NaN stays NaN.
        decimals: Decimal places, 0–6.
        out: Where to write the result (may be *values* itself, to round in place);
            a new array by default.

    Returns:
        The rounded values, same shape: each is ``k / 10**decimals`` for a whole ``k``, the
        float nearest the decimal result.

    .. versionadded:: 0.1
    """
    scale = 10.0**decimals
    # |x| * scale, nudged up by a relative REL_TOL so that a float just below an exact half
    # (79.995 stored as 79.99499999…) rounds as the decimal half it stands for
    negative = values < 0.0  # taken first: *out* may be *values* itself
    y = np.abs(values, out=out)
    y *= scale * (1.0 + REL_TOL)
    y += 0.5
    np.floor(y, out=y)
    y /= scale
    if negative.any():
        np.negative(y, out=y, where=negative)
        y += 0.0  # turns -0.0 into 0.0
    return y


def round_half_up_scalar(value: float, decimals: int) -> float:
    """Round one number half up; the scalar twin of :func:`round_half_up`."""
    return float(round_half_up(np.array([value], dtype=np.float64), decimals)[0])

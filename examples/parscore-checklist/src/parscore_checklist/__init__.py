"""An example parscore rule plugin: ``weighted_checklist``, a checklist of weighted items.

Registered through the entry-point group ``parscore.rules`` in this package's pyproject.toml::

    [project.entry-points."parscore.rules"]
    weighted_checklist = "parscore_checklist:WeightedChecklist"
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import ClassVar, Literal

import attrs
import numpy as np
import numpy.typing as npt

__all__ = ["WeightedChecklist"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def _items(
    value: Mapping[str, float] | Iterable[tuple[str, float]],
) -> tuple[tuple[str, float], ...]:
    """``{name: weight}`` (or pairs) -> a tuple of pairs, order kept, every value checked."""
    pairs = tuple(value.items() if isinstance(value, Mapping) else value)
    out = []
    for name, weight in pairs:
        if not isinstance(name, str) or not name.strip() or ":" in name:
            msg = f"an item name must be non-empty text without ':', found {name!r}"
            raise ValueError(msg)
        if isinstance(weight, bool) or not isinstance(weight, (int, float)):
            msg = f"the weight of item {name!r} must be a number, found {weight!r}"
            raise TypeError(msg)
        if not math.isfinite(weight) or weight <= 0:
            msg = f"the weight of item {name!r} must be positive, found {weight!r}"
            raise ValueError(msg)
        out.append((unicodedata.normalize("NFC", name).strip(), float(weight)))
    if not out:
        msg = "a checklist needs at least one item"
        raise ValueError(msg)
    if len({name for name, _ in out}) != len(out):
        msg = f"item names must be distinct, found {[name for name, _ in out]}"
        raise ValueError(msg)
    return tuple(out)


@attrs.frozen(kw_only=True)
class WeightedChecklist:
    """A checklist of named items, each with a weight: points for the share of weight done.

    ``points = max × Σ(weight × done) / Σ weight``; each item reads 1 (done) or 0 (not done)
    from the column ``"<node id>:<item>"``.

    Attributes:
        items: Item name -> weight (> 0), in order; written ``{name: weight, …}`` in scheme
            files.
    """

    kind: ClassVar[str] = "weighted_checklist"

    items: tuple[tuple[str, float], ...] = attrs.field(converter=_items)

    @property
    def inputs(self) -> tuple[str, ...]:
        """One input per item: 1 when done, 0 when not."""
        return tuple(name for name, _ in self.items)

    @property
    def weights(self) -> FloatArray:
        """The items' weights, shape ``(n_items,)``."""
        return np.array([w for _, w in self.items], dtype=np.float64)

    def points(self, values: FloatArray, max_points: float) -> FloatArray:
        """Return ``max × Σ(weight × done) / Σ weight``, shape ``(n_units,)``.

        Args:
            values: 1 (done) or 0 (not done), shape ``(n_items, n_units)``; never NaN.
            max_points: The leaf's maximum.
        """
        w = self.weights
        done = (values == 1.0).astype(np.float64)
        return np.asarray(max_points * (w @ done) / w.sum(), dtype=np.float64)

    def check(self, values: FloatArray, max_points: float) -> Sequence[tuple[BoolArray, str]]:
        """Flag values other than 0 and 1 (NaN, missing, is never invalid)."""
        del max_points
        bad = ((values != 0.0) & (values != 1.0) & ~np.isnan(values)).any(axis=0)
        return [(np.asarray(bad), "expected done (1) or not done (0) for every item")]

    def bounds(self, max_points: float) -> tuple[float, float]:
        """Points range from 0 to the maximum."""
        return (0.0, max_points)

    def problems(self, max_points: float) -> Sequence[tuple[str, str]]:
        """Nothing to check against the maximum."""
        del max_points
        return []

    def describe(self, lang: Literal["vi", "en"] = "vi") -> str:
        """One sentence on how points are awarded."""
        parts = ", ".join(f"{name} ({w:g})" for name, w in self.items)
        if lang == "en":
            return f"Maximum × the weighted share of items done: {parts}."
        return f"Điểm tối đa × tỷ lệ (có trọng số) các nội dung đã thực hiện: {parts}."

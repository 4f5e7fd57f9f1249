"""The ``bands`` rule: points by which band a rate falls in."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import ClassVar

import attrs
import numpy as np

from parscore._params import finite_float, optional_float, schema
from parscore.errors import ParameterError
from parscore.rules._base import fmt, fmt_en, on_one_leaf
from parscore.typing import BoolArray, CellKind, FloatArray, Language

__all__ = ["Band", "Bands"]


@attrs.frozen(kw_only=True)
class Band:
    """One band: an interval of the input and the points it earns.

    "trên 90%" is ``Band(gt=90, points=2)`` (strict), "từ 70% – 90%" is
    ``Band(ge=70, le=90, points=1)`` (inclusive). A band without a lower (upper) bound is
    open below (above).

    Attributes:
        points: Points for a value inside the band.
        gt: Strict lower bound (value > gt).
        ge: Inclusive lower bound (value ≥ ge).
        lt: Strict upper bound (value < lt).
        le: Inclusive upper bound (value ≤ le).

    .. versionadded:: 0.1
    """

    points: float = attrs.field(converter=finite_float)
    gt: float | None = attrs.field(default=None, converter=optional_float)
    ge: float | None = attrs.field(default=None, converter=optional_float)
    lt: float | None = attrs.field(default=None, converter=optional_float)
    le: float | None = attrs.field(default=None, converter=optional_float)

    def __attrs_post_init__(self) -> None:
        if self.gt is not None and self.ge is not None:
            msg = "a band has one lower bound: give gt or ge, not both"
            raise ParameterError(msg)
        if self.lt is not None and self.le is not None:
            msg = "a band has one upper bound: give lt or le, not both"
            raise ParameterError(msg)
        lo, lo_in, hi, hi_in = self.interval
        if lo > hi or (lo == hi and not (lo_in and hi_in)):
            msg = f"band {self.label('en')} contains no value"
            raise ParameterError(msg)

    @property
    def interval(self) -> tuple[float, bool, float, bool]:
        """``(lower, lower inclusive, upper, upper inclusive)``; infinite when open."""
        if self.ge is not None:
            lo, lo_in = self.ge, True
        elif self.gt is not None:
            lo, lo_in = self.gt, False
        else:
            lo, lo_in = -math.inf, False
        if self.le is not None:
            hi, hi_in = self.le, True
        elif self.lt is not None:
            hi, hi_in = self.lt, False
        else:
            hi, hi_in = math.inf, False
        return lo, lo_in, hi, hi_in

    def contains(self, value: float) -> bool:
        """Whether *value* falls in the band."""
        lo, lo_in, hi, hi_in = self.interval
        above = value >= lo if lo_in else value > lo
        below = value <= hi if hi_in else value < hi
        return above and below

    def label(self, lang: Language = "vi") -> str:
        """The band's interval in words, e.g. "trên 90" or "từ 70 đến 90"."""
        num = fmt_en if lang == "en" else fmt
        words = {
            "vi": {"gt": "trên", "ge": "từ", "lt": "dưới", "le": "đến"},
            "en": {"gt": "above", "ge": "from", "lt": "below", "le": "up to"},
        }[lang]
        parts = [
            f"{words[key]} {num(bound)}"
            for key, bound in (("gt", self.gt), ("ge", self.ge), ("lt", self.lt), ("le", self.le))
            if bound is not None
        ]
        return " ".join(parts) or ("mọi giá trị" if lang == "vi" else "any value")


def _bands(value: Iterable[Band | dict[str, object]]) -> tuple[Band, ...]:
    out = tuple(b if isinstance(b, Band) else Band(**b) for b in value)
    if not out:
        msg = "bands needs at least one band"
        raise ParameterError(msg)
    return out


def _overlap(a: Band, b: Band) -> bool:
    alo, alo_in, ahi, ahi_in = a.interval
    blo, blo_in, bhi, bhi_in = b.interval
    lo, lo_in = (
        (alo, alo_in) if alo > blo else (blo, blo_in) if blo > alo else (alo, alo_in and blo_in)
    )
    hi, hi_in = (
        (ahi, ahi_in) if ahi < bhi else (bhi, bhi_in) if bhi < ahi else (ahi, ahi_in and bhi_in)
    )
    return lo < hi or (lo == hi and lo_in and hi_in)


@attrs.frozen(kw_only=True)
class Bands:
    """Points by band of a rate: the band the value falls in decides the points.

    Example: "trên 90% kế hoạch: 2 / từ 70% – 90%: 1 / dưới 70%: 0" is
    ``Bands(bands=[Band(gt=90, points=2), Band(ge=70, le=90, points=1)], otherwise=0)``.
    Bands may not overlap, so the first (and only) matching band decides.

    Attributes:
        bands: The bands, in the order written.
        otherwise: Points for a value in no band.

    .. versionadded:: 0.1
    """

    kind: ClassVar[str] = "bands"
    cells: ClassVar[CellKind] = "percent"
    """What its cells hold, for reading tables (see :data:`parscore.typing.CellKind`)."""
    can_be_not_applicable: ClassVar[bool] = False

    # at least one band: checked by the converter _bands; no overlap: by __attrs_post_init__
    bands: tuple[Band, ...] = attrs.field(converter=_bands, metadata=schema(minItems=1))
    otherwise: float = attrs.field(default=0.0, converter=finite_float)

    def __attrs_post_init__(self) -> None:
        for i, a in enumerate(self.bands):
            for j in range(i + 1, len(self.bands)):
                if _overlap(a, self.bands[j]):
                    msg = (
                        f"bands[{i}] ({a.label('en')}) and bands[{j}] "
                        f"({self.bands[j].label('en')}) overlap"
                    )
                    raise ParameterError(msg)

    @property
    def inputs(self) -> tuple[str, ...]:
        """One input: the rate or value banded."""
        return ("value",)

    def points(self, values: FloatArray, max_points: float) -> FloatArray:
        """Return the points of the band each value falls in; shape ``(n_units,)``."""
        out: FloatArray = on_one_leaf(self, "batch_points", values, max_points)
        return out

    @classmethod
    def batch_points(
        cls, rules: Sequence[Bands], values: FloatArray, max_points: FloatArray
    ) -> FloatArray:
        """Score *k* leaves at once: values ``(k, 1, n)``, max ``(k,)`` -> ``(k, n)``."""
        del max_points
        v = values[:, 0, :]
        width = max(len(r.bands) for r in rules)
        out = np.empty_like(v)
        out[...] = np.array([r.otherwise for r in rules])[:, None]
        for b in range(width):
            # every band as a closed interval of floats: a strict bound moves to the next
            # float, so "v > 90" is exactly "v >= nextafter(90, inf)"
            lo = np.full(len(rules), np.inf)  # padding bands match nothing
            hi = np.full(len(rules), -np.inf)
            pts = np.zeros(len(rules))
            for i, r in enumerate(rules):
                if b < len(r.bands):
                    low, low_in, high, high_in = r.bands[b].interval
                    lo[i] = low if low_in else np.nextafter(low, np.inf)
                    hi[i] = high if high_in else np.nextafter(high, -np.inf)
                    pts[i] = r.bands[b].points
            inside = v >= lo[:, None]
            inside &= v <= hi[:, None]
            # bands never overlap, so at most one matches each value
            np.copyto(out, pts[:, None], where=inside)
        return out

    def check(self, values: FloatArray, max_points: float) -> list[tuple[BoolArray, str]]:
        """Every finite value is valid."""
        del values, max_points
        return []

    @classmethod
    def batch_invalid(
        cls, rules: Sequence[Bands], values: FloatArray, max_points: FloatArray
    ) -> BoolArray:
        """Nothing is invalid."""
        del rules, max_points
        return np.zeros((values.shape[0], values.shape[2]), dtype=bool)

    def bounds(self, max_points: float) -> tuple[float, float]:
        """Points range over the bands' points and ``otherwise``."""
        del max_points
        pts = [b.points for b in self.bands] + [self.otherwise]
        return (min(pts), max(pts))

    def problems(self, max_points: float) -> list[tuple[str, str]]:
        """Every band's points, and ``otherwise``, must lie in ``[0, max]``."""
        out = []
        for i, b in enumerate(self.bands):
            if b.points < 0 or b.points > max_points:
                message = (
                    f"band {b.label('en')} gives {fmt_en(b.points)} points, outside 0 "
                    f"to the maximum {fmt_en(max_points)}"
                )
                out.append((f"bands[{i}].points", message))
        if self.otherwise < 0 or self.otherwise > max_points:
            message = (
                f"otherwise gives {fmt_en(self.otherwise)} points, outside 0 to the "
                f"maximum {fmt_en(max_points)}"
            )
            out.append(("otherwise", message))
        return out

    def describe(self, lang: Language = "vi") -> str:
        """One sentence on how points are awarded."""
        num = fmt_en if lang == "en" else fmt
        parts = [f"{b.label(lang)}: {num(b.points)}" for b in self.bands]
        parts.append(("otherwise" if lang == "en" else "còn lại") + f": {num(self.otherwise)}")
        if lang == "en":
            return "Points by band: " + "; ".join(parts) + "."
        return "Điểm theo mức: " + "; ".join(parts) + "."

    def example_values(
        self,
        rng: np.random.Generator,
        quality: FloatArray,
        max_points: float,
        unit_size: FloatArray,
    ) -> FloatArray:
        """Rates with one decimal across the bands, the better end where *quality* is high.

        A percentage scale (0–100) unless the bands' edges lie beyond it; edge values such as
        90.0 do occur. Shape ``(1, n_units)``.
        """
        del rng, unit_size
        edges = [b for band in self.bands for b in band.interval[::2] if math.isfinite(b)]
        lo, hi = min([0.0, *edges]), max([100.0, *edges])
        if lo < 0.0 or hi > 100.0:  # not a percentage: leave room beyond the outer edges
            span = (hi - lo) or 1.0
            lo, hi = lo - span / 4, hi + span / 4
        ends = self.points(np.array([[lo, hi]]), max_points)
        share = quality if ends[1] >= ends[0] else 1.0 - quality  # some bands reward low values
        return np.round(lo + (hi - lo) * share, 1)[None, :]  # one decimal: edges like 90.0 occur

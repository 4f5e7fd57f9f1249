"""The ``bands`` rule: points by which band a rate falls in."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import ClassVar

import attrs
import numpy as np

from parscore._params import INPUT_NAME, finite_float, optional_float, schema
from parscore.errors import ParameterError
from parscore.rules._base import (
    WhenEmpty,
    empty_share,
    fmt,
    fmt_en,
    input_names,
    on_one_leaf,
    one_or_two_inputs,
    when_empty_validator,
)
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


def _edge(x: float) -> tuple[float, float]:
    """An edge as the integers ``(p, q)`` with ``p / q`` the decimal it was written as.

    ``90`` is ``(90, 1)``, ``33.33`` is ``(3333, 100)``: banding a rate of counts compares
    ``100 × q × num`` with ``p × den``, products of integers that float64 holds exactly.
    """
    frac = Fraction(repr(x))
    return float(frac.numerator), float(frac.denominator)


@attrs.frozen(kw_only=True)
class Bands:
    """Points by band of a rate: the band the value falls in decides the points.

    Example: "trên 90% kế hoạch: 2 / từ 70% – 90%: 1 / dưới 70%: 0" is
    ``Bands(bands=[Band(gt=90, points=2), Band(ge=70, le=90, points=1)], otherwise=0)``.
    Bands may not overlap, so the first (and only) matching band decides.

    With two inputs the rate is read from counts, as criteria texts write it: "Tỷ lệ % =
    đúng hạn / tổng số × 100; từ 90% trở lên: 2 điểm; từ 70% đến dưới 90%: 1 điểm" is
    ``Bands(inputs=("dung_han", "tong_so"), bands=[Band(ge=90, points=2), Band(ge=70, lt=90,
    points=1)])``. The rate ``100 × num / den`` is banded exactly (9 of 10 is exactly 90);
    a zero denominator earns what *when_empty* says.

    Attributes:
        bands: The bands, in the order written.
        otherwise: Points for a value in no band.
        inputs: ``("value",)`` by default (a rate, or any value); two names (numerator,
            denominator) for counts.
        when_empty: With two inputs, points for a zero denominator: ``full`` (default),
            ``zero`` or ``not_applicable``; not given with one input.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       ``inputs`` (a rate from two counts) and ``when_empty``.
    """

    kind: ClassVar[str] = "bands"

    # at least one band: checked by the converter _bands; no overlap: by __attrs_post_init__
    bands: tuple[Band, ...] = attrs.field(converter=_bands, metadata=schema(minItems=1))
    otherwise: float = attrs.field(default=0.0, converter=finite_float)
    # names, at least one, distinct: checked by the converter input_names; one or two: by
    # one_or_two_inputs; when_empty only with two: by _check_when_empty
    inputs: tuple[str, ...] = attrs.field(
        default=("value",),
        converter=input_names,
        validator=one_or_two_inputs("bands", "a rate or value", "numerator, denominator counts"),
        metadata=schema(items=INPUT_NAME, minItems=1, maxItems=2, uniqueItems=True),
    )
    when_empty: WhenEmpty | None = attrs.field(
        default=None, validator=attrs.validators.optional(when_empty_validator)
    )

    @when_empty.validator
    def _check_when_empty(self, _attribute: attrs.Attribute[str | None], value: str | None) -> None:
        if len(self.inputs) == 1 and value is not None:
            msg = (
                "when_empty applies only to a rate of two counts (inputs: [numerator, "
                "denominator]); with one input, leave it out"
            )
            raise ParameterError(msg)

    def __attrs_post_init__(self) -> None:
        if len(self.inputs) == 2 and self.when_empty is None:
            # one spelling per meaning, so equal rules have equal fingerprints
            object.__setattr__(self, "when_empty", "full")
        for i, a in enumerate(self.bands):
            for j in range(i + 1, len(self.bands)):
                if _overlap(a, self.bands[j]):
                    msg = (
                        f"bands[{i}] ({a.label('en')}) and bands[{j}] "
                        f"({self.bands[j].label('en')}) overlap"
                    )
                    raise ParameterError(msg)

    @property
    def cells(self) -> CellKind:
        """What its cells hold: a percentage with one input, counts with two."""
        return "percent" if len(self.inputs) == 1 else "count"

    @property
    def can_be_not_applicable(self) -> bool:
        """True when a zero denominator makes the criterion not applicable."""
        return len(self.inputs) == 2 and self.when_empty == "not_applicable"

    def points(self, values: FloatArray, max_points: float) -> FloatArray:
        """Return the points of the band each value (or rate) falls in; shape ``(n_units,)``."""
        out: FloatArray = on_one_leaf(self, "batch_points", values, max_points)
        return out

    @classmethod
    def batch_points(
        cls, rules: Sequence[Bands], values: FloatArray, max_points: FloatArray
    ) -> FloatArray:
        """Score *k* leaves with the same number of inputs: ``(k, m, n)`` -> ``(k, n)``."""
        if values.shape[1] == 2:
            return cls._rate_points(rules, values, max_points)
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

    @classmethod
    def _rate_points(
        cls, rules: Sequence[Bands], values: FloatArray, max_points: FloatArray
    ) -> FloatArray:
        """Band the rate ``100 × num / den`` of counts ``(k, 2, n)`` -> ``(k, n)``."""
        num, den = values[:, 0, :], values[:, 1, :]
        out = np.empty_like(num)
        out[...] = np.array([r.otherwise for r in rules])[:, None]
        for i, r in enumerate(rules):
            # Never divide: 100 × 9 / 10 is 90.00000000000001 in float64. Compare
            # 100 × q × num with p × den instead, where p / q is the edge as written
            # (33.33 = 3333 / 100): products of whole numbers, exact below 2**53, so
            # counts band exactly as officials compute them.
            for band in r.bands:
                inside = np.ones(num.shape[1], dtype=bool)
                for edge, ops in (
                    (band.gt, np.greater),
                    (band.ge, np.greater_equal),
                    (band.lt, np.less),
                    (band.le, np.less_equal),
                ):
                    if edge is not None:
                        p, q = _edge(edge)
                        inside &= ops(100.0 * q * num[i], p * den[i])
                out[i, inside] = band.points  # bands never overlap: at most one matches
        empty = den == 0.0
        if empty.any():
            fill = np.array([empty_share(r.when_empty or "full") for r in rules])
            out = np.where(empty, (fill * max_points)[:, None], out)
        return out

    def check(self, values: FloatArray, max_points: float) -> list[tuple[BoolArray, str]]:
        """Every finite value is valid; counts must be non-negative, num at most den."""
        del max_points
        if values.shape[0] == 1:
            return []
        num, den = values[0], values[1]
        return [
            ((num < 0.0) | (den < 0.0), "a count cannot be negative"),
            (
                num > den,
                f"the numerator ({self.inputs[0]}) exceeds the denominator ({self.inputs[1]})",
            ),
        ]

    @classmethod
    def batch_invalid(
        cls, rules: Sequence[Bands], values: FloatArray, max_points: FloatArray
    ) -> BoolArray:
        """Mask ``(k, n)`` of invalid inputs: with two, negative counts or num above den."""
        del rules, max_points
        if values.shape[1] == 2:
            num, den = values[:, 0, :], values[:, 1, :]
            return (num < 0.0) | (den < 0.0) | (num > den)
        return np.zeros((values.shape[0], values.shape[2]), dtype=bool)

    def bounds(self, max_points: float) -> tuple[float, float]:
        """Points range over the bands' points and ``otherwise`` (and a zero denominator's)."""
        pts = [b.points for b in self.bands] + [self.otherwise]
        if len(self.inputs) == 2 and self.when_empty in ("full", "zero"):
            pts.append(empty_share(self.when_empty) * max_points)
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
        if len(self.inputs) == 2:
            a, b = self.inputs
            empty = self.when_empty or "full"
            if lang == "en":
                when = {"full": "full points", "zero": "0", "not_applicable": "not applicable"}
                return (
                    f"Rate = {a} / {b} × 100; "
                    + "; ".join(parts)
                    + f"; if {b} is 0: {when[empty]}."
                )
            khi = {"full": "điểm tối đa", "zero": "0", "not_applicable": "không áp dụng"}
            return (
                f"Tỷ lệ = {a} / {b} × 100; " + "; ".join(parts) + f"; nếu {b} bằng 0: {khi[empty]}."
            )
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
        90.0 do occur. Shape ``(1, n_units)``. With two inputs, counts: about *unit_size*
        cases, 2 % of units with none, each counted in the numerator with a probability
        driven by *quality*; shape ``(2, n_units)``.
        """
        if len(self.inputs) == 2:
            ends = self.points(np.array([[0.0, 100.0], [100.0, 100.0]]), max_points)
            share = quality if ends[1] >= ends[0] else 1.0 - quality
            den = rng.poisson(unit_size)
            den[rng.random(quality.shape[0]) < 0.02] = 0  # nothing to assess this year
            num = rng.binomial(den, np.clip(0.4 + 0.6 * share, 0.0, 1.0))
            return np.stack([num, den]).astype(np.float64)
        del rng, unit_size
        edges = [b for band in self.bands for b in band.interval[::2] if math.isfinite(b)]
        lo, hi = min([0.0, *edges]), max([100.0, *edges])
        if lo < 0.0 or hi > 100.0:  # not a percentage: leave room beyond the outer edges
            span = (hi - lo) or 1.0
            lo, hi = lo - span / 4, hi + span / 4
        ends = self.points(np.array([[lo, hi]]), max_points)
        share = quality if ends[1] >= ends[0] else 1.0 - quality  # some bands reward low values
        return np.round(lo + (hi - lo) * share, 1)[None, :]  # one decimal: edges like 90.0 occur

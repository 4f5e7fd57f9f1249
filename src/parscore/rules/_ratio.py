"""The ``ratio`` rule: points in proportion to a rate."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

import attrs
import numpy as np

from parscore._params import INPUT_NAME, schema
from parscore.errors import ParameterError
from parscore.rules._base import (
    WhenEmpty,
    empty_share,
    input_names,
    on_one_leaf,
    one_or_two_inputs,
    when_empty_validator,
)
from parscore.typing import BoolArray, CellKind, FloatArray, Language

__all__ = ["Ratio"]

Over = Literal["error", "cap"]


@attrs.frozen(kw_only=True)
class Ratio:
    """Points in proportion to a rate: ``max × rate``.

    With one input the value is a percentage (0–100): ``max × value / 100``. With two inputs
    the first is the numerator and the second the denominator: ``max × num / den``, e.g.
    "Tỷ lệ % = đúng hạn / tiếp nhận × 100". A zero denominator means nothing to assess and
    earns what *when_empty* says.

    Attributes:
        inputs: ``("rate",)`` by default; two names (numerator, denominator) for counts.
        when_empty: Points for a zero denominator: ``full`` (default), ``zero`` or
            ``not_applicable``.
        over: A rate above 100 % (numerator above denominator) is an ``error`` (default) or
            is capped at 100 % (``cap``).

    .. versionadded:: 0.1
    """

    kind: ClassVar[str] = "ratio"

    # names, at least one, distinct: checked by the converter input_names; at most two: by
    # one_or_two_inputs
    inputs: tuple[str, ...] = attrs.field(
        default=("rate",),
        converter=input_names,
        validator=one_or_two_inputs("ratio", "a percentage", "numerator, denominator"),
        metadata=schema(items=INPUT_NAME, minItems=1, maxItems=2, uniqueItems=True),
    )
    when_empty: WhenEmpty = attrs.field(default="full", validator=when_empty_validator)
    over: Over = attrs.field(default="error")

    @over.validator
    def _check_over(self, _attribute: attrs.Attribute[str], value: str) -> None:
        if value not in ("error", "cap"):
            msg = f"over must be 'error' or 'cap', found {value!r}"
            raise ParameterError(msg)

    @property
    def cells(self) -> CellKind:
        """A percentage with one input; counts (numerator, denominator) with two."""
        return "percent" if len(self.inputs) == 1 else "count"

    @property
    def can_be_not_applicable(self) -> bool:
        """True when a zero denominator makes the criterion not applicable."""
        return len(self.inputs) == 2 and self.when_empty == "not_applicable"

    def points(self, values: FloatArray, max_points: float) -> FloatArray:
        """Return ``max × rate``, the rate capped to [0, 1]; shape ``(n_units,)``."""
        out: FloatArray = on_one_leaf(self, "batch_points", values, max_points)
        return out

    @classmethod
    def batch_points(
        cls, rules: Sequence[Ratio], values: FloatArray, max_points: FloatArray
    ) -> FloatArray:
        """Score *k* leaves with the same number of inputs: ``(k, m, n)`` -> ``(k, n)``."""
        mx = max_points[:, None]
        if values.shape[1] == 1:
            return mx * (np.clip(values[:, 0, :], 0.0, 100.0) / 100.0)
        num, den = values[:, 0, :], values[:, 1, :]
        empty = den == 0.0
        with np.errstate(divide="ignore", invalid="ignore"):  # den == 0 is handled below
            share = np.minimum(num / den, 1.0)
        out = mx * share
        if empty.any():
            fill = np.array([empty_share(r.when_empty) for r in rules])
            out = np.where(empty, fill[:, None] * mx, out)
        return out

    def check(self, values: FloatArray, max_points: float) -> list[tuple[BoolArray, str]]:
        """Flag negative values, and rates above 100 % unless the rule caps them."""
        del max_points
        if values.shape[0] == 1:
            v = values[0]
            out = [(v < 0.0, "a percentage cannot be negative")]
            if self.over == "error":
                out.append((v > 100.0, "a percentage cannot exceed 100"))
            return out
        num, den = values[0], values[1]
        out = [((num < 0.0) | (den < 0.0), "a count cannot be negative")]
        if self.over == "error":
            out.append(
                (
                    num > den,
                    f"the numerator ({self.inputs[0]}) exceeds the denominator ({self.inputs[1]})",
                )
            )
        return out

    @classmethod
    def batch_invalid(
        cls, rules: Sequence[Ratio], values: FloatArray, max_points: FloatArray
    ) -> BoolArray:
        """Mask ``(k, n)`` of invalid inputs."""
        del max_points
        strict = np.array([r.over == "error" for r in rules])[:, None]
        if values.shape[1] == 1:
            v = values[:, 0, :]
            return (v < 0.0) | (strict & (v > 100.0))
        num, den = values[:, 0, :], values[:, 1, :]
        return (num < 0.0) | (den < 0.0) | (strict & (num > den))

    def bounds(self, max_points: float) -> tuple[float, float]:
        """Points range from 0 to the maximum."""
        return (0.0, max_points)

    def problems(self, max_points: float) -> list[tuple[str, str]]:
        """Nothing to check against the maximum."""
        del max_points
        return []

    def describe(self, lang: Language = "vi") -> str:
        """One sentence on how points are awarded."""
        if len(self.inputs) == 1:
            if lang == "en":
                return "Maximum × the percentage / 100."
            return "Điểm tối đa × tỷ lệ phần trăm đạt được / 100."
        num, den = self.inputs
        empty_en = {"full": "full points", "zero": "0 points", "not_applicable": "not applicable"}
        empty_vi = {"full": "điểm tối đa", "zero": "0 điểm", "not_applicable": "không áp dụng"}
        if lang == "en":
            return f"Maximum × {num} / {den}; if {den} is 0: {empty_en[self.when_empty]}."
        return f"Điểm tối đa × {num} / {den}; nếu {den} bằng 0: {empty_vi[self.when_empty]}."

    def example_values(
        self,
        rng: np.random.Generator,
        quality: FloatArray,
        max_points: float,
        unit_size: FloatArray,
    ) -> FloatArray:
        """A percentage of ``100 × quality``, or counts: about *unit_size* cases received.

        With two inputs, 2 % of units received nothing, and each case is done on time with
        probability ``1 - (1 - quality) / 2``. Shape ``(n_inputs, n_units)``.
        """
        del max_points
        if len(self.inputs) == 1:
            return np.round(100.0 * quality, 2)[None, :]
        received = rng.poisson(unit_size)
        received[rng.random(quality.shape[0]) < 0.02] = 0  # nothing to assess this year
        on_time = rng.binomial(received, 1.0 - (1.0 - quality) * 0.5)
        return np.stack([on_time, received]).astype(np.float64)

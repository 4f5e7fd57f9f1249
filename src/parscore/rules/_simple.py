"""The rules that read one number per input: ``yes_no``, ``points`` and ``deduction``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal, TypeAlias

import attrs
import numpy as np

from parscore._params import INPUT_NAME, Constraint, above, finite_float, schema
from parscore.errors import ParameterError, ParameterTypeError
from parscore.rules._base import fmt, fmt_en, input_names, on_one_leaf
from parscore.typing import BoolArray, CellKind, FloatArray, Language

__all__ = ["Deduction", "Need", "Points", "YesNo"]

Need: TypeAlias = Literal["all", "any"] | int
"""How many checks of a ``yes_no`` leaf must pass: ``all``, ``any`` or at least N."""


def _is_need(value: object) -> bool:
    if value in ("all", "any") and isinstance(value, str):
        return True
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


_NEED = Constraint(
    schema={"minimum": 1},  # the number form; "all" and "any" come from the type
    test=_is_need,
    message="need must be all, any or a whole number of checks (at least 1), found {value!r}",
)


@attrs.frozen(kw_only=True)
class YesNo:
    """Pass (1) earns the maximum, fail (0) earns nothing; with several inputs *need* decides.

    Reads 1/0 per input (tables may also say true/false, có/không, đạt/không đạt, x).
    Example: "Đạt yêu cầu: 1 / Không đạt: 0"; "Có một trong các hình thức …" (``need: any``).

    Attributes:
        inputs: Names of the checks; one by default.
        need: How many checks must pass for the maximum: ``all`` (default, the AND of the
            checks), ``any`` (at least one) or a whole number N, 1 ≤ N ≤ number of inputs.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 *need*.
    """

    kind: ClassVar[str] = "yes_no"
    cells: ClassVar[CellKind] = "yes_no"
    """What its cells hold, for reading tables (see :data:`parscore.typing.CellKind`)."""
    can_be_not_applicable: ClassVar[bool] = False

    # names, at least one, distinct: checked by the converter input_names
    inputs: tuple[str, ...] = attrs.field(
        default=("value",),
        converter=input_names,
        metadata=schema(items=INPUT_NAME, minItems=1, uniqueItems=True),
    )
    # at most the number of inputs: checked by _check_need below
    need: Need = attrs.field(default="all", validator=_NEED)

    @need.validator
    def _check_need(self, _attribute: attrs.Attribute[Need], value: Need) -> None:
        if isinstance(value, int) and value > len(self.inputs):
            msg = (
                f"need {value} exceeds the number of inputs ({len(self.inputs)}); "
                f"write a number from 1 to {len(self.inputs)}, any or all"
            )
            raise ParameterError(msg)

    @property
    def needed(self) -> int:
        """The number of checks that must pass, from 1 to the number of inputs."""
        if self.need == "all":
            return len(self.inputs)
        if self.need == "any":
            return 1
        return self.need

    def points(self, values: FloatArray, max_points: float) -> FloatArray:
        """Return ``max_points`` where enough inputs are 1 (see *need*), else 0; ``(n_units,)``."""
        out: FloatArray = on_one_leaf(self, "batch_points", values, max_points)
        return out

    @classmethod
    def batch_points(
        cls, rules: Sequence[YesNo], values: FloatArray, max_points: FloatArray
    ) -> FloatArray:
        """Score *k* leaves at once: values ``(k, m, n)``, max ``(k,)`` -> ``(k, n)``."""
        needed = np.array([r.needed for r in rules], dtype=np.int64)[:, None]
        passed = (values == 1.0).sum(axis=1) >= needed
        return np.asarray(passed * max_points[:, None], dtype=np.float64)

    def check(self, values: FloatArray, max_points: float) -> list[tuple[BoolArray, str]]:
        """Flag values other than 0 and 1."""
        bad = on_one_leaf(self, "batch_invalid", values, max_points)
        return [(bad, "expected yes (1) or no (0)")]

    @classmethod
    def batch_invalid(
        cls, rules: Sequence[YesNo], values: FloatArray, max_points: FloatArray
    ) -> BoolArray:
        """Mask ``(k, n)`` of units whose inputs are invalid for each of *k* leaves."""
        del rules, max_points
        return np.asarray(((values != 0.0) & (values != 1.0) & ~np.isnan(values)).any(axis=1))

    def bounds(self, max_points: float) -> tuple[float, float]:
        """Points range from 0 to the maximum."""
        return (0.0, max_points)

    def problems(self, max_points: float) -> list[tuple[str, str]]:
        """Nothing to check against the maximum."""
        del max_points
        return []

    def describe(self, lang: Language = "vi") -> str:
        """One sentence on how points are awarded."""
        n, names = len(self.inputs), ", ".join(self.inputs)
        needed = self.needed
        if lang == "en":
            if n == 1:
                cond = "met"
            elif needed == n:
                cond = f"all of {names} are met"
            elif needed == 1:
                cond = f"any one of {names} is met"
            else:
                cond = f"at least {needed} of the {n} requirements {names} are met"
            return f"Full points if {cond}, otherwise 0."
        if n == 1:
            cond = "đạt yêu cầu"
        elif needed == n:
            cond = f"đạt đủ các yêu cầu {names}"
        elif needed == 1:
            cond = f"có một trong các yêu cầu {names}"
        else:
            cond = f"đạt ít nhất {needed} trong {n} yêu cầu {names}"
        return f"Điểm tối đa nếu {cond}; không đạt: 0 điểm."

    def example_values(
        self,
        rng: np.random.Generator,
        quality: FloatArray,
        max_points: float,
        unit_size: FloatArray,
    ) -> FloatArray:
        """Each check passes with probability *quality*: ``(n_inputs, n_units)`` of 0/1."""
        del max_points, unit_size
        return (rng.random((len(self.inputs), quality.shape[0])) < quality).astype(np.float64)


@attrs.frozen(kw_only=True)
class Points:
    """The input is the points themselves (e.g. given by the appraisal council).

    Attributes:
        clip: Clip values outside ``[0, max]`` instead of reporting them as errors.

    .. versionadded:: 0.1
    """

    kind: ClassVar[str] = "points"
    cells: ClassVar[CellKind] = "number"
    """What its cells hold, for reading tables (see :data:`parscore.typing.CellKind`)."""
    can_be_not_applicable: ClassVar[bool] = False

    clip: bool = attrs.field(default=False)

    @clip.validator
    def _check_clip(self, _attribute: attrs.Attribute[bool], value: object) -> None:
        if not isinstance(value, bool):
            msg = f"clip must be true or false, found {value!r}"
            raise ParameterTypeError(msg)

    @property
    def inputs(self) -> tuple[str, ...]:
        """One input: the points."""
        return ("points",)

    def points(self, values: FloatArray, max_points: float) -> FloatArray:
        """Return the input, clipped to ``[0, max_points]``; shape ``(n_units,)``."""
        out: FloatArray = on_one_leaf(self, "batch_points", values, max_points)
        return out

    @classmethod
    def batch_points(
        cls, rules: Sequence[Points], values: FloatArray, max_points: FloatArray
    ) -> FloatArray:
        """Score *k* leaves at once: values ``(k, 1, n)``, max ``(k,)`` -> ``(k, n)``."""
        del rules
        return np.clip(values[:, 0, :], 0.0, max_points[:, None])

    def check(self, values: FloatArray, max_points: float) -> list[tuple[BoolArray, str]]:
        """Flag points outside ``[0, max]`` unless the rule clips."""
        if self.clip:
            return []
        v = values[0]
        return [
            (v < 0.0, "points cannot be negative"),
            (v > max_points, f"points cannot exceed the maximum {fmt_en(max_points)}"),
        ]

    @classmethod
    def batch_invalid(
        cls, rules: Sequence[Points], values: FloatArray, max_points: FloatArray
    ) -> BoolArray:
        """Mask ``(k, n)`` of out-of-range points for leaves that do not clip."""
        strict = np.array([not r.clip for r in rules])[:, None]
        v = values[:, 0, :]
        return strict & ((v < 0.0) | (v > max_points[:, None]))

    def bounds(self, max_points: float) -> tuple[float, float]:
        """Points range from 0 to the maximum."""
        return (0.0, max_points)

    def problems(self, max_points: float) -> list[tuple[str, str]]:
        """Nothing to check against the maximum."""
        del max_points
        return []

    def describe(self, lang: Language = "vi") -> str:
        """One sentence on how points are awarded."""
        if lang == "en":
            return "Points as given (e.g. by the appraisal council), from 0 to the maximum."
        return "Điểm theo số điểm được chấm (ví dụ do Hội đồng thẩm định chấm), từ 0 đến tối đa."

    def example_values(
        self,
        rng: np.random.Generator,
        quality: FloatArray,
        max_points: float,
        unit_size: FloatArray,
    ) -> FloatArray:
        """Points of ``max × quality`` in steps of 0.05: ``(1, n_units)``."""
        del rng, unit_size
        return np.minimum(np.round(max_points * quality * 20.0) / 20.0, max_points)[None, :]


@attrs.frozen(kw_only=True)
class Deduction:
    """Start from the maximum and deduct *per* points for each counted item, down to *floor*.

    Example: "bị trừ 0,25 điểm" for each late document. The floor may be negative, so a
    deduction can push the leaf below its own zero.

    Attributes:
        per: Points deducted per item (> 0).
        floor: Lowest points the leaf can reach (≤ max; may be negative).

    .. versionadded:: 0.1
    """

    kind: ClassVar[str] = "deduction"
    cells: ClassVar[CellKind] = "count"
    """What its cells hold, for reading tables (see :data:`parscore.typing.CellKind`)."""
    can_be_not_applicable: ClassVar[bool] = False

    per: float = attrs.field(
        converter=finite_float, validator=above(0, "per must be positive, found {value}")
    )
    floor: float = attrs.field(default=0.0, converter=finite_float)

    @property
    def inputs(self) -> tuple[str, ...]:
        """One input: the count of items (late files, errors …)."""
        return ("count",)

    def points(self, values: FloatArray, max_points: float) -> FloatArray:
        """Return ``max(max_points - per * count, floor)``; shape ``(n_units,)``."""
        out: FloatArray = on_one_leaf(self, "batch_points", values, max_points)
        return out

    @classmethod
    def batch_points(
        cls, rules: Sequence[Deduction], values: FloatArray, max_points: FloatArray
    ) -> FloatArray:
        """Score *k* leaves at once: values ``(k, 1, n)``, max ``(k,)`` -> ``(k, n)``."""
        per = np.array([r.per for r in rules])[:, None]
        floor = np.array([r.floor for r in rules])[:, None]
        out = np.maximum(max_points[:, None] - per * values[:, 0, :], floor)
        return np.asarray(out, dtype=np.float64)

    def check(self, values: FloatArray, max_points: float) -> list[tuple[BoolArray, str]]:
        """Flag negative counts."""
        bad = on_one_leaf(self, "batch_invalid", values, max_points)
        return [(bad, "a count cannot be negative")]

    @classmethod
    def batch_invalid(
        cls, rules: Sequence[Deduction], values: FloatArray, max_points: FloatArray
    ) -> BoolArray:
        """Mask ``(k, n)`` of negative counts."""
        del rules, max_points
        return values[:, 0, :] < 0.0

    def bounds(self, max_points: float) -> tuple[float, float]:
        """Points range from the floor to the maximum."""
        return (min(self.floor, max_points), max_points)

    def problems(self, max_points: float) -> list[tuple[str, str]]:
        """The floor must not exceed the maximum."""
        if self.floor > max_points:
            return [
                ("floor", f"floor {fmt_en(self.floor)} exceeds the maximum {fmt_en(max_points)}")
            ]
        return []

    def describe(self, lang: Language = "vi") -> str:
        """One sentence on how points are awarded."""
        if lang == "en":
            return (
                f"Full points, minus {fmt_en(self.per)} per item counted, "
                f"never below {fmt_en(self.floor)}."
            )
        return (
            f"Điểm tối đa, mỗi trường hợp bị trừ {fmt(self.per)} điểm, "
            f"thấp nhất {fmt(self.floor)} điểm."
        )

    def example_values(
        self,
        rng: np.random.Generator,
        quality: FloatArray,
        max_points: float,
        unit_size: FloatArray,
    ) -> FloatArray:
        """Counts of items, about ``3 × (1 - quality)`` on average: ``(1, n_units)``."""
        del max_points, unit_size
        return rng.poisson(3.0 * (1.0 - quality)).astype(np.float64)[None, :]

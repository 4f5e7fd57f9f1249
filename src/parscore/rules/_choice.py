"""Rules that map a named answer to points: ``choice`` and ``survey``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import attrs
import numpy as np

from parscore._params import schema
from parscore.errors import ParameterError
from parscore.rules._base import (
    WhenEmpty,
    empty_share,
    fmt,
    fmt_en,
    named_values,
    on_one_leaf,
    when_empty_validator,
)
from parscore.typing import BoolArray, CellKind, FloatArray, Language

__all__ = ["Choice", "Survey"]


def _pad(rows: Sequence[Sequence[float]], fill: float) -> FloatArray:
    width = max(len(r) for r in rows)
    out = np.full((len(rows), width), fill)
    for i, r in enumerate(rows):
        out[i, : len(r)] = r
    return out


@attrs.frozen(kw_only=True)
class Choice:
    """Named options, each worth fixed points.

    Example: "Ban hành kịp thời: 1 / không kịp thời: 0,5 / Không ban hành: 0" is
    ``Choice(options={"kip_thoi": 1, "khong_kip_thoi": 0.5, "khong_ban_hanh": 0})``.
    Reads an option name in tables, or its position counting from 0 in the order written.

    Attributes:
        options: Option name -> points, in order. Names are free text (NFC-normalised);
            matching in tables ignores case.

    .. versionadded:: 0.1
    """

    kind: ClassVar[str] = "choice"
    cells: ClassVar[CellKind] = "option"
    """What its cells hold, for reading tables (see :data:`parscore.typing.CellKind`)."""
    can_be_not_applicable: ClassVar[bool] = False

    # at least one option: checked by the converter named_values
    options: tuple[tuple[str, float], ...] = attrs.field(
        converter=named_values, metadata=schema(minProperties=1)
    )

    @property
    def inputs(self) -> tuple[str, ...]:
        """One input: the option chosen."""
        return ("option",)

    @property
    def option_names(self) -> tuple[str, ...]:
        """Option names, in order; position *i* in the data means ``option_names[i]``."""
        return tuple(name for name, _ in self.options)

    def points(self, values: FloatArray, max_points: float) -> FloatArray:
        """Return the chosen option's points; shape ``(n_units,)``."""
        out: FloatArray = on_one_leaf(self, "batch_points", values, max_points)
        return out

    @classmethod
    def batch_points(
        cls, rules: Sequence[Choice], values: FloatArray, max_points: FloatArray
    ) -> FloatArray:
        """Score *k* leaves at once: values ``(k, 1, n)``, max ``(k,)`` -> ``(k, n)``."""
        del max_points
        table = _pad([[p for _, p in r.options] for r in rules], 0.0)
        last = np.array([len(r.options) - 1 for r in rules])[:, None]  # never the padding
        idx = np.clip(values[:, 0, :], 0, last).astype(np.intp)
        return np.take_along_axis(table, idx, axis=1)

    def check(self, values: FloatArray, max_points: float) -> list[tuple[BoolArray, str]]:
        """Flag values that are not an option's position."""
        bad = on_one_leaf(self, "batch_invalid", values, max_points)
        names = ", ".join(self.option_names)
        return [(bad, f"expected one of: {names} (or its position 0–{len(self.options) - 1})")]

    @classmethod
    def batch_invalid(
        cls, rules: Sequence[Choice], values: FloatArray, max_points: FloatArray
    ) -> BoolArray:
        """Mask ``(k, n)`` of values that are not an option's position."""
        del max_points
        n_opts = np.array([len(r.options) for r in rules], dtype=np.float64)[:, None]
        v = values[:, 0, :]
        with np.errstate(invalid="ignore"):  # NaN casts to garbage, and NaN is never invalid
            whole = v.astype(np.int64) == v  # cheaper than v % 1 == 0
        valid = whole & (v >= 0) & (v < n_opts)
        return np.asarray(~valid & ~np.isnan(v))

    def bounds(self, max_points: float) -> tuple[float, float]:
        """Points range over the options' points."""
        del max_points
        pts = [p for _, p in self.options]
        return (min(pts), max(pts))

    def problems(self, max_points: float) -> list[tuple[str, str]]:
        """Every option's points must lie in ``[0, max]``."""
        out = []
        for name, p in self.options:
            if p < 0 or p > max_points:
                message = (
                    f"option {name!r} gives {fmt_en(p)} points, outside 0 to the "
                    f"maximum {fmt_en(max_points)}"
                )
                out.append((f"options.{name}", message))
        return out

    def describe(self, lang: Language = "vi") -> str:
        """One sentence on how points are awarded."""
        sep = ", " if lang == "en" else "; "
        num = fmt_en if lang == "en" else fmt
        parts = sep.join(f"{name}: {num(p)}" for name, p in self.options)
        if lang == "en":
            return f"Points by option: {parts}."
        return f"Điểm theo mức: {parts}."

    def example_values(
        self,
        rng: np.random.Generator,
        quality: FloatArray,
        max_points: float,
        unit_size: FloatArray,
    ) -> FloatArray:
        """Option positions: from the best option, each failed draw moves one option down.

        A draw fails with probability ``1 - quality``; shape ``(1, n_units)``.
        """
        del max_points, unit_size
        n = quality.shape[0]
        by_points = np.argsort([-p for _, p in self.options], kind="stable")
        falls = np.zeros(n, dtype=np.int64)
        alive = np.ones(n, dtype=bool)
        for _ in range(len(by_points) - 1):
            alive &= rng.random(n) >= quality
            falls += alive
        return by_points[falls].astype(np.float64)[None, :]


@attrs.frozen(kw_only=True)
class Survey:
    """Survey answers: counts per option, each option worth a percentage of the maximum.

    ``points = max × Σ(count × value) / (100 × Σ count)``. Example: options A–D worth
    100 / 60 / 20 / 0 %. Reads one count per option, in columns ``"<id>:<option>"``.

    Attributes:
        options: Option name -> percentage of the maximum (0–100), in order.
        when_empty: What a unit with no answers gets: ``not_applicable`` (default), ``zero``
            or ``full``.

    .. versionadded:: 0.1
    """

    kind: ClassVar[str] = "survey"
    cells: ClassVar[CellKind] = "count"
    """What its cells hold, for reading tables (see :data:`parscore.typing.CellKind`)."""
    sampled: ClassVar[bool] = True
    """Its points estimate from a sample of respondents, so they carry sampling noise."""

    # at least one option: checked by named_values; names without ':' and values in 0–100: by
    # _check_options below
    options: tuple[tuple[str, float], ...] = attrs.field(
        converter=named_values,
        metadata=schema(
            minProperties=1,
            propertyNames={"pattern": "^[^:]+$"},
            additionalProperties={"type": "number", "minimum": 0, "maximum": 100},
        ),
    )
    when_empty: WhenEmpty = attrs.field(default="not_applicable", validator=when_empty_validator)

    @options.validator
    def _check_options(
        self,
        _attribute: attrs.Attribute[tuple[tuple[str, float], ...]],
        value: tuple[tuple[str, float], ...],
    ) -> None:
        for name, pct in value:
            if ":" in name:
                msg = f"survey option names cannot contain ':', found {name!r}"
                raise ParameterError(msg)
            if not 0.0 <= pct <= 100.0:
                msg = f"option {name!r} is worth {pct} %, outside 0–100"
                raise ParameterError(msg)

    @property
    def can_be_not_applicable(self) -> bool:
        """True when a unit with no answers is not applicable."""
        return self.when_empty == "not_applicable"

    @property
    def inputs(self) -> tuple[str, ...]:
        """One input per option: the number of answers."""
        return tuple(name for name, _ in self.options)

    def points(self, values: FloatArray, max_points: float) -> FloatArray:
        """Return ``max × Σ(count × value) / (100 × Σ count)``; shape ``(n_units,)``."""
        out: FloatArray = on_one_leaf(self, "batch_points", values, max_points)
        return out

    @classmethod
    def batch_points(
        cls, rules: Sequence[Survey], values: FloatArray, max_points: FloatArray
    ) -> FloatArray:
        """Score *k* leaves at once: values ``(k, m, n)``, max ``(k,)`` -> ``(k, n)``."""
        pct = np.array([[v for _, v in r.options] for r in rules])  # (k, m)
        total = values.sum(axis=1)  # (k, n)
        weighted = values[:, 0, :] * pct[:, 0, None]  # a loop over options beats einsum here
        for j in range(1, values.shape[1]):
            weighted += values[:, j, :] * pct[:, j, None]
        empty = total == 0.0
        with np.errstate(divide="ignore", invalid="ignore"):  # total == 0 is handled below
            share = weighted / (100.0 * total)
        out = max_points[:, None] * share
        if empty.any():
            fill = np.array([empty_share(r.when_empty) for r in rules])[:, None]
            out = np.where(empty, fill * max_points[:, None], out)
        return np.asarray(out, dtype=np.float64)

    def check(self, values: FloatArray, max_points: float) -> list[tuple[BoolArray, str]]:
        """Flag negative counts."""
        bad = on_one_leaf(self, "batch_invalid", values, max_points)
        return [(bad, "a count of answers cannot be negative")]

    @classmethod
    def batch_invalid(
        cls, rules: Sequence[Survey], values: FloatArray, max_points: FloatArray
    ) -> BoolArray:
        """Mask ``(k, n)`` of negative counts."""
        del rules, max_points
        return np.asarray((values < 0.0).any(axis=1))

    def bounds(self, max_points: float) -> tuple[float, float]:
        """Exactly the points reachable: all answers on the worst or the best option.

        A unit with no answers earns what ``when_empty`` says, which widens the range to 0
        (``zero``) or to the maximum (``full``).
        """
        pct = [v for _, v in self.options]
        lo, hi = max_points * min(pct) / 100.0, max_points * max(pct) / 100.0
        if self.when_empty == "zero":
            lo = 0.0
        elif self.when_empty == "full":
            hi = max_points
        return (lo, hi)

    def problems(self, max_points: float) -> list[tuple[str, str]]:
        """Nothing to check against the maximum."""
        del max_points
        return []

    def describe(self, lang: Language = "vi") -> str:
        """One sentence on how points are awarded."""
        num = fmt_en if lang == "en" else fmt
        parts = ", ".join(f"{name} = {num(v)}%" for name, v in self.options)
        if lang == "en":
            return f"Maximum × the answers' average value ({parts})."
        return f"Điểm tối đa × giá trị bình quân của các phiếu trả lời ({parts})."

    def input_label(self, name: str) -> str:
        """What to enter in the column of option *name*: its number of answers."""
        return f"số phiếu trả lời {name}"

    def example_values(
        self,
        rng: np.random.Generator,
        quality: FloatArray,
        max_points: float,
        unit_size: FloatArray,
    ) -> FloatArray:
        """Answer counts of 30–120 respondents, good units answering the best options.

        Shape ``(n_options, n_units)``.
        """
        del max_points, unit_size
        values = np.array([v for _, v in self.options]) / 100.0  # (m,)
        tilt = 5.0 * (quality - 0.45)  # (n,): good units answer A, weak ones spread towards D
        logits = tilt[:, None] * (values[None, :] - 0.5) * 2.0
        probs = np.exp(logits - logits.max(axis=1, keepdims=True))
        probs /= probs.sum(axis=1, keepdims=True)
        respondents = rng.integers(30, 121, size=quality.shape[0])
        counts: FloatArray = rng.multinomial(respondents, probs).T.astype(np.float64)
        return counts

"""Helpers shared by the built-in rules: parameter converters and validators."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

import attrs
import numpy as np

from parscore._params import finite_float, nfc
from parscore.errors import ParameterError
from parscore.typing import FloatArray

__all__ = [
    "WhenEmpty",
    "empty_share",
    "fmt",
    "fmt_en",
    "input_names",
    "named_values",
    "on_one_leaf",
    "one_or_two_inputs",
    "when_empty_validator",
]

WhenEmpty = Literal["full", "zero", "not_applicable"]
"""What a zero denominator (nothing to assess) earns: full points, zero, or not applicable."""

_WHEN_EMPTY = ("full", "zero", "not_applicable")


def input_names(value: Iterable[str] | str) -> tuple[str, ...]:
    """Convert a list of input names to a tuple, checking each is usable in a column name."""
    if isinstance(value, str):
        value = (value,)
    names = tuple(nfc(v) for v in value)
    if not names:
        msg = "a rule needs at least one input"
        raise ParameterError(msg)
    for name in names:
        if not name or ":" in name:
            msg = f"an input name must be non-empty text without ':', found {name!r}"
            raise ParameterError(msg)
    if len(set(names)) != len(names):
        msg = f"input names must be distinct, found {list(names)}"
        raise ParameterError(msg)
    return names


def one_or_two_inputs(
    kind: str, one: str, two: str
) -> Callable[[object, attrs.Attribute[tuple[str, ...]], tuple[str, ...]], None]:
    """A validator: the rule reads one input (*one*) or two (*two*), nothing else."""

    def check(
        _inst: object, _attribute: attrs.Attribute[tuple[str, ...]], value: tuple[str, ...]
    ) -> None:
        if len(value) not in (1, 2):
            msg = f"{kind} reads one input ({one}) or two ({two}), found {len(value)}"
            raise ParameterError(msg)

    return check


def named_values(
    value: Mapping[str, float] | Iterable[tuple[str, float]],
) -> tuple[tuple[str, float], ...]:
    """Convert a mapping of option name -> number to a tuple of pairs, in the order given."""
    items = value.items() if isinstance(value, Mapping) else value
    pairs = tuple((nfc(k), finite_float(v)) for k, v in items)
    if not pairs:
        msg = "at least one option is needed"
        raise ParameterError(msg)
    names = [k for k, _ in pairs]
    if any(not k for k in names):
        msg = "option names must be non-empty"
        raise ParameterError(msg)
    if len({k.casefold() for k in names}) != len(names):
        msg = f"option names must be distinct (ignoring case), found {names}"
        raise ParameterError(msg)
    return pairs


def on_one_leaf(rule: object, kernel: str, values: FloatArray, max_points: float) -> Any:
    """A batch kernel (``batch_points`` or ``batch_invalid``) run on one leaf.

    The per-leaf ``points`` and ``check`` of the built-in rules are their batch kernels on one
    leaf, so each rule is written once.

    Args:
        rule: The rule.
        kernel: ``"batch_points"`` or ``"batch_invalid"``.
        values: One leaf's inputs, ``(m, n_units)``.
        max_points: The leaf's max.

    Returns:
        The kernel's row for the leaf, ``(n_units,)``.
    """
    batch = getattr(type(rule), kernel)
    return batch([rule], values[None], np.array([max_points]))[0]


def empty_share(when_empty: str) -> float:
    """Share of the maximum earned when there is nothing to assess; NaN marks not applicable."""
    return {"full": 1.0, "zero": 0.0}.get(when_empty, math.nan)


def when_empty_validator(_inst: object, attribute: attrs.Attribute[str], value: str) -> None:
    """Check a ``when_empty`` parameter."""
    if value not in _WHEN_EMPTY:
        msg = f"{attribute.name} must be one of {', '.join(_WHEN_EMPTY)}, found {value!r}"
        raise ParameterError(msg)


def fmt(x: float) -> str:
    """Format a number the way officials write it: no trailing zeros, decimal comma."""
    text = f"{x:.4f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def fmt_en(x: float) -> str:
    """Format a number for English text: no trailing zeros."""
    return f"{x:.4f}".rstrip("0").rstrip(".")

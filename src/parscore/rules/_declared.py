"""What a rule kind declares about itself, read the same way for built-in and plugin rules.

A rule class may declare, beside the :class:`~parscore.typing.Rule` protocol, what its cells
hold, its options, whether it can judge a criterion not applicable, whether its points come
from a sample, how to label an input column, how to make example inputs, and a batch kernel.
Every reader in parscore (compilation, measurements, templates, datasets, analyses) goes
through the functions here, so a plugin that declares the same members is treated exactly
like a built-in rule. Each function gives the documented default for a rule that declares
nothing.

.. versionadded:: 0.3
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Protocol, cast, get_args

import numpy as np

from parscore.typing import CellKind, FloatArray

__all__ = [
    "can_be_not_applicable",
    "cells_of",
    "example_values",
    "input_label",
    "is_batched",
    "is_sampled",
    "may_give_nan",
    "option_names_of",
]

_CELL_KINDS: tuple[str, ...] = get_args(CellKind)


class _MakesExamples(Protocol):
    def example_values(
        self,
        rng: np.random.Generator,
        quality: FloatArray,
        max_points: float,
        unit_size: FloatArray,
    ) -> FloatArray: ...


def cells_of(rule: object) -> CellKind:
    """What the cells of *rule*'s inputs hold: its ``cells``, or ``"number"`` when undeclared.

    .. versionadded:: 0.3
    """
    cells = getattr(rule, "cells", "number")
    if cells not in _CELL_KINDS:
        msg = f"rule {type(rule).__name__} declares cells {cells!r}; expected one of {_CELL_KINDS}"
        raise TypeError(msg)
    return cast("CellKind", cells)


def option_names_of(rule: object) -> tuple[str, ...]:
    """The option names of an ``option`` rule, in order (position *i* means name *i*).

    Empty for a rule whose cells are not options or that declares no ``option_names``.

    .. versionadded:: 0.3
    """
    if cells_of(rule) != "option":
        return ()
    return tuple(str(name) for name in getattr(rule, "option_names", ()))


def can_be_not_applicable(rule: object) -> bool:
    """Whether *rule* may return NaN to say the criterion does not apply (default: no).

    .. versionadded:: 0.3
    """
    return bool(getattr(rule, "can_be_not_applicable", False))


def may_give_nan(rule: object) -> bool:
    """Whether NaN points from *rule* must be looked for: unless it declares it cannot.

    A rule that declares ``can_be_not_applicable`` false promises never to return NaN
    (``parscore.testing.check_rule`` checks the promise); one that declares nothing is
    checked for NaN, so that a NaN it returns is reported rather than scored.

    .. versionadded:: 0.3
    """
    return bool(getattr(rule, "can_be_not_applicable", True))


def is_sampled(rule: object) -> bool:
    """Whether *rule*'s points estimate from a sample (e.g. survey answers) (default: no).

    Sensitivity analysis adds sampling noise (``input_noise``) to such leaves only.

    .. versionadded:: 0.3
    """
    return bool(getattr(rule, "sampled", False))


def input_label(rule: object, name: str) -> str:
    """What to enter in the column of input *name*, in Vietnamese (default: the name).

    .. versionadded:: 0.3
    """
    label = getattr(rule, "input_label", None)
    return str(label(name)) if callable(label) else name


def is_batched(rule_class: type) -> bool:
    """Whether *rule_class* scores many leaves at once (``batch_points`` and ``batch_invalid``).

    .. versionadded:: 0.3
    """
    return callable(getattr(rule_class, "batch_points", None)) and callable(
        getattr(rule_class, "batch_invalid", None)
    )


def example_values(
    rule: object,
    rng: np.random.Generator,
    quality: FloatArray,
    max_points: float,
    unit_size: FloatArray,
) -> FloatArray | None:
    """Plausible, valid inputs of one leaf for every unit, better where *quality* is higher.

    Calls the rule's own ``example_values`` when it declares one; otherwise makes inputs from
    its declared ``cells`` and ``bounds``: 0/1 for ``yes_no``, an option position for
    ``option``, a percentage for ``percent``, a count up to 10 for ``count``, and a number
    within the rule's bounds for ``number``. A rule declaring neither gets None.

    Args:
        rule: The leaf's rule.
        rng: The random generator (drawn from in a fixed order, for reproducible data).
        quality: Each unit's performance on the leaf, in ``(0, 1)``, shape ``(n_units,)``.
        max_points: The leaf's maximum.
        unit_size: Each unit's typical number of cases handled (dossiers received), for
            counts, shape ``(n_units,)``.

    Returns:
        Inputs, float64, shape ``(n_inputs, n_units)``; None when the rule declares neither
        ``example_values`` nor ``cells``.

    .. versionadded:: 0.3
    """
    if callable(getattr(rule, "example_values", None)):
        maker = cast("_MakesExamples", rule)
        out = maker.example_values(rng, quality, max_points, unit_size)
        return np.asarray(out, dtype=np.float64)
    if getattr(rule, "cells", None) is None:
        return None
    m = len(getattr(rule, "inputs", ("value",)))
    return _GENERIC[cells_of(rule)](rule, rng, quality, max_points, m)


def _yes_no(rule: object, rng: np.random.Generator, q: FloatArray, mx: float, m: int) -> FloatArray:
    del rule, mx
    return (rng.random((m, q.shape[0])) < q).astype(np.float64)


def _option(rule: object, rng: np.random.Generator, q: FloatArray, mx: float, m: int) -> FloatArray:
    del rng, mx
    k = max(len(option_names_of(rule)), 1)
    return np.repeat(np.minimum(np.floor(q * k), k - 1)[None, :], m, axis=0)


def _percent(
    rule: object, rng: np.random.Generator, q: FloatArray, mx: float, m: int
) -> FloatArray:
    del rule, rng, mx
    return np.repeat(np.round(100.0 * q, 1)[None, :], m, axis=0)


def _count(rule: object, rng: np.random.Generator, q: FloatArray, mx: float, m: int) -> FloatArray:
    del rule, mx
    return rng.binomial(10, q, size=(m, q.shape[0])).astype(np.float64)


def _number(rule: object, rng: np.random.Generator, q: FloatArray, mx: float, m: int) -> FloatArray:
    del rng
    bounds = getattr(rule, "bounds", None)
    lo, hi = (float(b) for b in bounds(mx)) if callable(bounds) else (0.0, mx)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        lo, hi = 0.0, mx
    return np.repeat(np.round(lo + (hi - lo) * q, 2)[None, :], m, axis=0)


_GENERIC: dict[str, Callable[[object, np.random.Generator, FloatArray, float, int], FloatArray]] = {
    "yes_no": _yes_no,
    "option": _option,
    "percent": _percent,
    "count": _count,
    "number": _number,
}
"""Inputs of a rule without ``example_values``, by its cells: (rule, rng, quality, max, m)."""

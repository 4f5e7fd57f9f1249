"""What a rule kind declares about itself, read the same way for built-in and plugin rules.

A rule class may declare, beside the :class:`~parscore.typing.Rule` protocol, what its cells
hold, its options, whether it can judge a criterion not applicable, whether its points come
from a sample, how to label an input column, how to make example inputs, and a batch kernel.
Every reader in parscore (compilation, measurements, templates, datasets, analyses) goes
through the functions here, so a plugin that declares the same members is treated exactly
like a built-in rule. Each function gives the documented default for a rule that declares
nothing. A plugin's declarations are read behind checks: a member that raises (or a
``SystemExit``), or an answer of the wrong type or shape, is a
:class:`~parscore.errors.RuleError` naming the plugin and the kind, never a raw exception.

.. versionadded:: 0.2
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Protocol, cast, get_args

import numpy as np

from parscore.rules._guard import foreign_call, is_builtin_rule, rule_error
from parscore.typing import CellKind, FloatArray

__all__ = [
    "can_be_not_applicable",
    "cells_of",
    "describe_of",
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

    .. versionadded:: 0.2
    """
    cells = _declared(rule, "cells", "number")
    if not isinstance(cells, str) or cells not in _CELL_KINDS:
        name = type(rule).__name__
        msg = f"rule {name} declares cells {cells!r:.80}; expected one of {_CELL_KINDS}"
        if is_builtin_rule(rule):
            raise TypeError(msg)
        raise rule_error(rule, msg, None)
    return cast("CellKind", cells)


def _declared(rule: object, name: str, default: object) -> object:
    """``getattr(rule, name, default)``; for a plugin, an exception becomes a RuleError."""
    if is_builtin_rule(rule):
        return getattr(rule, name, default)
    return foreign_call(rule, f"reading {name}", None, getattr, rule, name, default)


def _flag(rule: object, name: str, *, default: bool) -> bool:
    """A declared yes/no member, read as ``bool``; for a plugin, behind :func:`_declared`."""
    value = _declared(rule, name, default)
    if is_builtin_rule(rule):
        return bool(value)
    return foreign_call(rule, f"reading {name}", None, bool, value)


def option_names_of(rule: object) -> tuple[str, ...]:
    """The option names of an ``option`` rule, in order (position *i* means name *i*).

    Empty for a rule whose cells are not options or that declares no ``option_names``.

    .. versionadded:: 0.2
    """
    if cells_of(rule) != "option":
        return ()
    names = _declared(rule, "option_names", ())
    if is_builtin_rule(rule):
        return tuple(str(name) for name in names)  # type: ignore[attr-defined]
    return foreign_call(rule, "reading option_names", None, _texts, names)


def _texts(names: object) -> tuple[str, ...]:
    if isinstance(names, (str, bytes)) or not hasattr(names, "__iter__"):
        msg = f"option_names must be a sequence of names, found {type(names).__name__}"
        raise TypeError(msg)
    return tuple(str(name) for name in names)


def can_be_not_applicable(rule: object) -> bool:
    """Whether *rule* may return NaN to say the criterion does not apply (default: no).

    .. versionadded:: 0.2
    """
    return _flag(rule, "can_be_not_applicable", default=False)


def may_give_nan(rule: object) -> bool:
    """Whether NaN points from *rule* must be looked for: unless it declares it cannot.

    A rule that declares ``can_be_not_applicable`` false promises never to return NaN
    (``parscore.testing.check_rule`` checks the promise); one that declares nothing is
    checked for NaN, so that a NaN it returns is reported rather than scored.

    .. versionadded:: 0.2
    """
    return _flag(rule, "can_be_not_applicable", default=True)


def is_sampled(rule: object) -> bool:
    """Whether *rule*'s points estimate from a sample (e.g. survey answers) (default: no).

    Sensitivity analysis adds sampling noise (``input_noise``) to such leaves only.

    .. versionadded:: 0.2
    """
    return _flag(rule, "sampled", default=False)


def input_label(rule: object, name: str) -> str:
    """What to enter in the column of input *name*, in Vietnamese (default: the name).

    .. versionadded:: 0.2
    """
    label = _declared(rule, "input_label", None)
    if not callable(label):
        return name
    if is_builtin_rule(rule):
        return str(label(name))
    return foreign_call(rule, "in input_label()", None, lambda: _text(label(name)))


def _text(value: object) -> str:
    if not isinstance(value, str):
        msg = f"expected text, found {type(value).__name__}"
        raise TypeError(msg)
    return value


def describe_of(rule: object, lang: str = "vi") -> str:
    """The rule's one-sentence ``describe(lang)``; for a plugin, behind checks.

    A plugin whose ``describe`` raises or returns something other than text raises a
    :class:`~parscore.errors.RuleError` naming the plugin and the kind.

    .. versionadded:: 0.2
    """
    if is_builtin_rule(rule):
        return str(rule.describe(lang))  # type: ignore[attr-defined]
    call = _declared(rule, "describe", None)
    if not callable(call):
        raise rule_error(rule, "has no describe() method", None)
    return foreign_call(rule, "in describe()", None, lambda: _text(call(lang)))


def is_batched(rule_class: type) -> bool:
    """Whether *rule_class* scores many leaves at once (``batch_points`` and ``batch_invalid``).

    .. versionadded:: 0.2
    """
    return callable(_declared(rule_class, "batch_points", None)) and callable(
        _declared(rule_class, "batch_invalid", None)
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

    .. versionadded:: 0.2
    """
    if callable(_declared(rule, "example_values", None)):
        maker = cast("_MakesExamples", rule)
        if is_builtin_rule(rule):
            out = maker.example_values(rng, quality, max_points, unit_size)
            return np.asarray(out, dtype=np.float64)
        m, n = len(_declared(rule, "inputs", ("value",))), quality.shape[0]  # type: ignore[arg-type]
        made = foreign_call(
            rule,
            "in example_values()",
            None,
            lambda: np.asarray(maker.example_values(rng, quality, max_points, unit_size), float),
        )
        if made.shape != (m, n) or not np.isfinite(made).all():
            msg = f"example_values() returned {made.shape} values, expected finite ({m}, {n})"
            raise rule_error(rule, msg, None)
        return made
    if _declared(rule, "cells", None) is None:
        return None
    m = len(_declared(rule, "inputs", ("value",)))  # type: ignore[arg-type]
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

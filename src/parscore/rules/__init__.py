"""The built-in partial-credit rules.

Each rule is a frozen attrs class implementing :class:`parscore.typing.Rule`; its fields are
the parameters written in scheme files, and its ``kind`` is the tag (``{kind: bands, …}``).
Built-in rules also provide ``batch_points`` and ``batch_invalid`` class methods that score
many leaves of the same kind in one numpy call (their per-leaf ``points`` and ``check`` are
the same kernels on one leaf); plugin rules may too. What a rule kind declares beyond the
protocol (cells, options, exact bounds, example inputs …) is read through the functions
:func:`cells_of`, :func:`option_names_of`, :func:`can_be_not_applicable`,
:func:`may_give_nan`, :func:`is_sampled`, :func:`input_label`, :func:`is_batched` and
:func:`example_values`, alike for built-in and plugin rules. Calls into a rule defined
outside parscore (a plugin) go through :func:`safe_problems`, :func:`foreign_call` and
:func:`read_only_view`, so that its failures are :class:`~parscore.errors.RuleError` naming
its origin (:func:`rule_origin`).

.. versionadded:: 0.1
"""

from __future__ import annotations

from parscore.rules._bands import Band, Bands
from parscore.rules._choice import Choice, Survey
from parscore.rules._declared import (
    can_be_not_applicable,
    cells_of,
    describe_of,
    example_values,
    input_label,
    is_batched,
    is_sampled,
    may_give_nan,
    option_names_of,
)
from parscore.rules._guard import (
    checked_points,
    foreign_call,
    guarded_check,
    is_builtin_rule,
    read_only_view,
    rule_error,
    rule_origin,
    safe_problems,
)
from parscore.rules._ratio import Ratio
from parscore.rules._simple import Deduction, Points, YesNo

__all__ = [
    "BUILTIN_RULES",
    "Band",
    "Bands",
    "Choice",
    "Deduction",
    "Points",
    "Ratio",
    "Survey",
    "YesNo",
    "can_be_not_applicable",
    "cells_of",
    "checked_points",
    "describe_of",
    "example_values",
    "foreign_call",
    "guarded_check",
    "input_label",
    "is_batched",
    "is_builtin_rule",
    "is_sampled",
    "may_give_nan",
    "option_names_of",
    "read_only_view",
    "rule_error",
    "rule_origin",
    "safe_problems",
]

BUILTIN_RULES: tuple[type, ...] = (Bands, Choice, Deduction, Points, Ratio, Survey, YesNo)
"""The built-in rule classes, sorted by kind."""

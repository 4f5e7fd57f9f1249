"""Shared type aliases and the :class:`Rule` protocol, for parscore and plugin authors.

.. versionadded:: 0.1
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["BoolArray", "CellKind", "FloatArray", "IntArray", "Language", "Rule"]

FloatArray = npt.NDArray[np.float64]
"""A float64 array; shapes are given in each function's docstring. NaN marks a missing value."""

BoolArray = npt.NDArray[np.bool_]
"""A boolean mask; names of such arrays end in ``_mask``."""

IntArray = npt.NDArray[np.int64]
"""An int64 array, typically positions; names of such arrays end in ``_idx``."""

CellKind = Literal["number", "count", "percent", "yes_no", "option"]
"""What the cells of a rule's inputs hold, which decides how text in a table is read.

- ``number``: a number; one separator is the decimal one (``92,08`` and ``92.08``).
- ``count``: a whole number of items; ``1.234`` and ``1,234`` are thousands (1234).
- ``percent``: a number that may end in ``%``.
- ``yes_no``: có/không, đạt/không đạt, x, yes/no, true/false or 1/0.
- ``option``: an option name (matched ignoring case and diacritics) or its position.

A rule declares it as ``cells`` (a class attribute or property); a rule without it reads
``number``. An ``option`` rule also has ``option_names``.

.. versionadded:: 0.2
"""

Language = Literal["vi", "en"]
"""Language of a rule's description: Vietnamese (``"vi"``) or English (``"en"``)."""


@runtime_checkable
class Rule(Protocol):
    """A partial-credit rule: turns a leaf's raw input values into points.

    A rule is a frozen attrs class whose fields are the parameters written in scheme files
    (``{kind: bands, bands: [...]}``). Built-in rules and plugins implement the same protocol.

    Attributes:
        kind: The tag written in scheme files (``"bands"``); a plugin's kind is its entry-point
            name.
        inputs: Names of the values the rule reads, at least one. A rule with one input reads
            the column named by the node id (``"1.2"``); a rule with several reads
            ``"<id>:<input>"`` (``"3.1:on_time"``).

    Optional declarations (class attributes, properties or methods; parscore reads them
    through :mod:`parscore.rules` — ``cells_of``, ``example_values`` … — and uses the default
    when one is absent, alike for built-in and plugin rules):

    - ``cells``: a :data:`CellKind`, what the input cells hold (default ``"number"``).
    - ``option_names``: for ``option`` cells, the option names by position (used by tables,
      templates' drop-down lists and ``explain``).
    - ``can_be_not_applicable``: whether :meth:`points` may return NaN for "does not apply"
      (default false; a rule that does not declare it is still checked for NaN).
    - ``sampled``: whether the points estimate from a sample such as survey answers, so that
      sensitivity analysis adds sampling noise to them (default false).
    - ``input_label(name) -> str``: what to enter in the column of input *name*, in
      Vietnamese, for data-entry templates (default: the name).
    - ``example_values(rng, quality, max_points, unit_size) -> FloatArray``: plausible valid
      inputs, shape ``(n_inputs, n_units)``, for ``parscore.datasets``; *quality* ``(n_units,)``
      in ``(0, 1)`` is each unit's performance on the leaf (higher earns more points) and
      *unit_size* ``(n_units,)`` its typical number of cases handled, for counts. Without it,
      inputs are made from ``cells`` and :meth:`bounds`.
    - ``batch_points(rules, values, max_points)`` and ``batch_invalid(rules, values,
      max_points)`` (class methods): score and check *k* leaves at once, values
      ``(k, n_inputs, n_units)``, max ``(k,)``, giving ``(k, n_units)``; they must agree with
      :meth:`points` and :meth:`check` on each leaf.

    :meth:`bounds` must be exact, the lowest and highest points the rule can really give:
    analyses read the best reachable points from it.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
       The optional declarations ``sampled``, ``input_label`` and ``example_values``.
    """

    kind: ClassVar[str]

    @property
    def inputs(self) -> tuple[str, ...]:
        """Names of the inputs the rule reads, in column order."""
        ...

    def points(self, values: FloatArray, max_points: float) -> FloatArray:
        """Compute unrounded points for every unit.

        Args:
            values: Raw inputs, shape ``(n_inputs, n_units)``, float64, never NaN: units with a
                missing input are scored by the missing-value policy, not by the rule, and
                their rows may hold any finite placeholder.
            max_points: The leaf's maximum points.

        Returns:
            Points, shape ``(n_units,)``, float64, within ``self.bounds(max_points)``. A rule
            whose ``can_be_not_applicable`` is true may return NaN for a unit where the
            criterion does not apply (e.g. nothing to assess).
        """
        ...

    def check(self, values: FloatArray, max_points: float) -> Sequence[tuple[BoolArray, str]]:
        """Find invalid inputs.

        Args:
            values: Raw inputs, shape ``(n_inputs, n_units)``; NaN (missing) is never invalid.
            max_points: The leaf's maximum points.

        Returns:
            Pairs of (mask of invalid units, shape ``(n_units,)``; what is wrong, e.g. "a
            count cannot be negative"). An empty sequence when everything is valid.
        """
        ...

    def bounds(self, max_points: float) -> tuple[float, float]:
        """The range ``(lowest, highest)`` of the points this rule can give."""
        ...

    def problems(self, max_points: float) -> Sequence[tuple[str, str]]:
        """Check the rule's parameters against the leaf's maximum.

        Returns:
            Pairs of (relative path such as ``"bands[1].points"``, message); empty when valid.
        """
        ...

    def describe(self, lang: Language = "vi") -> str:
        """Say in one sentence how the rule awards points, in Vietnamese or English."""
        ...

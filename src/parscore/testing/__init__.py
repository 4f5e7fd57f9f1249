"""Hypothesis strategies for schemes and measurements, for our tests and for plugin authors.

Needs the ``testing`` extra (``pip install 'parscore[testing]'``), which installs Hypothesis.

The strategies build small but varied schemes (depth 1–4, every built-in rule kind, random
tier scales, rounding, missing-value policies, adjustments and tie-breaks) and measurements
whose values are *valid* for each rule, with at most 4 decimals, so that a test can compare
the engine with an exact Decimal computation::

    from hypothesis import given
    from parscore.testing import schemes_with_measurements

    @given(schemes_with_measurements())
    def test_index_is_a_percentage(case):
        scheme, data = case
        result = parscore.score(scheme, data)
        ...

Cells are generated from what each rule declares (its ``cells``, ``inputs``,
``option_names``, ``check`` and ``can_be_not_applicable``), so they work for plugin rules
too. The package holds one module per family: ``_rules`` (built-in rule parameters),
``_schemes`` (trees, tiers, rounding), ``_additions`` (unit types, scales per type, tier
caps, quotas, adjustment items), ``_leaves`` (one unit's cells for a leaf),
``_measurements`` (whole tables) and ``_check`` (:func:`check_rule`).

By default the schemes use the v1 format only. ``schemes(additions=True)`` and
``schemes_with_measurements(additions=True)`` also draw the additions of 0.2 (see
:data:`ADDITIONS`; pass a set of their names to choose), and :func:`measurements_for` then
draws the columns they read: the unit type, ``cap:<id>`` and ``adj:<id>``::

    @given(schemes_with_measurements(additions=True))
    def test_tiers_are_named_by_the_scale(case):
        ...

.. versionadded:: 0.1
.. versionchanged:: 0.2 *additions*, :data:`ADDITIONS`.
"""

from __future__ import annotations

from parscore.testing._additions import ADDITIONS
from parscore.testing._check import RuleCheckError, check_rule
from parscore.testing._common import MISSING_CELLS, NOT_APPLICABLE_CELLS, Columns
from parscore.testing._leaves import full_inputs, leaf_values
from parscore.testing._measurements import measurements_for, schemes_with_measurements
from parscore.testing._rules import rules
from parscore.testing._schemes import schemes

__all__ = [
    "ADDITIONS",
    "MISSING_CELLS",
    "NOT_APPLICABLE_CELLS",
    "Columns",
    "RuleCheckError",
    "check_rule",
    "full_inputs",
    "leaf_values",
    "measurements_for",
    "rules",
    "schemes",
    "schemes_with_measurements",
]

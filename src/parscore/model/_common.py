"""Shared vocabulary of the model: policies, levels, reserved columns, id pattern, validators."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

import attrs

from parscore._params import ID_PATTERN, Constraint, at_least, matching, non_empty
from parscore.errors import ParameterError
from parscore.typing import Rule

MissingPolicy = Literal["error", "zero", "not_applicable"]
"""What a missing value does: raise an ``error``, score ``zero`` points, or make the
criterion ``not_applicable`` for that unit."""

Level = Literal["province", "ministry", "department", "district", "commune", "other"]
"""The level of the units a scheme scores."""

RESERVED_COLUMNS = frozenset(
    {"unit_id", "group", "total", "max", "index", "tier", "rank", "bonus", "penalty"}
)
"""Column names of result tables and measurements that no node id may take."""

_RULE_PROTOCOL: type = Rule  # a plain type, so the isinstance check below is not "always true"
# Per-field constraints that Scheme.problems and TierScale.problems check (collecting every
# problem rather than raising at the first); the fields declare them for the JSON Schema.
_ID = matching(ID_PATTERN)
_NAMED = non_empty()
_SOME_ITEMS = non_empty(keyword="minItems")
_NOT_NEGATIVE = at_least(0)


def _any_case(word: str) -> str:
    """A regular expression matching *word* in any letter case, without inline flags."""
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else re.escape(c) for c in word)


_RESERVED = "|".join(_any_case(word) for word in sorted(RESERVED_COLUMNS))
_NOT_RESERVED = Constraint(
    schema={"not": {"pattern": f"^(?:{_RESERVED})$"}},  # any case, as the test below
    test=lambda v: v.casefold() not in RESERVED_COLUMNS,
)
_MISSING = ("error", "zero", "not_applicable")
_LEVELS = ("province", "ministry", "department", "district", "commune", "other")
# Points are compared with this tolerance (a parent's stated max against its children's sum):
# far below any published precision, far above float noise on sums of a few hundred leaves.
_TOL = 1e-9
# The largest max a node may have: far above any criteria set, low enough that the sums of
# 200,000 nodes (Limits.max_nodes) stay exact to the point and finite.
MAX_POINTS = 1e9


def _one_of(*choices: str) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    def check(_inst: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value not in choices:
            msg = f"{attribute.name} must be one of {', '.join(choices)}, found {value!r}"
            raise ParameterError(msg)

    return check

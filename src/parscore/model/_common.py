"""Shared vocabulary of the model: policies, levels, reserved columns, id pattern, validators."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

import attrs

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
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*\Z")
_MISSING = ("error", "zero", "not_applicable")
_LEVELS = ("province", "ministry", "department", "district", "commune", "other")
# Points are compared with this tolerance (a parent's stated max against its children's sum):
# far below any published precision, far above float noise on sums of a few hundred leaves.
_TOL = 1e-9


def _one_of(*choices: str) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    def check(_inst: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value not in choices:
            msg = f"{attribute.name} must be one of {', '.join(choices)}, found {value!r}"
            raise ParameterError(msg)

    return check

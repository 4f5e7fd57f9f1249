"""Placing one leaf's generated inputs in the values matrix, or saying why it cannot be.

.. versionadded:: 0.2
"""

from __future__ import annotations

from parscore.compile import CompiledScheme
from parscore.errors import Problem
from parscore.typing import FloatArray, Rule

__all__ = ["place_inputs"]


def place_inputs(  # noqa: PLR0917 - private, two call sites
    values: FloatArray,
    compiled: CompiledScheme,
    leaf: int,
    rule: Rule,
    inputs: FloatArray | None,
    unsupported: list[Problem],
) -> None:
    """Write *inputs* (the leaf's columns) into *values*, or record a rule that gives none."""
    if inputs is None:
        unsupported.append(
            Problem(
                message=(
                    f"example data needs a rule that declares example_values or cells; "
                    f"rule kind {rule.kind!r} declares neither"
                ),
                node_id=compiled.leaf_ids[leaf],
            )
        )
        return
    start = int(compiled.leaf_col_start[leaf])
    values[start : start + inputs.shape[0]] = inputs

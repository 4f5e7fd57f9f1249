"""Strategies for measurements: a table of cells for every unit of a scheme."""

from __future__ import annotations

from collections.abc import Iterable

from hypothesis import strategies as st

from parscore.compile import column_names
from parscore.model import Scheme
from parscore.testing._additions import applicable_leaves
from parscore.testing._common import (
    MISSING_CELLS,
    NOT_APPLICABLE_CELLS,
    ROLL,
    Columns,
    decimal,
)
from parscore.testing._leaves import full_inputs, leaf_values, surely_applicable
from parscore.testing._schemes import MAX_NODES, schemes

__all__ = ["measurements_for", "schemes_with_measurements"]

_NA_CELL = st.sampled_from(NOT_APPLICABLE_CELLS)
_MISSING_CELL = st.sampled_from(MISSING_CELLS)
_GROUP = st.sampled_from(["huyen", "so"])
_AMOUNT = st.one_of(st.none(), decimal(0, 3, 2))
_UNREAD_CELL = st.sampled_from(["—", "?"])  # invalid for every rule, if it were read
_COUNT = st.one_of(st.none(), st.integers(0, 5))
# a cap column's yes/no cells: mostly "no" (0, blank), sometimes "yes"
_CAP_CELL = st.sampled_from([0, 0, 0, None, "", "không", 1, 1, "có", True])


def _type_cells(scheme: Scheme) -> list[tuple[str, list[str]]]:
    """Each declared type id with the cells that name it: its id or its name, in any case."""
    if scheme.unit_types is None:
        return []
    return [
        (t.id, [t.id, t.id.upper(), *([t.name, t.name.upper()] if t.name else [])])
        for t in scheme.unit_types.types
    ]


@st.composite
def measurements_for(
    draw: st.DrawFn,
    scheme: Scheme,
    *,
    min_units: int = 1,
    max_units: int = 40,
    missing: bool = True,
    not_applicable: bool = True,
    groups: bool = True,
) -> Columns:
    """Valid measurements for *scheme*: a mapping of columns with a ``unit_id`` column.

    Every cell is valid for its rule (see :func:`leaf_values`). When a leaf's missing-value
    policy is not ``error``, some cells are missing (None, NaN or ""); some leaves are marked
    not applicable ("n/a", "KAD", "không áp dụng"); an optional ``group`` column holds unit
    groups; ``bonus`` and ``penalty`` columns appear when the scheme has those adjustments.
    Every unit keeps at least one applicable criterion, so its index is defined.

    What the scheme's additions read is drawn from the scheme alone: with unit types, the
    type column names each unit's type by its id or its name, in any case; the cells of a
    leaf that does not apply to the unit's type are never read: in about four units of ten
    they are left empty, in two they hold what no rule accepts ("—" or "?"), else valid
    cells;
    a column cap's ``cap:<id>`` column (in about eight draws of ten; absent means "no")
    holds yes/no cells (1/0, True, "có"/"không", blank); an item's ``adj:<id>`` column
    (in about eight draws of ten) holds counts 0–5 for an item with ``per``, else points
    with up to 2 decimals, some blank.

    Args:
        draw: Supplied by Hypothesis.
        scheme: The scheme the measurements are for.
        min_units: The fewest units.
        max_units: The most units (40 by default).
        missing: Whether to generate missing cells where the policy allows them.
        not_applicable: Whether to generate not-applicable cells.
        groups: Whether a ``group`` column may be generated.

    Returns:
        A strategy of ``{column: [cell per unit]}``, ``unit_id`` first, then ``group`` when
        present, the type column with unit types, the scheme's input columns in order, then
        ``bonus`` and ``penalty``, the ``cap:<id>`` and ``adj:<id>`` columns.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 the type, ``cap:<id>`` and ``adj:<id>`` columns.
    """
    n = draw(st.integers(min_units, max_units))
    numbers = draw(st.lists(st.integers(1, 999), min_size=n, max_size=n, unique=True))
    prefix = draw(st.sampled_from(["xa-", "huyen-", "so-"]))
    data: Columns = {"unit_id": [f"{prefix}{k:03d}" for k in numbers]}
    if groups and draw(st.booleans()):
        data["group"] = [draw(_GROUP) for _ in range(n)]
    typed = _type_cells(scheme)
    type_ids: list[str | None] = [None] * n
    if scheme.unit_types is not None:
        picks = [draw(st.sampled_from(typed)) for _ in range(n)]
        type_ids = [tid for tid, _ in picks]
        data[scheme.unit_types.column] = [draw(st.sampled_from(cells)) for _, cells in picks]
    leaves = list(scheme.leaves())
    applicable = {t: {leaf.id for leaf in applicable_leaves(scheme, t)} for t in set(type_ids)}
    columns = {leaf.id: column_names(leaf, leaf.rule) for leaf in leaves if leaf.rule}
    for cols in columns.values():
        for col in cols:
            data[col] = []
    # chances in tenths: a leaf of a unit is not applicable if roll < p_na, else missing if
    # roll < p_na + p_missing (when its policy allows), for a roll from 0 to 9
    p_missing = draw(st.sampled_from([0, 1, 3])) if missing else 0
    p_na = draw(st.sampled_from([0, 1, 3])) if not_applicable else 0
    for u in range(n):
        rows: dict[str, list[object]] = {}
        fixed = False
        for leaf in leaves:
            cells = list(draw(leaf_values(leaf)))  # a copy: strategies may share lists
            policy = leaf.missing or scheme.missing
            roll = draw(ROLL) if p_na or p_missing else 10
            if leaf.id not in applicable[type_ids[u]]:
                # not for the unit's type: never read, so left empty, valid or not
                kind = draw(ROLL)
                if kind < 4:
                    cells = [draw(_MISSING_CELL) for _ in cells]
                elif kind < 6:
                    cells = [draw(_UNREAD_CELL) for _ in cells]
            elif roll < p_na:
                cells = [draw(_NA_CELL), *cells[1:]]
            elif policy != "error" and roll < p_na + p_missing:
                k = draw(ROLL) % len(cells)
                cells[k] = draw(_MISSING_CELL)
            elif surely_applicable(leaf, cells):
                fixed = True
            rows[leaf.id] = cells
        if not fixed:  # keep at least one applicable criterion
            first = next(leaf for leaf in leaves if leaf.id in applicable[type_ids[u]])
            rows[first.id] = full_inputs(first)
        for leaf in leaves:
            for col, cell in zip(columns[leaf.id], rows[leaf.id], strict=True):
                data[col].append(cell)
    for name in ("bonus", "penalty"):
        if getattr(scheme.adjustments, name) is not None and draw(st.booleans()):
            data[name] = [draw(_AMOUNT) for _ in range(n)]
    for cap in scheme.tiers.caps:
        if cap.column is not None and draw(ROLL) < 8:
            data[cap.column] = [draw(_CAP_CELL) for _ in range(n)]
    for item in scheme.adjustments.items:
        if draw(ROLL) < 8:
            data[item.column] = [
                draw(_COUNT if item.per is not None else _AMOUNT) for _ in range(n)
            ]
    return data


@st.composite
def schemes_with_measurements(
    draw: st.DrawFn,
    max_nodes: int = MAX_NODES,
    max_units: int = 40,
    *,
    additions: bool | Iterable[str] = False,
) -> tuple[Scheme, Columns]:
    """A scheme from :func:`schemes` with measurements from :func:`measurements_for`.

    Args:
        draw: Supplied by Hypothesis.
        max_nodes: The most nodes of the scheme.
        max_units: The most units.
        additions: Passed to :func:`schemes`: True for every addition of 0.2 (unit types,
            tier caps, quotas, adjustment items), False (default) for none, or their names.

    Returns:
        A strategy of ``(scheme, measurements)`` pairs.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 *additions*.
    """
    scheme = draw(schemes(max_nodes=max_nodes, additions=additions))
    return scheme, draw(measurements_for(scheme, max_units=max_units))

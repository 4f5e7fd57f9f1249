"""Measurements with some cells changed: what ``what_if`` analyses re-score.

.. versionadded:: 0.2
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs
import numpy as np

from parscore.errors import CellProblem, MeasurementsError
from parscore.measurements._build import ADJUSTMENTS
from parscore.measurements._cells import NOT_APPLICABLE, CellReader
from parscore.measurements._extras import is_reserved, parse_extra, parse_unit_type

if TYPE_CHECKING:
    from parscore.measurements._model import Measurements

__all__ = ["with_cells"]


def with_cells(data: Measurements, changes: Mapping[str, Mapping[str, object]]) -> Measurements:
    """A copy of *data* with the cells in *changes* read and set (see ``Measurements.with_cells``).

    Raises:
        MeasurementsError: listing every unknown unit, unknown column and unreadable cell.
    """
    compiled = data.compiled
    position = {str(u): i for i, u in enumerate(data.unit_ids)}
    problems: list[CellProblem] = []
    values = data.values.copy()  # C-contiguous, writable, the caller's untouched
    na = None if data.na_mask is None else data.na_mask.copy()
    adjust = {"bonus": data.bonus, "penalty": data.penalty}
    copied: set[str] = set()
    extras = _Extras(data)
    for unit_id, cells in changes.items():
        u = position.get(str(unit_id))
        if u is None:
            close = difflib.get_close_matches(str(unit_id), list(position), n=1)
            hint = f'; did you mean "{close[0]}"?' if close else ""
            problems.append(
                CellProblem(message=f"no such unit in the result{hint}", unit_id=str(unit_id))
            )
            continue
        for column, cell in cells.items():
            problem = functools.partial(
                CellProblem, unit_id=str(unit_id), column=str(column), value=cell
            )
            taken = extras.take(u, str(column), cell)
            if isinstance(taken, str):
                problems.append(problem(message=taken))
                continue
            if taken:
                continue
            if column in ADJUSTMENTS:
                amount = _adjustment(data, column, cell)
                if isinstance(amount, str):
                    problems.append(problem(message=amount))
                    continue
                if column not in copied:
                    current = adjust[column]
                    adjust[column] = np.zeros(data.n_units) if current is None else current.copy()
                    copied.add(column)
                adjust[column][u] = amount  # type: ignore[index]
                continue
            j = compiled.column_pos.get(str(column))  # position in columns order
            if j is None:
                close = difflib.get_close_matches(str(column), list(compiled.columns), n=1)
                hint = f'; did you mean "{close[0]}"?' if close else ""
                problems.append(problem(message=f"column names no input of the scheme{hint}"))
                continue
            leaf = int(compiled.column_leaf[j])
            parsed = CellReader.for_rule(compiled.scheme.node(compiled.leaf_ids[leaf]).rule).parse(
                cell
            )
            if isinstance(parsed, str):
                problems.append(problem(message=parsed))
                continue
            if parsed is NOT_APPLICABLE:
                if na is None:
                    na = np.zeros((compiled.n_leaves, data.n_units), dtype=bool)
                na[leaf, u] = True
                continue
            values[compiled.row_of[str(column)], u] = parsed  # storage order
            if na is not None:
                na[leaf, u] = False
    if problems:
        raise MeasurementsError(problems, data.source)
    if na is not None and not na.any():
        na = None
    return attrs.evolve(
        data,
        values=values,
        na_mask=na,
        bonus=adjust["bonus"],
        penalty=adjust["penalty"],
        pending=(),
        unread_mask=None,
        unit_types=extras.types,
        caps=extras.caps,
        items=extras.items,
    )


class _Extras:
    """The type, ``cap:`` and ``adj:`` cells of the changes, copied on first write."""

    def __init__(self, data: Measurements) -> None:
        self.compiled = data.compiled
        self.n = data.n_units
        declared = self.compiled.scheme.unit_types
        self.type_column = None if declared is None else declared.column
        self.types = data.unit_types
        self.caps = dict(data.caps)
        self.items = dict(data.items)
        self.copied: set[tuple[str, str]] = set()

    def take(self, u: int, column: str, cell: object) -> bool | str:
        """Set the cell when *column* is one of these (True), or say why it cannot be read.

        False: *column* is another column.
        """
        if column == self.type_column:
            type_id, why = parse_unit_type(self.compiled, cell)
            if type_id is None:
                return why
            types = self.types
            if ("type", "") not in self.copied or types is None:
                types = np.full(self.n, "", dtype=object) if types is None else types.copy()
                self.types = types
                self.copied.add(("type", ""))
            types[u] = type_id
            return True
        if not is_reserved(column):
            return False
        kind, key, value = parse_extra(self.compiled, column, cell)
        if not kind:
            return key
        target = self.caps if kind == "cap" else self.items
        if (kind, key) not in self.copied:
            current = target.get(key)
            target[key] = np.zeros(self.n) if current is None else current.copy()
            self.copied.add((kind, key))
        target[key][u] = value
        return True


def _adjustment(data: Measurements, column: str, cell: object) -> float | str:
    """The bonus or penalty written in *cell*, or why it cannot be one."""
    if getattr(data.compiled.scheme.adjustments, column) is None:
        return f"the scheme has no {column} (adjustments.{column})"
    number = CellReader().parse(cell)
    if not isinstance(number, float):
        return number if isinstance(number, str) else f"{column} cannot be 'n/a'"
    amount = 0.0 if np.isnan(number) else number  # nothing written: none
    return f"{column} cannot be negative" if amount < 0 else amount

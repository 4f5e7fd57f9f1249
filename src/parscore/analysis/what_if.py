"""Re-score a result with some inputs changed, without recompiling the scheme.

.. versionadded:: 0.1
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Mapping

import attrs
import numpy as np

from parscore.engine import _score
from parscore.errors import CellProblem, MeasurementsError
from parscore.measurements import NOT_APPLICABLE, CellReader
from parscore.model import MissingPolicy
from parscore.result import Result

__all__ = ["what_if"]

_ADJUSTMENTS = ("bonus", "penalty")


def what_if(
    result: Result,
    changes: Mapping[str, Mapping[str, object]],
    *,
    missing: MissingPolicy | None = None,
) -> Result:
    """Re-score *result* with some inputs changed for some units.

    The compiled scheme and the other units' inputs are reused; only the values matrix is
    copied and changed, then scored again (ranks are recomputed for every unit, as a change
    can move others). Cells are read as in input tables: numbers, ``None`` (missing), yes/no
    words, choice option names, or ``"n/a"`` to make the criterion not apply. Giving a value
    to a criterion that did not apply to the unit makes it apply again.

    Args:
        result: The result to start from.
        changes: ``{unit_id: {column: value}}``; columns are the scheme's input columns
            (``"1.2"``, ``"3.1:on_time"`` …) and ``bonus`` / ``penalty``.
        missing: The missing-value policy override used for *result*, if any (a result does
            not record it).

    Returns:
        A new result.

    Raises:
        MeasurementsError: listing every unknown unit, unknown column and unreadable cell,
            and the engine's errors on the new values.

    Example:
        >>> better = what_if(result, {"xa-017": {"1.1": "kip_thoi", "3.2": 0}})  # doctest: +SKIP

    .. versionadded:: 0.1
    """
    data = result.measurements
    compiled = result.compiled
    position = {str(u): i for i, u in enumerate(data.unit_ids)}
    problems: list[CellProblem] = []
    values = data.values.copy()
    na = None if data.na_mask is None else data.na_mask.copy()
    adjust = {"bonus": data.bonus, "penalty": data.penalty}
    adjust_copied: set[str] = set()
    schemes_adjustments = compiled.scheme.adjustments
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
            if column in _ADJUSTMENTS:
                if getattr(schemes_adjustments, column) is None:
                    msg = f"the scheme has no {column} (adjustments.{column})"
                    problems.append(problem(message=msg))
                    continue
                number = CellReader().parse(cell)
                if not isinstance(number, float):
                    msg = number if isinstance(number, str) else f"{column} cannot be 'n/a'"
                    problems.append(problem(message=msg))
                    continue
                amount = 0.0 if np.isnan(number) else number  # nothing written: none
                if amount < 0:
                    msg = f"{column} cannot be negative"
                    problems.append(problem(message=msg))
                    continue
                if column not in adjust_copied:
                    current = adjust[column]
                    adjust[column] = np.zeros(data.n_units) if current is None else current.copy()
                    adjust_copied.add(column)
                adjust[column][u] = amount  # type: ignore[index]
                continue
            j = compiled.column_pos.get(str(column))  # position in columns order
            if j is None:
                close = difflib.get_close_matches(str(column), list(compiled.columns), n=1)
                hint = f'; did you mean "{close[0]}"?' if close else ""
                msg = f"column names no input of the scheme{hint}"
                problems.append(problem(message=msg))
                continue
            leaf = int(compiled.column_leaf[j])
            rule = compiled.scheme.node(compiled.leaf_ids[leaf]).rule
            parsed = CellReader.for_rule(rule).parse(cell)
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
    changed = attrs.evolve(
        data,
        values=values,
        na_mask=na,
        bonus=adjust["bonus"],
        penalty=adjust["penalty"],
        pending=(),
        unread_mask=None,
    )
    return _score(compiled, changed, missing=missing, ranking=result.ranking)

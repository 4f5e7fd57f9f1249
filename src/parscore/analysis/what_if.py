"""Re-score a result with some inputs changed, without recompiling the scheme.

.. versionadded:: 0.1
"""

from __future__ import annotations

from collections.abc import Mapping

from parscore.engine import score
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
            (``"1.2"``, ``"3.1:on_time"`` …), ``bonus`` / ``penalty``, and with the additions
            of a scheme the type column (``unit_types.column``), ``cap:<id>`` (yes/no) and
            ``adj:<id>`` (points, or a count with ``per``). Cells of criteria that do not
            apply to the unit's type may be left empty.
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
    .. versionchanged:: 0.2 the type, ``cap:`` and ``adj:`` columns.
    """
    changed = result.measurements.with_cells(changes)
    return score(result.compiled, changed, missing=missing, ranking=result.ranking)

"""The :class:`Measurements` class: units × input columns, ready for the engine.

.. versionadded:: 0.1
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from parscore.compile import CompiledScheme, compile_scheme
from parscore.errors import CellProblem, LimitError, MeasurementsError
from parscore.limits import Limits, default_limits
from parscore.measurements._build import Builder, missing_id_column
from parscore.measurements._changes import with_cells
from parscore.measurements._extras import (
    declared_columns,
    extras_columns,
    is_reserved,
    read_extras,
    read_unit_types,
    unit_types_of,
)
from parscore.model import Scheme
from parscore.typing import BoolArray, FloatArray

__all__ = ["Measurements"]

ObjectArray = npt.NDArray[np.object_]


@attrs.frozen(kw_only=True, eq=False)
class Measurements:
    """Units × input columns, ready for the engine.

    Attributes:
        compiled: The compiled scheme the columns follow.
        unit_ids: Unit ids, shape ``(n_units,)``, object array of str, unique.
        values: Raw inputs, shape ``(n_columns, n_units)``, float64, NaN = missing, rows in
            the compiled scheme's storage order (grouped by rule kind): the column named
            ``c`` is row ``compiled.row_of[c]``; use :meth:`column` to read one.
        na_mask: Leaves not applicable per unit, shape ``(n_leaves, n_units)``, or None.
        groups: Unit group labels, shape ``(n_units,)``, or None.
        bonus: Bonus points per unit, shape ``(n_units,)``, or None.
        penalty: Penalty points per unit, shape ``(n_units,)``, or None.
        source: Where the data came from (a file name), for messages.
        rows: Source row number of each unit (1-based), or None.
        pending: Problems found while reading, not raised yet (``defer=True``): the engine
            reports them together with its own, so one error lists every bad cell.
        unread_mask: Cells that could not be read (already in *pending*), shape
            ``(n_columns, n_units)``, or None.
        labels: Label columns carried through to the result (``STT``, the unit's name, its
            district …): column name -> text per unit (object array of str, "" = empty),
            in the order of the source.
        unit_types: The declared type id of each unit (``scheme.unit_types``; object array
            of str, "" where the cell named no type, which is a problem), or None when the
            scheme declares no types.
        caps: Tier caps read from a column (``cap:<id>``): cap id -> 1.0 where the condition
            holds, 0.0 where it does not (an empty cell, or no column).
        items: Named adjustments (``adj:<id>``): item id -> the value as written, the points
            or, for an item with ``per``, the count of cases (0 when empty or no column).

    .. versionadded:: 0.1
    """

    compiled: CompiledScheme
    unit_ids: ObjectArray
    values: FloatArray
    na_mask: BoolArray | None = None
    groups: ObjectArray | None = None
    bonus: FloatArray | None = None
    penalty: FloatArray | None = None
    source: str | None = None
    rows: npt.NDArray[np.int64] | None = None
    pending: tuple[CellProblem, ...] = ()
    unread_mask: BoolArray | None = None
    labels: dict[str, ObjectArray] = attrs.field(factory=dict)
    unit_types: ObjectArray | None = None
    caps: dict[str, FloatArray] = attrs.field(factory=dict)
    items: dict[str, FloatArray] = attrs.field(factory=dict)

    def column(self, name: str) -> FloatArray:
        """The raw values of input column *name*, shape ``(n_units,)`` (read-only view)."""
        row: FloatArray = self.values[self.compiled.row_of[name]]
        return row

    @property
    def n_units(self) -> int:
        """Number of units."""
        return len(self.unit_ids)

    def with_cells(self, changes: Mapping[str, Mapping[str, object]]) -> Measurements:
        """A copy with some cells changed, read as in input tables.

        Args:
            changes: ``{unit_id: {column: cell}}``; columns are the scheme's input columns
                (``"1.2"``, ``"3.1:on_time"`` …), ``bonus`` / ``penalty``, the ``cap:<id>``
                and ``adj:<id>`` columns, and the type column. Cells are read as
                table cells are: numbers, ``None`` (missing), yes/no words, option names, or
                ``"n/a"`` to make the criterion not apply; a value given to a criterion that
                did not apply makes it apply again.

        Returns:
            New measurements; these are not changed.

        Raises:
            MeasurementsError: listing every unknown unit, unknown column and unreadable cell.

        .. versionadded:: 0.2
        """
        return with_cells(self, changes)

    def row_of(self, unit: int) -> int | None:
        """Source row of the unit at position *unit*, when known."""
        return int(self.rows[unit]) if self.rows is not None else None

    # -- constructors -------------------------------------------------------------------------

    @classmethod
    def from_array(
        cls,
        scheme: Scheme | CompiledScheme,
        values: npt.ArrayLike,
        unit_ids: Sequence[object],
        *,
        columns: Sequence[str] | None = None,
        not_applicable: object = None,
        groups: Sequence[object] | None = None,
        bonus: npt.ArrayLike | None = None,
        penalty: npt.ArrayLike | None = None,
        source: str | None = None,
        defer: bool = False,
        unit_types: Sequence[object] | None = None,
        caps: Mapping[str, object] | None = None,
        items: Mapping[str, object] | None = None,
    ) -> Measurements:
        """Build from a numeric matrix, shape ``(n_units, n_columns)``.

        Args:
            scheme: The scheme (or compiled scheme) the columns follow.
            values: Numbers, NaN for missing; columns in ``compiled.matrix_columns`` order
                (grouped by rule kind, so that no column is moved) unless *columns* names
                them. A float64 matrix in that order is not copied: ``values`` is a read-only
                view of it, so do not change the matrix while its result is in use.
            unit_ids: One id per row.
            columns: Column names of *values*, when not in the compiled order.
            not_applicable: See :func:`parscore.score`.
            groups: Unit group labels, one per row.
            bonus: Bonus points per unit.
            penalty: Penalty points per unit.
            source: Where the data came from, for messages.
            defer: Keep cell problems in ``pending`` instead of raising (the engine raises
                them with its own); problems with shapes are always raised.
            unit_types: Each unit's type (an id or name of ``scheme.unit_types``), one per
                row; required when the scheme declares types.
            caps: Cap id -> yes/no per unit, for the caps read from a column (an absent cap
                never holds). *columns* may name ``cap:<id>`` columns instead.
            items: Adjustment item id -> points (or counts, with ``per``) per unit (absent:
                0). *columns* may name ``adj:<id>`` columns instead.

        Raises:
            MeasurementsError: listing every problem with the columns, ids and cells.

        .. versionchanged:: 0.2 *unit_types*, *caps* and *items*.
        """
        compiled = compile_scheme(scheme)
        try:
            matrix = np.asarray(values, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            msg = f"values must be numbers ({exc}); pass text cells as a mapping of columns"
            raise MeasurementsError([CellProblem(message=msg)], source) from None
        if matrix.ndim != 2:
            msg = f"values must be a 2-D matrix (units × columns), found shape {matrix.shape}"
            raise MeasurementsError([CellProblem(message=msg)], source)
        builder = Builder(compiled, source)
        labels: dict[str, ObjectArray] = {}
        if len(unit_ids) != matrix.shape[0]:
            raise builder.stop(f"{len(unit_ids)} unit ids for {matrix.shape[0]} rows")
        ids = builder.ids(list(unit_ids), matrix.shape[0])
        types = _array_types(builder, unit_types, ids)
        more = extras_columns(compiled, caps, items)
        data: dict[str, Any] = {}
        if columns is None:
            if matrix.shape[1] != len(compiled.columns):
                msg = (
                    f"values have {matrix.shape[1]} columns but the scheme reads "
                    f"{len(compiled.columns)}; pass columns= to name them"
                )
                raise MeasurementsError([CellProblem(message=msg)], source)
            ordered = matrix.T  # a view: the caller's matrix is read, never copied or written
            if ordered.flags.writeable:
                ordered = ordered.view()
                ordered.flags.writeable = False
        else:
            if len(columns) != matrix.shape[1]:
                msg = f"{len(columns)} column names for {matrix.shape[1]} columns"
                raise MeasurementsError([CellProblem(message=msg)], source)
            data = dict(zip(columns, matrix.T, strict=True))
            more.update((c, data.pop(c)) for c in [c for c in data if is_reserved(c)])
            labels = builder.labels(data, ids, declared_columns(compiled))
            ordered = builder.inputs(data, ids)
        cap_values, item_values = read_extras(builder, more, ids)
        extra = {}
        if bonus is not None:
            extra["bonus"] = bonus
        if penalty is not None:
            extra["penalty"] = penalty
        adjust = builder.adjustments({**data, **extra}, ids)
        grp = None if groups is None else builder.group_labels(list(groups), ids)
        na = builder.not_applicable(not_applicable, ids)
        pending = builder.finish(defer=defer)
        return cls(
            compiled=compiled,
            unit_ids=ids,
            values=ordered,
            pending=pending,
            unread_mask=builder.unread,
            na_mask=na,
            groups=grp,
            bonus=adjust.get("bonus"),
            penalty=adjust.get("penalty"),
            source=source,
            labels=labels,
            unit_types=types,
            caps=cap_values,
            items=item_values,
        )

    @classmethod
    def from_columns(
        cls,
        scheme: Scheme | CompiledScheme,
        data: Any,
        *,
        unit_id: str = "unit_id",
        group: str | None = None,
        not_applicable: object = None,
        source: str | None = None,
        rows: Sequence[int] | None = None,
        defer: bool = False,
        limits: Limits | None = None,
    ) -> Measurements:
        """Build from a mapping of column name -> cells (a dict, or a DataFrame's columns).

        Each column is read at once (see :class:`~parscore.measurements.CellReader` for the
        cells): empty or None is missing; "n/a", "KAD", "không áp dụng" mark the criterion not
        applicable; yes/no columns read có/không, đạt/không đạt, x, true/false; option
        columns read option names; other text must be a number ("92,08" is read as 92.08; in a
        count column "1.234" is 1234). A column may be a list, a numpy array, a pandas or
        polars Series or a pyarrow array.

        Columns that are no input of the scheme and do not look like one (``STT``, the unit's
        name, its district) are carried through as labels (:attr:`labels`); a column that
        looks like an input (a node id, ``<id>:<input>``, a close misspelling) is an error.

        Args:
            scheme: The scheme (or compiled scheme).
            data: The columns; must include *unit_id* and every input column of the scheme.
            unit_id: Name of the column of unit ids.
            group: Name of the column of unit groups; by default a column named ``group`` is
                used when there is one.
            not_applicable: See :func:`parscore.score`.
            source: Where the data came from, for messages.
            rows: Source row number of each unit, for messages.
            defer: Keep cell problems in ``pending`` instead of raising (the engine raises
                them with its own, so that one error lists every problem).
            limits: The limits in force (None: :func:`parscore.limits.default_limits`):
                columns and rows are checked before any cell is read.

        Raises:
            MeasurementsError: listing every problem: unknown and missing columns, duplicate
                or empty ids, cells that cannot be read.
            LimitError: more columns or rows than *limits* allow.

        .. versionchanged:: 0.2 *limits*.
        """
        compiled = compile_scheme(scheme)
        builder = Builder(compiled, source, rows)
        lim = limits or default_limits()
        if len(data) > lim.max_columns:
            raise LimitError("max_columns", lim.max_columns, len(data), source)
        columns = normalised_columns(data, source)
        if unit_id not in columns:
            raise missing_id_column(unit_id, list(columns), source)
        raw_ids = columns.pop(unit_id)
        n = _length(raw_ids)
        if n > lim.max_rows:
            raise LimitError("max_rows", lim.max_rows, n, source)
        if rows is not None and len(rows) != n:
            raise builder.stop(f"{len(rows)} row numbers for {n} units")
        ids = builder.ids(raw_ids, n)
        types = read_unit_types(builder, columns, ids, [unit_id, *columns])
        cap_values, item_values = read_extras(builder, columns, ids)
        group_col = group if group is not None else ("group" if "group" in columns else None)
        grp = None
        if group_col is not None:
            if group_col not in columns:
                close = [c for c in columns if c.casefold() == group_col.casefold()]
                hint = f'; did you mean "{close[0]}"?' if close else ""
                msg = f'no column "{group_col}" of unit groups{hint}'
                raise MeasurementsError([CellProblem(message=msg, column=group_col)], source)
            grp = builder.group_labels(columns.pop(group_col), ids, group_col)
        labels = builder.labels(columns, ids, declared_columns(compiled))
        adjust = builder.adjustments(columns, ids)
        values = builder.inputs(columns, ids)
        na = builder.not_applicable(not_applicable, ids)
        pending = builder.finish(defer=defer)
        if builder.token_na is not None:
            na = builder.token_na if na is None else (na | builder.token_na)
        return cls(
            compiled=compiled,
            unit_ids=ids,
            values=values,
            na_mask=na,
            groups=grp,
            bonus=adjust.get("bonus"),
            penalty=adjust.get("penalty"),
            source=source,
            rows=None if rows is None else np.asarray(rows, dtype=np.int64),
            pending=pending,
            unread_mask=builder.unread,
            labels=labels,
            unit_types=types,
            caps=cap_values,
            items=item_values,
        )


def _array_types(
    builder: Builder, unit_types: Sequence[object] | None, ids: ObjectArray
) -> ObjectArray | None:
    """The ``unit_types=`` of ``from_array``, read as a type column is."""
    declared = builder.compiled.scheme.unit_types
    if declared is None:
        if unit_types is not None:
            builder.add("unit_types= given, but the scheme declares no unit types (unit_types)")
        return None
    if unit_types is None:
        ids_ = ", ".join(t.id for t in declared.types)
        builder.add(
            f"the scheme declares unit types ({ids_}): pass unit_types=[...], one per row",
            column=declared.column,
        )
        builder.type_codes = np.full(len(ids), -1, dtype=np.int64)
        return np.full(len(ids), "", dtype=object)
    if len(unit_types) != len(ids):
        raise builder.stop(f"{len(unit_types)} unit types for {len(ids)} rows")
    return unit_types_of(builder, list(unit_types), ids, declared.column)


def normalised_columns(data: Any, source: str | None) -> dict[str, Any]:
    """Columns by NFC, stripped name; a name that then repeats is an error."""
    from parscore.measurements._build import text_cells

    names = list(data.keys())
    texts = text_cells([str(k) if not isinstance(k, float) else k for k in names], len(names))
    if isinstance(texts, str):  # pragma: no cover - a list of len(names) cells
        raise MeasurementsError([CellProblem(message=texts)], source)
    out: dict[str, Any] = {}
    repeats = []
    for key, name in zip(names, texts.tolist(), strict=True):
        if name in out:
            repeats.append(name)
        out[name] = data[key]
    if repeats:
        msg = f"columns repeat: {', '.join(sorted(set(repeats)))}"
        raise MeasurementsError([CellProblem(message=msg)], source)
    return out


def _length(column: object) -> int:
    try:
        return len(column)  # type: ignore[arg-type]
    except TypeError:
        msg = f"a column must be a sequence of cells, found {type(column).__name__}"
        raise MeasurementsError([CellProblem(message=msg)], None) from None

"""Measurements: the one door between the user's data and the engine's float matrix.

Everything between "the user's data" and the arrays the engine reads lives here: the adapters
(a mapping of columns, a list of records, pandas, polars, a pyarrow table or record batch, a
numpy matrix with ids, :class:`Measurements`), reading cells column by column
(:class:`CellReader`), and every check of cells, ids, columns and groups. File readers
(:mod:`parscore.io`) only turn files into columns and hand them here.

Missing values are NaN and are never silently zero: the scheme's ``missing`` policy (or the
``missing=`` argument of :func:`parscore.score`) decides. Criteria that do not apply to a unit
(không áp dụng) are a separate boolean mask.

.. versionadded:: 0.1
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from parscore.compile import CompiledScheme
from parscore.errors import CellProblem, MeasurementsError, ParameterTypeError
from parscore.measurements._build import Builder
from parscore.measurements._cells import (
    NO_TOKENS,
    NOT_APPLICABLE,
    NOT_APPLICABLE_TOKENS,
    YES_TOKENS,
    CellReader,
)
from parscore.measurements._checks import (
    CheckedInputs,
    blocks,
    check_inputs,
    group_values,
    problem_at,
    refused_values,
    unit_block,
)
from parscore.measurements._model import Measurements
from parscore.model import Scheme

__all__ = [
    "NOT_APPLICABLE",
    "NOT_APPLICABLE_TOKENS",
    "NO_TOKENS",
    "YES_TOKENS",
    "CellReader",
    "CheckedInputs",
    "Measurements",
    "as_measurements",
    "blocks",
    "check_inputs",
    "columns_of",
    "group_values",
    "problem_at",
    "refused_values",
    "unit_block",
]


def columns_of(data: object, source: str | None = None) -> Mapping[Any, object] | None:
    """The columns of a table-like object by name, or None when *data* is not one.

    Reads a mapping of columns, a list of records (mappings; a key missing from a record is
    an empty cell), a pandas DataFrame (an index named like a column is not used; call
    ``reset_index()`` first), a polars DataFrame, and a pyarrow Table or RecordBatch. Columns
    are handed over as they are (Series, arrays, lists): cells are read later, by column.

    .. versionadded:: 0.2
    """
    if isinstance(data, Mapping):
        return data
    if isinstance(data, list | tuple) and not data:
        msg = "no units: the list of records is empty"
        raise MeasurementsError([CellProblem(message=msg)], source)
    if isinstance(data, list | tuple) and all(isinstance(r, Mapping) for r in data):
        order: dict[object, None] = {}
        for record in data:
            order.update(dict.fromkeys(record))
        return {str(k): [record.get(k) for record in data] for k in order}
    if isinstance(data, list | tuple) and data and isinstance(data[0], Mapping):
        bad = next(i for i, r in enumerate(data, start=1) if not isinstance(r, Mapping))
        msg = f"record {bad} is a {type(data[bad - 1]).__name__}, expected a mapping of cells"
        raise MeasurementsError([CellProblem(message=msg, row=bad)], source)
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(data, pd.DataFrame):
        if data.columns.duplicated().any():
            dups = sorted({str(c) for c in data.columns[data.columns.duplicated()]})
            msg = f"columns repeat: {', '.join(dups)}"
            raise MeasurementsError([CellProblem(message=msg)], source)
        return _pandas_columns(data)
    pl = sys.modules.get("polars")
    if pl is not None and isinstance(data, pl.DataFrame):
        return {c: data.get_column(c) for c in data.columns}
    pa = sys.modules.get("pyarrow")
    if pa is not None and isinstance(data, pa.Table | pa.RecordBatch):
        return dict(zip(data.column_names, data.columns, strict=True))
    return None


def _pandas_columns(frame: Any) -> dict[object, object]:
    """A DataFrame's columns: numeric ones as rows of one float64 block, the rest as Series.

    Taking the numeric columns together costs one conversion (usually a view of pandas' own
    block) instead of a Series per column.
    """
    numeric = [
        j
        for j, dtype in enumerate(frame.dtypes)
        if isinstance(dtype, np.dtype) and dtype.kind in "fiub" and _exact(frame.iloc[:, j], dtype)
    ]
    block = frame.iloc[:, numeric].to_numpy(dtype=np.float64).T if numeric else None
    row_of = {j: r for r, j in enumerate(numeric)}
    out: dict[object, object] = {}
    for j, name in enumerate(frame.columns):
        r = row_of.get(j)
        out[name] = frame.iloc[:, j] if r is None or block is None else block[r]
    return out


def _exact(column: Any, dtype: np.dtype[Any]) -> bool:
    """Whether a numeric column is exact as float64: no integer (an id) beyond 2**53."""
    if dtype.kind not in "iu" or not len(column):
        return True
    values = column.to_numpy()
    return bool(values.max() <= 2**53 and (dtype.kind == "u" or values.min() >= -(2**53)))


def as_measurements(
    scheme: Scheme | CompiledScheme,
    data: object,
    *,
    unit_id: str = "unit_id",
    unit_ids: Sequence[object] | None = None,
    group: str | None = None,
    not_applicable: object = None,
    source: str | None = None,
    rows: Sequence[int] | None = None,
    defer: bool = False,
    unit_types: Sequence[object] | None = None,
) -> Measurements:
    """Turn whatever the user passed into :class:`Measurements` (see :func:`parscore.score`).

    *unit_types* gives each unit's type (``scheme.unit_types``) beside a numpy matrix, or a
    table without a type column.

    .. versionchanged:: 0.2 *unit_types*.
    """
    if isinstance(data, Measurements):
        if group is not None or unit_ids is not None or unit_types is not None:
            msg = (
                "Measurements carry their own unit ids, types and groups; group=, unit_ids= "
                "and unit_types= apply to tables and matrices"
            )
            raise MeasurementsError([CellProblem(message=msg)], source)
        if not_applicable is not None:
            builder = Builder(data.compiled, source)
            extra = builder.not_applicable(not_applicable, data.unit_ids)
            builder.raise_if_any()
            if extra is not None:
                na = extra if data.na_mask is None else data.na_mask | extra
                data = attrs.evolve(data, na_mask=na)
        return data
    if (isinstance(data, np.ndarray) and data.dtype != object) or (
        isinstance(data, np.ndarray) and data.ndim == 2
    ):
        if unit_ids is None:
            msg = "a numpy matrix needs unit_ids=[...], one per row"
            raise MeasurementsError([CellProblem(message=msg)], source)
        if group is not None:  # a column name means nothing for a bare matrix
            msg = (
                f"group={group!r} names a column, and a numpy matrix has no named columns; "
                "pass groups to Measurements.from_array(..., groups=[...]) instead"
            )
            raise MeasurementsError([CellProblem(message=msg)], source)
        return Measurements.from_array(
            scheme,
            data,
            unit_ids,
            not_applicable=not_applicable,
            source=source,
            defer=defer,
            unit_types=unit_types,
        )
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(data, pd.DataFrame):
        if unit_ids is not None:
            msg = f"a DataFrame gives its unit ids in a column (unit_id={unit_id!r}), not unit_ids="
            raise MeasurementsError([CellProblem(message=msg)], source)
        if unit_id not in data.columns and data.index.name == unit_id:
            data = data.reset_index()
    columns = columns_of(data, source)
    if columns is None:
        msg = (
            "data must be a mapping of columns, a list of records, a pandas or polars "
            "DataFrame, a pyarrow Table, a numpy matrix with unit_ids, or Measurements; found "
            f"{type(data).__name__}"
        )
        raise ParameterTypeError(msg)
    if unit_ids is not None:
        if unit_id in columns:
            msg = f"unit_ids= given, and the data has a column {unit_id!r} too: pass one"
            raise MeasurementsError([CellProblem(message=msg)], source)
        columns = {unit_id: list(unit_ids), **columns}
    if unit_types is not None:
        declared = (scheme.scheme if isinstance(scheme, CompiledScheme) else scheme).unit_types
        if declared is None:
            msg = "unit_types= given, but the scheme declares no unit types (unit_types)"
            raise MeasurementsError([CellProblem(message=msg)], source)
        if declared.column in columns:
            msg = f"unit_types= given, and the data has a column {declared.column!r} too: pass one"
            raise MeasurementsError([CellProblem(message=msg)], source)
        columns = {**columns, declared.column: list(unit_types)}
    return Measurements.from_columns(
        scheme,
        columns,
        unit_id=unit_id,
        group=group,
        not_applicable=not_applicable,
        source=source,
        rows=rows,
        defer=defer,
    )

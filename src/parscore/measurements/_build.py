"""Assembling measurements from columns: ids, groups, labels, inputs, adjustments, n/a masks.

Every problem is collected, never only the first: a blank or repeated unit id does not hide the
cells of the same file that cannot be read (problems name such units by their row).

.. versionadded:: 0.2
"""

from __future__ import annotations

import difflib
import functools
import math
import re
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from parscore.compile import CompiledScheme
from parscore.errors import CellProblem, MeasurementsError
from parscore.measurements._cells import CellReader, read_cells
from parscore.typing import BoolArray, FloatArray, IntArray

__all__ = ["ADJUSTMENTS", "RESULT_COLUMNS", "Builder", "text_cells"]

ObjectArray = npt.NDArray[np.object_]

ADJUSTMENTS = ("bonus", "penalty")
"""Columns of capped adjustments outside the tree."""

RESULT_COLUMNS = frozenset(
    {"unit_id", "group", "type", "total", "max", "index", "tier", "rank", "bonus", "penalty"}
)
"""Names the result table uses itself: a label column may not take one."""

_SHOWN_COLUMNS = 12  # columns listed when the column of unit ids is missing
_CLOSE = 0.8  # how close a column name must be to an input's to be taken for a misspelling
_DIFFLIB_CALLS = 2000  # names compared with difflib at most; others are judged without it


def text_cells(column: object, n: int) -> ObjectArray | str:
    """Cells as text, NFC and stripped ("" = empty): ids, groups and labels.

    A whole float is written without ".0" (an Excel cell 17 arrives as 17.0). Returns a
    message instead when *column* is not a column of *n* cells.
    """
    cells = _cells_of(column)
    if isinstance(cells, str):
        return cells
    if len(cells) != n:
        return f"column has {len(cells)} cells for {n} units"
    if isinstance(cells, np.ndarray) and cells.dtype != object:
        whole = _whole_numbers(cells)
        if whole is not None:
            return whole
        cells = cells.tolist()
    out = np.empty(n, dtype=object)
    try:  # all text: one NFC pass over the column joined
        joined = "\x00".join(cells)  # type: ignore[arg-type]
    except TypeError:
        out[:] = [_text(c) for c in cells]
        return out
    if not joined.isascii():
        joined = unicodedata.normalize("NFC", joined)
    texts = joined.split("\x00")
    if len(texts) != n:  # a cell holding "\x00" itself
        out[:] = [_text(c) for c in cells]
    else:
        out[:] = [t.strip() for t in texts]
    return out


def _cells_of(column: object) -> Sequence[object] | npt.NDArray[Any] | str:  # noqa: PLR0911
    """The cells of a column as a sequence or numpy array; a message when it is no column."""
    pa = sys.modules.get("pyarrow")
    if pa is not None and isinstance(column, pa.Array | pa.ChunkedArray):
        return column.to_pylist()  # type: ignore[no-any-return]
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(column, pd.Series):
        if column.dtype.kind in "iuf":  # numpy dtypes; nullable ones read as objects
            return column.to_numpy()  # type: ignore[no-any-return]
        return column.to_numpy(dtype=object, na_value=None)  # type: ignore[no-any-return]
    pl = sys.modules.get("polars")
    if pl is not None and isinstance(column, pl.Series):
        return column.to_list()  # type: ignore[no-any-return]
    if isinstance(column, np.ndarray):
        if column.ndim != 1:
            return f"a column must be one-dimensional, found shape {column.shape}"
        return column
    if isinstance(column, list | tuple):
        return column
    if isinstance(column, str | bytes) or not hasattr(column, "__iter__"):
        return f"a column must be a sequence of cells, found {type(column).__name__}"
    return list(column)


def _whole_numbers(column: npt.NDArray[Any]) -> ObjectArray | None:
    """Integers (or whole floats, NaN = "") as text, at numpy speed; None for other columns."""
    if column.dtype.kind in "iu":
        out: ObjectArray = column.astype(str).astype(object)
        return out
    if column.dtype.kind == "f":
        blank = np.isnan(column)
        filled = column[~blank]
        if np.all(np.abs(filled) < 2.0**53) and np.array_equal(filled, np.trunc(filled)):
            out = np.full(len(column), "", dtype=object)
            out[~blank] = filled.astype(np.int64).astype(str).astype(object)
            return out
    return None


def _text(cell: object) -> str:
    """A cell as text; a whole float without ".0", unless it was written so (JSON ``1.0``)."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return ""
    if type(cell).__name__ in ("NAType", "NaTType"):
        return ""
    written = getattr(cell, "written", None)
    if isinstance(written, str):
        return written.strip()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    try:
        return unicodedata.normalize("NFC", str(cell)).strip()
    except (ValueError, RecursionError):  # an int of over 4300 digits, a cell nested deeply
        return f"<a {type(cell).__name__} that cannot be written as text>"


class Builder:
    """Collects every problem while measurements are assembled."""

    def __init__(
        self, compiled: CompiledScheme, source: str | None, rows: Sequence[int] | None = None
    ) -> None:
        self.compiled = compiled
        self.source = source
        self.rows = rows
        self.problems: list[CellProblem] = []
        self.token_na: BoolArray | None = None
        self.unread: BoolArray | None = None
        self.ids_: ObjectArray = np.empty(0, dtype=object)
        self.misspelt: list[str] = []  # columns that look like inputs but are none
        self.type_codes: IntArray | None = None  # each unit's type (-1: none), when declared

    # -- problems ------------------------------------------------------------------------------

    def add(self, message: str, **where: Any) -> None:
        unit = where.pop("unit", None)
        if unit is not None:
            if self.rows is not None:
                where["row"] = int(self.rows[unit])
            if where.get("unit_id") == "":  # a blank id names nobody: say the row
                where["unit_id"] = None
                where.setdefault("row", unit + 1)
        self.problems.append(CellProblem(message=message, **where))

    def stop(self, message: str, **where: Any) -> MeasurementsError:
        """A problem that makes the rest meaningless (no units, a ragged column)."""
        return MeasurementsError(
            [*self.problems, CellProblem(message=message, **where)], self.source
        )

    def raise_if_any(self) -> None:
        if self.problems:
            raise MeasurementsError(self.problems, self.source)

    def finish(self, *, defer: bool) -> tuple[CellProblem, ...]:
        """Raise the problems found, or return them when deferring (to :func:`check_inputs`)."""
        if self.problems and not defer:
            raise MeasurementsError(self.problems, self.source)
        return tuple(self.problems)

    def mark_unread(self, row: int, units: npt.NDArray[np.int64] | slice) -> None:
        if self.unread is None:
            self.unread = np.zeros((len(self.compiled.columns), len(self.ids_)), dtype=bool)
        self.unread[row, units] = True

    # -- ids, groups, labels ---------------------------------------------------------------------

    def ids(self, raw: object, n: int) -> ObjectArray:
        if n == 0:
            raise self.stop("no units: the table is empty")
        texts = text_cells(raw, n)
        if isinstance(texts, str):
            raise self.stop(texts.replace("column has", "the column of unit ids has"))
        self.ids_ = texts
        blank = texts == ""
        if blank.any():
            for b in np.flatnonzero(blank).tolist():
                self.add("the unit id is empty", unit=b, unit_id="")
        if len(set(texts.tolist())) < n:
            first: dict[str, int] = {}
            for i, text in enumerate(texts.tolist()):
                if text and text in first:
                    j = first[text]
                    row = j + 1 if self.rows is None else int(self.rows[j])
                    self.add(f"unit id repeats (first in row {row})", unit=i, unit_id=text)
                first.setdefault(text, i)
        return texts

    def group_labels(self, raw: object, ids: ObjectArray, column: str = "group") -> ObjectArray:
        texts = text_cells(raw, len(ids))
        if isinstance(texts, str):
            raise self.stop(texts, column=column)
        for i in np.flatnonzero(texts == ""):
            self.add("the unit's group is empty", unit=int(i), unit_id=ids[i], column=column)
        return texts

    def labels(
        self, columns: dict[str, Any], ids: ObjectArray, also: Sequence[str] = ()
    ) -> dict[str, ObjectArray]:
        """Take the label columns out of *columns*: every column that is no input of the scheme.

        A column that looks like an input (a node id, ``<id>:<input>``, a close misspelling of
        an input column, an adjustment or a column of *also*: the type, ``cap:`` and ``adj:``
        columns taken out already) is an error with a "did you mean"; other columns (``STT``,
        names, districts) are labels.
        """
        compiled = self.compiled
        known = set(compiled.columns) | set(ADJUSTMENTS)
        unknown = [c for c in columns if c not in known]
        if not unknown:
            return {}
        absent = [k for k in (*compiled.columns, *ADJUSTMENTS, *also) if k not in columns]
        id_like = _id_pattern(compiled.node_ids)
        near = _near_lengths(absent)
        budget = _DIFFLIB_CALLS
        out: dict[str, ObjectArray] = {}
        for name in unknown:
            close: list[str] = []
            if len(name) in near and budget > 0:  # difflib only for names that could be close
                budget -= 1
                close = difflib.get_close_matches(name, absent, n=1, cutoff=_CLOSE)
            looks_like_input = (
                name in compiled.node_pos
                or ":" in name
                or id_like.fullmatch(name) is not None
                or bool(close)
            )
            if looks_like_input:
                if name in compiled.node_pos:
                    msg = (
                        f'column names node "{name}", which is not a leaf: its points are '
                        "summed from its criteria, whose columns are the inputs"
                    )
                else:
                    hint = close
                    if not hint and budget > 0 and len(name) <= _LONGEST_HINTED:
                        budget -= 1
                        hint = difflib.get_close_matches(name, absent, n=1, cutoff=0.6)
                    msg = "column names no input of the scheme"
                    msg += f'; did you mean "{hint[0]}"?' if hint else ""
                self.add(msg, column=name)
                self.misspelt.append(name)
                columns.pop(name)
                continue
            if name in RESULT_COLUMNS:
                self.add(
                    f'a label column may not be named "{name}": the result table has a column '
                    "of that name; rename it",
                    column=name,
                )
                columns.pop(name)
                continue
            texts = text_cells(columns.pop(name), len(ids))
            if isinstance(texts, str):
                raise self.stop(texts, column=name)
            out[name] = texts
        return out

    # -- inputs ----------------------------------------------------------------------------------

    def adjustments(self, columns: dict[str, Any], ids: ObjectArray) -> dict[str, FloatArray]:
        out: dict[str, FloatArray] = {}
        scheme_adjustments = self.compiled.scheme.adjustments
        for name in ADJUSTMENTS:
            if name not in columns:
                continue
            raw = columns.pop(name)
            if getattr(scheme_adjustments, name) is None:
                self.add(
                    f'column "{name}" given, but the scheme has no {name} (adjustments.{name})',
                    column=name,
                )
                continue
            values = self.read(raw, name, ids, CellReader("number"), leaf=None)
            values = np.where(np.isnan(values), 0.0, values)  # no bonus (penalty) written = none
            for i in np.flatnonzero(values < 0):
                self.add(
                    f"{name} cannot be negative",
                    unit=int(i),
                    unit_id=ids[i],
                    column=name,
                    value=float(values[i]),
                )
            out[name] = values
        return out

    def inputs(self, columns: Mapping[str, Any], ids: ObjectArray) -> FloatArray:
        """The input matrix ``(n_columns, n_units)`` in storage order; missing columns said.

        The cells of a leaf that does not apply to a unit's type are read but never reported
        (not even when unreadable: the criterion does not exist for that kind of unit), and
        the column of a leaf that applies to no unit of the table may be left out.
        """
        compiled = self.compiled
        n = len(ids)
        skip = compiled.type_na(self.type_codes)
        for j, c in enumerate(compiled.columns):
            if c not in columns:
                if skip is not None and skip[int(compiled.column_leaf[j])].all():
                    continue
                close = difflib.get_close_matches(c, self.misspelt[:_MISSPELT_HINTED], n=1)
                hint = f'; found "{close[0]}"' if close else ""
                self.add(f"column is missing{hint}", column=c)
        values = np.empty((len(compiled.columns), n), dtype=np.float64)
        readers = _readers(compiled)
        for j, name in enumerate(compiled.columns):
            row = compiled.row_of[name]
            leaf = int(compiled.column_leaf[j])
            if name in columns:
                ignore = None if skip is None else skip[leaf]
                values[row] = self.read(columns[name], name, ids, readers[leaf], leaf, row, ignore)
            else:
                values[row] = np.nan
                if skip is None or not skip[leaf].all():
                    self.mark_unread(row, slice(None))
        return values

    def read(  # noqa: PLR0917 - a private helper called in two places
        self,
        raw: object,
        name: str,
        ids: ObjectArray,
        reader: CellReader,
        leaf: int | None,
        row: int | None = None,
        ignore: BoolArray | None = None,
    ) -> FloatArray:
        """Read one column of cells to float64, recording every unreadable cell.

        Unreadable cells of the units in *ignore* (a leaf not applying to their type) are
        left missing, not reported.
        """
        n = len(ids)
        found = read_cells(raw, reader, n)
        if isinstance(found, str):
            raise self.stop(found, column=name)
        bad_idx = found.bad_idx
        for i, cell, message in zip(
            bad_idx.tolist(), found.bad_cells, found.bad_messages, strict=True
        ):
            if ignore is None or not ignore[i]:
                self.add(message, unit=i, unit_id=ids[i], column=name, value=cell)
        if ignore is not None and bad_idx.size:
            bad_idx = bad_idx[~ignore[bad_idx]]
        if bad_idx.size and row is not None:
            self.mark_unread(row, bad_idx)
        if found.na_mask is not None:
            if leaf is None:
                for i in np.flatnonzero(found.na_mask):
                    self.add(
                        "not applicable makes no sense here",
                        unit=int(i),
                        unit_id=ids[i],
                        column=name,
                        value="n/a",
                    )
            else:
                if self.token_na is None:
                    self.token_na = np.zeros((self.compiled.n_leaves, n), dtype=bool)
                self.token_na[leaf] |= found.na_mask
        return found.values

    def not_applicable(self, mask: object, ids: ObjectArray) -> BoolArray | None:
        """Leaf-level not-applicable mask from a mapping node id -> bools or a matrix."""
        if mask is None:
            return None
        compiled = self.compiled
        n = len(ids)
        out = np.zeros((compiled.n_leaves, n), dtype=bool)
        pd = sys.modules.get("pandas")
        if isinstance(mask, Mapping) or (pd is not None and isinstance(mask, pd.DataFrame)):
            for key in list(mask.keys()):
                node_id = str(key)
                if node_id not in compiled.node_pos:
                    close = difflib.get_close_matches(node_id, list(compiled.node_ids), n=1)
                    hint = f'; did you mean "{close[0]}"?' if close else ""
                    self.add(f"not_applicable names no node of the scheme{hint}", column=node_id)
                    continue
                flags = np.asarray(mask[key])
                if flags.shape != (n,) or flags.dtype != bool:
                    self.add(f"not_applicable needs {n} booleans, one per unit", column=node_id)
                    continue
                out[compiled.descendant_leaves[node_id]] |= flags
            return out
        arr = np.asarray(mask)
        if arr.dtype != bool or arr.shape != (n, compiled.n_leaves):
            msg = (
                f"not_applicable must be a mapping node id -> booleans, or a boolean matrix of "
                f"shape (n_units, n_leaves) = ({n}, {compiled.n_leaves}); found "
                f"{arr.dtype} {arr.shape}"
            )
            raise MeasurementsError([CellProblem(message=msg)], self.source)
        return np.ascontiguousarray(arr.T)


_LONGEST_HINTED = 200  # names longer than this get no "did you mean"
_MISSPELT_HINTED = 50  # misspelt columns offered as "found ..." for a missing one


def _near_lengths(names: Sequence[str]) -> frozenset[int]:
    """Lengths a name may have and still be within difflib's ``_CLOSE`` ratio of one of *names*.

    The ratio of two texts of lengths a and b is at most 2 min(a, b) / (a + b) (what difflib's
    ``real_quick_ratio`` says), so other lengths need no comparison at all.
    """
    out: set[int] = set()
    for m in {len(n) for n in names}:
        out.update(k for k in range(1, 2 * m + 2) if 2 * min(k, m) >= _CLOSE * (k + m))
    return frozenset(out)


@functools.lru_cache(maxsize=32)
def _readers(compiled: CompiledScheme) -> list[CellReader]:
    """The cell reader of every leaf, in leaf order."""
    scheme = compiled.scheme
    return [CellReader.for_rule(scheme.node(leaf_id).rule) for leaf_id in compiled.leaf_ids]


def _id_pattern(node_ids: Sequence[str]) -> re.Pattern[str]:
    """Names shaped like the scheme's node ids: its letter prefixes, then digits and dots."""
    prefixes = sorted({re.match(r"[A-Za-z]*", i).group(0) for i in node_ids})  # type: ignore[union-attr]
    alternatives = "|".join(re.escape(p) for p in prefixes)
    return re.compile(rf"(?:{alternatives})\d+(?:\.\d+)*[a-z]?", re.IGNORECASE)


def missing_id_column(unit_id: str, names: Sequence[str], source: str | None) -> MeasurementsError:
    """The error for a missing column of unit ids: the columns found and what to pass."""
    close = difflib.get_close_matches(unit_id, list(names), n=1)
    hint = f' did you mean "{close[0]}"?' if close else ""
    shown = ", ".join(f'"{c}"' for c in names[:_SHOWN_COLUMNS])
    more = f" … ({len(names)} in all)" if len(names) > _SHOWN_COLUMNS else ""
    msg = (
        f'no column "{unit_id}" of unit ids;{hint} columns found: {shown}{more}; pass '
        "unit_id=... (on the command line: --unit-id)"
    )
    return MeasurementsError([CellProblem(message=msg, column=unit_id)], source)

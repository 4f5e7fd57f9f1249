"""Measurements: the raw inputs of every unit, as a float matrix with unit ids.

Missing values are NaN and are never silently zero: the scheme's ``missing`` policy (or the
``missing=`` argument of :func:`parscore.score`) decides. Criteria that do not apply to a unit
(không áp dụng) are a separate boolean mask.

.. versionadded:: 0.1
"""

from __future__ import annotations

import decimal
import difflib
import math
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from parscore.compile import CompiledScheme, compile_scheme
from parscore.errors import CellProblem, MeasurementsError, ParameterTypeError
from parscore.model import Scheme
from parscore.rules import Bands, Choice, Deduction, Ratio, Survey, YesNo
from parscore.typing import BoolArray, FloatArray

__all__ = ["NOT_APPLICABLE_TOKENS", "NO_TOKENS", "YES_TOKENS", "Measurements", "as_measurements"]

ObjectArray = npt.NDArray[np.object_]

NOT_APPLICABLE_TOKENS = frozenset({"n/a", "na", "kad", "không áp dụng", "khong ap dung"})
"""Cell texts (compared case-insensitively, NFC) that mark a criterion not applicable."""

YES_TOKENS = frozenset({"1", "x", "yes", "true", "có", "co", "đạt", "dat", "đ"})
"""Cell texts read as yes (1) by ``yes_no`` rules."""

NO_TOKENS = frozenset({"0", "no", "false", "không", "khong", "không đạt", "khong dat"})
"""Cell texts read as no (0) by ``yes_no`` rules."""

_ADJUSTMENTS = ("bonus", "penalty")


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


# Thousands groups before a decimal part: "1.234,5" (Vietnamese) or "1,234.5" (English).
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:(?P<sep>[.,])\d{3})(?:(?P=sep)\d{3})*(?!(?P=sep))[.,]\d+")
# Digits with separators that _parse_number refused ("1,2,3", "1.234.567"): a clearer message.
# a whole number written with thousands separators: "1.234", "12,345", "1.234.567"
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:(?P<sep>[.,])\d{3})(?:(?P=sep)\d{3})*")
_SEPARATED = re.compile(r"[+-]?[\d.,\s\u00a0]*\d[.,][\d.,\s\u00a0]*")


_LOOSE = "\x00"  # marks loose keys, so that a loose spelling never meets an exact name


def _loose(text: str) -> str:
    """*text* without diacritics, case, or the difference between spaces, "_" and "-".

    "Không kịp thời", "khong_kip_thoi" and "KHONG-KIP-THOI" all become "khong kip thoi".
    """
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.split(r"[\s_\-]+", bare.strip()))


def _option_codes(names: Sequence[str]) -> dict[str, int]:
    """Option name -> position, by exact name (any case) and, where unambiguous, loosely.

    A loose key (see :func:`_loose`) is kept only when no other option shares it, so a cell
    is never read as the wrong option.
    """
    codes = {_norm(name): k for k, name in enumerate(names)}
    loose: dict[str, list[int]] = {}
    for k, name in enumerate(names):
        loose.setdefault(_loose(name), []).append(k)
    codes.update({_LOOSE + key: ks[0] for key, ks in loose.items() if len(ks) == 1})
    return codes


def _reads_counts(rule: object) -> bool:
    """Whether a rule's inputs are counts (whole numbers): late items, answers, dossiers."""
    return isinstance(rule, Deduction | Survey) or (
        isinstance(rule, Ratio) and len(rule.inputs) == 2
    )


def _reads_percentage(rule: object) -> bool:
    """Whether a rule reads a percentage, which a cell may write as "85%"."""
    return isinstance(rule, Ratio) and len(rule.inputs) == 1


def _parse_number(text: str) -> float | None:
    """Parse "92.08", "92,08", "1 234,5", "1.234,5"; None when the text is not one number.

    One separator is the decimal separator, whichever it is ("1,234" is 1.234). Both
    separators are read only when unambiguous: the first separates groups of three digits
    and the last one, once, starts the decimals ("1.234.567,8"). Anything else with several
    separators ("1,2,3", "1.234.567") is not a number.
    """
    t = text.replace("\u00a0", "").replace(" ", "")
    if "," in t and "." in t:
        if not _GROUPED.fullmatch(t):
            return None
        decimal = "," if t.rfind(",") > t.rfind(".") else "."
        whole, _, frac = t.rpartition(decimal)
        t = f"{whole.replace('.', '').replace(',', '')}.{frac}"
    elif t.count(",") == 1:
        t = t.replace(",", ".")
    elif "," in t:
        return None
    try:
        return float(t)
    except ValueError:
        return None


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

    def column(self, name: str) -> FloatArray:
        """The raw values of input column *name*, shape ``(n_units,)`` (read-only view)."""
        row: FloatArray = self.values[self.compiled.row_of[name]]
        return row

    @property
    def n_units(self) -> int:
        """Number of units."""
        return len(self.unit_ids)

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
    ) -> Measurements:
        """Build from a numeric matrix, shape ``(n_units, n_columns)``.

        Args:
            scheme: The scheme (or compiled scheme) the columns follow.
            values: Numbers, NaN for missing; columns in ``compiled.matrix_columns`` order
                (grouped by rule kind, so that no column is moved) unless *columns* names
                them.
            unit_ids: One id per row.
            columns: Column names of *values*, when not in the compiled order.
            not_applicable: See :func:`parscore.score`.
            groups: Unit group labels, one per row.
            bonus: Bonus points per unit.
            penalty: Penalty points per unit.
            source: Where the data came from, for messages.
            defer: Keep cell problems in ``pending`` instead of raising (the engine raises
                them with its own); problems with ids and shapes are always raised.

        Raises:
            MeasurementsError: listing every problem with the columns, ids and cells.
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
        if columns is None:
            if matrix.shape[1] != len(compiled.columns):
                msg = (
                    f"values have {matrix.shape[1]} columns but the scheme reads "
                    f"{len(compiled.columns)}; pass columns= to name them"
                )
                raise MeasurementsError([CellProblem(message=msg)], source)
            data: dict[str, Any] = {}
            ordered = _transpose(matrix)
        else:
            if len(columns) != matrix.shape[1]:
                msg = f"{len(columns)} column names for {matrix.shape[1]} columns"
                raise MeasurementsError([CellProblem(message=msg)], source)
            data = dict(zip(columns, matrix.T, strict=True))
            ordered = None
        builder = _Builder(compiled, source)
        ids = builder.ids(list(unit_ids), matrix.shape[0])
        if ordered is None:
            ordered = builder.columns_from(data, ids)
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
        )

    @classmethod
    def from_columns(
        cls,
        scheme: Scheme | CompiledScheme,
        data: Mapping[str, object],
        *,
        unit_id: str = "unit_id",
        group: str | None = None,
        not_applicable: object = None,
        source: str | None = None,
        rows: Sequence[int] | None = None,
        defer: bool = False,
    ) -> Measurements:
        """Build from a mapping of column name -> sequence of cells (a dict, a DataFrame).

        Cells may be numbers, or text: empty or None is missing; "n/a", "KAD", "không áp dụng"
        mark the criterion not applicable; yes/no rules read có/không, đạt/không đạt, x,
        true/false; choice rules read option names; other text must be a number ("92,08" is
        read as 92.08).

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
                them with its own); problems with ids and shapes are always raised.

        Raises:
            MeasurementsError: listing every problem: unknown and missing columns, duplicate
                or empty ids, cells that cannot be read.
        """
        compiled = compile_scheme(scheme)
        builder = _Builder(compiled, source, rows)
        columns = {str(k): v for k, v in data.items()}
        if unit_id not in columns:
            close = difflib.get_close_matches(unit_id, list(columns), n=1)
            hint = f'; did you mean "{close[0]}"? (pass unit_id=...)' if close else ""
            msg = f'no column "{unit_id}" of unit ids{hint}'
            raise MeasurementsError([CellProblem(message=msg, column=unit_id)], source)
        raw_ids = _to_list(columns.pop(unit_id))
        ids = builder.ids(raw_ids, len(raw_ids))
        group_col = group if group is not None else ("group" if "group" in columns else None)
        grp = None
        if group_col is not None:
            if group_col not in columns:
                msg = f'no column "{group_col}" of unit groups'
                raise MeasurementsError([CellProblem(message=msg, column=group_col)], source)
            grp = builder.group_labels(_to_list(columns.pop(group_col)), ids)
        adjust = builder.adjustments(columns, ids)
        values = builder.columns_from(columns, ids)
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
        )


def _transpose(matrix: FloatArray) -> FloatArray:
    """``matrix.T`` made C-contiguous, copied in blocks of units.

    Copying block by block keeps both sides in cache: about 4× faster than one strided copy.
    """
    n = matrix.shape[0]
    out = np.empty((matrix.shape[1], n), dtype=np.float64)
    block = 512
    for start in range(0, n, block):
        out[:, start : start + block] = matrix[start : start + block].T
    return out


def _to_list(column: object) -> list[object]:
    if isinstance(column, np.ndarray):
        return list(column.tolist()) if column.dtype != object else list(column)
    to_list = getattr(column, "tolist", None)
    if callable(to_list):
        return list(to_list())
    if isinstance(column, str | bytes) or not isinstance(column, Iterable):
        msg = f"a column must be a sequence of cells, found {type(column).__name__}"
        raise TypeError(msg)
    return list(column)


class _Builder:
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
        self.fatal = False

    def add(self, message: str, **where: Any) -> None:
        unit = where.pop("unit", None)
        if unit is not None and self.rows is not None:
            where["row"] = int(self.rows[unit])
        self.problems.append(CellProblem(message=message, **where))

    def raise_if_any(self) -> None:
        if self.problems:
            raise MeasurementsError(self.problems, self.source)

    def finish(self, *, defer: bool) -> tuple[CellProblem, ...]:
        """Raise the problems found, or return them when deferring (never for fatal ones)."""
        if self.problems and (self.fatal or not defer):
            raise MeasurementsError(self.problems, self.source)
        return tuple(self.problems)

    def mark_unread(self, column: int, unit: int) -> None:
        if self.unread is None:
            self.unread = np.zeros((len(self.compiled.columns), len(self.ids_)), dtype=bool)
        self.unread[column, unit] = True

    def ids(self, raw: list[object], n: int) -> ObjectArray:
        if n == 0 or not raw:
            raise MeasurementsError(
                [CellProblem(message="no units: the table is empty")], self.source
            )
        if len(raw) != n:
            msg = f"{len(raw)} unit ids for {n} rows"
            raise MeasurementsError([CellProblem(message=msg)], self.source)
        ids = np.empty(n, dtype=object)
        self.ids_ = ids
        if all(type(v) is str for v in raw):
            # fast path: one NFC pass over all ids joined, no per-id checks unless needed
            joined = "\x00".join(raw)  # type: ignore[arg-type]
            if not joined.isascii():
                joined = unicodedata.normalize("NFC", joined)
            texts = [t.strip() for t in joined.split("\x00")]
            if len(texts) == n and all(texts) and len(set(texts)) == n:
                ids[:] = texts
                return ids
        first: dict[str, int] = {}
        for i, value in enumerate(raw):
            if value is None or (isinstance(value, float) and math.isnan(value)):
                self.add("a unit id is empty", unit=i)
                text = ""
            else:
                text = unicodedata.normalize(
                    "NFC",
                    str(int(value))
                    if isinstance(value, float) and value.is_integer()
                    else str(value),
                ).strip()
                if not text:
                    self.add("a unit id is empty", unit=i)
            if not text:
                self.fatal = True
            if text and text in first:
                self.fatal = True
                row = first[text] + 1 if self.rows is None else int(self.rows[first[text]])
                self.add(f"unit id repeats (first in row {row})", unit=i, unit_id=text)
            first.setdefault(text, i)
            ids[i] = text
        return ids

    def group_labels(self, raw: list[object], ids: ObjectArray) -> ObjectArray:
        if len(raw) != len(ids):
            msg = f"{len(raw)} group labels for {len(ids)} units"
            raise MeasurementsError([CellProblem(message=msg, column="group")], self.source)
        out = np.empty(len(raw), dtype=object)
        for i, value in enumerate(raw):
            if (
                value is None
                or (isinstance(value, float) and math.isnan(value))
                or str(value).strip() == ""
            ):
                self.fatal = True
                self.add("the unit's group is empty", unit=i, unit_id=ids[i], column="group")
                out[i] = ""
            else:
                out[i] = unicodedata.normalize("NFC", str(value)).strip()
        return out

    def adjustments(self, columns: dict[str, Any], ids: ObjectArray) -> dict[str, FloatArray]:
        out: dict[str, FloatArray] = {}
        adjustments = self.compiled.scheme.adjustments
        for name in _ADJUSTMENTS:
            if name not in columns:
                continue
            raw = columns.pop(name)
            if getattr(adjustments, name) is None:
                self.add(
                    f'column "{name}" given, but the scheme has no {name} (adjustments.{name})',
                    column=name,
                )
                continue
            values = self.numbers(raw, name, ids, leaf=None)
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

    def columns_from(self, columns: dict[str, Any], ids: ObjectArray) -> FloatArray:
        compiled = self.compiled
        known = set(compiled.columns)
        unknown = [c for c in columns if c not in known]
        for c in unknown:
            close = difflib.get_close_matches(
                c, [k for k in compiled.columns if k not in columns], n=1
            )
            hint = f'; did you mean "{close[0]}"?' if close else ""
            self.add(f"column names no input of the scheme{hint}", column=c)
        missing = [c for c in compiled.columns if c not in columns]
        for c in missing:
            close = difflib.get_close_matches(c, unknown, n=1)
            hint = f'; found "{close[0]}"' if close else ""
            self.add(f"column is missing{hint}", column=c)
        values = np.full((len(compiled.columns), len(ids)), np.nan)
        for j, name in enumerate(compiled.columns):
            row = compiled.row_of[name]
            if name in columns:
                leaf = int(compiled.column_leaf[j])
                values[row] = self.numbers(columns[name], name, ids, leaf=leaf, col=row)
            else:
                for u in range(len(ids)):
                    self.mark_unread(row, u)
        return values

    def numbers(
        self, raw: object, name: str, ids: ObjectArray, leaf: int | None, col: int | None = None
    ) -> FloatArray:
        """Convert one column of cells to float64, recording every unreadable cell."""
        n = len(ids)
        arr = raw if isinstance(raw, np.ndarray) else None
        if arr is None and not isinstance(raw, list):
            pd = sys.modules.get("pandas")
            if pd is not None and isinstance(raw, pd.Series):
                arr = raw.to_numpy()
        if arr is not None and arr.dtype.kind in "fiub":
            if len(arr) != n:
                self.fatal = True
                self.add(f"column has {len(arr)} cells for {n} units", column=name)
                return np.full(n, np.nan)
            return np.asarray(arr, dtype=np.float64)
        cells = _to_list(raw)
        if len(cells) != n:
            self.fatal = True
            self.add(f"column has {len(cells)} cells for {n} units", column=name)
            return np.full(n, np.nan)
        out = np.full(n, np.nan)
        rule = (
            self.compiled.scheme.node(self.compiled.leaf_ids[leaf]).rule
            if leaf is not None
            else None
        )
        options = _option_codes(rule.option_names) if isinstance(rule, Choice) else None
        for i, cell in enumerate(cells):
            value = self.cell(cell, rule, options)
            if isinstance(value, str):
                self.add(value, unit=i, unit_id=ids[i], column=name, value=cell)
                if col is not None:
                    self.mark_unread(col, i)
            elif value is _NA:
                if leaf is None:
                    self.add(
                        "not applicable makes no sense here",
                        unit=i,
                        unit_id=ids[i],
                        column=name,
                        value=cell,
                    )
                    continue
                if self.token_na is None:
                    self.token_na = np.zeros((self.compiled.n_leaves, n), dtype=bool)
                self.token_na[leaf, i] = True
            else:
                out[i] = value
        return out

    @staticmethod
    def cell(  # noqa: PLR0911 - one return per kind of cell, flat on purpose
        cell: object, rule: object, options: dict[str, int] | None
    ) -> float | str | object:
        """A number, _NA, or a message saying why the cell cannot be read."""
        if cell is None:
            return math.nan
        if isinstance(cell, bool):
            return 1.0 if cell else 0.0
        if isinstance(cell, int | float | np.integer | np.floating | decimal.Decimal):
            return float(cell)  # a Decimal NaN is missing, like a float NaN
        if type(cell).__name__ in ("NAType", "NaTType"):  # pandas' missing markers
            return math.nan
        if not isinstance(cell, str):
            return f"cannot read a {type(cell).__name__} as a number"
        text = _norm(cell)
        if not text:
            return math.nan
        if text in NOT_APPLICABLE_TOKENS:
            return _NA
        if isinstance(rule, YesNo):
            if text in YES_TOKENS:
                return 1.0
            if text in NO_TOKENS:
                return 0.0
        if options is not None:
            code = options.get(text, options.get(_LOOSE + _loose(text)))
            if code is not None:
                return float(code)
        if _THOUSANDS.fullmatch(text) and _reads_counts(rule):
            # a count is whole: "1.234" or "1,234" of dossiers is 1234, never 1.234
            return float(re.sub(r"[.,]", "", text))
        if text.endswith("%") and (isinstance(rule, Bands) or _reads_percentage(rule)):
            text = text[:-1].rstrip()
        number = _parse_number(text)
        if number is not None:
            return number
        if isinstance(rule, YesNo):
            return "expected yes or no (có/không, đạt/không đạt, x, 1/0)"
        if isinstance(rule, Choice):
            return f"expected one of: {', '.join(rule.option_names)}"
        if _SEPARATED.fullmatch(text):
            return (
                "expected one number: the separators are ambiguous; write decimals with one "
                'separator ("1234.5" or "1234,5"; "1.234,5" is read too)'
            )
        return "expected a number"

    def not_applicable(self, mask: object, ids: ObjectArray) -> BoolArray | None:
        """Leaf-level not-applicable mask from a mapping node id -> bools or a matrix."""
        if mask is None:
            return None
        compiled = self.compiled
        n = len(ids)
        out = np.zeros((compiled.n_leaves, n), dtype=bool)
        if isinstance(mask, Mapping) or (
            sys.modules.get("pandas") is not None
            and isinstance(mask, sys.modules["pandas"].DataFrame)
        ):
            for key in list(mask.keys()):
                node_id = str(key)
                if node_id not in compiled.node_pos:
                    close = difflib.get_close_matches(node_id, list(compiled.node_ids), n=1)
                    hint = f'; did you mean "{close[0]}"?' if close else ""
                    self.add(f"not_applicable names no node of the scheme{hint}", column=node_id)
                    continue
                flags = np.asarray(_to_list(mask[key]))
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


_NA = object()


def as_measurements(
    scheme: Scheme | CompiledScheme,
    data: object,
    *,
    unit_id: str = "unit_id",
    unit_ids: Sequence[object] | None = None,
    group: str | None = None,
    not_applicable: object = None,
    source: str | None = None,
    defer: bool = False,
) -> Measurements:
    """Turn whatever the user passed into :class:`Measurements` (see :func:`parscore.score`)."""
    if isinstance(data, Measurements):
        if group is not None or unit_ids is not None:
            msg = (
                "Measurements carry their own unit ids and groups; group= and unit_ids= apply "
                "to tables and matrices"
            )
            raise MeasurementsError([CellProblem(message=msg)], source)
        if not_applicable is not None:
            builder = _Builder(data.compiled, source)
            extra = builder.not_applicable(not_applicable, data.unit_ids)
            builder.raise_if_any()
            if extra is not None:
                na = extra if data.na_mask is None else data.na_mask | extra
                data = attrs.evolve(data, na_mask=na)
        return data
    if isinstance(data, np.ndarray):
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
            scheme, data, unit_ids, not_applicable=not_applicable, source=source, defer=defer
        )
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(data, pd.DataFrame):
        if unit_ids is not None:
            msg = f"a DataFrame gives its unit ids in a column (unit_id={unit_id!r}), not unit_ids="
            raise MeasurementsError([CellProblem(message=msg)], source)
        frame = data
        if unit_id not in frame.columns and frame.index.name == unit_id:
            frame = frame.reset_index()
        if frame.columns.duplicated().any():
            dups = sorted({str(c) for c in frame.columns[frame.columns.duplicated()]})
            msg = f"columns repeat: {', '.join(dups)}"
            raise MeasurementsError([CellProblem(message=msg)], source)
        columns = {str(c): frame[c].to_numpy() for c in frame.columns}
        return Measurements.from_columns(
            scheme,
            columns,
            unit_id=unit_id,
            group=group,
            not_applicable=not_applicable,
            source=source,
            defer=defer,
        )
    if isinstance(data, Mapping):
        if unit_ids is not None:
            data = {unit_id: list(unit_ids), **data}
        return Measurements.from_columns(
            scheme,
            data,
            unit_id=unit_id,
            group=group,
            not_applicable=not_applicable,
            source=source,
            defer=defer,
        )
    msg = (
        "data must be a mapping of columns, a pandas DataFrame, a numpy matrix with unit_ids, "
        f"or Measurements; found {type(data).__name__}"
    )
    raise ParameterTypeError(msg)

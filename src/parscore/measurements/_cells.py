"""Reading cells: text and numbers as officials write them, column by column.

A column is read in one pass over its *distinct* values: numbers that are already numbers cost
one conversion; text is factorised (each distinct text parsed once, then taken back to every
cell), and plain numbers written as text take a vectorised path. The per-value parser,
:meth:`CellReader.parse`, decides every cell the fast paths do not; the fast paths read exactly
what it would (a property test over every source says so).

.. versionadded:: 0.2
"""

from __future__ import annotations

import decimal
import math
import re
import sys
import unicodedata
from collections.abc import Sequence
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from parscore.rules import cells_of, option_names_of
from parscore.typing import BoolArray, CellKind, FloatArray

__all__ = [
    "NOT_APPLICABLE",
    "NOT_APPLICABLE_TOKENS",
    "NO_TOKENS",
    "YES_TOKENS",
    "CellReader",
    "ColumnRead",
    "read_cells",
]

NOT_APPLICABLE_TOKENS = frozenset({"n/a", "na", "kad", "không áp dụng", "khong ap dung"})
"""Cell texts (compared case-insensitively, NFC) that mark a criterion not applicable."""

YES_TOKENS = frozenset({"1", "x", "yes", "true", "có", "co", "đạt", "dat", "đ"})
"""Cell texts read as yes (1) by ``yes_no`` rules."""

NO_TOKENS = frozenset({"0", "no", "false", "không", "khong", "không đạt", "khong dat"})
"""Cell texts read as no (0) by ``yes_no`` rules."""


class _NotApplicable:
    """The marker :meth:`CellReader.parse` returns for a not-applicable cell."""

    def __repr__(self) -> str:
        return "NOT_APPLICABLE"


NOT_APPLICABLE: Final = _NotApplicable()
"""What :meth:`CellReader.parse` returns for "n/a", "KAD", "không áp dụng"."""

ObjectArray = npt.NDArray[np.object_]

# Thousands groups before a decimal part: "1.234,5" (Vietnamese) or "1,234.5" (English).
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:(?P<sep>[.,])\d{3})(?:(?P=sep)\d{3})*(?!(?P=sep))[.,]\d+")
# A whole number written with thousands separators: "1.234", "12,345", "1.234.567".
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:(?P<sep>[.,])\d{3})(?:(?P=sep)\d{3})*")
# Digits with separators that parse_number refused ("1,2,3", "1.234.567"): a clearer message.
_SEPARATED = re.compile(r"[+-]?[\d.,\s\u00a0]*\d[.,][\d.,\s\u00a0]*")
# Plain numbers, read by float() exactly as parse_number would: the vectorised fast path.
_PLAIN_NUMBER = r"^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$"
# In a count column "1.234" is 1234: one separator before exactly three digits, after at
# most three, is never the fast path ("480.0" and "1234.567" are; see _THOUSANDS).
_PLAIN_COUNT = r"^\s*[+-]?(?:\d+|\d+\.(?:\d{1,2}|\d{4,})|\d{4,}\.\d{3})\s*$"
_PLAIN = {kind: re.compile(_PLAIN_NUMBER) for kind in ("number", "percent", "yes_no")}
_PLAIN["count"] = re.compile(_PLAIN_COUNT)

_LOOSE = "\x00"  # marks loose keys, so that a loose spelling never meets an exact name


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


def loose(text: str) -> str:
    """*text* without diacritics, case, or the difference between spaces, "_" and "-".

    "Không kịp thời", "khong_kip_thoi" and "KHONG-KIP-THOI" all become "khong kip thoi".
    """
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.split(r"[\s_\-]+", bare.strip()))


def _option_codes(names: Sequence[str]) -> dict[str, int]:
    """Option name -> position, by exact name (any case) and, where unambiguous, loosely.

    A loose key (see :func:`loose`) is kept only when no other option shares it, so a cell
    is never read as the wrong option.
    """
    codes = {_norm(name): k for k, name in enumerate(names)}
    by_loose: dict[str, list[int]] = {}
    for k, name in enumerate(names):
        by_loose.setdefault(loose(name), []).append(k)
    codes.update({_LOOSE + key: ks[0] for key, ks in by_loose.items() if len(ks) == 1})
    return codes


def parse_number(text: str) -> float | None:
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
        sep = "," if t.rfind(",") > t.rfind(".") else "."
        whole, _, frac = t.rpartition(sep)
        t = f"{whole.replace('.', '').replace(',', '')}.{frac}"
    elif t.count(",") == 1:
        t = t.replace(",", ".")
    elif "," in t:
        return None
    try:
        return float(t)
    except ValueError:
        return None


@attrs.frozen(eq=False)
class CellReader:
    """Reads the cells of one input column: its kind and, for options, the option names.

    .. versionadded:: 0.2
    """

    kind: CellKind = "number"
    option_names: tuple[str, ...] = ()
    _codes: dict[str, int] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_codes", _option_codes(self.option_names))

    @property
    def plain(self) -> re.Pattern[str] | None:
        """Texts that are plain numbers for this column, read by ``float()``; None: no fast path.

        Option columns have none: an option may itself be named "1".
        """
        return None if self.kind == "option" else _PLAIN[self.kind]

    @classmethod
    def for_rule(cls, rule: object) -> CellReader:
        """The reader of *rule*'s input columns (None: a column outside the tree)."""
        return cls(cells_of(rule), option_names_of(rule))

    def parse(self, cell: object) -> float | _NotApplicable | str:  # noqa: PLR0911 - flat
        """One cell: a number (NaN = missing), :data:`NOT_APPLICABLE`, or why it is unreadable.

        Cells may be numbers, or text: empty or None is missing; "n/a", "KAD", "không áp
        dụng" mark the criterion not applicable; yes/no columns read có/không, đạt/không đạt,
        x, true/false; option columns read option names; other text must be a number ("92,08"
        is read as 92.08; in a count column "1.234" is 1234; a percentage may end in "%").
        """
        if cell is None:
            return math.nan
        if isinstance(cell, bool | np.bool_):
            return 1.0 if cell else 0.0
        if isinstance(cell, int | float | np.integer | np.floating | decimal.Decimal):
            try:
                return float(cell)  # a Decimal NaN is missing, like a float NaN
            except OverflowError:
                return "the number is too large"
        if type(cell).__name__ in ("NAType", "NaTType"):  # pandas' missing markers
            return math.nan
        if not isinstance(cell, str):
            return f"cannot read a {type(cell).__name__} as a number"
        text = _norm(cell)
        if not text:
            return math.nan
        if text in NOT_APPLICABLE_TOKENS:
            return NOT_APPLICABLE
        kind = self.kind
        if kind == "yes_no":
            if text in YES_TOKENS:
                return 1.0
            if text in NO_TOKENS:
                return 0.0
        if kind == "option":
            code = self._codes.get(text, self._codes.get(_LOOSE + loose(text)))
            if code is not None:
                return float(code)
        if kind == "count" and _THOUSANDS.fullmatch(text):
            # a count is whole: "1.234" or "1,234" of dossiers is 1234, never 1.234
            return float(re.sub(r"[.,]", "", text))
        if kind == "percent" and text.endswith("%"):
            text = text[:-1].rstrip()
        number = parse_number(text)
        if number is not None:
            return number
        if kind == "yes_no":
            return "expected yes or no (có/không, đạt/không đạt, x, 1/0)"
        if kind == "option":
            return f"expected one of: {', '.join(self.option_names)}"
        if _SEPARATED.fullmatch(text):
            return (
                "expected one number: the separators are ambiguous; write decimals with one "
                'separator ("1234.5" or "1234,5"; "1.234,5" is read too)'
            )
        return "expected a number"


@attrs.frozen(kw_only=True, eq=False)
class ColumnRead:
    """One column read: numbers, the not-applicable cells, and the cells that are unreadable.

    Attributes:
        values: float64, shape ``(n,)``, NaN = missing, not applicable or unreadable.
        na_mask: Cells marked not applicable, shape ``(n,)``, or None when there are none.
        bad_idx: Positions of unreadable cells, int64 ``(k,)``.
        bad_cells: The unreadable cells as found, ``k`` of them.
        bad_messages: Why each is unreadable.
    """

    values: FloatArray
    na_mask: BoolArray | None
    bad_idx: npt.NDArray[np.int64]
    bad_cells: tuple[object, ...] = ()
    bad_messages: tuple[str, ...] = ()


_NO_BAD = np.zeros(0, dtype=np.int64)
_NUMBER_TYPES = frozenset({float, int, np.float64, np.float32, np.int64, np.int32, type(None)})


def read_cells(column: object, reader: CellReader, n: int) -> ColumnRead | str:
    """Read one column of *n* cells; a message instead when it is not a column of *n* cells.

    *column* may be a numpy array (numeric, bool or object), a list or tuple of cells, a
    pandas or polars Series, or a pyarrow Array/ChunkedArray.
    """
    arr = _as_array(column)
    if isinstance(arr, str):
        return arr
    if len(arr) != n:
        return f"column has {len(arr)} cells for {n} units"
    if isinstance(arr, np.ndarray):
        if arr.dtype.kind in "fiub":
            return ColumnRead(
                values=np.asarray(arr, dtype=np.float64), na_mask=None, bad_idx=_NO_BAD
            )
        if arr.dtype.kind in "US":
            arr = arr.astype(object)
        return _read_objects(arr, reader)
    return _read_arrow(arr, reader)


def _as_array(column: object) -> npt.NDArray[Any] | Any | str:  # noqa: PLR0911 - flat
    """A numpy array or a pyarrow (chunked) array of the column's cells."""
    if isinstance(column, np.ndarray):
        return (
            column
            if column.ndim == 1
            else f"a column must be one-dimensional, found shape {column.shape}"
        )
    if isinstance(column, list | tuple):
        return _object_array(column)
    pa = sys.modules.get("pyarrow")
    if pa is not None and isinstance(column, pa.Array | pa.ChunkedArray):
        if pa.types.is_integer(column.type) or pa.types.is_floating(column.type):
            return np.asarray(column.to_numpy(zero_copy_only=False), dtype=np.float64)
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            return column
        return _object_array(column.to_pylist())
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(column, pd.Series):
        return _from_pandas(column, pd)
    pl = sys.modules.get("polars")
    if pl is not None and isinstance(column, pl.Series):
        if column.dtype.is_numeric():
            return column.cast(pl.Float64).fill_null(math.nan).to_numpy()
        if column.dtype == pl.String and sys.modules.get("pyarrow") is not None:
            return column.to_arrow()
        return _object_array(column.to_list())
    if isinstance(column, str | bytes) or not hasattr(column, "__iter__"):
        return f"a column must be a sequence of cells, found {type(column).__name__}"
    return _object_array(list(column))


def _object_array(cells: Sequence[object]) -> ObjectArray:
    out = np.empty(len(cells), dtype=object)
    out[:] = cells
    return out


def _from_pandas(series: Any, pd: Any) -> npt.NDArray[Any] | Any:
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype) and not series.hasnans:
        return series.to_numpy(dtype=np.float64)
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        return series.to_numpy(dtype=np.float64, na_value=np.nan)
    pa = sys.modules.get("pyarrow")
    if pa is not None and pd.api.types.is_string_dtype(dtype) and not isinstance(dtype, np.dtype):
        try:
            return pa.chunked_array(pa.array(series, from_pandas=True))
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # pragma: no cover - mixed cells
            pass
    return series.to_numpy(dtype=object, na_value=None)


def _read_objects(cells: ObjectArray, reader: CellReader) -> ColumnRead:
    """Read an object array: plain numbers at once, other cells once per distinct value."""
    n = len(cells)
    kinds = set(map(type, cells))
    if kinds <= _NUMBER_TYPES:
        try:
            return ColumnRead(values=cells.astype(np.float64), na_mask=None, bad_idx=_NO_BAD)
        except OverflowError:  # an int beyond float range: said per cell below
            pass
    try:
        codes: dict[object, int] = {}
        inverse = np.fromiter(
            (codes.setdefault(c, len(codes)) for c in cells), dtype=np.int64, count=n
        )
        uniques: list[object] = list(codes)
    except TypeError:  # unhashable cells, or pandas.NA meeting another key: one by one
        inverse = np.arange(n, dtype=np.int64)
        uniques = list(cells)
    return _take_parsed(uniques, inverse, reader)


def _take_parsed(
    uniques: Sequence[object], inverse: npt.NDArray[np.int64], reader: CellReader
) -> ColumnRead:
    """Parse each distinct cell once and take the results back to every cell."""
    plain = reader.plain
    parsed = np.empty(len(uniques), dtype=np.float64)
    na_u = np.zeros(len(uniques), dtype=bool)
    bad_u: dict[int, str] = {}
    for k, cell in enumerate(uniques):
        if plain is not None and type(cell) is str and plain.match(cell):
            try:
                parsed[k] = float(cell)
                continue
            except ValueError:  # white space float() does not strip ("\x1c"): parse says
                pass
        value = reader.parse(cell)
        if isinstance(value, float):
            parsed[k] = value
        else:
            parsed[k] = math.nan
            if value is NOT_APPLICABLE:
                na_u[k] = True
            else:
                bad_u[k] = str(value)
    values = parsed[inverse]
    na_mask = na_u[inverse] if na_u.any() else None
    if not bad_u:
        return ColumnRead(values=values, na_mask=na_mask, bad_idx=_NO_BAD)
    bad_codes = np.fromiter(bad_u, dtype=np.int64)
    bad_idx = np.flatnonzero(np.isin(inverse, bad_codes)).astype(np.int64)
    return ColumnRead(
        values=values,
        na_mask=na_mask,
        bad_idx=bad_idx,
        bad_cells=tuple(uniques[inverse[i]] for i in bad_idx),
        bad_messages=tuple(bad_u[int(inverse[i])] for i in bad_idx),
    )


def _read_arrow(column: Any, reader: CellReader) -> ColumnRead:
    """Read a pyarrow string column: plain numbers in Arrow, the rest per distinct text."""
    import pyarrow.compute as pc  # type: ignore[import-untyped] # loaded: it made *column*

    pa = sys.modules["pyarrow"]
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    fast = reader.plain
    if fast is None:
        return _read_arrow_texts(column, reader, pc)
    plain = pc.fill_null(pc.match_substring_regex(column, fast.pattern), fill_value=False)
    try:
        numbers = pc.cast(pc.if_else(plain, pc.utf8_trim_whitespace(column), None), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # e.g. a sign Arrow refuses
        return _read_arrow_texts(column, reader, pc)
    values = np.array(numbers.to_numpy(zero_copy_only=False), dtype=np.float64)  # writable
    rest_idx = np.flatnonzero(~np.asarray(plain.to_numpy(zero_copy_only=False), dtype=bool))
    if not rest_idx.size:
        return ColumnRead(values=values, na_mask=None, bad_idx=_NO_BAD)
    sub = _read_arrow_texts(column.take(pa.array(rest_idx)), reader, pc)
    values[rest_idx] = sub.values
    na_mask = None
    if sub.na_mask is not None:
        na_mask = np.zeros(len(column), dtype=bool)
        na_mask[rest_idx] = sub.na_mask
    return ColumnRead(
        values=values,
        na_mask=na_mask,
        bad_idx=rest_idx[sub.bad_idx].astype(np.int64),
        bad_cells=sub.bad_cells,
        bad_messages=sub.bad_messages,
    )


def _read_arrow_texts(column: Any, reader: CellReader, pc: Any) -> ColumnRead:
    """Parse each distinct text of an Arrow string column once (dictionary-encoded in Arrow)."""
    encoded = pc.dictionary_encode(column)
    uniques: list[object] = [*encoded.dictionary.to_pylist(), None]  # None: a null cell
    codes = pc.fill_null(encoded.indices, len(uniques) - 1)
    inverse = np.asarray(codes.to_numpy(zero_copy_only=False), dtype=np.int64)
    return _take_parsed(uniques, inverse, reader)

"""Reading cells by column gives exactly what the per-value parser gives, on every path."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from parscore.measurements import NOT_APPLICABLE, CellReader
from parscore.measurements._cells import read_cells

KINDS = ("number", "count", "percent", "yes_no", "option")
OPTIONS = ("kip_thoi", "khong_kip_thoi", "1", "Không ban hành")

# texts shaped like numbers as officials type them, with the odd mistake
_piece = st.sampled_from(
    ["0", "1", "2", "9", "12", "123", "1234", ".", ",", " ", "-", "+", "%", "e", "E", "\u00a0"]
)
number_like = st.lists(_piece, min_size=1, max_size=7).map("".join)
tokens = st.sampled_from(
    [
        "",
        "  ",
        "n/a",
        "KAD",
        "không áp dụng",
        "có",
        "Không",
        "đạt",
        "x",
        "true",
        "Kịp thời",
        "KHONG_KIP_THOI",
        "không ban hành",
        "nan",
        "inf",
        "1_000",
        "٣",
    ]
)
cell_text = st.one_of(number_like, tokens)


def _expected(
    reader: CellReader, cells: list[object]
) -> tuple[list[float], list[bool], list[bool]]:
    values, na, bad = [], [], []
    for cell in cells:
        parsed = reader.parse(cell)
        na.append(parsed is NOT_APPLICABLE)
        bad.append(isinstance(parsed, str))
        values.append(parsed if isinstance(parsed, float) else math.nan)
    return values, na, bad


def _check(reader: CellReader, cells: list[object], column: object) -> None:
    read = read_cells(column, reader, len(cells))
    assert not isinstance(read, str)
    values, na, bad = _expected(reader, cells)
    np.testing.assert_array_equal(read.values, np.array(values, dtype=np.float64))
    found_na = read.na_mask.tolist() if read.na_mask is not None else [False] * len(cells)
    assert found_na == na
    bad_mask = np.zeros(len(cells), dtype=bool)
    bad_mask[read.bad_idx] = True
    assert bad_mask.tolist() == bad
    assert list(read.bad_cells) == [cells[i] for i in read.bad_idx]


@pytest.mark.parametrize("kind", KINDS)
@given(cells=st.lists(cell_text, min_size=1, max_size=12))
def test_text_columns_read_as_the_parser_reads_each_cell(kind: str, cells: list[str]) -> None:
    """A list, an object array and an Arrow column of texts read as parse() reads each text."""
    reader = CellReader(kind, OPTIONS if kind == "option" else ())  # type: ignore[arg-type]
    _check(reader, list(cells), list(cells))
    _check(reader, list(cells), np.array(cells, dtype=object))
    pa = pytest.importorskip("pyarrow")
    _check(reader, list(cells), pa.array(cells, type=pa.string()))


@pytest.mark.parametrize("kind", KINDS)
@given(
    cells=st.lists(
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(-(10**6), 10**6),
            st.floats(allow_nan=True, allow_infinity=True),
            cell_text,
        ),
        min_size=1,
        max_size=12,
    )
)
def test_mixed_cells_read_as_the_parser_reads_each_cell(kind: str, cells: list[object]) -> None:
    """Numbers, booleans, None and text mixed in one column read as parse() reads each."""
    reader = CellReader(kind, OPTIONS if kind == "option" else ())  # type: ignore[arg-type]
    _check(reader, cells, cells)


def test_counts_with_thousands_separators_are_whole() -> None:
    """In a count column one separator before three digits groups thousands."""
    reader = CellReader("count")
    read = read_cells(["1.234", "1,234", "480.0", "1.234.567", "12"], reader, 5)
    assert not isinstance(read, str)
    assert read.values.tolist() == [1234.0, 1234.0, 480.0, 1234567.0, 12.0]


def test_an_option_named_like_a_number_is_read_by_name() -> None:
    """In an option column "1" is the option named "1", not the option at position 1."""
    reader = CellReader("option", ("kip_thoi", "khong", "1"))
    read = read_cells(["1", "kip_thoi"], reader, 2)
    assert not isinstance(read, str)
    assert read.values.tolist() == [2.0, 0.0]

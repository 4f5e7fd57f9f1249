"""The same cell reads the same way whatever the source (issue 8, point 2).

One table of cell texts, as officials write them, is written to CSV, XLSX, JSON, Parquet, a
pandas DataFrame, a polars DataFrame and a plain dict of lists; each is read back with
:func:`parscore.read_measurements` and every reading must give the same measurements.
"""

from __future__ import annotations

import csv
import json
import math
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import parscore as ps

openpyxl = pytest.importorskip("openpyxl")
pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

TIMELINESS = ("Kịp thời", "không_kịp_thời", "khong_ban_hanh")
SCHEME = ps.Scheme(
    id="sources",
    name="Bộ chỉ số thử nguồn dữ liệu",
    tiers=ps.TierScale(scale=[ps.Tier(name="Tốt", min=80), ps.Tier(name="Yếu", min=0)]),
    nodes=[
        ps.Node(
            id="1",
            name="Chỉ đạo, điều hành",
            children=[
                ps.Node(
                    id="1.1",
                    name="Ban hành kế hoạch kịp thời",
                    max_points=2,
                    rule=ps.Choice(options=dict(zip(TIMELINESS, (2, 1, 0), strict=True))),
                ),
                ps.Node(id="1.2", name="Báo cáo đúng hạn", max_points=1, rule=ps.YesNo()),
                ps.Node(id="1.3", name="Tỷ lệ hồ sơ trực tuyến (%)", max_points=2, rule=ps.Ratio()),
                ps.Node(
                    id="1.4",
                    name="Mức độ hoàn thành kế hoạch",
                    max_points=2,
                    rule=ps.Bands(
                        bands=(ps.Band(gt=90, points=2), ps.Band(ge=70, le=90, points=1)),
                        otherwise=0,
                    ),
                ),
            ],
        ),
        ps.Node(
            id="2",
            name="Thủ tục hành chính",
            children=[
                ps.Node(
                    id="2.1", name="Văn bản trễ hạn", max_points=2, rule=ps.Deduction(per=0.25)
                ),
                ps.Node(
                    id="2.2",
                    name="Hồ sơ giải quyết đúng hạn",
                    max_points=4,
                    rule=ps.Ratio(inputs=("on_time", "received")),
                ),
                ps.Node(
                    id="2.3",
                    name="Mức độ hài lòng",
                    max_points=5,
                    rule=ps.Survey(options={"A": 100, "B": 60, "C": 0}),
                ),
                ps.Node(id="2.4", name="Điểm thẩm định", max_points=2, rule=ps.Points()),
            ],
        ),
    ],
)
COMPILED = ps.compile_scheme(SCHEME)
COUNT_COLUMNS = ("2.1", "2.2:on_time", "2.2:received", "2.3:A", "2.3:B", "2.3:C")
PERCENT_COLUMNS = ("1.3", "1.4")

# -- cell texts as officials write them -------------------------------------------------------

BLANKS = ("", " ")
NOT_APPLICABLE = ("n/a", "N/A", "KAD", "kad", "không áp dụng", "Không áp dụng", "KHONG AP DUNG")
YES_NO = (
    *("có", "Có", "CÓ", "co", "không", "Không", "KHÔNG", "khong"),
    *("đạt", "Đạt", "không đạt", "Không đạt", "x", "X", "1", "0"),
    *("true", "True", "TRUE", "false", "False"),
)
UNIT_IDS = ("xa-01", "Xã Hòa Bình", "00004", "25", "phuong-7", "Thị trấn Ái Nghĩa", "003", "X8")
GROUPS = ("Huyện Đông Giang", "Thành phố Hội An", "Thị xã Điện Bàn", "1", "02")


def _without_diacritics(text: str) -> str:
    bare = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in bare if not unicodedata.combining(c)))


@st.composite
def option_texts(draw: st.DrawFn) -> str:
    """An option name in any case, with or without diacritics, spaces or underscores."""
    name = draw(st.sampled_from(TIMELINESS))
    if draw(st.booleans()):
        name = _without_diacritics(name)
    name = draw(st.sampled_from((name, name.upper(), name.lower(), name.capitalize())))
    return draw(st.sampled_from((name, name.replace("_", " "), name.replace(" ", "_"))))


def _decimal_text(value: float, places: int, comma: bool) -> str:
    text = f"{value:.{places}f}"
    return text.replace(".", ",") if comma else text


@st.composite
def percent_texts(draw: st.DrawFn) -> str:
    """A percentage: "92.5", "92,5", "85%", "100"."""
    places = draw(st.integers(0, 2))
    value = draw(st.integers(0, 100 * 10**places)) / 10**places
    text = _decimal_text(value, places, comma=draw(st.booleans()))
    return text + draw(st.sampled_from(("", "%", " %")))


@st.composite
def count_texts(draw: st.DrawFn) -> str:
    """A whole count, with thousands written "1.234" or "1,234" as often as not."""
    count = draw(st.integers(0, 99_999))
    if count >= 1000 and draw(st.booleans()):
        return f"{count:,}".replace(",", draw(st.sampled_from((".", ","))))
    return str(count)


@st.composite
def points_texts(draw: st.DrawFn) -> str:
    """Points with a decimal point or a decimal comma: "1.75", "1,75", "2"."""
    places = draw(st.integers(0, 2))
    value = draw(st.integers(0, 2 * 10**places)) / 10**places
    return _decimal_text(value, places, comma=draw(st.booleans()))


def _cells(values: st.SearchStrategy[str], *, applicable: bool = True) -> st.SearchStrategy[str]:
    """Cells of one column: mostly *values*, sometimes blank or (when allowed) not applicable."""
    others = st.sampled_from(BLANKS + NOT_APPLICABLE if applicable else BLANKS)
    return st.one_of(values, values, values, others)


COLUMN_CELLS: dict[str, st.SearchStrategy[str]] = {
    "1.1": _cells(option_texts()),
    "1.2": _cells(st.sampled_from(YES_NO)),
    "1.3": _cells(percent_texts()),
    "1.4": _cells(percent_texts()),
    **{name: _cells(count_texts()) for name in COUNT_COLUMNS},
    "2.4": _cells(points_texts()),
}
assert set(COLUMN_CELLS) == set(COMPILED.columns)


@st.composite
def text_tables(draw: st.DrawFn) -> dict[str, list[str]]:
    """A table of cell texts: unit ids, groups and every input column, 1 to 8 units."""
    ids = draw(st.lists(st.sampled_from(UNIT_IDS), min_size=1, max_size=8, unique=True))
    n = len(ids)
    table = {
        "unit_id": ids,
        "group": draw(st.lists(st.sampled_from(GROUPS), min_size=n, max_size=n)),
    }
    for name in COMPILED.columns:
        table[name] = draw(st.lists(COLUMN_CELLS[name], min_size=n, max_size=n))
    return table


# -- the sources ------------------------------------------------------------------------------

Table = dict[str, list[object]]
Source = Callable[[Table, Path], object]


def _blank_to_none(cell: object) -> object:
    return None if isinstance(cell, str) and not cell.strip() else cell


def to_csv(table: Table, where: Path) -> object:
    path = where / "data.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(table)
        for row in zip(*table.values(), strict=True):
            writer.writerow(["" if c is None else c for c in row])
    return path


def to_xlsx(table: Table, where: Path) -> object:
    path = where / "data.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(table))
    for row in zip(*table.values(), strict=True):
        sheet.append([_blank_to_none(c) for c in row])  # text stays text; blank is an empty cell
    book.save(path)
    return path


def to_json(table: Table, where: Path) -> object:
    path = where / "data.json"
    records = [dict(zip(table, row, strict=True)) for row in zip(*table.values(), strict=True)]
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def to_parquet(table: Table, where: Path) -> object:
    path = where / "data.parquet"
    arrays = {}
    for name, cells in table.items():
        if all(c is None or isinstance(c, str) for c in cells):
            arrays[name] = pa.array([_blank_to_none(c) for c in cells], type=pa.string())
        else:
            arrays[name] = pa.array(cells, type=pa.float64(), from_pandas=True)
    pq.write_table(pa.table(arrays), path)
    return path


def to_pandas(table: Table, _where: Path) -> object:
    return pd.DataFrame(
        {name: pd.Series(cells, dtype=_pandas_dtype(cells)) for name, cells in table.items()}
    )


def _pandas_dtype(cells: list[object]) -> str:
    return "object" if any(isinstance(c, str) for c in cells) else "float64"


def to_polars(table: Table, _where: Path) -> object:
    return pl.DataFrame(
        {
            name: pl.Series(
                name, cells, dtype=pl.Utf8 if _pandas_dtype(cells) == "object" else pl.Float64
            )
            for name, cells in table.items()
        }
    )


def to_dict(table: Table, _where: Path) -> object:
    return {name: list(cells) for name, cells in table.items()}


SOURCES: dict[str, Source] = {
    "csv": to_csv,
    "xlsx": to_xlsx,
    "json": to_json,
    "parquet": to_parquet,
    "pandas": to_pandas,
    "polars": to_polars,
    "dict": to_dict,
}


def read_everywhere(
    table: Table, sources: tuple[str, ...] = tuple(SOURCES)
) -> dict[str, ps.Measurements]:
    """Write *table* to every source and read each back."""
    with tempfile.TemporaryDirectory() as tmp:
        return {
            name: ps.read_measurements(SCHEME, SOURCES[name](table, Path(tmp)), defer=True)
            for name in sources
        }


def _na(data: ps.Measurements) -> np.ndarray:
    return (
        np.zeros((COMPILED.n_leaves, data.n_units), dtype=bool)
        if data.na_mask is None
        else data.na_mask
    )


def _unread(data: ps.Measurements) -> np.ndarray:
    shape = (len(COMPILED.columns), data.n_units)
    return np.zeros(shape, dtype=bool) if data.unread_mask is None else data.unread_mask


def _differences(expected: ps.Measurements, got: ps.Measurements) -> list[str]:
    """The input cells where *got* differs from *expected*, as "column[unit]: a != b"."""
    out = []
    for name in COMPILED.columns:
        a, b = expected.column(name), got.column(name)
        differ = np.flatnonzero(~((a == b) | (np.isnan(a) & np.isnan(b))))
        out.extend(f"{name}[{expected.unit_ids[u]}]: {a[u]!r} != {b[u]!r}" for u in differ)
    return out


def assert_same_measurements(readings: dict[str, ps.Measurements]) -> None:
    """Every reading equals the dict's (the plain cells), field by field."""
    expected = readings["dict"]
    for source, got in readings.items():
        ids, want_ids = got.unit_ids.tolist(), expected.unit_ids.tolist()
        assert ids == want_ids, f"{source}: unit ids {ids} != {want_ids}"
        groups = None if got.groups is None else got.groups.tolist()
        want_groups = None if expected.groups is None else expected.groups.tolist()
        assert groups == want_groups, f"{source}: groups {groups} != {want_groups}"
        assert not _differences(expected, got), f"{source}: {_differences(expected, got)}"
        np.testing.assert_array_equal(got.values, expected.values, err_msg=source)
        assert np.array_equal(_na(got), _na(expected)), f"{source}: not-applicable cells differ"
        assert np.array_equal(_unread(got), _unread(expected)), f"{source}: unread cells differ"


# -- the properties ---------------------------------------------------------------------------


@given(table=text_tables())
def test_cell_texts_read_the_same_from_every_source(table: dict[str, list[str]]) -> None:
    """Cell texts read identically from CSV, XLSX, JSON, Parquet, pandas, polars and a dict."""
    assert_same_measurements(read_everywhere(dict(table)))


@st.composite
def number_tables(draw: st.DrawFn) -> dict[str, list[object]]:
    """A table of numbers (floats with up to 4 decimals, whole counts, 0/1), None = blank."""
    ids = draw(st.lists(st.sampled_from(UNIT_IDS), min_size=1, max_size=8, unique=True))
    n = len(ids)
    table: dict[str, list[object]] = {"unit_id": ids, "group": [GROUPS[0]] * n}
    four_places = st.integers(0, 100 * 10**4).map(lambda k: k / 10**4)
    cells = {
        "1.1": st.sampled_from(TIMELINESS),
        "1.2": st.sampled_from((0.0, 1.0)),
        "1.3": four_places,
        "1.4": four_places,
        "2.4": st.integers(0, 2 * 10**4).map(lambda k: k / 10**4),
        **{name: st.integers(0, 99_999).map(float) for name in COUNT_COLUMNS},
    }
    for name in COMPILED.columns:
        column = st.one_of(cells[name], cells[name], cells[name], st.none())
        table[name] = draw(st.lists(column, min_size=n, max_size=n))
    return table


def _csv_number(cell: object, comma: bool) -> object:
    if not isinstance(cell, float):
        return cell
    text = str(int(cell)) if cell.is_integer() else repr(cell)
    return text.replace(".", ",") if comma else text


def to_text_csv(table: Table, where: Path, *, comma: bool) -> Path:
    """Numbers as text, with a decimal comma and ";" as Excel writes them in a Vietnamese locale."""
    path = where / "numbers.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";" if comma else ",")
        writer.writerow(table)
        for row in zip(*table.values(), strict=True):
            writer.writerow(["" if c is None else _csv_number(c, comma) for c in row])
    return path


@given(table=number_tables(), comma=st.booleans())
def test_numbers_read_the_same_as_numbers_or_as_text(
    table: dict[str, list[object]], comma: bool
) -> None:
    """Numbers stored as numbers (XLSX, Parquet, pandas) or as text (CSV) read identically."""
    readings = read_everywhere(table, ("xlsx", "parquet", "pandas", "dict"))
    with tempfile.TemporaryDirectory() as tmp:
        readings["csv"] = ps.read_measurements(
            SCHEME, to_text_csv(table, Path(tmp), comma=comma), defer=True
        )
    assert_same_measurements(readings)
    for name in ("1.3", "2.4", *COUNT_COLUMNS):
        want = np.array([math.nan if c is None else c for c in table[name]], dtype=np.float64)
        np.testing.assert_array_equal(readings["dict"].column(name), want, err_msg=name)


# -- thousands in counts (the known CSV bug) --------------------------------------------------


@pytest.mark.parametrize("column", ["2.1", "2.3:A"])
@pytest.mark.parametrize("text", ["1.234", "1,234"])
@pytest.mark.parametrize("source", list(SOURCES))
def test_thousands_in_a_count_read_as_a_whole_number(source: str, text: str, column: str) -> None:
    """A count written "1.234" or "1,234" reads 1234 from every source, CSV included."""
    table: Table = {"unit_id": ["xa-1", "xa-2"], "group": ["Huyện Đông Giang"] * 2}
    for name in COMPILED.columns:
        table[name] = {"1.1": ["Kịp thời"] * 2, "1.2": ["có", "không"]}.get(name, ["5", "7"])
    table[column] = [text, "12"]  # every other cell of the column reads as a float
    with tempfile.TemporaryDirectory() as tmp:
        data = ps.read_measurements(SCHEME, SOURCES[source](table, Path(tmp)), defer=True)
    assert data.column(column).tolist() == [1234.0, 12.0]

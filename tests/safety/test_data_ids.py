"""Ids are text, exactly as written, from every source; results read back to the same ids.

Also: text cells of CSV and XLSX files are read as written (the apostrophe a writer puts in
front of a formula start is dropped), and the difflib hints of the door are bounded.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

import parscore as ps
from parscore.datasets import example_data, synthetic_scheme
from parscore.errors import LimitError
from parscore.io import _read_csv as read_csv_module
from parscore.io import read_table

SCHEME = synthetic_scheme()
IDS = ["001", "0001", "12345678901234567890", str(2**60), "1", "1.0", "-7", "=1+2"]


def _data(ids: list[object]) -> dict[str, list[object]]:
    data: dict[str, list[object]] = {
        k: list(v) for k, v in example_data(SCHEME, len(ids), seed=4).items()
    }
    data["unit_id"] = ids
    data["group"] = ["01", "1", "01.0", "002", "1", "1", "2", "3"][: len(ids)]
    return data


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet", "json"])
@pytest.mark.parametrize("use_pyarrow", [True, False])
def test_written_results_read_back_to_the_same_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, *, use_pyarrow: bool
) -> None:
    monkeypatch.setattr(read_csv_module, "USE_PYARROW", use_pyarrow)
    if fmt in ("parquet", "xlsx"):
        pytest.importorskip("pyarrow" if fmt == "parquet" else "openpyxl")
    result = ps.score(SCHEME, _data(list(IDS)))
    assert result.unit_ids.tolist() == IDS
    path = tmp_path / f"result.{fmt}"
    ps.write_result(result, path)
    if fmt == "json":
        records = json.loads(path.read_text(encoding="utf-8"))
        units = records["units"]
        assert [str(u["unit_id"]) for u in units] == IDS
        return
    table = read_table(path)
    assert _texts(table.column("unit_id")) == IDS
    assert _texts(table.column("group")) == _data(list(IDS))["group"]


def _texts(column: object) -> list[object]:
    to_pylist = getattr(column, "to_pylist", None)
    return list(to_pylist() if to_pylist is not None else column)  # type: ignore[call-overload]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_measurement_files_keep_ids_and_groups_as_written(tmp_path: Path, fmt: str) -> None:
    pd = pytest.importorskip("pandas")
    ids = [i for i in IDS if fmt != "xlsx" or not i.startswith("=")]  # pandas: a formula
    frame = pd.DataFrame(_data(ids))
    path = tmp_path / f"data.{fmt}"
    if fmt == "csv":
        frame.to_csv(path, index=False)
    elif fmt == "xlsx":
        frame.to_excel(path, index=False)
    else:
        frame.to_json(path, orient="records")
    result = ps.score_file(SCHEME, path)
    assert result.unit_ids.tolist() == ids
    assert result.measurements.groups is not None
    assert result.measurements.groups.tolist() == _data(ids)["group"]


def test_numeric_ids_keep_every_digit_from_pandas_arrow_parquet_and_json(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    big = [2**60, 2**60 + 1, 2**53 + 1, 3]
    expected = [str(i) for i in big]
    frame = pd.DataFrame(_data(big[:4]) | {"group": ["a"] * 4})
    assert frame["unit_id"].dtype == "int64"
    assert ps.score(SCHEME, frame).unit_ids.tolist() == expected
    assert ps.score_file(SCHEME, frame).unit_ids.tolist() == expected
    assert ps.score(SCHEME, pa.Table.from_pandas(frame)).unit_ids.tolist() == expected
    frame.to_parquet(tmp_path / "ids.parquet")
    assert ps.score_file(SCHEME, tmp_path / "ids.parquet").unit_ids.tolist() == expected
    nullable = frame.astype({"unit_id": "Int64"})
    assert ps.score_file(SCHEME, nullable).unit_ids.tolist() == expected
    path = tmp_path / "ids.json"
    records = json.loads(frame.to_json(orient="records"))
    for record, i in zip(records, big, strict=True):
        record["unit_id"] = i
    path.write_text(json.dumps(records))
    assert ps.score_file(SCHEME, path).unit_ids.tolist() == expected


def test_json_ids_1_and_1_0_are_two_ids(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(_data(["x", "y", "z"]))
    records = json.loads(frame.to_json(orient="records"))
    text = json.dumps(records)
    for old, new in (('"x"', "1"), ('"y"', "1.0"), ('"z"', "2e0")):
        text = text.replace(old, new, 1)
    path = tmp_path / "ids.json"
    path.write_text(text)
    assert ps.score_file(SCHEME, path).unit_ids.tolist() == ["1", "1.0", "2e0"]


def test_a_float_column_of_ids_is_read_as_the_floats_hold_them() -> None:
    """Documented: a float column has already lost what a float cannot hold."""
    data = _data([1.0, 2.0, 2.0**60, 3.5, 4.0, 5.0, 6.0, 7.0])
    ids = ps.score(SCHEME, data).unit_ids.tolist()
    assert ids == ["1", "2", str(2**60), "3.5", "4", "5", "6", "7"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("use_pyarrow", [True, False])
def test_text_cells_of_csv_and_xlsx_are_read_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, *, use_pyarrow: bool
) -> None:
    monkeypatch.setattr(read_csv_module, "USE_PYARROW", use_pyarrow)
    pd = pytest.importorskip("pandas")
    data = _data(["'=1+2", "'-x", "''@y", "'plain", "a", "b", "c", "d"])
    data["name"] = ["'+84 90", "'\tTab", "ok", "''=z", "e", "f", "g", "h"]
    path = tmp_path / f"data.{fmt}"
    if fmt == "csv":
        pd.DataFrame(data).to_csv(path, index=False)
    else:
        pd.DataFrame(data).to_excel(path, index=False)
    result = ps.score_file(SCHEME, path)
    assert result.unit_ids.tolist() == ["=1+2", "-x", "'@y", "'plain", "a", "b", "c", "d"]
    assert result.measurements.labels["name"].tolist() == [
        "+84 90",
        "\tTab".strip(),
        "ok",
        "'=z",
        "e",
        "f",
        "g",
        "h",
    ]


def _crafted(n: int) -> dict[str, list[object]]:
    data = _data(["a", "b", "c", "d", "e", "f", "g", "h"])
    label = ["x"] * 8
    # names as long as the inputs' and sharing their characters: difflib's worst case
    return data | {f"1.{k % 9}.{k}.{k % 7}z" + "x" * (k % 5): label for k in range(n)}


def test_many_crafted_column_names_cost_bounded_time() -> None:
    small = _crafted(500)
    start = time.perf_counter()
    with pytest.raises(ps.MeasurementsError):
        ps.score(SCHEME, small)
    per_column_small = (time.perf_counter() - start) / 500
    large = _crafted(15_000)
    start = time.perf_counter()
    with pytest.raises(ps.MeasurementsError):
        ps.score(SCHEME, large)
    per_column_large = (time.perf_counter() - start) / 15_000
    # difflib runs for at most a fixed number of names: the cost per column falls, not grows
    assert per_column_large < 2 * per_column_small
    with pytest.raises(LimitError, match="max_columns"):
        ps.read_measurements(SCHEME, _crafted(30_000))

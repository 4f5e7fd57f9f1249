"""A CSV whose header line is longer than max_cell_chars but whose cells are short is read.

Found by the bombs of ``fuzz_bombs`` (issue 11): ``_sniff_delimiter`` tries ``;`` and tab on
the first lines too; on a comma-separated header of more than 32 KiB (``max_cell_chars``,
about 3,000 columns of 10-character names) that is one field past csv's field limit, and the
csv.Error is reported as ``max_cell_chars`` although no cell is long. A table within
``max_columns`` must be read, a wider one refused by ``max_columns``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import parscore as ps
from parscore.io import _read_csv as read_csv_module
from parscore.io import read_table


def _wide(path: Path, columns: int) -> Path:
    names = ",".join(f"c{k:09d}" for k in range(columns))
    path.write_text("unit_id," + names + "\nA" + ",1" * columns + "\n")
    return path


@pytest.mark.parametrize("use_pyarrow", [True, False])
def test_a_header_of_15000_short_names_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, use_pyarrow: bool
) -> None:
    if use_pyarrow:
        pytest.importorskip("pyarrow")
    monkeypatch.setattr(read_csv_module, "USE_PYARROW", use_pyarrow)
    table = read_table(_wide(tmp_path / "wide.csv", 15_000))
    assert len(table.columns) == 15_001


@pytest.mark.parametrize("use_pyarrow", [True, False])
def test_a_header_past_max_columns_names_max_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, use_pyarrow: bool
) -> None:
    if use_pyarrow:
        pytest.importorskip("pyarrow")
    monkeypatch.setattr(read_csv_module, "USE_PYARROW", use_pyarrow)
    path = _wide(tmp_path / "wider.csv", 1000)
    with pytest.raises(ps.LimitError) as caught:
        read_table(path, limits=ps.Limits(max_columns=500))
    assert caught.value.limit == "max_columns"

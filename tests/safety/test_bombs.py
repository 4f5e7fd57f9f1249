"""A bomb of each kind is refused at the default limits, its peak memory bounded (issue 11).

Measured in a fresh process each (``fuzz_bombs.measure``: the process's peak resident memory
after the imports, then after the read). The cheap bombs run at full size; the XLSX zip and
shared-strings bombs and the 256 MiB CSV header take 15-25 s each to build and run when
``PARSCORE_FUZZ_BOMBS`` is set (``scripts/fuzz.py --bombs`` prints the whole table of
``docs/security.md``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fuzz_bombs import BOMBS, Bomb

CI_TENTH = {"CSV of many rows", "1M column names (CSV)", "1M column names (mapping)"}
SLOW = {"XLSX zip bomb", "XLSX shared strings", "huge CSV header"}
# what each bomb is refused by: the limit named in the message
LIMIT = {
    "YAML billion laughs": "max_scheme_values",
    "deep JSON scheme": "max_depth",
    "XLSX zip bomb": "max_unzipped_bytes",
    "XLSX shared strings": "max_shared_strings",
    "huge CSV header": "max_cell_chars",
    "CSV of many rows": "max_rows",
    "1M column names (CSV)": "max_columns",
    "1M column names (mapping)": "max_columns",
}


def _params() -> list[object]:
    slow = not os.environ.get("PARSCORE_FUZZ_BOMBS")
    skip = pytest.mark.skip(reason="a slow bomb: set PARSCORE_FUZZ_BOMBS=1")
    out = []
    for bomb in BOMBS:
        marks = [skip] if slow and bomb.name in SLOW else []
        out.append(pytest.param(bomb, id=bomb.name, marks=marks))
    return out


@pytest.mark.parametrize("bomb", _params())
def test_a_bomb_is_refused_by_its_limit_within_bounded_memory(tmp_path: Path, bomb: Bomb) -> None:
    pytest.importorskip("pyarrow")
    pytest.importorskip("openpyxl")
    from fuzz_bombs import measure

    # at a tenth of the size (still far past the limit) to fit CI; full size in scripts/fuzz.py
    found = measure(bomb, tmp_path, 0.1 if bomb.name in CI_TENTH else 1.0)
    assert found["error"] == "LimitError", found
    assert LIMIT[bomb.name] in str(found["message"]), found
    file_mib = int(found["bytes"]) / 2**20  # type: ignore[call-overload]
    # a CSV file is read into memory before its rows and cells are counted: 2 to 7 times
    # the file (bounded by max_file_bytes); every other bomb is refused before the cost
    bound = 4 * file_mib + 64 if "CSV" in bomb.name else 64
    assert float(found["mib"]) < bound, found  # type: ignore[arg-type]

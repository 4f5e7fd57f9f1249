"""Mutated scheme tables (CSV, XLSX) end in a ParscoreError, never another error (issue 11).

Every built-in scheme written by ``write_scheme_table`` (English and Vietnamese headers), then
mutated with a seeded generator: for CSV the bytes, the text (the hostile alphabet of
``test_scheme_fuzz``, lone surrogates encoded as invalid UTF-8) and single cells; for XLSX the
bytes of the archive, the bytes of one part inside the zip (zipped again, CRCs right), hostile
text put into the XML, and cells set to hostile values through openpyxl. Each case is read with
``ps.read_scheme_table`` or ``ps.load_scheme``. 300 CSV and 200 XLSX cases;
``PARSCORE_FUZZ_CASES`` runs that many of each (``scripts/fuzz.py`` for a release run).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fuzz_families import run_family

CASES = os.environ.get("PARSCORE_FUZZ_CASES")


def _check(family: str, cases: int, tmp_path: Path) -> None:
    out = run_family(family, cases, 20261201, tmp_path)
    assert out.tried == cases
    assert not out.escapes, f"{len(out.escapes)} escapes:\n" + "\n".join(out.escapes[:10])
    assert out.refused > cases // 4  # the mutations do reach the checks


def test_mutated_scheme_tables_csv(tmp_path: Path) -> None:
    _check("scheme-table-csv", int(CASES or 300), tmp_path)


def test_mutated_scheme_tables_xlsx(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    _check("scheme-table-xlsx", int(CASES or 200), tmp_path)

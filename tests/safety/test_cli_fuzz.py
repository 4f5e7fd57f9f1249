"""The command line under seeded random arguments and mutated input files (issue 11).

``check``, ``score``, ``explain``, ``template`` and ``report`` with drawn positional arguments
(built-in ids, good, mutated and wrong-kind files, folders, missing paths, hostile text and the
undecodable bytes a real argv can hold), any of their options with good or bad values (``-o`` an
input, an existing file, a missing folder; ``--limit`` small or malformed) and now and then an
unknown option: every run exits 0, 1 or 2, no exception other than ``SystemExit`` leaves
``CliRunner.invoke``, no traceback is printed and no input file changes (see ``fuzz_cli``).
300 cases; ``PARSCORE_FUZZ_CASES`` runs that many.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fuzz_families import run_family

CASES = int(os.environ.get("PARSCORE_FUZZ_CASES", "300"))


def _check(tmp_path: Path, *, xlsx_schemes: bool) -> None:
    pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    pytest.importorskip("openpyxl")
    out = run_family("cli", CASES, 20261201, tmp_path, xlsx_schemes=xlsx_schemes)
    assert out.tried == CASES
    assert not out.escapes, f"{len(out.escapes)} escapes:\n" + "\n".join(out.escapes[:10])
    assert CASES // 2 < out.refused < CASES  # most vectors are refused, some run


def test_random_command_lines(tmp_path: Path) -> None:
    """Every draw, except that a SCHEME drawn as a mutated XLSX table is the good table."""
    _check(tmp_path, xlsx_schemes=False)


def test_random_command_lines_with_mutated_xlsx_schemes(tmp_path: Path) -> None:
    _check(tmp_path, xlsx_schemes=True)

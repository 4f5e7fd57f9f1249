"""Shared by the command-line tests of issue 12 (tests/cli): running the command, the data."""

from __future__ import annotations

import csv
from pathlib import Path

from click.testing import CliRunner, Result

from parscore.cli import main

EXAMPLE = Path(__file__).parent.parent.parent / "examples" / "communes-2026.csv"
SCHEME = "example-commune-2026"
# code-point order puts Tây before Đông (U+0110 comes after every ASCII letter)
DISTRICTS = ("Huyện Tây Sơn", "Huyện Đông Giang", "Huyện An Lão")


def run_cli(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    """Invoke ``parscore`` through click's runner (stdout and stderr kept apart)."""
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def write_districts(tmp_path: Path) -> Path:
    """examples/communes-2026.csv with its 12 units spread over three districts (4 each)."""
    with EXAMPLE.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    for i, row in enumerate(rows[1:]):
        row[1] = DISTRICTS[i % 3]
    path = tmp_path / "districts.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def words(text: str) -> str:
    """The output with runs of spaces and table rules squeezed, for phrase checks."""
    return " ".join(text.replace("│", " ").replace("┃", " ").split())

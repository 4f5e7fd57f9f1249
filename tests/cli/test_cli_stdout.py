"""``score -o -``: the results on standard output, CSV or JSON, nothing else there."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

from cli_issue12 import SCHEME
from click.testing import Result


def test_dash_writes_csv_to_stdout_and_the_tables_to_stderr(
    run: Callable[..., Result], districts_csv: Path, tmp_path: Path
) -> None:
    result = run("score", SCHEME, districts_csv, "-o", "-")
    assert result.exit_code == 0, result.output
    file = tmp_path / "results.csv"
    assert run("score", SCHEME, districts_csv, "-o", file).exit_code == 0
    # the bytes of the file, without the byte-order mark it has for Excel
    assert result.stdout_bytes == file.read_bytes().removeprefix(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 12
    assert {r["group"] for r in rows} == {"Huyện Tây Sơn", "Huyện Đông Giang", "Huyện An Lão"}
    assert "Ranking" in result.stderr
    assert "Tiers" in result.stderr
    assert "Ranking" not in result.stdout


def test_dash_with_format_json_writes_json(
    run: Callable[..., Result], districts_csv: Path, tmp_path: Path
) -> None:
    result = run("score", SCHEME, districts_csv, "-o", "-", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    file = tmp_path / "results.json"
    assert run("score", SCHEME, districts_csv, "-o", file).exit_code == 0
    assert doc == json.loads(file.read_text(encoding="utf-8"))
    assert len(doc["units"]) == 12


def test_format_must_agree_with_a_file(
    run: Callable[..., Result], districts_csv: Path, tmp_path: Path
) -> None:
    assert (
        run("score", SCHEME, districts_csv, "-o", tmp_path / "r.csv", "--format", "json").exit_code
        == 2
    )
    assert run("score", SCHEME, districts_csv, "--format", "json").exit_code == 2
    ok = run("score", SCHEME, districts_csv, "-o", tmp_path / "r.json", "--format", "json")
    assert ok.exit_code == 0, ok.output
    refused = run("score", SCHEME, districts_csv, "-o", tmp_path / "r.txt")
    assert refused.exit_code == 2
    assert "or be - (standard output)" in refused.stderr

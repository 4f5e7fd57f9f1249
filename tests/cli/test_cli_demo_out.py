"""``demo --out DIR`` writes the data it scored and the scheme too: scoring them agrees."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

import parscore as ps


@pytest.mark.parametrize(
    "args", [("--units", "40"), ("--scheme", "example-province-2026")], ids=["synthetic", "own"]
)
def test_demo_out_writes_data_and_scheme(
    run: Callable[..., Result], tmp_path: Path, args: tuple[str, ...]
) -> None:
    out = tmp_path / "demo"
    result = run("demo", *args, "--out", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "data.csv",
        "results.csv",
        "results.json",
        "scheme.yaml",
    ]
    scheme = ps.load_scheme(out / "scheme.yaml")
    assert scheme.id in result.stdout
    again = tmp_path / "again.csv"
    rerun = run("score", out / "scheme.yaml", out / "data.csv", "-o", again)
    assert rerun.exit_code == 0, rerun.output
    assert again.read_bytes() == (out / "results.csv").read_bytes()
    assert f"parscore score {out / 'scheme.yaml'} {out / 'data.csv'}" in result.stdout
    # the files are refused the second time without --force, replaced with it
    assert run("demo", *args, "--out", out).exit_code == 1
    assert run("demo", *args, "--out", out, "--force").exit_code == 0

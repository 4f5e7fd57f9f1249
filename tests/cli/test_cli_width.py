"""Full width when the output is not a terminal (no wrapping at 80 columns); ``--width N``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cli_issue12 import EXAMPLE, SCHEME
from click.testing import Result

import parscore as ps

LONG_NAME = "Tác động của CCHC đến phát triển kinh tế – xã hội (chỉ số khảo sát, %)"


def test_piped_output_is_not_wrapped_at_80_columns(run: Callable[..., Result]) -> None:
    """Through a pipe (click's runner is not a terminal) each row is one line, names whole."""
    assert any(n.name == LONG_NAME for n in ps.builtin_scheme(SCHEME).leaves())
    result = run("explain", SCHEME, EXAMPLE, "phuong-1", env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) > 80
    assert any(LONG_NAME in line and "[8.3.2=62.5]" in line for line in lines)


def test_width_option_sets_the_width(run: Callable[..., Result], districts_csv: Path) -> None:
    for args in (
        ("--width", "60", "explain", SCHEME, EXAMPLE, "phuong-1"),
        ("explain", SCHEME, EXAMPLE, "phuong-1", "--width", "60"),
        ("score", SCHEME, districts_csv, "--width", "60"),
        ("check", SCHEME, "--width", "60"),
    ):
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert max(len(line) for line in result.stdout.splitlines()) <= 60, args
    wide = run("explain", SCHEME, EXAMPLE, "phuong-1", "--width", "300")
    assert 80 < max(len(line) for line in wide.stdout.splitlines()) <= 300
    assert run("score", SCHEME, districts_csv, "--width", "5").exit_code == 2

"""No negative zero in what the commands print ("penalty -0.00" was printed for no penalty)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from typed_scheme import SCHEME_YAML, UNITS, typed_data, write_csv

NEGATIVE_ZERO = re.compile(r"[-−]0(?:\.0+)?(?![.\d])")


def test_formatters_never_give_a_negative_zero() -> None:
    from parscore.cli._common import general, number

    assert number(-0.0, 2) == "0.00"
    assert number(-0.004, 2) == "0.00"
    assert number(-0.005, 2) == "-0.01"  # "-0.01": a real negative number keeps its sign
    assert number(-1.5, 1) == "-1.5"
    assert number(0.0, 0) == "0"
    assert general(-0.0) == "0"
    assert general(-2.5) == "-2.5"


def test_explain_and_score_print_no_negative_zero(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    scheme = tmp_path / "typed.yaml"
    scheme.write_text(SCHEME_YAML, encoding="utf-8")
    data = tmp_path / "typed.csv"
    write_csv(data, typed_data())
    outputs = [run("score", scheme, data), run("check", scheme)]
    outputs += [run("explain", scheme, data, unit) for unit in UNITS]
    for result in outputs:
        assert result.exit_code == 0, result.output
        assert not NEGATIVE_ZERO.search(result.output), result.output
    h1 = run("explain", scheme, data, "H1").stdout  # no penalty: 0.00, not -0.00
    assert re.search(r"│ penalty\s+│\s+0\.00 │", h1)


def test_a_bound_written_minus_zero_is_shown_as_zero(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    """A tier written ``min: -0.0`` (a valid bound: -0.0 >= 0) is shown ``≥ 0``."""
    import parscore as ps

    text = ps.dump_scheme(ps.builtin_scheme("example-commune-2026"))
    assert text.count("    - name: Yếu\n      min: 0\n") == 1
    scheme = tmp_path / "minus-zero.yaml"
    scheme.write_text(
        text.replace("    - name: Yếu\n      min: 0\n", "    - name: Yếu\n      min: -0.0\n"),
        encoding="utf-8",
    )
    example = Path(__file__).parent.parent.parent / "examples" / "communes-2026.csv"
    for result in (run("check", scheme), run("score", scheme, example)):
        assert result.exit_code == 0, result.output
        assert "Yếu ≥ 0" in " ".join(result.stdout.replace("│", " ").split())
        assert not NEGATIVE_ZERO.search(result.output), result.output

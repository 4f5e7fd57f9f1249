"""``--limit NAME=VALUE`` on the command line (issue 11): parsed, checked, passed to readers."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

import parscore as ps
from parscore.cli import main
from parscore.cli._limits import cli_limits, limit_option, parse_limit

EXAMPLE = Path(__file__).parent.parent.parent / "examples" / "communes-2026.csv"
SCHEME = "example-commune-2026"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("max_rows=10", ("max_rows", 10)),
        ("rows=10_000_000", ("max_rows", 10_000_000)),
        ("MAX-NODES = 7", ("max_nodes", 7)),
        ("unzipped_bytes=4294967296", ("max_unzipped_bytes", 4_294_967_296)),
    ],
)
def test_parse_limit(text: str, expected: tuple[str, int]) -> None:
    """NAME=VALUE, the ``max_`` prefix optional, underscores in numbers fine."""
    assert parse_limit(text) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("max_rows", "NAME=VALUE"),
        ("=5", "NAME=VALUE"),
        ("max_rowz=5", "did you mean max_rows"),
        ("rowz=5", "did you mean max_rows"),
        ("colour=5", "unknown limit 'colour'"),
        ("max_rows=0", "positive whole number"),
        ("max_rows=-3", "positive whole number"),
        ("max_rows=1e6", "positive whole number"),
        ("max_rows=ten", "positive whole number"),
        ("max_rows=١٢", "positive whole number"),  # Arabic-Indic digits are not ASCII
    ],
)
def test_a_bad_limit_is_a_usage_error(text: str, why: str) -> None:
    """Exit 2 naming the problem and listing every known limit with its default."""
    for args in (["--limit", text, "check", SCHEME], ["check", "--limit", text, SCHEME]):
        result = run(*args)
        assert result.exit_code == 2, result.output
        assert why in result.output
        assert "max_rows (default 5_000_000)" in result.output
        assert "max_shared_strings" in result.output


@pytest.mark.parametrize("command", ["check", "score", "explain", "report", "template"])
def test_every_reading_command_takes_limit(command: str) -> None:
    """--limit is in the help of every command reading files, and of the group."""
    assert "--limit NAME=VALUE" in run(command, "--help").output
    assert "--limit NAME=VALUE" in run("--help").output


def test_group_and_command_settings_merge() -> None:
    """Settings before and after the command's name add up; the command's win."""
    seen: list[ps.Limits | None] = []

    @click.group()
    @limit_option
    def group() -> None:
        pass

    @group.command()
    @limit_option
    def probe() -> None:
        seen.append(cli_limits())

    args = ["--limit", "rows=5", "--limit", "nodes=9", "probe", "--limit", "rows=6"]
    assert CliRunner().invoke(group, args).exit_code == 0
    assert CliRunner().invoke(group, ["probe"]).exit_code == 0
    assert seen[0] == ps.Limits(max_rows=6, max_nodes=9)
    assert seen[1] is None  # no --limit: the readers use the process default


def test_limits_reach_the_data_reader() -> None:
    """`--limit max_rows=3` refuses the 12-unit example (exit 1, one message); 12 is fine."""
    for args in (
        ["--limit", "max_rows=3", "score", SCHEME, EXAMPLE],
        ["score", SCHEME, EXAMPLE, "--limit", "rows=3"],
        ["explain", "--limit", "rows=3", SCHEME, EXAMPLE, "phuong-1"],
    ):
        result = run(*args)
        assert result.exit_code == 1, result.output
        assert "max_rows" in result.output
        assert "Traceback" not in result.output
    assert run("score", SCHEME, EXAMPLE, "--limit", "rows=12").exit_code == 0


def test_limits_reach_the_scheme_reader(tmp_path: Path) -> None:
    """`--limit max_nodes=10` refuses a scheme file of 65 nodes; a built-in id is trusted."""
    path = tmp_path / "scheme.yaml"
    ps.dump_scheme(ps.builtin_scheme(SCHEME), path)
    result = run("check", "--limit", "max_nodes=10", path)
    assert result.exit_code == 1, result.output
    assert "max_nodes" in result.output
    assert run("check", "--limit", "max_nodes=100", path).exit_code == 0
    assert run("check", "--limit", "max_nodes=10", SCHEME).exit_code == 0

"""``score --top N``: the top N of each group; ``--top 0`` prints no rows (issue 12)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from cli_issue12 import DISTRICTS, EXAMPLE, SCHEME
from click.testing import Result

import parscore as ps

ROW = re.compile(r"^│\s+(\d+) │ (\S+)\s+│.*│ (Huyện [^│]*?)\s+│$", re.MULTILINE)


def test_top_is_per_group(run: Callable[..., Result], districts_csv: Path) -> None:
    """Every district shows its own top 2 (ranks 1 and 2), and how many more it has."""
    result = run("score", SCHEME, districts_csv, "--top", "2")
    assert result.exit_code == 0, result.output
    rows = ROW.findall(result.stdout)
    expected = ps.score_file(ps.builtin_scheme(SCHEME), districts_csv)
    for district in DISTRICTS:
        mine = [(int(rank), unit) for rank, unit, group in rows if group == district]
        assert [rank for rank, _ in mine] == [1, 2], district
        for rank, unit in mine:
            u = list(expected.unit_ids).index(unit)
            assert expected.rank[u] == rank
            assert expected.groups is not None
            assert expected.groups[u] == district
        assert f"2 more in {district}" in result.stdout


def test_top_zero_prints_no_rows(run: Callable[..., Result], districts_csv: Path) -> None:
    for data in (districts_csv, EXAMPLE):
        result = run("score", SCHEME, data, "--top", "0")
        assert result.exit_code == 0, result.output
        assert "Ranking" not in result.stdout
        assert not re.search(r"^│\s+\d+ │", result.stdout.split("Tiers")[0], re.MULTILINE)
        assert "Tiers (xếp loại)" in result.stdout  # the tier counts are still printed


def test_without_groups_top_and_bottom_are_kept(run: Callable[..., Result], tmp_path: Path) -> None:
    """Without groups the ranking is unchanged: the top N, a line of the rest, the bottom 5."""
    data = tmp_path / "nogroup.csv"
    lines = EXAMPLE.read_text(encoding="utf-8-sig").splitlines()
    data.write_text(
        "\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != 1) for line in lines),
        encoding="utf-8",
    )
    result = run("score", SCHEME, data, "--top", "3")
    assert result.exit_code == 0, result.output
    ranks = [int(r) for r in re.findall(r"^│\s+(\d+) │", result.stdout, re.MULTILINE)]
    assert ranks == [1, 2, 3, 8, 9, 10, 11, 12]
    assert "4 more" in result.stdout

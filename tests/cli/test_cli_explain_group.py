"""``explain`` says among whom the rank is: the group, its size and the type (issue 12)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cli_issue12 import EXAMPLE, SCHEME, words
from click.testing import Result

import parscore as ps
from typed_scheme import SCHEME_YAML, typed_data, write_csv


def test_explain_names_the_group_with_the_rank(
    run: Callable[..., Result], districts_csv: Path
) -> None:
    expected = ps.score_file(ps.builtin_scheme(SCHEME), districts_csv)
    u = list(expected.unit_ids).index("phuong-1")
    assert expected.groups is not None
    district = str(expected.groups[u])
    size = int((expected.groups == district).sum())
    result = run("explain", SCHEME, districts_csv, "phuong-1")
    assert result.exit_code == 0, result.output
    assert words(result.stdout).endswith(f"rank {expected.rank[u]} of {size} in {district}")


def test_explain_without_groups_says_of_how_many(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    data = tmp_path / "nogroup.csv"
    lines = EXAMPLE.read_text(encoding="utf-8-sig").splitlines()
    data.write_text(
        "\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != 1) for line in lines),
        encoding="utf-8",
    )
    result = run("explain", SCHEME, data, "xa-an-binh")
    assert result.exit_code == 0, result.output
    assert words(result.stdout).endswith("tier Tốt, rank 1 of 12")


def test_explain_names_the_type_and_the_group(run: Callable[..., Result], tmp_path: Path) -> None:
    """With unit types and groups: the type and the group both (ranks restart in each)."""
    scheme = tmp_path / "typed.yaml"
    scheme.write_text(SCHEME_YAML, encoding="utf-8")
    data = typed_data()
    data["group"] = ["Tỉnh", "Tỉnh", "Miền núi", "Miền núi", "Miền núi", "Đồng bằng", "Đồng bằng"]
    path = tmp_path / "typed.csv"
    write_csv(path, data)
    expected = ps.score_file(ps.load_scheme(scheme), path)
    for unit in ("H2", "H5"):
        u = list(expected.unit_ids).index(unit)
        assert expected.groups is not None
        assert expected.unit_types is not None
        same = (expected.groups == expected.groups[u]) & (
            expected.unit_types == expected.unit_types[u]
        )
        result = run("explain", scheme, path, unit)
        assert result.exit_code == 0, result.output
        tail = f"rank {expected.rank[u]} of {int(same.sum())} huyen in {expected.groups[u]}"
        assert words(result.stdout).endswith(tail)

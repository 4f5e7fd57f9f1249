"""yes_no with ``need: all | any | N``: "có một trong các hình thức", "ít nhất 2 trong 3"."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

import parscore as ps
from parscore.cli import main
from parscore.rules import YesNo

SCHEME = """\
parscore: 1
id: yes-no-need
name: Thử yêu cầu
level: commune
tiers: {scale: [{name: Tốt, min: 50}, {name: Yếu, min: 0}]}
nodes:
  - id: "8"
    name: Công khai
    children:
      - id: "8.1"
        name: Có một trong các hình thức công khai
        max: 1
        rule: {kind: yes_no, inputs: [cong_thong_tin, bang_tin, loa], need: any}
      - id: "8.2"
        name: Đạt ít nhất 2 trong 3 yêu cầu
        max: 2
        rule: {kind: yes_no, inputs: [a, b, c], need: NEED}
      - id: "8.3"
        name: Đạt đủ các yêu cầu
        max: 1
        rule: {kind: yes_no, inputs: [x, y]}
"""

# unit -> (8.1 checks, 8.2 checks, 8.3 checks), and its points on 8.1, 8.2, 8.3
UNITS = {
    "u1": ((0, 1, 0), (1, 1, 0), (1, 1), (1.0, 2.0, 1.0)),
    "u2": ((0, 0, 0), (1, 0, 0), (1, 0), (0.0, 0.0, 0.0)),
    "u3": ((1, 1, 1), (1, 1, 1), (0, 1), (1.0, 2.0, 0.0)),
}


def _scheme(tmp_path: Path, need: str = "2") -> Path:
    path = tmp_path / "scheme.yaml"
    path.write_text(SCHEME.replace("NEED", need), encoding="utf-8")
    return path


def _columns() -> dict[str, list[object]]:
    cols: dict[str, list[object]] = {"unit_id": list(UNITS)}
    names = {"8.1": ("cong_thong_tin", "bang_tin", "loa"), "8.2": ("a", "b", "c")}
    names["8.3"] = ("x", "y")
    for k, node in enumerate(("8.1", "8.2", "8.3")):
        for j, name in enumerate(names[node]):
            cols[f"{node}:{name}"] = [UNITS[u][k][j] for u in UNITS]
    return cols


def test_need_scores_through_the_api(tmp_path: Path) -> None:
    """any, 2 of 3 and the default all give the maximum exactly when enough checks pass."""
    result = ps.score(ps.load_scheme(_scheme(tmp_path)), _columns())
    table = result.to_pandas().set_index("unit_id")
    for unit, (*_, expected) in UNITS.items():
        got = tuple(float(table.loc[unit, node]) for node in ("8.1", "8.2", "8.3"))
        assert got == expected


def test_need_scores_through_the_cli(tmp_path: Path) -> None:
    """``parscore score`` on a CSV gives the same points as the API."""
    cols = _columns()
    data = tmp_path / "data.csv"
    with data.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(cols)
        writer.writerows(zip(*cols.values(), strict=True))
    out = tmp_path / "out.csv"
    run = CliRunner().invoke(main, ["score", str(_scheme(tmp_path)), str(data), "-o", str(out)])
    assert run.exit_code == 0, run.output
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["unit_id"]: row for row in csv.DictReader(handle)}
    for unit, (*_, expected) in UNITS.items():
        assert tuple(float(rows[unit][node]) for node in ("8.1", "8.2", "8.3")) == expected


@pytest.mark.parametrize(
    ("need", "fragment"),
    [
        ("0", "need must be all, any or a whole number of checks (at least 1), found 0"),
        ("4", "need 4 exceeds the number of inputs (3)"),
        ("some", "expected all, any or a whole number; found 'some'"),
        ("1.5", "expected all, any or a whole number; found 1.5"),
        ("true", "expected all, any or a whole number; found True"),
    ],
)
def test_bad_need_is_a_scheme_error(tmp_path: Path, need: str, fragment: str) -> None:
    """A bad ``need`` is a SchemeError naming the node, the key and what was found."""
    with pytest.raises(ps.SchemeError) as info:
        ps.load_scheme(_scheme(tmp_path, need))
    text = str(info.value)
    assert 'node "8.2"' in text
    assert fragment in text
    assert "$.nodes[0].children[1].rule.need" in text


def test_need_all_is_left_out_when_dumped(tmp_path: Path) -> None:
    """``need: all`` is the default and is not written, so existing files dump unchanged."""
    scheme = ps.load_scheme(_scheme(tmp_path))
    rules = {n["id"]: n["rule"] for n in ps.scheme_to_dict(scheme)["nodes"][0]["children"]}
    assert rules["8.1"]["need"] == "any"
    assert rules["8.2"]["need"] == 2
    assert "need" not in rules["8.3"]


@pytest.mark.parametrize(
    ("need", "vi", "en"),
    [
        ("any", "có một trong các yêu cầu a, b, c", "any one of a, b, c is met"),
        (2, "đạt ít nhất 2 trong 3 yêu cầu a, b, c", "at least 2 of the 3 requirements"),
        ("all", "đạt đủ các yêu cầu a, b, c", "all of a, b, c are met"),
        (3, "đạt đủ các yêu cầu a, b, c", "all of a, b, c are met"),
    ],
)
def test_describe_says_how_many_checks(need: str | int, vi: str, en: str) -> None:
    """describe() states the need in Vietnamese and English."""
    rule = YesNo(inputs=("a", "b", "c"), need=need)  # type: ignore[arg-type]
    assert vi in rule.describe("vi")
    assert en in rule.describe("en")

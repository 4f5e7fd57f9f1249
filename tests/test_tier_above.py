"""Tier bounds ``above`` (strict, "trên 80%") beside ``min`` (inclusive, "từ 65%")."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import parscore as ps
from parscore.cli import main
from parscore.model import Tier, TierScale
from parscore.ranking import classify

SCHEME = """\
parscore: 1
id: tier-above
name: Thử xếp loại
level: department
rounding: {decimals: DECIMALS}
tiers: {scale: SCALE}
nodes:
  - {id: "1", name: Điểm thẩm định, max: 60, rule: {kind: points}}
  - {id: "2", name: Điểm khác, max: 40, rule: {kind: points}}
"""
SCALE = "[{name: Tốt, above: 80}, {name: Khá, min: 65}, {name: Yếu, min: 0}]"


def _scheme(tmp_path: Path, scale: str = SCALE, decimals: int = 2) -> Path:
    path = tmp_path / "scheme.yaml"
    text = SCHEME.replace("SCALE", scale).replace("DECIMALS", str(decimals))
    path.write_text(text, encoding="utf-8")
    return path


def _score(tmp_path: Path, second: list[float], decimals: int = 2) -> ps.Result:
    scheme = ps.load_scheme(_scheme(tmp_path, decimals=decimals))
    ids = [f"u{i}" for i in range(len(second))]
    return ps.score(scheme, {"unit_id": ids, "1": [60] * len(second), "2": second})


def test_a_value_equal_to_above_falls_to_the_next_tier(tmp_path: Path) -> None:
    """With ``above: 80``, an index of 80.00 is Khá and 80.01 is Tốt."""
    result = _score(tmp_path, [20, 20.01, 5, 4.99])
    assert result.index.tolist() == [80.0, 80.01, 65.0, 64.99]
    assert [str(t) for t in result.tier] == ["Khá", "Tốt", "Khá", "Yếu"]


def test_above_with_three_decimals(tmp_path: Path) -> None:
    """With 3 decimals, 80.001 is above 80 (Tốt) and 80.000 is not."""
    result = _score(tmp_path, [20.001, 20], decimals=3)
    assert [str(t) for t in result.tier] == ["Tốt", "Khá"]


def test_above_is_judged_on_the_rounded_value(tmp_path: Path) -> None:
    """An index of 80.004 rounds to 80.00 with 2 decimals, which is not above 80."""
    result = _score(tmp_path, [20.004, 20.005])
    assert result.index.tolist() == [80.0, 80.01]
    assert [str(t) for t in result.tier] == ["Khá", "Tốt"]


def test_classify_is_vectorised_and_agrees_with_the_scalar_helper() -> None:
    """``classify`` over an array gives the same tiers as ``TierScale.classify`` per value."""
    scale = TierScale(
        scale=(Tier(name="Tốt", above=80), Tier(name="Khá", min=80), Tier(name="Yếu", min=0))
    )
    values = np.array([100.0, 80.01, 80.0, 79.99, 0.0])
    assert classify(values, scale).tolist() == [scale.classify(v) for v in values]
    assert classify(values, scale).tolist() == ["Tốt", "Tốt", "Khá", "Yếu", "Yếu"]


def test_min_only_tiers_still_build_and_dump_as_before(tmp_path: Path) -> None:
    """``Tier(name=..., min=...)`` still works and dumps ``min`` only; ``above`` dumps alone."""
    assert Tier(name="Tốt", min=80).min == 80
    scheme = ps.load_scheme(_scheme(tmp_path))
    assert ps.scheme_to_dict(scheme)["tiers"]["scale"] == [
        {"name": "Tốt", "above": 80},
        {"name": "Khá", "min": 65},
        {"name": "Yếu", "min": 0},
    ]


@pytest.mark.parametrize(
    ("scale", "fragments"),
    [
        (
            "[{name: Tốt, above: 80, min: 80}, {name: Yếu, min: 0}]",
            ["tier 'Tốt' needs exactly one bound", "found both", "$.tiers.scale[0]"],
        ),
        (
            "[{name: Tốt}, {name: Yếu, min: 0}]",
            ["tier 'Tốt' needs exactly one bound", "found neither", "$.tiers.scale[0]"],
        ),
        (
            "[{name: Tốt, min: 60}, {name: Khá, above: 70}, {name: Yếu, min: 0}]",
            [
                "decreasing bounds: 'Khá' (above 70) follows 'Tốt' (min 60)",
                "$.tiers.scale[1].above",
            ],
        ),
        (
            "[{name: Tốt, min: 80}, {name: Khá, above: 80}, {name: Yếu, min: 0}]",
            [
                "decreasing bounds: 'Khá' (above 80) follows 'Tốt' (min 80)",
                "$.tiers.scale[1].above",
            ],
        ),
        (
            "[{name: Tốt, above: 80}, {name: Yếu, above: 0}]",
            ["the last tier must start at 0", "'Yếu' at above 0", "$.tiers.scale[1].above"],
        ),
        (
            "[{name: Tốt, above: 101}, {name: Yếu, min: 0}]",
            ["an index tier's above cannot exceed 100 ('Tốt')", "$.tiers.scale[0].above"],
        ),
    ],
)
def test_bad_scales_name_the_tier(tmp_path: Path, scale: str, fragments: list[str]) -> None:
    """A bad scale is a SchemeError naming the tier and the path of its bound."""
    with pytest.raises(ps.SchemeError) as info:
        ps.load_scheme(_scheme(tmp_path, scale))
    for fragment in fragments:
        assert fragment in str(info.value)


def test_cli_prints_strict_and_inclusive_bounds(tmp_path: Path) -> None:
    """``parscore score`` and ``parscore check`` show "> 80" and "≥ 65"."""
    data = tmp_path / "data.csv"
    data.write_text("unit_id,1,2\na,60,20\nb,60,20.01\n", encoding="utf-8")
    runner = CliRunner()
    scored = runner.invoke(main, ["score", str(_scheme(tmp_path)), str(data)])
    assert scored.exit_code == 0, scored.output
    assert "> 80" in scored.output
    assert "≥ 65" in scored.output
    checked = runner.invoke(main, ["check", str(_scheme(tmp_path))])
    assert "Tốt > 80, Khá ≥ 65, Yếu ≥ 0" in checked.output


def test_gaps_target_an_above_tier_past_its_bound(tmp_path: Path) -> None:
    """To reach a tier ``above: 80`` from 80.00, a unit needs 0.01 (0.001 with 3 decimals)."""
    two = ps.gaps(_score(tmp_path, [20, 0, 10]))
    assert two.target_tier.tolist() == ["Tốt", "Khá", "Tốt"]
    assert two.points_needed.tolist() == [0.01, 5.0, 10.01]
    three = ps.gaps(_score(tmp_path, [20], decimals=3))
    assert three.points_needed.tolist() == [0.001]


def test_scheme_table_writes_and_reads_above(tmp_path: Path) -> None:
    """The scheme spreadsheet writes ``Tốt: > 80`` and reads it back as ``above``."""
    scheme = ps.load_scheme(_scheme(tmp_path))
    path = ps.io.write_scheme_table(scheme, tmp_path / "scheme.csv")
    assert "Tốt: > 80; Khá: 65; Yếu: 0" in path.read_text(encoding="utf-8-sig")
    assert ps.fingerprint(ps.io.read_scheme_table(path)) == ps.fingerprint(scheme)


def test_html_report_legend_says_tren(tmp_path: Path) -> None:
    """The report's tier legend writes a strict bound as "trên 80" and the tier below up to 80."""
    data = tmp_path / "data.csv"
    data.write_text("unit_id,1,2\na,60,20\nb,60,20.01\n", encoding="utf-8")
    out = tmp_path / "report.html"
    run = CliRunner().invoke(main, ["report", str(_scheme(tmp_path)), str(data), "-o", str(out)])
    assert run.exit_code == 0, run.output
    html = out.read_text(encoding="utf-8")
    assert "trên 80" in html
    assert "từ 65 đến 80" in html
    assert "từ 0 đến dưới 65" in html

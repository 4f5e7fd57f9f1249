"""The command line on a scheme with unit types, caps, quotas and items: score, explain, check.

The scheme and the data are those of tests/typed_scheme.py (its docstring has every unit's
tier worked out by hand).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from parscore.cli import main
from typed_scheme import SCHEME_YAML, typed_data, write_csv

V1_SCHEME = "example-commune-2026"
V1_DATA = Path(__file__).parent.parent / "examples" / "communes-2026.csv"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], env={"COLUMNS": "200"})


def words(text: str) -> str:
    """The output with runs of spaces and table rules squeezed, for phrase checks."""
    return " ".join(text.replace("│", " ").replace("┃", " ").split())


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    scheme = tmp_path / "typed.yaml"
    scheme.write_text(SCHEME_YAML, encoding="utf-8")
    data = tmp_path / "typed.csv"
    write_csv(data, typed_data())
    return scheme, data


def test_score_ranks_and_counts_tiers_type_by_type(files: tuple[Path, Path]) -> None:
    """One ranking and one tier table per type, saying which cap or quota moved a tier."""
    scheme, data = files
    result = run("score", scheme, data)
    assert result.exit_code == 0, result.output
    out = words(result.output)
    assert "Ranking: Thử các bổ sung — so" in out
    assert "Ranking: Thử các bổ sung — huyen (UBND cấp huyện)" in out
    assert "tier moved by" in out
    assert "H2 6.00 7.00 85.71 Khá cap ky_luat (from Tốt)" in out
    assert "H1 7.00 7.00 100.00 Tốt quota (from Xuất sắc)" in out
    assert "Tiers (xếp loại): so, 2 units" in out
    assert "Tiers (xếp loại): huyen (UBND cấp huyện), 5 units" in out
    # tier, bound, units, share, capped here, quota moved here
    assert "Xuất sắc ≥ 90, quota 20% 0 0.0 % 0 0" in out
    assert "Tốt ≥ 80 2 40.0 % 0 2" in out
    assert "Khá ≥ 0 3 60.0 % 1 0" in out
    assert "Tốt > 80 1 50.0 % 0 0" in out


def test_score_writes_the_new_columns(files: tuple[Path, Path], tmp_path: Path) -> None:
    """-o out.csv and out.json carry type, the items and why a tier moved."""
    scheme, data = files
    out_csv = tmp_path / "out.csv"
    assert run("score", scheme, data, "-o", out_csv).exit_code == 0
    with out_csv.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    header = list(rows[0])
    assert header[:4] == ["unit_id", "ten", "type", "3"]
    assert header[-5:] == ["tier", "rank", "scale_tier", "capped_by", "quota_moved"]
    assert "adj:vi_pham" in header
    assert rows[3]["type"] == "huyen"
    assert rows[3]["capped_by"] == "ky_luat"
    assert rows[2]["quota_moved"] == "true"
    out_json = tmp_path / "out.json"
    assert run("score", scheme, data, "-o", out_json).exit_code == 0
    doc = json.loads(out_json.read_text(encoding="utf-8"))
    assert doc["units"][2]["quota_moved"] is True
    assert doc["units"][0]["8"] is None
    assert [t["id"] for t in doc["unit_types"]] == ["so", "huyen"]


def test_explain_names_the_cap_the_quota_and_the_items(files: tuple[Path, Path]) -> None:
    """explain: the type, the scale and its tier, the cap that lowered it, each item."""
    scheme, data = files
    result = run("explain", scheme, data, "H2")
    assert result.exit_code == 0, result.output
    out = words(result.output)
    assert "Unit H2 (ten: Huyện 2) — scheme typed-test — type huyen (UBND cấp huyện)" in out
    assert "scale of huyen: Xuất sắc ≥ 90 (quota 20%); Tốt ≥ 80; Khá ≥ 0 (index) → Tốt" in out
    assert "cap ky_luat held: Người đứng đầu bị kỷ luật: tối đa Khá" in out
    assert "lowered the tier to Khá" in out
    assert "Vi phạm kỷ luật hành chính 0.00 adj:vi_pham = 0 × 0.5; max 2" in out
    assert "Sáng kiến CCHC được công nhận 0.00 adj:sang_kien = 0; max 1" in out
    assert out.endswith("total 6.00 of 7.00 = index 85.71 — tier Khá, rank 3 of 5 huyen")
    quota = words(run("explain", scheme, data, "H1", "--lang", "en").output)
    assert (
        "quota: Xuất sắc: quota 20% of 5 units = 1; 2 units at rank 1 or above; moved to Tốt"
        in (quota)
    )


def test_explain_marks_criteria_not_for_the_type(files: tuple[Path, Path]) -> None:
    """A sở: field 8 and its criteria are "not for type so", with a dash for points."""
    scheme, data = files
    result = run("explain", scheme, data, "S2")
    assert result.exit_code == 0, result.output
    out = words(result.output)
    assert "8 Tác động của CCHC — 0.00 not for type so" in out
    assert "not for type so: 8 Tác động của CCHC" in out
    assert "− 0.50" not in out  # items show as table rows, not lines
    assert "Vi phạm kỷ luật hành chính -0.50 adj:vi_pham = 1 × 0.5; max 2" in out
    assert "cap tthc_yeu held: Lĩnh vực TTHC dưới 50%: lĩnh vực 3 (TTHC) đạt 0.00% < 50%" in out
    assert "the tier was already Khá or lower" in out


def test_check_summarises_types_caps_quotas_and_items(files: tuple[Path, Path]) -> None:
    """check: each type's max, the criteria not for it and its scale; caps, quota, items."""
    scheme, _ = files
    result = run("check", scheme)
    assert result.exit_code == 0, result.output
    out = words(result.output)
    assert "tiers: a scale per unit type (below)" in out
    assert "Unit types (loại đơn vị), column 'loai_don_vi'" in out
    assert "so 4 8 Tốt > 80; Khá ≥ 65; Yếu ≥ 0 (index)" in out
    assert "huyen UBND cấp huyện 7 — Xuất sắc ≥ 90 (quota 20%); Tốt ≥ 80; Khá ≥ 0 (index)" in out
    assert (
        "cap ky_luat: Người đứng đầu bị kỷ luật — when column cap:ky_luat says yes, at most Khá"
        in (out)
    )
    assert "cap tthc_yeu: Lĩnh vực TTHC dưới 50% — when node 3 index < 50, at most Khá" in out
    assert "quota (huyen): Xuất sắc at most 20% of the units ranked together" in out
    assert "bonus: the sum capped at 2" in out
    assert "item vi_pham (penalty, column adj:vi_pham, 0.5 per count, max 2)" in out


def test_v1_output_is_unchanged() -> None:
    """A v1 scheme: no type tables, no "tier moved by" column, no additions in check."""
    score = words(run("score", V1_SCHEME, V1_DATA).output)
    assert "tier moved by" not in score
    assert "Tiers (xếp loại) ┏" in score  # one table, no type in its title
    assert "Tốt ≥ 80 3 25.0 %" in score
    assert "capped here" not in score
    check = words(run("check", V1_SCHEME).output)
    assert "Unit types" not in check
    assert "cap " not in check
    assert "tiers (index):" in check
    explain = run("explain", V1_SCHEME, V1_DATA, "phuong-1").output
    assert "scale of" not in explain
    assert "not for type" not in explain

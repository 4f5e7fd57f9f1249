"""Schemes as spreadsheet tables: reading, writing, round trips and errors with rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import parscore as ps
from parscore.io.scheme_table import read_scheme_table, write_scheme_table
from parscore.testing import schemes

HAND_WRITTEN = """\
id,xa-mau-2026
name,Bộ chỉ số CCHC cấp xã (mẫu)
level,commune
year,2026
tiers,Tốt: 80; Khá: 70; Trung bình: 50; Yếu: 0

# the table: Vietnamese headers, decimal commas, band words as officials write them
STT,Tên tiêu chí,Điểm tối đa,kind,inputs,options,bands,otherwise,when_empty
1,"Công tác chỉ đạo, điều hành CCHC",,,,,,,
1.1,Ban hành kế hoạch CCHC năm,1,choice,,"kip_thoi=1; khong_kip_thoi=0,5; khong_ban_hanh=0",,,
1.2,Mức độ thực hiện kế hoạch CCHC,2,bands,,,"trên 90: 2; từ 70 đến 90: 1",0,
2,Cải cách thủ tục hành chính,,,,,,,
2.1,Tỷ lệ hồ sơ giải quyết đúng hạn,"2,5",ratio,dung_han; tiep_nhan,,,,zero
"""


def _write(tmp_path: Path, text: str, name: str = "scheme.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_hand_written_table_reads_as_the_same_yaml_would(tmp_path: Path) -> None:
    """A hand-written CSV table gives the scheme its YAML equivalent gives."""
    scheme = read_scheme_table(_write(tmp_path, HAND_WRITTEN))
    expected = ps.scheme_from_dict(
        {
            "parscore": 1,
            "id": "xa-mau-2026",
            "name": "Bộ chỉ số CCHC cấp xã (mẫu)",
            "level": "commune",
            "year": 2026,
            "tiers": {
                "scale": [
                    {"name": "Tốt", "min": 80},
                    {"name": "Khá", "min": 70},
                    {"name": "Trung bình", "min": 50},
                    {"name": "Yếu", "min": 0},
                ]
            },
            "nodes": [
                {
                    "id": "1",
                    "name": "Công tác chỉ đạo, điều hành CCHC",
                    "children": [
                        {
                            "id": "1.1",
                            "name": "Ban hành kế hoạch CCHC năm",
                            "max": 1,
                            "rule": {
                                "kind": "choice",
                                "options": {
                                    "kip_thoi": 1,
                                    "khong_kip_thoi": 0.5,
                                    "khong_ban_hanh": 0,
                                },
                            },
                        },
                        {
                            "id": "1.2",
                            "name": "Mức độ thực hiện kế hoạch CCHC",
                            "max": 2,
                            "rule": {
                                "kind": "bands",
                                "bands": [
                                    {"gt": 90, "points": 2},
                                    {"ge": 70, "le": 90, "points": 1},
                                ],
                            },
                        },
                    ],
                },
                {
                    "id": "2",
                    "name": "Cải cách thủ tục hành chính",
                    "children": [
                        {
                            "id": "2.1",
                            "name": "Tỷ lệ hồ sơ giải quyết đúng hạn",
                            "max": 2.5,
                            "rule": {
                                "kind": "ratio",
                                "inputs": ["dung_han", "tiep_nhan"],
                                "when_empty": "zero",
                            },
                        }
                    ],
                },
            ],
        }
    )
    assert scheme == expected
    assert ps.fingerprint(scheme) == ps.fingerprint(expected)


@pytest.mark.parametrize("scheme_id", ps.builtin_schemes())
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_builtin_schemes_round_trip_through_tables(
    tmp_path: Path, scheme_id: str, suffix: str
) -> None:
    """Scheme → table → scheme is equal, with the same fingerprint, for CSV and XLSX."""
    scheme = ps.builtin_scheme(scheme_id)
    path = write_scheme_table(scheme, tmp_path / f"scheme{suffix}")
    again = read_scheme_table(path)
    assert again == scheme
    assert ps.fingerprint(again) == ps.fingerprint(scheme)
    assert ps.load_scheme(path) == scheme  # load_scheme dispatches on the suffix


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scheme=schemes())
def test_generated_schemes_round_trip_through_csv(tmp_path: Path, scheme: ps.Scheme) -> None:
    """Any generated scheme survives a CSV table with the same fingerprint."""
    path = write_scheme_table(scheme, tmp_path / "generated.csv")
    again = read_scheme_table(path)
    assert ps.fingerprint(again) == ps.fingerprint(scheme)
    assert again == scheme


@settings(max_examples=5, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scheme=schemes(max_nodes=12))
def test_generated_schemes_round_trip_through_xlsx(tmp_path: Path, scheme: ps.Scheme) -> None:
    """Generated schemes survive an XLSX table with the same fingerprint."""
    path = write_scheme_table(scheme, tmp_path / "generated.xlsx")
    assert ps.fingerprint(read_scheme_table(path)) == ps.fingerprint(scheme)


def test_metadata_can_come_from_keyword_arguments(tmp_path: Path) -> None:
    """Keyword arguments supply or override the header block (model objects or plain values)."""
    table = HAND_WRITTEN.split("\n\n", 1)[1]  # the node table alone
    tiers = ps.TierScale(scale=[ps.Tier(name="Đạt", min=50), ps.Tier(name="Không đạt", min=0)])
    scheme = read_scheme_table(
        _write(tmp_path, table), id="tu-bang", name="Từ bảng", tiers=tiers, year=2025
    )
    assert (scheme.id, scheme.name, scheme.year, scheme.tiers) == (
        "tu-bang",
        "Từ bảng",
        2025,
        tiers,
    )
    again = read_scheme_table(_write(tmp_path, HAND_WRITTEN, "full.csv"), id="khac")
    assert again.id == "khac"
    assert again.year == 2026


def test_parent_column_overrides_codes(tmp_path: Path) -> None:
    """With a parent column, parents come from it (empty = top level), not from the codes."""
    text = """\
id,tu-bang
name,Từ bảng
tiers,Đạt: 50; Không đạt: 0

code,name,max,kind,parent
F1,Lĩnh vực 1,,,
a,Tiêu chí a,1,yes_no,F1
b.1,Tiêu chí b.1,2,points,
"""
    scheme = read_scheme_table(_write(tmp_path, text))
    assert [n.id for n in scheme.nodes] == ["F1", "b.1"]
    assert [c.id for c in scheme.node("F1").children] == ["a"]
    path = write_scheme_table(scheme, tmp_path / "again.csv")
    header = next(x for x in path.read_text(encoding="utf-8-sig").splitlines() if x[:5] == "code,")
    assert header.endswith(",parent")
    assert read_scheme_table(path) == scheme


def test_plugin_parameters_go_in_the_params_column(tmp_path: Path) -> None:
    """A rule parameter without its own column is written to and read from 'params'."""
    import sys

    sys.path.insert(0, str(Path(__file__).parents[2] / "examples" / "parscore-checklist" / "src"))
    try:
        from parscore_checklist import WeightedChecklist

        ps.register_rule(WeightedChecklist)
        scheme = ps.Scheme(
            id="checklist",
            name="Danh mục",
            tiers=ps.TierScale(scale=[ps.Tier(name="Yếu", min=0)]),
            nodes=[
                ps.Node(
                    id="1",
                    name="Báo cáo",
                    max_points=2,
                    rule=WeightedChecklist(items={"quy": 1, "nam": 2}),
                )
            ],
        )
        path = write_scheme_table(scheme, tmp_path / "plugin.csv")
        assert '"{""items"": {""quy"": 1, ""nam"": 2}}"' in path.read_text(encoding="utf-8-sig")
        assert read_scheme_table(path) == scheme
    finally:
        from parscore.plugins import unregister_rule

        unregister_rule("weighted_checklist")
        sys.path.pop(0)
        sys.modules.pop("parscore_checklist", None)


BAD = """\
id,xa-loi
name,Bộ chỉ số có lỗi
tiers,Tốt: 80; Yếu: 0

code,name,max,kind,options,bands,per
1,Lĩnh vực 1,,,,,
1.1,Kế hoạch,1,choice,"kip_thoi=1; khong_kip_thoi=nua",,
1.2,Thực hiện,2,bands,,"gt 90: 3; ge 70 le 90: 1",
1.3,Văn bản trễ,hai,deduction,,,"0,25"
1.4,Kiểm tra,1,band,,,
1.9.1,Mồ côi,1,yes_no,,,
"""


def test_every_problem_names_its_row_and_column(tmp_path: Path) -> None:
    """Problems of a table are all reported at once, each with its row and column."""
    with pytest.raises(ps.SchemeError) as info:
        read_scheme_table(_write(tmp_path, BAD))
    problems = {(p.line, p.message.split(":")[0]) for p in info.value.problems}
    assert (7, 'column "options"') in problems  # "nua" is not a number
    assert (8, 'column "bands"') in problems  # 3 points above the max 2
    assert (9, 'column "max"') in problems  # "hai" is not a number
    assert (10, 'column "kind"') in problems  # unknown kind 'band'
    text = str(info.value)
    assert "did you mean 'bands'" in text
    assert "(line 9)" in text
    assert str(tmp_path / "scheme.csv") in text


def test_unknown_column_and_header_key_are_reported(tmp_path: Path) -> None:
    """Unknown columns and header-block keys are errors that list the known ones."""
    text = "id,x\nnmae,X\ntiers,Yếu: 0\n\ncode,name,max,kind,ghi chú\n1,Một,1,yes_no,\n"
    with pytest.raises(ps.SchemeError) as info:
        read_scheme_table(_write(tmp_path, text))
    messages = [(p.line, p.message) for p in info.value.problems]
    assert any(line == 2 and "unknown key 'nmae'" in m for line, m in messages)
    assert any(line == 5 and 'column "ghi chú": unknown column' in m for line, m in messages)


def test_a_table_without_a_header_row_is_explained(tmp_path: Path) -> None:
    """A file without a 'code' header row says how a node table starts."""
    with pytest.raises(ps.SchemeError, match="header row starting with 'code'"):
        read_scheme_table(_write(tmp_path, "id,x\nname,X\n"))


def test_orphan_rows_point_at_the_missing_parent(tmp_path: Path) -> None:
    """A row whose parent comes later is reported on its row."""
    text = "id,x\nname,X\ntiers,Yếu: 0\n\ncode,name,max,kind\n1.1,Con,1,yes_no\n1,Cha,,\n"
    with pytest.raises(ps.SchemeError) as info:
        read_scheme_table(_write(tmp_path, text))
    assert any(p.line == 6 and "comes after this row" in p.message for p in info.value.problems)


def test_semicolon_separated_csv_is_read(tmp_path: Path) -> None:
    """A CSV saved with ';' as separator (common with Vietnamese Excel settings) reads too."""
    text = "id;x\nname;X\ntiers;Yếu: 0\n\ncode;name;max;kind\n1;Một;1,5;points\n"
    scheme = read_scheme_table(_write(tmp_path, text))
    assert scheme.node("1").max == 1.5


def test_xlsx_keeps_floats_excel_cannot_hold(tmp_path: Path) -> None:
    """A max like 0.1 + 0.2 = 0.30000000000000004 survives XLSX (Excel keeps 15 digits)."""
    leaves = [
        ps.Node(id="1.1", name="Một", max_points=0.1, rule=ps.YesNo()),
        ps.Node(id="1.2", name="Hai", max_points=0.2, rule=ps.Points()),
    ]
    scheme = ps.Scheme(
        id="x",
        name="X",
        tiers=ps.TierScale(scale=[ps.Tier(name="Yếu", min=0)]),
        nodes=[ps.Node(id="1", name="Lĩnh vực", children=leaves)],
    )
    assert scheme.node("1").max == 0.30000000000000004
    path = write_scheme_table(scheme, tmp_path / "floats.xlsx")
    assert ps.fingerprint(read_scheme_table(path)) == ps.fingerprint(scheme)

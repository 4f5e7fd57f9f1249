"""Scheme tables with the additions of issue 10: round trips, Vietnamese headers, errors.

Vietnamese rule headers, applies_to, need, unit types, tiers by type, quotas, tier caps and
named adjustments.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import parscore as ps
from parscore.io.scheme_table import (
    TABLE_COLUMNS,
    VIETNAMESE_HEADERS,
    read_scheme_table,
    write_scheme_table,
)
from parscore.typing import Language

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parents[2]
EVERY_ADDITION = DATA / "every_addition.yaml"


def _write(tmp_path: Path, text: str, name: str = "scheme.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _every_addition() -> ps.Scheme:
    return ps.load_scheme(EVERY_ADDITION)


def _repo_schemes() -> list[tuple[str, ps.Scheme]]:
    schemes = [(f"builtin:{i}", ps.builtin_scheme(i)) for i in ps.builtin_schemes()]
    examples = sorted((REPO / "examples").glob("*.yaml"))
    schemes += [(p.name, ps.load_scheme(p)) for p in examples]
    return [*schemes, ("every_addition.yaml", _every_addition())]


@pytest.mark.parametrize(("name", "scheme"), _repo_schemes(), ids=lambda x: str(x)[:40])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_every_repo_scheme_round_trips_in_both_languages(
    tmp_path: Path, name: str, scheme: ps.Scheme, suffix: str, lang: str
) -> None:
    """Scheme → table (English or Vietnamese headers) → scheme: equal, same fingerprint."""
    path = write_scheme_table(scheme, tmp_path / f"scheme{suffix}", lang=lang)  # type: ignore[arg-type]
    again = read_scheme_table(path)
    assert again == scheme, name
    assert ps.fingerprint(again) == ps.fingerprint(scheme)


def _header_and_block(path: Path) -> tuple[list[str], dict[str, str]]:
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    blank = lines.index("")
    block = dict(line.split(",", 1) for line in lines[:blank])
    return lines[blank + 1].split(","), block


def test_every_addition_is_written_in_its_own_cells(tmp_path: Path) -> None:
    """Nothing of the additions falls back to the params column: each has its key or column."""
    path = write_scheme_table(_every_addition(), tmp_path / "scheme.csv")
    header, block = _header_and_block(path)
    assert "params" not in header
    assert {"applies_to", "need"} <= set(header)
    assert block["unit_types.column"] == "loai_don_vi"
    assert block["unit_types"] == '"so: Sở, ban, ngành; huyen: UBND cấp huyện; xa"'
    assert block["tiers.by_type.so"] == "Tốt: > 80; Khá: 65; Yếu: 0"
    assert "tiers.by_type.so.basis" not in block  # index, the default
    assert block["tiers.by_type.huyen"] == "Xuất sắc: 6.5 quota 0.2; Tốt: 5 quota 0.35; Khá: 0"
    assert block["tiers.by_type.huyen.basis"] == "total"
    assert block["cap:ky_luat.at_most"] == "Khá"
    assert (block["cap:tthc_yeu.node"], block["cap:tthc_yeu.index_below"]) == ("2", "50")
    assert (block["adj:vi_pham.sign"], block["adj:vi_pham.per"]) == ("penalty", "0.5")
    text = path.read_text(encoding="utf-8-sig")
    assert '1.3,Ít nhất hai trong ba,1,"so, xa",yes_no,a; b; c,2,' in text


def test_vietnamese_headers_are_written_when_asked(tmp_path: Path) -> None:
    """lang='vi' writes every column under its Vietnamese name; lang='en' the column names."""
    scheme = _every_addition()
    header, _ = _header_and_block(write_scheme_table(scheme, tmp_path / "vi.csv", lang="vi"))
    assert header[:8] == [
        "mã",
        "tên tiêu chí",
        "điểm tối đa",
        "áp dụng cho",
        "loại quy tắc",
        "đầu vào",
        "cần đạt",
        "các lựa chọn",
    ]
    assert {"mức", "điểm trừ mỗi lần", "điểm sàn", "khi mẫu số bằng 0"} <= set(header)
    english, _ = _header_and_block(write_scheme_table(scheme, tmp_path / "en.csv"))
    assert [VIETNAMESE_HEADERS[c] for c in english] == header
    assert set(VIETNAMESE_HEADERS) == set(TABLE_COLUMNS)


def test_v1_schemes_write_the_columns_they_always_did(tmp_path: Path) -> None:
    """A scheme without the additions gets no applies_to or need column (tables unchanged)."""
    for scheme_id in ps.builtin_schemes():
        scheme = ps.builtin_scheme(scheme_id)
        if scheme.unit_types is not None:
            continue
        header, block = _header_and_block(write_scheme_table(scheme, tmp_path / "v1.csv"))
        assert "applies_to" not in header
        assert not any(k.startswith(("unit_types", "cap:", "adj:", "tiers.by")) for k in block)


HAND_WRITTEN = """\
id,tay-viet
name,Bảng viết tay
unit_types.column,Loại
unit_types,"so: Sở, ban, ngành; huyen"
tiers.by_type.so,Tốt: trên 80; Khá: >= 65; Yếu: từ 0
tiers.by_type.huyen,"Xuất sắc: 90 tối đa 20%; Tốt: 80 quota 0,35; Khá: 0"
cap:ky_luat,Người đứng đầu bị kỷ luật
cap:ky_luat.at_most,Khá
bonus,2
adj:vi_pham,Vi phạm kỷ luật hành chính
adj:vi_pham.sign,trừ
adj:vi_pham.per,"0,5"
adj:vi_pham.max,2

MA,Ten tieu chi,DIEM TOI DA,Ap dung cho,loai quy tac,Đầu Vào,cần,mức,khi mau so bang 0
1,Lĩnh vực,,,,,,,
1.1,Công khai,1,,yes_no,cong_thong_tin; loa,một trong,,
1.2,Đúng hạn,2,huyen,bands,dung_han; tong_so,,từ 90: 2; từ 70 dưới 90: 1,zero
"""


def test_vietnamese_headers_read_with_or_without_diacritics(tmp_path: Path) -> None:
    """Headers in any case, with or without diacritics; Vietnamese words in cells."""
    scheme = read_scheme_table(_write(tmp_path, HAND_WRITTEN))
    expected = ps.scheme_from_dict(
        {
            "parscore": 1,
            "id": "tay-viet",
            "name": "Bảng viết tay",
            "unit_types": {
                "column": "Loại",
                "types": [{"id": "so", "name": "Sở, ban, ngành"}, "huyen"],
            },
            "tiers": {
                "by_type": {
                    "so": {
                        "scale": [
                            {"name": "Tốt", "above": 80},
                            {"name": "Khá", "min": 65},
                            {"name": "Yếu", "min": 0},
                        ]
                    },
                    "huyen": {
                        "scale": [
                            {"name": "Xuất sắc", "min": 90, "quota": 0.2},
                            {"name": "Tốt", "min": 80, "quota": 0.35},
                            {"name": "Khá", "min": 0},
                        ]
                    },
                },
                "caps": [{"id": "ky_luat", "name": "Người đứng đầu bị kỷ luật", "at_most": "Khá"}],
            },
            "adjustments": {
                "bonus": {"max": 2},
                "items": [
                    {
                        "id": "vi_pham",
                        "name": "Vi phạm kỷ luật hành chính",
                        "sign": "penalty",
                        "per": 0.5,
                        "max": 2,
                    }
                ],
            },
            "nodes": [
                {
                    "id": "1",
                    "name": "Lĩnh vực",
                    "children": [
                        {
                            "id": "1.1",
                            "name": "Công khai",
                            "max": 1,
                            "rule": {
                                "kind": "yes_no",
                                "inputs": ["cong_thong_tin", "loa"],
                                "need": "any",
                            },
                        },
                        {
                            "id": "1.2",
                            "name": "Đúng hạn",
                            "max": 2,
                            "applies_to": ["huyen"],
                            "rule": {
                                "kind": "bands",
                                "inputs": ["dung_han", "tong_so"],
                                "when_empty": "zero",
                                "bands": [
                                    {"ge": 90, "points": 2},
                                    {"ge": 70, "lt": 90, "points": 1},
                                ],
                            },
                        },
                    ],
                }
            ],
        }
    )
    assert scheme == expected
    assert ps.fingerprint(scheme) == ps.fingerprint(expected)


def test_unit_types_can_come_from_keyword_arguments(tmp_path: Path) -> None:
    """unit_types= supplies or overrides the table's, like the other metadata."""
    table = HAND_WRITTEN.replace("unit_types.column,Loại\n", "")
    types = ps.UnitTypes(types=[ps.UnitType(id="so"), ps.UnitType(id="huyen")], column="kind")
    scheme = read_scheme_table(_write(tmp_path, table), unit_types=types)
    assert scheme.unit_types == types


def _problems(tmp_path: Path, text: str) -> list[tuple[int | None, str]]:
    with pytest.raises(ps.SchemeError) as info:
        read_scheme_table(_write(tmp_path, text, "bad.csv"))
    return [(p.line, p.message) for p in info.value.problems]


def _line_of(text: str, start: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def test_an_unknown_type_in_applies_to_names_the_row_and_column(tmp_path: Path) -> None:
    """applies_to naming no declared type: the node's row, the applies_to column."""
    text = HAND_WRITTEN.replace("2,huyen,bands", "2,tinh,bands")
    problems = _problems(tmp_path, text)
    assert len(problems) == 1
    line, message = problems[0]
    assert line == _line_of(text, "1.2,")
    assert message.startswith('column "applies_to":')
    assert "'tinh'" in message
    assert "so, huyen" in message


def test_a_quota_above_one_names_the_key_of_its_scale(tmp_path: Path) -> None:
    """A quota of 1.5 (or 150%) is refused on the row of the scale that holds it."""
    for quota in ("quota 1,5", "tối đa 150%"):
        text = HAND_WRITTEN.replace("quota 0,35", quota)
        problems = _problems(tmp_path, text)
        assert len(problems) == 1
        line, message = problems[0]
        assert line == _line_of(text, "tiers.by_type.huyen")
        assert message.startswith("tiers.by_type.huyen:")
        assert "quota" in message
        assert "1.5" in message


def test_a_cap_naming_an_unknown_tier_names_its_row(tmp_path: Path) -> None:
    """at_most naming no tier: the row of cap:<id>.at_most."""
    text = HAND_WRITTEN.replace("cap:ky_luat.at_most,Khá", "cap:ky_luat.at_most,Trung bình")
    problems = _problems(tmp_path, text)
    line = _line_of(text, "cap:ky_luat.at_most")
    assert problems
    assert all(row == line for row, _ in problems)
    assert all(m.startswith("cap:ky_luat.at_most:") and "'Trung bình'" in m for _, m in problems)


def test_settings_errors_name_their_rows(tmp_path: Path) -> None:
    """Wrong values and misspelt keys of the settings are reported on their rows, at once."""
    text = (
        HAND_WRITTEN.replace("adj:vi_pham.sign,trừ", "adj:vi_pham.sign,phat2")
        .replace("adj:vi_pham.max,2", "adj:vi_pham.mx,2")
        .replace("cap:ky_luat.at_most,Khá", "cap:ky_luat.at_most,Khá\ncap:ky_luat.node,9")
        .replace("tiers.by_type.so,Tốt: trên 80", "tiers.by_type.so,Tốt: tám mươi")
    )
    problems = _problems(tmp_path, text)
    by_line = dict(problems)
    assert "did you mean 'adj:vi_pham.max'" in by_line[_line_of(text, "adj:vi_pham.mx")]
    assert "'phat2'" in by_line[_line_of(text, "adj:vi_pham.sign")]
    assert "index_below" in by_line[_line_of(text, "cap:ky_luat,")]  # node without its bound
    assert "Tốt: > 80" in by_line[_line_of(text, "tiers.by_type.so")]  # how to write it


def test_cell_errors_of_the_new_columns_name_row_and_column(tmp_path: Path) -> None:
    """A need that is no count, a need above the inputs: the row and the need column."""
    text = HAND_WRITTEN.replace("loa,một trong", "loa,hai") + "1.3,Hai việc,1,,yes_no,a; b,3,,\n"
    problems = _problems(tmp_path, text)
    need = {line for line, m in problems if m.startswith('column "need":')}
    assert need == {_line_of(text, "1.1,"), _line_of(text, "1.3,")}
    assert len(problems) == 2


def test_a_type_name_the_syntax_cannot_hold_is_refused_on_writing(tmp_path: Path) -> None:
    """A unit type name containing ';' cannot be written in the one-cell list of types."""
    scheme = _every_addition()
    types = ps.UnitTypes(
        types=[ps.UnitType(id="so", name="Sở; ban"), ps.UnitType(id="huyen"), "xa"],
        column="loai_don_vi",
    )
    import attrs

    bad = attrs.evolve(scheme, unit_types=types)
    with pytest.raises(ValueError, match="';'"):
        write_scheme_table(bad, tmp_path / "bad.csv")


def _schemes_with_additions() -> Any:
    from parscore.testing import schemes

    try:
        return schemes(max_nodes=12, additions=True)  # type: ignore[call-arg,unused-ignore]
    except TypeError:  # pragma: no cover - a strategy without the additions
        pytest.skip("ps.testing.schemes has no additions")


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_generated_schemes_with_additions_round_trip(tmp_path: Path, data: st.DataObject) -> None:
    """Generated schemes using the additions survive a table, in either language."""
    scheme = data.draw(_schemes_with_additions())
    langs: tuple[Language, ...] = ("en", "vi")
    lang = data.draw(st.sampled_from(langs))
    path = write_scheme_table(scheme, tmp_path / "generated.csv", lang=lang)
    again = read_scheme_table(path)
    assert ps.fingerprint(again) == ps.fingerprint(scheme)
    assert again == scheme

"""The data-entry template with unit types, tier caps and named adjustments (issue 10)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import parscore as ps
from parscore.cli import main
from parscore.io.template import template_columns, write_template

openpyxl = pytest.importorskip("openpyxl")

EVERY_ADDITION = Path(__file__).parent / "data" / "every_addition.yaml"


def _scheme() -> ps.Scheme:
    return ps.load_scheme(EVERY_ADDITION)


def _validations(sheet: Any) -> dict[str, Any]:
    """Data validations by the header of the column they cover."""
    headers = {cell.column_letter: cell.value for cell in sheet[1]}
    out = {}
    for rule in sheet.data_validations.dataValidation:
        letter = str(rule.sqref).split(":")[0].rstrip("0123456789")
        out[headers[letter]] = rule
    return out


def test_columns_in_order_type_after_ids_items_and_caps_last() -> None:
    """unit_id, group, the type column, labels, inputs, bonus/penalty, adj:…, then cap:…."""
    names = [n for n, _ in template_columns(_scheme(), group="nhom", labels=["STT"])]
    inputs = list(ps.compile_scheme(_scheme()).columns)
    assert names == [
        "unit_id",
        "nhom",
        "loai_don_vi",
        "STT",
        *inputs,
        "bonus",
        "penalty",
        "adj:sang_kien",
        "adj:vi_pham",
        "adj:khen",
        "cap:ky_luat",  # the node cap tthc_yeu has no column
    ]


def test_descriptions_name_types_items_and_caps() -> None:
    """What to enter: the declared types, which type a criterion is for, items, caps."""
    what = dict(template_columns(_scheme()))
    assert "so (Sở, ban, ngành)" in what["loai_don_vi"]
    assert "huyen (UBND cấp huyện)" in what["loai_don_vi"]
    assert "Chỉ áp dụng cho: huyen (UBND cấp huyện); để trống" in what["8.1"]
    assert "Chỉ áp dụng cho" not in what["1.1"]
    assert what["adj:vi_pham"].startswith("Vi phạm kỷ luật hành chính — điểm trừ: 0.5 điểm mỗi")
    assert "tối đa 2 điểm" in what["adj:vi_pham"]
    assert "ghi số lần" in what["adj:vi_pham"]
    assert "ghi số điểm" in what["adj:sang_kien"]
    assert "xếp loại không quá Khá" in what["cap:ky_luat"]


def test_xlsx_has_the_drop_downs(tmp_path: Path) -> None:
    """Read back: the type column lists the declared ids, caps có/không, items numbers ≥ 0."""
    path = write_template(_scheme(), tmp_path / "input.xlsx", units=2, labels=["STT"])
    book = openpyxl.load_workbook(path)
    sheet = book["Nhập liệu"]
    header = [c.value for c in sheet[1]]
    assert header == [n for n, _ in template_columns(_scheme(), labels=["STT"])]
    rules = _validations(sheet)
    assert rules["loai_don_vi"].type == "list"
    assert rules["loai_don_vi"].formula1 == '"so,huyen,xa"'
    assert str(rules["loai_don_vi"].sqref) == "B2:B1001"
    assert rules["cap:ky_luat"].formula1 == '"có,không"'
    assert rules["1.2:loa"].formula1 == '"có,không,n/a"'  # yes/no leaves, as before
    assert (rules["adj:vi_pham"].type, rules["adj:vi_pham"].formula1) == ("whole", "0")
    assert (rules["adj:sang_kien"].type, rules["adj:sang_kien"].formula1) == ("decimal", "0")
    assert "bonus" not in rules
    assert sheet.freeze_panes == "D2"  # ids, type and labels stay in view


def test_guide_lists_types_applicability_and_caps(tmp_path: Path) -> None:
    """The guide sheet: type ids with names, which criteria apply to which type, the caps."""
    path = write_template(_scheme(), tmp_path / "input.xlsx")
    rows = [
        tuple(c for c in row if c is not None)
        for row in openpyxl.load_workbook(path)["Hướng dẫn"].iter_rows(values_only=True)
    ]
    assert ("so", "Sở, ban, ngành") in rows
    assert ("huyen", "UBND cấp huyện") in rows
    assert ("xa",) in rows
    assert any("có thể để trống" in " ".join(map(str, row)) for row in rows)
    assert ("cột (column)", "tiêu chí", "so", "huyen", "xa") in rows
    assert ("8.1", "8.1. Thu hút đầu tư", "x") in rows  # huyen only
    assert ("1.3:a", "1.3. Ít nhất hai trong ba", "x", "x") in rows  # so and xa
    assert ("1.1", "1.1. Kế hoạch", "x", "x", "x") in rows
    assert any(row[0] == "cap:ky_luat" and row[1].endswith("→ Khá") for row in rows if row)
    assert any(row[0] == "tthc_yeu" and "2 dưới 50" in row[1] for row in rows if row)


def test_many_types_drop_down_reads_the_guide(tmp_path: Path) -> None:
    """When the ids do not fit an inline list, the drop-down reads them from the guide sheet."""
    import attrs

    scheme = _scheme()
    ids = ["so", "huyen", "xa", *(f"loai_don_vi_so_{i:02d}" for i in range(20))]
    types = ps.UnitTypes(types=ids, column="loai_don_vi")
    path = write_template(attrs.evolve(scheme, unit_types=types), tmp_path / "many.xlsx")
    book = openpyxl.load_workbook(path)
    rule = _validations(book["Nhập liệu"])["loai_don_vi"]
    source = rule.formula1
    assert source.startswith("'Hướng dẫn'!$A$")
    first, last = (int(part.rsplit("$", 1)[1]) for part in source.split("!")[1].split(":"))
    guide = book["Hướng dẫn"]
    assert [guide.cell(row=r, column=1).value for r in range(first, last + 1)] == ids


def test_csv_template_has_the_same_columns(tmp_path: Path) -> None:
    """The CSV template is the header row of the XLSX one."""
    path = write_template(_scheme(), tmp_path / "input.csv", group="nhom")
    names = [n for n, _ in template_columns(_scheme(), group="nhom")]
    assert path.read_text(encoding="utf-8-sig").strip() == ",".join(names)


@pytest.mark.parametrize(
    ("keyword", "value", "why"),
    [
        ("group", "loai_don_vi", "taken"),
        ("unit_id", "loai_don_vi", "taken"),
        ("labels", ["cap:khac"], "reserved prefix"),
        ("labels", ["adj:sang_kien"], "reserved prefix"),
    ],
)
def test_names_that_clash_with_the_new_columns_are_refused(
    keyword: str, value: object, why: str
) -> None:
    """A group, unit id or label column may not take the type column or a reserved prefix."""
    with pytest.raises(ValueError, match=why):
        template_columns(_scheme(), **{keyword: value})  # type: ignore[arg-type]


def test_cli_writes_the_template_with_types(tmp_path: Path) -> None:
    """`parscore template` on a scheme with unit types writes the type column and drop-down."""
    out = tmp_path / "input.xlsx"
    result = CliRunner().invoke(
        main, ["template", str(EVERY_ADDITION), "-o", str(out), "--units", "2"]
    )
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out)["Nhập liệu"]
    assert [c.value for c in sheet[1]][:2] == ["unit_id", "loai_don_vi"]
    assert _validations(sheet)["loai_don_vi"].formula1 == '"so,huyen,xa"'
    clash = CliRunner().invoke(
        main, ["template", str(EVERY_ADDITION), "-o", str(out), "--group", "loai_don_vi"]
    )
    assert clash.exit_code != 0
    assert "taken" in clash.output

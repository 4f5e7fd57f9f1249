"""Spreadsheet formula injection: text written to CSV and XLSX is never evaluated (issue 11).

Names, ids and labels starting with ``=``, ``+``, ``-``, ``@``, a tab or CR get an apostrophe
in front (``parscore.io._formula.inert``) in result tables, scheme tables and templates; in
XLSX they are text cells, never formulas; a scheme table reads back as written.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

import parscore as ps
from parscore.io.scheme_table import read_scheme_table, write_scheme_table
from parscore.io.tables import write_result
from parscore.io.template import write_template

openpyxl = pytest.importorskip("openpyxl")
pytest.importorskip("xlsxwriter")

HYPERLINK = '=HYPERLINK("http://x","y")'
NAMES = (HYPERLINK, "+1", "-x", "@SUM(A1)", "'=already quoted")


def _scheme() -> ps.Scheme:
    """A scheme whose names, legal basis, option names and tier names start like formulas."""
    leaves: list[dict[str, Any]] = [
        {
            "id": f"1.{i}",
            "name": name,
            "max": 1,
            "legal_basis": f"=cmd|' /C calc'!A{i}",
            "rule": {"kind": "yes_no"},
        }
        for i, name in enumerate(NAMES, start=1)
    ]
    leaves.append(
        {
            "id": "1.9",
            "name": "@choice",
            "max": 1,
            "rule": {"kind": "choice", "options": {"-khong": 0, "+co": 1}},
        }
    )
    return ps.scheme_from_dict(
        {
            "parscore": 1,
            "id": "formula-test",
            "name": "=1+1",
            "level": "commune",
            "year": 2026,
            "legal_basis": "@legal",
            "notes": "-notes",
            "tiers": {
                "basis": "index",
                "scale": [{"name": "+Tốt", "min": 50}, {"name": "-Khá", "min": 0}],
            },
            "nodes": [{"id": "1", "name": "-field", "children": leaves}],
        }
    )


def _formulas(path: Path) -> list[str]:
    """Every cell of the workbook a spreadsheet would treat as a formula."""
    book = openpyxl.load_workbook(path)  # not data_only: formulas are kept as formulas
    found = [
        f"{ws.title}!{cell.coordinate}={cell.value!r}"
        for ws in book.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("="))
    ]
    book.close()
    return found


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_scheme_table_reads_back_formula_like_names(tmp_path: Path, suffix: str, lang: str) -> None:
    """write_scheme_table → read_scheme_table keeps every formula-like text exactly."""
    scheme = _scheme()
    path = write_scheme_table(scheme, tmp_path / f"scheme{suffix}", lang=lang)  # type: ignore[arg-type]
    back = read_scheme_table(path)
    assert back.name == "=1+1"
    assert [n.name for n in back.node("1").children][: len(NAMES)] == list(NAMES)
    assert ps.fingerprint(back) == ps.fingerprint(scheme)


def test_scheme_table_csv_has_the_apostrophe(tmp_path: Path) -> None:
    """In the CSV, a cell starting like a formula has an apostrophe in front."""
    path = write_scheme_table(_scheme(), tmp_path / "scheme.csv")
    text = path.read_text(encoding="utf-8-sig")
    cells = [c for row in csv.reader(text.splitlines()) for c in row]
    assert "'" + HYPERLINK in cells
    assert "'+1" in cells
    assert "'@SUM(A1)" in cells
    assert "''=already quoted" in cells
    assert not [c for c in cells if c.startswith(("=", "+", "@", "\t"))]


def test_scheme_table_xlsx_has_no_formula(tmp_path: Path) -> None:
    """In the XLSX, no cell is a formula: the texts are string cells with the apostrophe."""
    path = write_scheme_table(_scheme(), tmp_path / "scheme.xlsx")
    assert _formulas(path) == []
    values = [
        c for row in openpyxl.load_workbook(path).active.iter_rows(values_only=True) for c in row
    ]
    assert "'" + HYPERLINK in values


def _result(tmp_path: Path) -> ps.Result:
    scheme = _scheme()
    data: dict[str, list[object]] = {
        "unit_id": [HYPERLINK, "+1", "-x", "@SUM(A1)", "plain"],
        "=label": ["=cmd|x", "-5", "+a", "@b", "ok"],
    }
    for leaf in scheme.leaves():
        data[leaf.id] = ["-khong" if leaf.id == "1.9" else 1] * 5
    return ps.score(scheme, data)


def test_result_csv_has_the_apostrophe(tmp_path: Path) -> None:
    """A result CSV line starts with the apostrophe-guarded id; the label header too."""
    out = write_result(_result(tmp_path), tmp_path / "r.csv")
    text = out.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("unit_id,'=label,")
    assert any(line.startswith('"\'=HYPERLINK(""http://x"",""y"")",\'=cmd|x,') for line in lines)
    assert any(line.startswith("'+1,'-5,") for line in lines)
    assert any(line.startswith("'@SUM(A1),'@b,") for line in lines)
    for row in csv.reader(text.splitlines()):
        assert not [c for c in row if c.startswith(("=", "+", "@"))], row
    tiers = {row[-2] for row in csv.reader(lines[1:])} | {row[-1] for row in csv.reader(lines[1:])}
    assert tiers & {"'+Tốt", "'-Khá"}  # tier names too


def test_result_xlsx_has_no_formula(tmp_path: Path) -> None:
    """An XLSX result opened with openpyxl has no formula cell on any sheet."""
    out = write_result(_result(tmp_path), tmp_path / "r.xlsx")
    assert _formulas(out) == []
    book = openpyxl.load_workbook(out)
    values = {c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row}
    assert {"'" + HYPERLINK, "'=label", "'=cmd|x", "'=1+1", "'@SUM(A1)"} - values == {"'=1+1"}
    assert "'-field" in values  # the scheme sheet's names


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_template_has_no_formula(tmp_path: Path, suffix: str) -> None:
    """The template's headers and guide sheet: names as inert text, no formula cell."""
    out = write_template(_scheme(), tmp_path / f"t{suffix}", labels=("=lbl", "@x"), units=2)
    if suffix == ".csv":
        header = next(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
        assert header[1:3] == ["'=lbl", "'@x"]
        return
    assert _formulas(out) == []
    book = openpyxl.load_workbook(out)
    assert [c.value for c in book.worksheets[0][1]][1:3] == ["'=lbl", "'@x"]
    guide = {c for row in book.worksheets[1].iter_rows(values_only=True) for c in row}
    assert {"'=lbl", "'@x"} <= guide  # the guide lists the columns
    assert any(isinstance(v, str) and v.startswith(f"'{HYPERLINK} — ") for v in guide)
    assert any(isinstance(v, str) and v.startswith("'=1+1 (formula-test)") for v in guide)

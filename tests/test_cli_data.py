"""The command line's data options: header rows, groups, label columns, templates, progress."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rich.console import Console

import parscore as ps
from parscore.cli import _common, _inputs, main
from parscore.io.tables import read_table

EXAMPLE = Path(__file__).parent.parent / "examples" / "communes-2026.csv"
SCHEME = "example-commune-2026"
LABELS = ("STT", "Tên đơn vị", "Huyện")


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def _official_rows() -> list[list[str]]:
    """The example as officials keep it: STT, id, name, district (not "group"), inputs."""
    with EXAMPLE.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    g = header.index("group")
    out = [["STT", "unit_id", "Tên đơn vị", "Huyện", *header[g + 1 :]]]
    for i, row in enumerate(rows, start=1):
        out.append([str(i), row[0], f"Đơn vị {row[0]}", row[g], *row[g + 1 :]])
    return out


@pytest.fixture
def official_csv(tmp_path: Path) -> Path:
    path = tmp_path / "so-lieu.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(_official_rows())
    return path


@pytest.fixture
def titled_xlsx(tmp_path: Path) -> Path:
    """The official rows under two merged title rows and a blank row (header in row 4)."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Số liệu"
    ws["A1"] = "UBND TỈNH QUẢNG NAM"
    ws.merge_cells("A1:C1")
    ws["E1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    ws.merge_cells("E1:J1")
    ws["A2"] = "BẢNG TỔNG HỢP SỐ LIỆU CHỈ SỐ CCHC CẤP XÃ NĂM 2026"
    ws.merge_cells("A2:J2")
    header, *rows = _official_rows()
    for c, name in enumerate(header, start=1):
        ws.cell(row=4, column=c, value=name)
    for row in rows:
        ws.append([float(v) if re.fullmatch(r"\d+(\.\d+)?", v) else (v or None) for v in row])
    path = tmp_path / "so-lieu.xlsx"
    book.save(path)
    return path


def test_score_carries_label_columns_and_says_so(official_csv: Path, tmp_path: Path) -> None:
    """`score` keeps STT, the name and the district as labels and names them."""
    out = tmp_path / "out.csv"
    result = run("score", SCHEME, official_csv, "-o", out)
    assert result.exit_code == 0, result.output
    assert "carried 3 label columns: STT, Tên đơn vị, Huyện" in result.output
    with out.open(encoding="utf-8-sig", newline="") as handle:
        written = next(csv.reader(handle))
    assert set(LABELS) <= set(written)


def test_score_finds_the_header_below_title_rows(titled_xlsx: Path, tmp_path: Path) -> None:
    """An XLSX with title rows scores as the plain CSV does, found or given by --header-row."""
    plain = tmp_path / "plain.csv"
    titled = tmp_path / "titled.csv"
    assert run("score", SCHEME, EXAMPLE, "-o", plain).exit_code == 0
    for extra in ([], ["--header-row", "4"]):
        result = run(
            "score", SCHEME, titled_xlsx, "--group", "Huyện", "-o", titled, "--force", *extra
        )
        assert result.exit_code == 0, result.output
        expected = {r["unit_id"]: r["total"] for r in _csv_rows(plain)}
        assert {r["unit_id"]: r["total"] for r in _csv_rows(titled)} == expected


def test_a_wrong_header_row_is_an_error(titled_xlsx: Path) -> None:
    """--header-row on a blank row exits 1 naming the row; --header-row 0 is a usage error."""
    result = run("score", SCHEME, titled_xlsx, "--header-row", "3")
    assert result.exit_code == 1
    assert "row 3 (header_row) of the sheet is empty" in result.output
    assert run("score", SCHEME, titled_xlsx, "--header-row", "0").exit_code == 2


def test_explain_and_report_take_group_sheet_and_header_row(
    titled_xlsx: Path, tmp_path: Path
) -> None:
    """`explain` and `report` read a district column given by --group, and the data options."""
    options = ["--group", "Huyện", "--sheet", "Số liệu", "--header-row", "4"]
    expected = ps.score_file(ps.builtin_scheme(SCHEME), titled_xlsx, group="Huyện")
    u = list(expected.unit_ids).index("phuong-1")
    explained = run("explain", SCHEME, titled_xlsx, "phuong-1", *options)
    assert explained.exit_code == 0, explained.output
    assert f"rank {expected.rank[u]}" in explained.output
    out = tmp_path / "report.html"
    report = run("report", SCHEME, titled_xlsx, "-o", out, "--previous", titled_xlsx, *options)
    assert report.exit_code == 0, report.output
    assert "phuong-1" in out.read_text(encoding="utf-8")


def test_a_missing_unit_id_column_lists_the_columns_and_suggests_unit_id(
    official_csv: Path,
) -> None:
    """Without a unit-id column the error lists the columns found and names --unit-id."""
    result = run("score", SCHEME, official_csv, "--unit-id", "ma_don_vi")
    assert result.exit_code == 1
    assert '"STT"' in result.output
    assert "--unit-id" in result.output


def test_the_cli_hint_is_added_when_the_door_does_not_name_the_option() -> None:
    """A missing-id message without --unit-id gets the option appended; others stay as they are."""
    error = ps.MeasurementsError(
        [
            ps.errors.CellProblem(message='no column "ma" of unit ids', column="ma"),
            ps.errors.CellProblem(message="something else", row=3),
        ],
        "x.csv",
    )
    hinted = _inputs.with_cli_hints(error, _inputs.DataOptions(unit_id="ma"))
    assert hinted.problems[0].message.endswith("pass --unit-id COLUMN")
    assert hinted.problems[1] == error.problems[1]
    assert hinted.source == "x.csv"


def test_template_writes_group_and_label_columns(tmp_path: Path) -> None:
    """`template --group --labels` writes unit_id, the group, the labels, then the inputs."""
    out = tmp_path / "mau.xlsx"
    result = run(
        "template",
        SCHEME,
        "-o",
        out,
        "--units",
        "2",
        "--group",
        "Huyện",
        "--labels",
        "STT, Tên đơn vị",
    )
    assert result.exit_code == 0, result.output
    columns = ps.compile_scheme(ps.builtin_scheme(SCHEME)).columns
    expected = ("unit_id", "Huyện", "STT", "Tên đơn vị", *columns)
    assert read_table(out).columns == expected
    csv_out = tmp_path / "mau.csv"
    assert run("template", SCHEME, "-o", csv_out, "--group", "Huyện").exit_code == 0
    assert csv_out.read_text(encoding="utf-8-sig").split("\n")[0].split(",")[:3] == [
        "unit_id",
        "Huyện",
        columns[0],
    ]


def test_template_refuses_a_label_named_like_an_input(tmp_path: Path) -> None:
    """A label column named like an input of the scheme is a usage error (exit 2), no file."""
    result = run("template", SCHEME, "-o", tmp_path / "t.csv", "--labels", "STT,1.1.1")
    assert result.exit_code == 2
    assert "'1.1.1' is taken by another column" in result.output
    assert not (tmp_path / "t.csv").exists()


def test_progress_is_silent_when_piped_and_a_bar_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Piped output gets no callback; a terminal gets one moving a bar, relabelled once read."""
    with _common.progress_bar("Reading") as progress:
        assert progress is None  # CliRunner and pytest pipe stderr
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=80)
    monkeypatch.setattr(_common, "make_console", lambda **_: terminal)
    with _common.progress_bar("Reading so-lieu.xlsx", then="Scoring so-lieu.xlsx") as progress:
        assert progress is not None
        progress(500, 1000)
        progress(1000, 1000)
    assert "Scoring so-lieu.xlsx" in screen.getvalue()  # relabelled once read


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))

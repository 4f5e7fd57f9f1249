"""The parscore command, through its real entry point: every command and its exit codes."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import parscore as ps
from parscore.cli import main
from parscore.io.tables import read_table

EXAMPLE = Path(__file__).parent.parent / "examples" / "communes-2026.csv"
SCHEME = "example-commune-2026"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def _results(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row["unit_id"]: row for row in csv.DictReader(handle)}


# -- hand computation of two units of examples/communes-2026.csv --------------------------------
#
# xa-an-binh earns full points except on these leaves (points lost, from the rules of
# example-commune-2026.yaml):
XA_AN_BINH_LOST = {
    "1.4.2": 0.75,  # 88 % is "từ 70% – 90%": 0.75 of 1.5
    "1.5": 0.3,  # 9 of 10 tasks: 3 × 0.9 = 2.7
    "1.6": 0.25,  # the council gave 0.75 of 1
    "2.1.2": 0.25,  # one document: 1 − 0.25
    "3.2": 0.24,  # 480 of 500 on time: 6 × 0.96 = 5.76
    "6.2": 0.25,  # 87.5 %: 2 × 0.875 = 1.75
    "7.2": 0.54,  # 410 of 500 online: 3 × 0.82 = 2.46
    "7.3": 0.7,  # 65 %: 2 × 0.65 = 1.3
    "8.1.2": 0.5,  # the council gave 2.5 of 3
    "8.2.1": 1.0,  # A–D 60/30/10/0 of 100: 5 × (60 + 18 + 2) / 100 = 4
    "8.2.2": 1.2,  # 50/40/10/0: 5 × 0.76 = 3.8
    "8.2.3": 0.8,  # 70/20/10/0: 5 × 0.84 = 4.2
    "8.2.4": 0.95,  # 65/25/5/5: 5 × 0.81 = 4.05
    "8.3.1": 0.8,  # 20/8/2/0 of 30: 5 × (2000 + 480 + 40) / 3000 = 4.2
    "8.3.2": 1.08,  # 78.4 %: 5 × 0.784 = 3.92
}
# phuong-1, field by field; 6.4 (0 recommendations, when_empty: not_applicable, max 1) and
# 7.3 ("n/a", max 2) do not apply, so its applicable max is 97.
PHUONG_1_FIELDS = {
    "1": 0.5 + 0.5 + 0 + 1 + 0.5 + 0.75 + 3 * 6 / 8 + 0.5,  # late plan, 90 % is not "trên 90"
    "2": 1 + (1 - 3 * 0.25) + 0.75 + 1 * 1 / 2 + 0,
    "3": 1 + 0 + 1 + 6 * 0.9 + 2 * 3 / 4 + max(1 - 5 * 0.25, 0) + 1 + 0 + 1,  # 69.9 % < 70
    "4": 2 + 0 + 1.25,
    "5": 1.5 + 0 + 2 * 0.8 + max(1.5 - 2 * 0.5, 0) + 1,
    "6": 1 + 2 + 1,  # 104 % capped (over: cap); 6.4 not applicable
    "7": 1 + 3 * 120 / 600 + 0 + 2 + 1,  # 7.3 not applicable
    "8": 1
    + 1.5
    + 5 * (30 * 100 + 40 * 60 + 20 * 20) / 10000
    + 5 * (25 * 100 + 45 * 60 + 20 * 20) / 10000
    + 5 * (40 * 100 + 35 * 60 + 15 * 20) / 10000
    + 5 * (35 * 100 + 40 * 60 + 15 * 20) / 10000
    + 5 * (10 * 100 + 12 * 60 + 6 * 20) / (30 * 100)
    + 5 * 0.625,
}


def test_score_example_matches_a_hand_computation(tmp_path: Path) -> None:
    """`parscore score` on the shipped example writes the totals computed by hand."""
    out = tmp_path / "results.csv"
    result = run("score", SCHEME, EXAMPLE, "-o", out)
    assert result.exit_code == 0, result.output
    rows = _results(out)
    assert len(rows) == 12
    a = rows["xa-an-binh"]
    total = 100 - sum(XA_AN_BINH_LOST.values())
    assert (a["total"], a["max"], a["index"], a["tier"]) == (
        f"{total:.2f}",
        "100.00",
        "90.39",
        "Tốt",
    )
    assert a["7"] == f"{12 - 0.54 - 0.7:.2f}"
    b = rows["phuong-1"]
    for field, points in PHUONG_1_FIELDS.items():
        assert float(b[field]) == pytest.approx(round(points, 2), abs=1e-9), field
    total = sum(PHUONG_1_FIELDS.values())  # 56.5416…
    assert (b["total"], b["max"]) == (f"{total:.2f}", "97.00")
    assert b["index"] == f"{total / 97 * 100:.2f}" == "58.29"
    assert b["tier"] == "Trung bình"
    assert b["group"] == "phường"
    assert "xa-an-binh" in result.output  # the ranking is printed


def test_score_reads_the_xlsx_version_of_the_example(tmp_path: Path) -> None:
    """The same data as .xlsx (numbers as numbers) scores to the same results."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    with EXAMPLE.open(encoding="utf-8", newline="") as handle:
        for i, row in enumerate(csv.reader(handle)):
            sheet.append([_cell(c) if i else c for c in row])
    xlsx = tmp_path / "communes-2026.xlsx"
    book.save(xlsx)
    for data, name in ((EXAMPLE, "from-csv.csv"), (xlsx, "from-xlsx.csv")):
        assert run("score", SCHEME, data, "-o", tmp_path / name).exit_code == 0
    assert _results(tmp_path / "from-csv.csv") == _results(tmp_path / "from-xlsx.csv")


def _cell(text: str) -> object:
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def test_score_writes_xlsx_and_json(tmp_path: Path) -> None:
    """-o picks the format by extension: XLSX readable by read_table, JSON with every unit."""
    assert run("score", SCHEME, EXAMPLE, "-o", tmp_path / "r.xlsx").exit_code == 0
    table = read_table(tmp_path / "r.xlsx")
    assert table.columns[0] == "unit_id"
    assert "index" in table.columns
    assert table.n_rows == 12
    assert run("score", SCHEME, EXAMPLE, "-o", tmp_path / "r.json").exit_code == 0
    assert "xa-an-binh" in (tmp_path / "r.json").read_text(encoding="utf-8")


def test_bad_data_prints_every_problem_and_exits_1(tmp_path: Path) -> None:
    """A data file with two bad cells exits 1 and prints both, with row, unit and column."""
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[header.index("1.1.1")] = "dung_han"  # not an option of 1.1.1
    row[header.index("3.2:dung_han")] = "520"  # more on time than received (500)
    lines[1] = ",".join(row)
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("score", SCHEME, bad)
    assert result.exit_code == 1
    err = result.stderr
    assert "2 problems" in err
    assert 'row 2, unit "xa-an-binh", column "1.1.1"' in err
    assert 'column "3.2:dung_han, 3.2:tiep_nhan"' in err
    assert "(found {'3.2:dung_han': 520, '3.2:tiep_nhan': 500})" in err
    assert "Traceback" not in result.output + err


def test_a_misspelt_input_column_is_an_error(tmp_path: Path) -> None:
    """A column that looks like an input but is none (a misspelt id) is reported, exit code 1."""
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    extra = [lines[0] + ",3.1:recieved", *(line + ",7" for line in lines[1:])]
    bad = tmp_path / "extra.csv"
    bad.write_text("\n".join(extra) + "\n", encoding="utf-8")
    result = run("score", SCHEME, bad)
    assert result.exit_code == 1
    assert '"3.1:recieved": column names no input of the scheme' in result.stderr


def test_a_name_column_is_carried_as_a_label(tmp_path: Path) -> None:
    """A column the scheme does not read (the unit's name) is carried into the results."""
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    extra = [lines[0] + ",Tên đơn vị", *(line + ",Xã An Bình" for line in lines[1:])]
    named = tmp_path / "named.csv"
    named.write_text("\n".join(extra) + "\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = run("score", SCHEME, named, "-o", out)
    assert result.exit_code == 0, result.stderr
    header = out.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert header[:2] == ["unit_id", "Tên đơn vị"]


@pytest.mark.parametrize(
    "args",
    [
        ["score", SCHEME],  # DATA missing
        ["score", SCHEME, "no-such-file.csv"],
        ["score", SCHEME, str(EXAMPLE), "-o", "results.txt"],
        ["score", SCHEME, str(EXAMPLE), "--top", "-1"],
        ["score", "no-such-scheme", str(EXAMPLE)],
        ["demo", "--units", "0"],
        ["demo", "--no-such-option"],
        ["template", SCHEME],  # -o missing
        ["template", SCHEME, "-o", "template.ods"],
        ["check"],
        ["explain", SCHEME, str(EXAMPLE)],  # UNIT missing
        ["report", SCHEME, str(EXAMPLE), "-o", "report.pdf"],
        ["no-such-command"],
    ],
)
def test_usage_errors_exit_2(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Wrong options, missing arguments and impossible output names exit with code 2."""
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "Usage:" in result.output + result.stderr or "Error" in result.output + result.stderr
    assert not list(tmp_path.iterdir())  # nothing written


def test_unknown_scheme_lists_the_builtin_ones() -> None:
    """A scheme that is neither a file nor a built-in id names the built-in schemes."""
    result = run("check", "example-comune-2026")
    assert result.exit_code == 2
    assert "example-commune-2026" in result.stderr


def test_demo_scores_the_commune_example(tmp_path: Path) -> None:
    """`parscore demo` scores example-commune-2026 and writes results with --out."""
    result = run("demo", "--units", "300", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "example-commune-2026" in result.output
    assert "300 units" in result.output
    assert "Tốt" in result.output
    assert len(_results(tmp_path / "out" / "results.csv")) == 300
    assert (tmp_path / "out" / "results.json").is_file()


def test_demo_is_deterministic() -> None:
    """Two runs of the demo print the same ranking."""
    assert run("demo", "--units", "100").output == run("demo", "--units", "100").output


def test_check_summarises_a_scheme(tmp_path: Path) -> None:
    """`parscore check` prints the scheme's size, rules, tiers and fingerprint; exit 0."""
    result = run("check", SCHEME)
    assert result.exit_code == 0, result.output
    assert ps.fingerprint(ps.builtin_scheme(SCHEME)) in result.output
    assert "8 fields" in result.output
    assert "survey × 5" in result.output
    path = tmp_path / "scheme.yaml"
    ps.dump_scheme(ps.builtin_scheme("camau-2013-field1"), path)
    assert run("check", path).exit_code == 0


def test_check_lists_every_problem_of_a_bad_scheme(tmp_path: Path) -> None:
    """A scheme with two problems exits 1 and prints both with their paths and lines."""
    text = ps.dump_scheme(ps.builtin_scheme("camau-2013-field1"))
    text = text.replace("kind: bands", "kind: band").replace("max: 5", "max: -5")
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("check", path)
    assert result.exit_code == 1
    assert "did you mean 'bands'" in result.stderr
    assert "max cannot be negative" in result.stderr
    assert "(line " in result.stderr


def test_check_reads_a_scheme_table(tmp_path: Path) -> None:
    """A scheme kept as a spreadsheet table is checked like a YAML file."""
    path = ps.write_scheme_table(ps.builtin_scheme(SCHEME), tmp_path / "scheme.xlsx")
    result = run("check", path)
    assert result.exit_code == 0, result.output
    assert ps.fingerprint(ps.builtin_scheme(SCHEME)) in result.output


def test_template_is_readable_as_a_table(tmp_path: Path) -> None:
    """The XLSX template's header row is unit_id then every input column, for read_table."""
    out = tmp_path / "input.xlsx"
    result = run("template", SCHEME, "-o", out, "--units", "3")
    assert result.exit_code == 0, result.output
    table = read_table(out)
    columns = ps.compile_scheme(ps.builtin_scheme(SCHEME)).columns
    assert table.columns == ("unit_id", *columns)
    assert table.column("unit_id")[:3] == ["don-vi-001", "don-vi-002", "don-vi-003"]
    csv_out = tmp_path / "input.csv"
    assert run("template", SCHEME, "-o", csv_out).exit_code == 0
    assert csv_out.read_text(encoding="utf-8-sig").strip() == ",".join(("unit_id", *columns))


def test_explain_prints_every_point_of_one_unit() -> None:
    """`parscore explain` shows the unit's criteria, its not-applicable ones and its total."""
    result = run("explain", SCHEME, EXAMPLE, "phuong-1")
    assert result.exit_code == 0, result.output
    assert "phuong-1" in result.output
    assert "khong_kip_thoi" in result.output
    assert "n/a" in result.output
    english = run("explain", SCHEME, EXAMPLE, "phuong-1", "--lang", "en")
    assert "Points by option" in english.output


def test_explain_of_an_unknown_unit_exits_1() -> None:
    """Asking for a unit that is not in the data exits 1 and names it."""
    result = run("explain", SCHEME, EXAMPLE, "xa-khong-co")
    assert result.exit_code == 1
    assert "xa-khong-co" in result.stderr


def test_report_writes_html(tmp_path: Path) -> None:
    """`parscore report` writes one HTML file naming the units, with last year's data too."""
    out = tmp_path / "report.html"
    result = run("report", SCHEME, EXAMPLE, "-o", out, "--previous", EXAMPLE, "--title", "Thử")
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html")
    assert "xa-an-binh" in html
    assert "Thử" in html


def test_schema_prints_the_json_schema(tmp_path: Path) -> None:
    """`parscore schema` prints the JSON Schema of the format, or writes it with -o."""
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["properties"]["parscore"]["const"] == 1
    assert run("schema", "-o", tmp_path / "s.json").exit_code == 0
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8")) == schema


def test_version_and_help() -> None:
    """--version names the package version; --help lists every command."""
    assert ps.__version__ in run("--version").output
    text = run("--help").output
    for command in ("demo", "check", "score", "template", "explain", "report", "schema"):
        assert command in text


def test_installed_console_script_runs(tmp_path: Path) -> None:
    """The installed `parscore` script scores the example file in a subprocess."""
    script = shutil.which("parscore", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("the parscore console script is not installed next to this Python")
    out = tmp_path / "results.csv"
    done = subprocess.run(
        [script, "score", SCHEME, str(EXAMPLE), "-o", str(out)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert _results(out)["xa-an-binh"]["total"] == "90.39"
    bad = subprocess.run(
        [script, "score", SCHEME], capture_output=True, text=True, timeout=120, check=False
    )
    assert bad.returncode == 2


def test_a_missing_extra_for_the_output_is_said_before_scoring(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Without xlsxwriter, `score -o x.xlsx` exits 1 naming the extra and prints no ranking."""
    monkeypatch.setitem(sys.modules, "xlsxwriter", None)
    result = run("score", SCHEME, EXAMPLE, "-o", str(tmp_path / "x.xlsx"))
    assert result.exit_code == 1
    assert "parscore[excel]" in result.output
    assert "Ranking" not in result.output


def test_module_runs_as_the_command() -> None:
    """`python -m parscore.cli` is the `parscore` command."""
    done = subprocess.run(
        [sys.executable, "-m", "parscore.cli", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("parscore, version ")

"""The command line prints untrusted text as text, never as rich markup (issue 11).

Unit ids, names, labels, scheme names and messages come from files: ``[/]`` once crashed
``parscore score`` after the scoring, ``[link=…]`` reached the terminal as a hyperlink.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import parscore as ps
from parscore.cli import main

EXAMPLE = Path(__file__).parent.parent.parent / "examples" / "communes-2026.csv"
SCHEME = "example-commune-2026"
IDS = ("[/]", "[bold]x", "[link=http://x]y[/link]", "[red]đỏ[/red] :smile:")
NAMES = ("[/]Tên", "[link=http://evil]bấm[/link]", "[bold red]to[/]", ":thumbs_up:")


def run(*args: str | Path) -> Result:
    # wide enough that no cell is cut: the texts are compared whole
    return CliRunner().invoke(main, [str(a) for a in args], env={"COLUMNS": "250"})


@pytest.fixture
def markup_csv(tmp_path: Path) -> Path:
    """The example data with markup in four unit ids and a name column."""
    with EXAMPLE.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[0].insert(1, "Tên [/] đơn vị")
    for i, row in enumerate(rows[1:]):
        if i < len(IDS):
            row[0] = IDS[i]
        row.insert(1, NAMES[i % len(NAMES)])
    path = tmp_path / "markup.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _literal(output: str, *texts: str) -> None:
    for text in texts:
        assert text in output, text
    assert "\x1b]8;" not in output  # no terminal hyperlink
    assert "👍" not in output  # no emoji codes replaced
    assert "😄" not in output


def test_score_prints_ids_and_names_literally(markup_csv: Path, tmp_path: Path) -> None:
    """`score` exits 0, prints the ids as written and writes the results."""
    out = tmp_path / "r.csv"
    result = run("score", SCHEME, markup_csv, "-o", out, "--top", "20")
    assert result.exit_code == 0, result.output
    _literal(result.output, *IDS, "Tên [/] đơn vị")
    assert out.exists()


def test_explain_prints_the_unit_literally(markup_csv: Path) -> None:
    """`explain` of the unit ``[/]`` exits 0; its header shows the id and its name as written."""
    for unit in IDS:
        result = run("explain", SCHEME, markup_csv, unit)
        assert result.exit_code == 0, result.output
        _literal(result.output, unit)
    result = run("explain", SCHEME, markup_csv, IDS[2])
    _literal(result.output, NAMES[2])


def test_report_with_markup_ids(markup_csv: Path, tmp_path: Path) -> None:
    """`report` exits 0 and the HTML holds the ids (escaped as HTML)."""
    pytest.importorskip("matplotlib")
    out = tmp_path / "r.html"
    result = run("report", SCHEME, markup_csv, "-o", out)
    assert result.exit_code == 0, result.output
    assert "[link=http://x]y[/link]" in out.read_text(encoding="utf-8")


def test_errors_print_messages_literally(markup_csv: Path) -> None:
    """An unknown unit and a bad cell: exit 1, one message with the text as written."""
    result = run("explain", SCHEME, markup_csv, "[/]nope[link=http://x]")
    assert result.exit_code == 1
    assert "no unit '[/]nope[link=http://x]'" in result.output
    with markup_csv.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[1][3] = "[/][bold]"  # 1.1.1 (after the id, the name, the group): a choice
    bad = markup_csv.with_name("bad.csv")
    with bad.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    result = run("score", SCHEME, bad)
    assert result.exit_code == 1, result.output
    assert "[/][bold]" in result.output
    assert "Traceback" not in result.output


def test_check_prints_scheme_names_literally(tmp_path: Path) -> None:
    """`check` on a scheme whose name and field names hold markup prints them as written."""
    import attrs

    scheme = ps.builtin_scheme(SCHEME)
    first = attrs.evolve(scheme.nodes[0], name="[/][link=http://x]Lĩnh vực[/link]")
    scheme = attrs.evolve(scheme, name="[bold]Bộ[/] :smile:", nodes=(first, *scheme.nodes[1:]))
    path = tmp_path / "markup.yaml"
    ps.dump_scheme(scheme, path)
    result = run("check", path)
    assert result.exit_code == 0, result.output
    _literal(result.output, "[bold]Bộ[/] :smile:", "[/][link=http://x]Lĩnh vực[/link]")
    assert result.output.startswith("OK [bold]Bộ[/] :smile:")

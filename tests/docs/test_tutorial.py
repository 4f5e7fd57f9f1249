"""Every command and Python block of the tutorials runs, and the results are the ones they show.

docs/tutorial.md (English) and docs/tutorial-vi.md (Vietnamese) write two files (code blocks
with a ``:caption:`` naming the file), then show ``$ parscore …`` commands and a Python block.
Each page is run in its own temporary folder: the files written, every parscore command run
through the CLI (exit 0), the Python block executed, and its printed lines compared with the
comments beside them.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import parscore as ps
from parscore.cli import main

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = ["tutorial.md", "tutorial-vi.md"]

_FILE = re.compile(r"^```\{code-block\} \w+\n:caption: (\S+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
_FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
_PRINTED = re.compile(r"^print\((.*)\)\s+#\s*(.+)$", re.MULTILINE)


def _text(page: str) -> str:
    return (DOCS / page).read_text(encoding="utf-8")


def _files(page: str) -> dict[str, str]:
    """The files a page asks the reader to save: caption -> content."""
    return dict(_FILE.findall(_text(page)))


def _commands(page: str) -> list[str]:
    """The shell commands of a page's console blocks, without the prompt."""
    return [
        line[2:]
        for lang, body in _FENCE.findall(_text(page))
        if lang == "console"
        for line in body.splitlines()
        if line.startswith("$ ")
    ]


def _python(page: str) -> str:
    (block,) = [body for lang, body in _FENCE.findall(_text(page)) if lang == "python"]
    return block


def _code(page: str) -> list[str]:
    """The Python block's lines, without the comments a translation words differently."""
    return [
        line if line.startswith("print(") else re.sub(r"\s+#.*$", "", line)
        for line in _python(page).splitlines()
    ]


def _set_up(page: str, folder: Path) -> None:
    files = _files(page)
    assert set(files) == {"huong-dan-xa-2026.yaml", "so-lieu-2026.csv"}
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")


def test_both_pages_show_the_same_files_and_code() -> None:
    """The Vietnamese page is a translation: the same files, commands and Python."""
    english, vietnamese = PAGES
    assert _files(english) == _files(vietnamese)
    assert _code(english) == _code(vietnamese)
    assert set(_commands(vietnamese)) <= set(_commands(english))


@pytest.mark.parametrize("page", PAGES)
def test_every_command_runs(page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each ``$ parscore …`` line runs with exit 0 in a folder holding the page's files."""
    _set_up(page, tmp_path)
    monkeypatch.chdir(tmp_path)
    commands = _commands(page)
    assert all(c.startswith(("parscore ", "pip install ")) for c in commands), commands
    ran = [c for c in commands if c.startswith("parscore ")]
    assert {shlex.split(c)[1] for c in ran} >= {"demo", "check", "template", "score"} | {
        "explain",
        "report",
    }
    runner = CliRunner()
    for command in ran:
        outcome = runner.invoke(main, shlex.split(command)[1:], catch_exceptions=False)
        assert outcome.exit_code == 0, f"{command}\n{outcome.output}"
    for written in ("nhap-lieu-2026.xlsx", "ket-qua-2026.xlsx", "bao-cao-2026.html"):
        assert (tmp_path / written).stat().st_size > 0, written


@pytest.mark.parametrize("page", PAGES)
def test_the_python_block_prints_what_it_says(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Python block runs, and each ``print(x)  # shown`` prints ``shown``."""
    _set_up(page, tmp_path)
    monkeypatch.chdir(tmp_path)
    code = _python(page)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, page, "exec"), {"__name__": "__tutorial__"})
    printed = out.getvalue().splitlines()
    for _expression, shown in _PRINTED.findall(code):
        assert shown.strip() in printed
    assert "phuong-dong-hoa" in out.getvalue()
    assert (tmp_path / "ket-qua-2026.csv").is_file()
    assert (tmp_path / "bao-cao-2026-python.html").is_file()


def _table(page: str) -> list[list[str]]:
    """The rows of a page's result table: unit_id, total, max, index, tier, rank."""
    rows = [
        line.strip("|").split("|")
        for line in _text(page).splitlines()
        if line.startswith(("| xa-", "| phuong-"))
    ]
    return [[cell.strip() for cell in row[:6]] for row in rows]


@pytest.mark.parametrize("page", PAGES)
def test_the_result_table_is_what_parscore_computes(page: str, tmp_path: Path) -> None:
    """The table of step 5 gives the totals, maxima, indices, tiers and ranks parscore gives."""
    _set_up(page, tmp_path)
    result = ps.score_file(
        ps.load_scheme(tmp_path / "huong-dan-xa-2026.yaml"), tmp_path / "so-lieu-2026.csv"
    )
    rows = {row[0]: row[1:] for row in _table(page)}
    ids = [str(u) for u in result.unit_ids]
    assert sorted(rows) == sorted(ids)
    order = [ids.index(u) for u in rows]
    table = list(rows.values())
    np.testing.assert_array_equal([float(r[0]) for r in table], result.total[order])
    np.testing.assert_array_equal([float(r[1]) for r in table], result.max[order])
    np.testing.assert_array_equal([float(r[2]) for r in table], result.index[order])
    assert [r[3] for r in table] == [str(t) for t in result.tier[order]]
    assert [int(r[4]) for r in table] == result.rank[order].tolist()

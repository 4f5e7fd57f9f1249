"""docs/security.md says what the code does: limits and defaults, runnable examples, figures.

The page is for people who put parscore behind a service (issue 11): its table of limits must
list every field of ``ps.Limits`` with its default, its Python blocks must run, its fuzz table
must name every family ``scripts/fuzz.py`` runs, and the page must be in the docs' toctree.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest
from fuzz_bombs import BOMBS
from fuzz_families import families

import parscore as ps
from parscore.limits import default_limits, set_default_limits

ROOT = Path(__file__).resolve().parent.parent.parent
PAGE = ROOT / "docs" / "security.md"
_UNITS = {"GiB": 2**30, "MiB": 2**20, "KiB": 2**10}


def _text() -> str:
    return PAGE.read_text(encoding="utf-8")


def _number(text: str) -> int:
    value, _, unit = text.partition(" ")
    return int(value.replace(",", "")) * _UNITS.get(unit, 1)


def test_the_limits_table_lists_every_limit_with_its_default() -> None:
    rows = dict(re.findall(r"^\| `(max_\w+)` \| ([\d,]+(?: [GMK]iB)?) \|", _text(), re.M))
    defaults = {f.name: f.default for f in attrs.fields(ps.Limits)}
    assert set(rows) == set(defaults)
    assert {name: _number(text) for name, text in rows.items()} == defaults


def test_the_python_blocks_run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocks = re.findall(r"```python\n(.*?)```", _text(), re.S)
    assert len(blocks) >= 2
    monkeypatch.chdir(ROOT / "examples")
    before = default_limits()
    try:
        for block in blocks:
            exec(compile(block, str(PAGE), "exec"), {})
    finally:
        set_default_limits(before)
    printed = capsys.readouterr().out
    assert "SchemeError $.name 3" in printed
    assert "max_rows 5 12" in printed


def test_the_figures_name_every_fuzz_family_and_bomb() -> None:
    text = _text()
    assert "FUZZ_TABLE" not in text
    assert "BOMBS_TABLE" not in text
    for family in families():
        assert re.search(rf"^\| {re.escape(family)} +\|", text, re.M), family
    for bomb in BOMBS:
        assert bomb.name in text, bomb.name


def test_the_page_is_in_the_toctree() -> None:
    index = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    toctree = index.split("```{toctree}", 1)[1].split("```", 1)[0]
    assert "security" in toctree.split()
    assert "(security.md)" in index

"""The YAML of the docs loads, and docs/from-decision.md's example data scores as the page says."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest
import yaml

import parscore as ps

DOCS = Path(__file__).resolve().parents[1] / "docs"
_FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
_WHOLE = re.compile(r"^parscore: 1$", re.MULTILINE)


def _blocks(page: str, language: str) -> list[str]:
    """The fenced blocks of one language in a docs page, in order."""
    text = (DOCS / page).read_text(encoding="utf-8")
    return [body for lang, body in _FENCE.findall(text) if lang == language]


def _schemes(page: str) -> list[str]:
    """The YAML blocks of a page that are whole scheme files (they say ``parscore: 1``)."""
    return [block for block in _blocks(page, "yaml") if _WHOLE.search(block)]


def _decision_scheme() -> ps.Scheme:
    """The assembled scheme of docs/from-decision.md."""
    (text,) = _schemes("from-decision.md")
    return ps.loads_scheme(text, format="yaml")


@pytest.mark.parametrize("page", ["from-decision.md", "scheme-format.md"])
def test_every_whole_scheme_in_the_docs_loads(page: str) -> None:
    """Each YAML block of a page that is a whole scheme file loads and dumps back equal."""
    blocks = _schemes(page)
    assert blocks, f"{page} shows no whole scheme"
    for text in blocks:
        scheme = ps.loads_scheme(text, format="yaml")
        again = ps.loads_scheme(ps.dump_scheme(scheme), format="yaml")
        assert ps.fingerprint(again) == ps.fingerprint(scheme)


def _nodes_by_id(nodes: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every node of a plain node list, by id, depth first."""
    found: dict[str, dict[str, Any]] = {}
    for node in nodes:
        found[node["id"]] = node
        found.update(_nodes_by_id(node.get("children", [])))
    return found


def test_the_fragments_are_parts_of_the_assembled_file() -> None:
    """Each YAML fragment of docs/from-decision.md is, key for key, in the assembled file."""
    (whole_text,) = _schemes("from-decision.md")
    whole = yaml.safe_load(whole_text)
    nodes = _nodes_by_id(whole["nodes"])
    fragments = [block for block in _blocks("from-decision.md", "yaml") if block != whole_text]
    assert len(fragments) >= 6
    for text in fragments:
        fragment = yaml.safe_load(text)
        if isinstance(fragment, list):
            for node in fragment:
                assert node == nodes[node["id"]], node["id"]
        else:
            for key, value in fragment.items():
                assert whole[key] == value, key


def _page_data(tmp_path: Path) -> Path:
    """The example data of docs/from-decision.md, as the CSV file a unit would send."""
    (csv,) = [
        block for block in _blocks("from-decision.md", "text") if block.startswith("unit_id,")
    ]
    path = tmp_path / "so-lieu-2024.csv"
    path.write_text(csv, encoding="utf-8")
    return path


def _page_results() -> list[list[str]]:
    """The rows of the result table of docs/from-decision.md: id, type, total … rank."""
    text = (DOCS / "from-decision.md").read_text(encoding="utf-8")
    rows = [
        line.strip("|").split("|")
        for line in text.splitlines()
        if line.startswith(("| so-", "| h-"))
    ]
    return [[cell.strip() for cell in row[:7]] for row in rows]


def test_the_example_data_scores_as_the_page_says(tmp_path: Path) -> None:
    """Scoring the page's data gives the page's types, totals, maxima, indices, tiers and ranks."""
    result = ps.score_file(_decision_scheme(), _page_data(tmp_path))
    expected = _page_results()
    assert [row[0] for row in expected] == [str(u) for u in result.unit_ids]
    assert result.unit_types is not None
    assert [row[1] for row in expected] == [str(t) for t in result.unit_types]
    np.testing.assert_array_equal([float(row[2]) for row in expected], result.total)
    np.testing.assert_array_equal([float(row[3]) for row in expected], result.max)
    np.testing.assert_array_equal([float(row[4]) for row in expected], result.index)
    assert [row[5] for row in expected] == [str(t) for t in result.tier]
    assert [int(row[6]) for row in expected] == result.rank.tolist()


def test_the_example_caps_and_quota_are_the_reasons_the_page_gives(tmp_path: Path) -> None:
    """so-xd is capped by ky_luat and h-02 moved by the quota, as the page's explain shows."""
    result = ps.score_file(_decision_scheme(), _page_data(tmp_path))
    ids = [str(u) for u in result.unit_ids]
    assert result.capped_by is not None
    assert result.quota_moved is not None
    assert {ids[i]: str(c) for i, c in enumerate(result.capped_by) if c} == {"so-xd": "ky_luat"}
    assert [ids[i] for i in np.flatnonzero(result.quota_moved)] == ["h-02"]
    excerpts = [block for block in _blocks("from-decision.md", "text") if block.startswith("not ")]
    excerpts += [
        block for block in _blocks("from-decision.md", "text") if block.startswith("scale ")
    ]
    assert len(excerpts) == 2
    for unit, excerpt in zip(["so-xd", "h-02"], excerpts, strict=True):
        text = str(result.explain(unit=unit))
        for line in excerpt.splitlines():
            assert line in text, (unit, line)


def test_the_table_form_in_scheme_format_is_the_same_scheme(tmp_path: Path) -> None:
    """The Vietnamese table of scheme-format.md reads as the scheme of from-decision.md."""
    (table,) = [b for b in _blocks("scheme-format.md", "text") if b.startswith("id,tinh-mau-2024")]
    path = tmp_path / "tinh-mau-2024.csv"
    path.write_text(table, encoding="utf-8")
    expected = attrs.evolve(_decision_scheme(), notes=None, legal_basis=None)
    assert ps.fingerprint(ps.read_scheme_table(path)) == ps.fingerprint(expected)

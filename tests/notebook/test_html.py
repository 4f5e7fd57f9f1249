"""`_repr_html_` of every object a user looks at in a notebook.

It parses, shows the unit and its tier, and escapes names that come from files (a unit named
``<script>…``).
"""

from __future__ import annotations

from html.parser import HTMLParser

import numpy as np
import pytest

import parscore as ps
from parscore.datasets import example_data, example_panel, example_province_data

EVIL = "<script>alert('x')</script>"
VOID = {"br", "hr", "img", "meta", "link", "input", "col", "wbr"}


class _Checker(HTMLParser):
    """Collects the text, the tags opened, and fails on a tag closed out of order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        del attrs
        self.tags.append(tag)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, f"</{tag}> closes nothing"
        assert self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1]}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> str:
    """Check that *html* is well formed and has no script; return its text."""
    checker = _Checker()
    checker.feed(html)
    checker.close()
    assert not checker.stack, f"unclosed tags {checker.stack}"
    assert "script" not in checker.tags
    assert "<script" not in html
    return "".join(checker.text)


def _evil_ids(data: dict[str, np.ndarray], k: int = 0) -> dict[str, np.ndarray]:
    """The data with unit *k* renamed to a script tag."""
    out = dict(data)
    ids = data["unit_id"].copy()
    ids[k] = EVIL
    out["unit_id"] = ids
    return out


@pytest.fixture(scope="module")
def commune() -> ps.Result:
    scheme = ps.builtin_scheme("example-commune-2026")
    return ps.score(scheme, _evil_ids(example_data(scheme, 40, seed=1)))


@pytest.fixture(scope="module")
def province() -> ps.Result:
    data = example_province_data()
    data["ten_don_vi"] = data["ten_don_vi"].copy()
    data["ten_don_vi"][3] = EVIL  # a label column
    return ps.score(ps.builtin_scheme("example-province-2026"), data)


def test_explanation_html_shows_unit_tier_and_numbers(commune: ps.Result) -> None:
    """An explanation: its header, every node, the summary with the tier; escaped."""
    explanation = commune.explain(EVIL)
    text = parse(explanation._repr_html_())
    assert EVIL in text  # shown as text, escaped in the HTML
    assert explanation.tier in text
    assert f"index {explanation.index:.2f}" in text
    assert f"rank {explanation.rank}" in text
    for row in explanation.rows:
        assert row.name in text  # names in full, not cut
    assert "&lt;script&gt;" in explanation._repr_html_()


def test_explanation_html_of_a_typed_unit(province: ps.Result) -> None:
    """Types, caps, items and the label column with a script: all shown, all escaped."""
    explanation = province.explain("so-tai-chinh")
    html = explanation._repr_html_()
    text = parse(html)
    assert EVIL in text
    assert "so-tai-chinh" in text
    assert "tier" in text
    assert explanation.tier in text
    assert "of 20 so" in text  # rank among its type
    assert "cap ky_luat held" in text
    for note in explanation.notes:
        assert note in text
    assert "not for type so" in text  # the huyện field


def test_explanations_html(commune: ps.Result, province: ps.Result) -> None:
    """Many explanations: one row per unit (first 20), the tier and where it lost most."""
    many = commune.explain_all()
    html = many._repr_html_()
    text = parse(html)
    assert "Explanations of 40 units" in text
    assert EVIL in text
    assert str(commune.tier[0]) in text
    assert "… 20 more units" in text
    text = parse(province.explain_all(["so-tai-chinh", "h-loc-son"])._repr_html_())
    assert "Sở Tài chính" not in text  # the label was replaced
    assert EVIL in text
    assert "h-loc-son" in text
    assert "Khá" in text


def test_gaps_html_shows_units_and_tiers(commune: ps.Result) -> None:
    found = ps.gaps(commune)
    text = parse(found._repr_html_())
    assert "units closest to their next tier" in text
    below = [i for i, t in enumerate(found.target_tier) if t is not None]
    shown = [str(found.unit_ids[i]) for i in below if str(found.unit_ids[i]) in text]
    assert shown
    assert str(found.tier[below[0]]) in text
    assert str(found.target_tier[below[0]]) in text


def test_comparison_html_of_a_panel() -> None:
    """Two panel years compared: units, ranks and tiers, the script escaped."""
    scheme = ps.builtin_scheme("example-commune-2026")
    panel = example_panel(scheme, 30, seed=4)
    before, after = (ps.score(scheme, _evil_ids(panel[y])) for y in (2025, 2026))
    text = parse(ps.compare(before, after)._repr_html_())
    assert EVIL in text
    assert "→" in text
    assert any(str(t) in text for t in after.tier)


def test_sensitivity_html(commune: ps.Result) -> None:
    text = parse(ps.sensitivity(commune, draws=30, seed=1)._repr_html_())
    assert EVIL in text
    assert str(commune.tier[0]) in text


def test_reconciliation_html(commune: ps.Result) -> None:
    """The nodes' means and the units cut most, the script escaped."""
    scheme = commune.scheme
    data = _evil_ids(example_data(scheme, 40, seed=1))
    lower = dict(data)
    for name in ("bonus", "penalty"):
        lower.pop(name, None)
    cut = ps.score(scheme, lower)
    text = parse(ps.reconcile(commune, cut)._repr_html_())
    assert "units cut most" in text
    assert EVIL in text


def test_scheme_and_result_html(commune: ps.Result) -> None:
    """The scheme and the result (existing views) parse and escape too."""
    parse(commune.scheme._repr_html_())
    text = parse(commune._repr_html_())
    assert str(commune.tier[int(np.argmin(commune.rank))]) in text

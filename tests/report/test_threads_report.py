"""Reports from threads (issue 11): no global matplotlib state, no mathtext in names.

``render_report`` and every plot it draws use their own :class:`matplotlib.figure.Figure`
and per-artist settings: 48 reports rendered in 8 threads are byte-identical to a serial
render, ``matplotlib.rcParams`` is unchanged afterwards, and pyplot is never used. Names with
``$…$`` (a unit ``Xã $A$``, a field ``Tỷ lệ $x$``) are drawn as written, never as mathtext.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
import sys
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

import parscore as ps
from parscore.datasets import example_data, synthetic_scheme
from parscore.report import render_report

mpl = pytest.importorskip("matplotlib", reason="plots need the plots extra (matplotlib)")

DATE = dt.date(2026, 12, 31)
SRC = Path(__file__).resolve().parents[2] / "src" / "parscore"
SVG = "{http://www.w3.org/2000/svg}"

# a field, tiers and units whose names hold $…$ (and a TeX command mathtext rejects)
DOLLAR_SCHEME = """\
parscore: 1
id: dollar-names
name: Tên có dấu $
tiers:
  basis: index
  scale: [{name: "Tốt $A$", min: 50}, {name: "Yếu $\\\\frac$", min: 0}]
nodes:
  - id: "1"
    name: "Tỷ lệ $x$"
    children:
      - {id: "1.1", name: "Có $y$", max: 4, rule: {kind: yes_no}}
  - id: "2"
    name: "Chi phí $5 và $7"
    children:
      - {id: "2.1", name: b, max: 6, rule: {kind: yes_no}}
"""


def _results() -> list[tuple[ps.Result, ps.Result | None]]:
    """Six cases: three data sets, each alone and with a previous year."""
    scheme = synthetic_scheme()
    out: list[tuple[ps.Result, ps.Result | None]] = []
    for seed in (1, 2, 3):
        current = ps.score(scheme, example_data(scheme, 40, seed=seed))
        previous = ps.score(scheme, example_data(scheme, 40, seed=seed + 10))
        out += [(current, None), (current, previous)]
    return out


def _render(case: tuple[ps.Result, ps.Result | None]) -> str:
    current, previous = case
    return render_report(current, previous=previous, date=DATE)


def _dollar_result() -> ps.Result:
    scheme = ps.loads_scheme(DOLLAR_SCHEME, format="yaml")
    return ps.score(
        scheme,
        {
            "unit_id": ["x1", "x2", "x3", "x4"],
            "ten": ["Xã $A$", "Xã $B$", "Phường $\\frac", "Xã C"],
            "1.1": [1, 0, 1, 0],
            "2.1": [1, 1, 0, 0],
        },
    )


def test_reports_from_8_threads_equal_a_serial_render_and_leave_rcparams() -> None:
    """48 reports in 8 threads are byte-identical to serial ones; rcParams is unchanged."""
    before = dict(mpl.rcParams)
    pyplot_loaded = "matplotlib.pyplot" in sys.modules
    figures = sys.modules["matplotlib.pyplot"].get_fignums() if pyplot_loaded else None
    cases = _results()
    serial = [_render(case) for case in cases]
    assert all(text.count("<svg") >= 2 for text in serial)
    jobs = [k % len(cases) for k in range(48)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(pool.map(lambda k: _render(cases[k]), jobs))
    differ = [k for k, text in zip(jobs, parallel, strict=True) if text != serial[k]]
    assert not differ, f"{len(differ)} of 48 parallel renders differ from the serial ones"
    assert dict(mpl.rcParams) == before
    if pyplot_loaded:  # nothing added to pyplot's figures
        assert sys.modules["matplotlib.pyplot"].get_fignums() == figures
    else:
        assert "matplotlib.pyplot" not in sys.modules


def test_report_ignores_global_svg_settings() -> None:
    """A notebook's SVG settings (text as paths, a random hash salt) do not reach the SVG."""
    case = _results()[1]
    plain = _render(case)
    with mpl.rc_context({"svg.fonttype": "path", "svg.hashsalt": None}):
        changed = _render(case)
    assert changed == plain
    assert "<text" in plain


def test_no_module_uses_pyplot_or_writes_rcparams() -> None:
    """No source module imports pyplot, calls rc_context/rc/use, or assigns to rcParams."""
    wrong = []
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(text)):
            names = []
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
            if any("pyplot" in n for n in names):
                wrong.append(f"{path.name}:{node.lineno} imports pyplot")
        if re.search(
            r"\brc_context\(|\bmpl\.rc\(|\bstyle\.use\(|rcParams\s*(\[[^]]*\]\s*=|\.update)", text
        ):
            wrong.append(f"{path.name} writes rcParams")
        if re.search(r'require\(\s*"matplotlib\.pyplot"', text):
            wrong.append(f"{path.name} requires pyplot")
    assert not wrong


def test_names_with_dollars_are_drawn_literally() -> None:
    """Field and tier names with $…$ render as written (no mathtext, no error)."""
    result = _dollar_result()
    text = render_report(result, previous=result, date=DATE)
    svgs = re.findall(r"<svg.*?</svg>", text, re.S)
    assert len(svgs) == 3
    drawn = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", " ".join(svgs)))
    for name in ("1. Tỷ lệ $x$", "2. Chi phí $5 và $7", "Tốt $A$", "Yếu $\\frac$"):
        assert name in drawn, name
    assert "Yếu $\\frac$" in result.scheme.tiers.names


def test_svg_helpers_draw_dollar_names_literally() -> None:
    """The SVG helpers keep $…$ in tick labels and legends; no Text is mathtext."""
    from parscore.report.plots import field_boxplot_svg, index_histogram_svg

    values = np.array([10.0, 55.0, 70.0, 90.0])
    hist = index_histogram_svg(values, ["Xã $A$", "$\\frac"], [50.0, 0.0], basis="index")
    box = field_boxplot_svg(["Tỷ lệ $x$", "$$"], [values, values])
    for svg, names in ((hist, ["Xã $A$", "$\\frac"]), (box, ["Tỷ lệ $x$", "$$"])):
        texts = [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]
        for name in names:
            assert name in texts, (name, texts)


def test_plots_api_figures_from_threads_give_the_same_svg() -> None:
    """parscore.plots figures and their SVG (to_svg) are the same from 8 threads as serially."""
    from parscore import plots

    cases = _results()
    results = [current for current, _ in cases[::2]]

    def draw(k: int) -> str:
        result = results[k % len(results)]
        fig = (plots.tier_distribution, plots.index_histogram)[k % 2](result)
        profile = plots.field_profile(result, str(result.unit_ids[k % 7]), kind="radar")
        return plots.to_svg(fig) + plots.to_svg(profile)

    before = dict(mpl.rcParams)
    serial = [draw(k) for k in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(pool.map(draw, [k % 8 for k in range(16)]))
    assert [k for k in range(16) if parallel[k] != serial[k % 8]] == []
    assert dict(mpl.rcParams) == before

"""The self-contained HTML report, its plots, and the Jupyter views of schemes and results."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

import parscore as ps
from parscore.datasets import example_data, synthetic_scheme
from parscore.report import render_report, write_report

DATE = dt.date(2026, 12, 31)


class _Page(HTMLParser):
    """Collects what the tests look at: tags, attributes, table rows and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []
        self.ids: set[str] = set()
        self.table_rows: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            self.attrs.append((tag, name, value or ""))
            if name == "id" and value:
                self.ids.add(value)
        classes = dict(attrs).get("class") or ""
        if tag == "table":
            self._table = classes or "table"
            self.table_rows.setdefault(self._table, [])
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._row is not None and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table is not None:
            if self._row:
                self.table_rows[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def _parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    page.close()
    return page


@pytest.fixture(scope="module")
def results() -> tuple[ps.Result, ps.Result]:
    scheme = synthetic_scheme()
    current = ps.score(scheme, example_data(scheme, 300, seed=7))
    last = example_data(scheme, 305, seed=8)
    keep = np.arange(5, 305)  # last year: xa-0006 … xa-0305, so 5 units new and 5 gone
    previous_data = {k: np.asarray(v)[keep] for k, v in last.items()}
    previous_data["unit_id"] = np.array([f"xa-{i:04d}" for i in range(6, 306)], dtype=object)
    previous = ps.score(scheme, previous_data)
    return current, previous


def test_report_has_every_unit_in_the_ranking(results: tuple[ps.Result, ps.Result]) -> None:
    """The ranking table lists every unit once, best first, with its index and tier."""
    current, _ = results
    page = _parse(render_report(current, date=DATE))
    rows = page.table_rows["ranking"]
    assert sorted(r[1] for r in rows) == sorted(current.unit_ids.tolist())
    ranks = [int(r[0]) for r in rows]
    assert ranks == sorted(ranks)
    best = int(np.argmin(current.rank))
    assert rows[0][4] == f"{current.index[best]:.2f}".replace(".", ",")
    assert rows[0][6] == current.tier[best]
    assert {"ranking", "tiers", "fields", "lost"} <= page.ids
    assert "changes" not in page.ids


def test_report_has_header_facts(results: tuple[ps.Result, ps.Result]) -> None:
    """The header names the scheme, year, level, fingerprint, number of units and date."""
    current, _ = results
    text = render_report(current, date=DATE, title="Báo cáo thử")
    body = " ".join(_parse(text).text)
    assert "Báo cáo thử" in body
    assert current.scheme.name in body
    assert "2026" in body
    assert "cấp xã" in body
    assert current.fingerprint in text
    assert "31/12/2026" in body
    assert "300" in body


def test_report_is_self_contained(results: tuple[ps.Result, ps.Result]) -> None:
    """No external resource: no src/href to http(s), no scripts, no @import or url()."""
    current, previous = results
    text = render_report(current, previous=previous, date=DATE)
    page = _parse(text)
    for tag, name, value in page.attrs:
        if name in {"src", "href", "xlink:href", "action", "data"}:
            assert not value.startswith(("http:", "https:", "//")), (tag, name, value)
    assert "script" not in page.tags
    assert "link" not in page.tags
    assert "@import" not in text
    assert not re.search(r"url\((?!#)", text)  # only references inside the page
    ids = [v for _, name, v in page.attrs if name == "id"]
    assert len(ids) == len(set(ids)), "element ids repeat across the inline plots"
    assert "http://" not in text
    assert "https://" not in text


def test_report_plots_are_inline_svg(results: tuple[ps.Result, ps.Result]) -> None:
    """With matplotlib, the histogram, the field box plot and the change plot are inline SVG."""
    pytest.importorskip("matplotlib", reason="plots need the plots extra (matplotlib)")
    current, previous = results
    page = _parse(render_report(current, previous=previous, date=DATE))
    assert page.tags.count("svg") == 3
    assert "img" not in page.tags


def test_report_without_matplotlib_draws_css_charts_and_says_so(
    results: tuple[ps.Result, ps.Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without matplotlib the report still renders, with CSS bars, and tells how to get plots."""
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    current, _ = results
    text = render_report(current, date=DATE)
    page = _parse(text)
    assert "svg" not in page.tags
    assert "parscore[plots]" in text
    assert 'class="range"' in text
    assert len(page.table_rows["ranking"]) == current.n_units
    from parscore.report.plots import field_boxplot_svg

    with pytest.raises(ps.MissingDependencyError, match=r"parscore\[plots\]"):
        field_boxplot_svg(["1"], [current.index])


def test_report_shows_changes_since_previous_result(
    results: tuple[ps.Result, ps.Result],
) -> None:
    """Rank moves read "tăng N bậc"/"giảm N bậc"; units new and gone are listed by id."""
    current, previous = results
    text = render_report(current, previous=previous, date=DATE)
    page = _parse(text)
    assert "changes" in page.ids
    rows = page.table_rows["changes"]
    assert len(rows) == 295
    by_id = {r[0]: r for r in rows}
    u = "xa-0100"
    i, j = current.unit_position(u), previous.unit_position(u)
    change = int(previous.rank[j]) - int(current.rank[i])
    expected = (
        f"tăng {change} bậc" if change > 0 else f"giảm {-change} bậc" if change else "giữ nguyên"
    )
    assert by_id[u][1:3] == [str(previous.rank[j]), str(current.rank[i])]
    assert expected in by_id[u][3]
    body = " ".join(page.text)
    for gone in ("xa-0301", "xa-0302", "xa-0305"):
        assert gone in body  # in the previous result only
    for new in ("xa-0001", "xa-0005"):
        assert new in body  # in the current result only
    assert "Đơn vị mới (5)" in body
    assert "Đơn vị không còn (5)" in body


def test_report_escapes_text_from_the_data() -> None:
    """Unit ids, tier and scheme names with markup are escaped, never interpreted."""
    scheme = ps.Scheme(
        id="escape-case",
        name="<b>Bộ</b> & chỉ số",
        tiers=ps.TierScale(scale=[ps.Tier(name="Tốt <i>", min=50), ps.Tier(name="Yếu", min=0)]),
        nodes=[ps.Node(id="1", name="<script>x</script>", max_points=1, rule=ps.YesNo())],
    )
    result = ps.score(scheme, {"unit_id": ["<img src=x>", "b&c"], "1": [1, 0]})
    text = render_report(result, date=DATE, plots=False)
    page = _parse(text)
    assert "script" not in page.tags
    assert "img" not in page.tags
    assert "&lt;img src=x&gt;" in text
    assert "&lt;b&gt;Bộ&lt;/b&gt; &amp; chỉ số" in text
    assert [r[1] for r in page.table_rows["ranking"]] == ["<img src=x>", "b&c"]


def test_report_groups_and_losses() -> None:
    """With unit groups, ranks restart per group; each field lists its units losing most."""
    scheme = synthetic_scheme()
    data = example_data(scheme, 40, seed=2)
    data["group"] = np.array(["phường" if i % 3 else "xã" for i in range(40)], dtype=object)
    result = ps.score(scheme, data)
    page = _parse(render_report(result, date=DATE))
    rows = page.table_rows["ranking"]
    assert [r[0] for r in rows].count("1") == 2
    lost = result.lost["1"]
    worst = result.unit_ids[int(np.argmax(lost))]
    assert worst in " ".join(page.text)


def test_write_report_writes_utf8(tmp_path: Path, results: tuple[ps.Result, ps.Result]) -> None:
    """write_report writes the same text as render_report, in UTF-8."""
    current, _ = results
    path = write_report(current, tmp_path / "r.html", date=DATE, plots=False)
    assert path.read_text(encoding="utf-8") == render_report(current, date=DATE, plots=False)


# -- headless browser -----------------------------------------------------------------------


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None


def test_report_renders_in_headless_chromium_without_console_errors(
    tmp_path: Path, results: tuple[ps.Result, ps.Result]
) -> None:
    """Chromium renders the report (all units in the DOM) and logs no console or page errors."""
    browser = _chromium()
    if browser is None:
        pytest.skip("Chromium not found (apt-get install chromium); .ci/run installs it as root")
    current, previous = results
    page = write_report(current, tmp_path / "report.html", previous=previous, date=DATE)
    broken = tmp_path / "broken.html"
    broken.write_text("<script>console.error('boom'); missing();</script>", encoding="utf-8")
    # the check must be able to fail: a broken page shows its console errors
    assert _console_lines(_run_browser(browser, broken, tmp_path))
    done = _run_browser(browser, page, tmp_path)
    dom = _parse(done.stdout)
    assert len(dom.table_rows["ranking"]) == current.n_units
    assert dom.tags.count("svg") >= (3 if "matplotlib" in sys.modules else 0)
    bad = _console_lines(done)
    assert not bad, "\n".join(bad)


def _console_lines(done: subprocess.CompletedProcess[str]) -> list[str]:
    """Console messages and uncaught errors: the report has no script, so any is a fault."""
    return [line for line in done.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]


def _run_browser(browser: str, page: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    args = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--enable-logging=stderr",
        "--v=0",
        "--dump-dom",
        page.as_uri(),
    ]
    done = subprocess.run(args, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


# -- notebooks --------------------------------------------------------------------------------


def test_scheme_repr_html_is_an_indented_tree() -> None:
    """Scheme._repr_html_ lists every node with its id, name, max and rule, indented by depth."""
    scheme = synthetic_scheme()
    text = scheme._repr_html_()
    page = _parse(text)
    rows = page.table_rows["table"]
    assert [r[0] for r in rows] == list(scheme.node_ids)
    leaf = next(scheme.leaves())
    row = rows[list(scheme.node_ids).index(leaf.id)]
    assert row[1] == leaf.name
    assert leaf.rule is not None
    assert row[3] == leaf.rule.describe("vi")
    assert "padding-left:44px" in text  # depth 2


def test_result_repr_html_shows_the_best_units_with_tiers() -> None:
    """Result._repr_html_ shows the 20 best units with tier badges and counts of every tier."""
    scheme = synthetic_scheme()
    result = ps.score(scheme, example_data(scheme, 50, seed=1))
    page = _parse(result._repr_html_())
    rows = page.table_rows["table"]
    assert len(rows) == 20
    assert rows[0][0] == "1"
    body = " ".join(page.text)
    for name in scheme.tiers.names:
        assert f"{name}:" in body
    assert "30 more units" in body


def test_tier_colours_stay_public_in_plots() -> None:
    """report.plots still exports TIER_COLOURS, the very colours the notebook views use."""
    from parscore._display import TIER_COLOURS
    from parscore.report import plots

    assert plots.TIER_COLOURS is TIER_COLOURS

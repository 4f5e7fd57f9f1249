"""The plotting API for notebooks (issue 12): parscore.plots, and standalone SVG text.

Each plot returns a matplotlib Figure drawn from the result (or analysis) it is given; the
tests read the figures' artists back and compare them with the numbers. matplotlib stays an
optional extra: importing parscore (or parscore.plots) does not import it, and a plot without
it raises MissingDependencyError naming the extra. Every SVG string the library gives is a
standalone document in the SVG namespace (what ``IPython.display.SVG`` needs).
"""

from __future__ import annotations

import doctest
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from test_report_types import UNITS, _table
from test_threads_report import DOLLAR_SCHEME

import parscore as ps
from parscore.analysis import compare, sensitivity
from parscore.datasets import example_panel

mpl = pytest.importorskip("matplotlib", reason="plots need the plots extra (matplotlib)")
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from parscore import plots  # noqa: E402
from parscore.report.plots import (  # noqa: E402
    field_boxplot_svg,
    index_change_svg,
    index_histogram_svg,
)

SVG_NS = "http://www.w3.org/2000/svg"
GROUPS = ["Huyện Tây Sơn", "Huyện Đông Giang", "Huyện An Lão"]


@pytest.fixture(scope="module")
def years() -> tuple[ps.Result, ps.Result]:
    scheme = ps.builtin_scheme("example-commune-2026")
    panel = example_panel(scheme, 60, years=(2025, 2026), seed=4)
    out = []
    for year in (2025, 2026):
        data = dict(panel[year])
        data["group"] = np.array(GROUPS * 20, dtype=object)
        out.append(ps.score(scheme, data))
    return out[0], out[1]


@pytest.fixture(scope="module")
def typed() -> ps.Result:
    from test_report_types import SCHEME

    return ps.score(ps.load_scheme(SCHEME), _table(UNITS))


def _all_figures(years: tuple[ps.Result, ps.Result]) -> list[Figure]:
    before, now = years
    return [
        plots.tier_distribution(now),
        plots.index_histogram(now),
        plots.field_profile(now, "xa-0003"),
        plots.field_profile(now, "xa-0003", kind="radar"),
        plots.rank_moves(compare(before, now), top=8),
        plots.sensitivity_intervals(sensitivity(now, draws=40, seed=2), limit=12),
    ]


# -- optional dependency ------------------------------------------------------------------------


def test_importing_parscore_and_plots_imports_no_matplotlib() -> None:
    """``import parscore`` and ``import parscore.plots`` leave matplotlib unimported."""
    code = textwrap.dedent(
        """
        import sys
        import parscore, parscore.plots, parscore.report
        from parscore import plots
        assert plots.tier_distribution
        print(sorted(m for m in sys.modules if m.split(".")[0] == "matplotlib"))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "[]"


def test_plots_without_matplotlib_name_the_extra(
    years: tuple[ps.Result, ps.Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every plot raises MissingDependencyError naming parscore[plots] without matplotlib."""
    before, now = years
    comparison = compare(before, now)
    analysis = sensitivity(now, draws=10, seed=1)
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    calls = [
        lambda: plots.tier_distribution(now),
        lambda: plots.index_histogram(now),
        lambda: plots.field_profile(now, "xa-0001"),
        lambda: plots.rank_moves(comparison),
        lambda: plots.sensitivity_intervals(analysis),
    ]
    for call in calls:
        with pytest.raises(ps.MissingDependencyError, match=r"parscore\[plots\]"):
            call()


# -- the figures --------------------------------------------------------------------------------


def test_plots_return_figures_outside_pyplot_and_leave_rcparams(
    years: tuple[ps.Result, ps.Result],
) -> None:
    """Each plot is a Figure, not pyplot's; rcParams is unchanged; it shows as a PNG."""
    before = dict(mpl.rcParams)
    pyplot = sys.modules.get("matplotlib.pyplot")
    figures = pyplot.get_fignums() if pyplot is not None else None
    made = _all_figures(years)
    for fig in made:
        assert isinstance(fig, Figure)
        assert fig._repr_png_().startswith(b"\x89PNG")  # type: ignore[attr-defined]
    assert dict(mpl.rcParams) == before
    if pyplot is not None:
        assert pyplot.get_fignums() == figures
    else:
        assert "matplotlib.pyplot" not in sys.modules


def test_tier_distribution_counts_each_tier(years: tuple[ps.Result, ps.Result]) -> None:
    """One bar per tier of the scale, best first, as high as the units in that tier."""
    _, now = years
    ax = plots.tier_distribution(now).axes[0]
    names = [t.get_text() for t in ax.get_xticklabels()]
    assert names == list(now.scheme.tiers.names)
    heights = [p.get_height() for p in ax.patches]
    assert heights == [float(np.sum(now.tier == n)) for n in names]
    shares = [p.get_height() for p in plots.tier_distribution(now, share=True).axes[0].patches]
    assert shares == pytest.approx([100.0 * h / now.n_units for h in heights])


def test_tier_distribution_by_type_uses_each_scale(typed: ps.Result) -> None:
    """With unit types: one panel per type, each with its own scale's tiers."""
    fig = plots.tier_distribution(typed)
    assert len(fig.axes) == 2
    for ax, type_id in zip(fig.axes, ("so", "huyen"), strict=True):
        names = [t.get_text() for t in ax.get_xticklabels()]
        assert names == list(typed.scheme.tiers.for_type(type_id).names)
        units = typed.unit_types == type_id
        assert [p.get_height() for p in ax.patches] == [
            float(np.sum(typed.tier[units] == n)) for n in names
        ]
    assert [ax.get_title() for ax in fig.axes] == ["so: 3 đơn vị", "UBND cấp huyện: 5 đơn vị"]


def test_index_histogram_has_a_panel_per_group(years: tuple[ps.Result, ps.Result]) -> None:
    """Panels in Vietnamese order (Đ after D), each counting its group's units."""
    _, now = years
    fig = plots.index_histogram(now)
    shown = [ax for ax in fig.axes if ax.get_visible()]
    titles = [ax.get_title() for ax in shown]
    assert titles == [
        f"{g}: 20 đơn vị" for g in ("Huyện An Lão", "Huyện Đông Giang", "Huyện Tây Sơn")
    ]
    for ax in shown:
        assert sum(p.get_height() for p in ax.patches if p.get_height() > 0) == pytest.approx(20)
    assert len(plots.index_histogram(now, by=None).axes) == 1
    with pytest.raises(ValueError, match="unit types"):
        plots.index_histogram(now, by="type")
    with pytest.raises(ValueError, match="max_panels"):
        plots.index_histogram(now, max_panels=2)


def test_index_histogram_by_type(typed: ps.Result) -> None:
    _, ax2 = plots.index_histogram(typed, by="type").axes[:2]
    assert ax2.get_title() == "UBND cấp huyện: 5 đơn vị"


def test_field_profile_shows_the_unit_and_its_peers_mean(
    years: tuple[ps.Result, ps.Result],
) -> None:
    """Bars are the unit's component index per field; markers the mean of its group."""
    _, now = years
    u = now.unit_position("xa-0003")
    fields = [n.id for n in now.scheme.nodes]
    fig = plots.field_profile(now, "xa-0003")
    ax = fig.axes[0]
    widths = [p.get_width() for p in ax.patches]
    assert widths == pytest.approx([float(now.component_index[f][u]) for f in fields])
    peers = now.groups == now.groups[u]
    means = ax.collections[0].get_offsets()[:, 0]
    expected = [np.nanmean(now.component_index[f][peers]) for f in fields]
    assert np.asarray(means) == pytest.approx(expected)
    every = plots.field_profile(now, "xa-0003", compare="all").axes[0]
    assert np.asarray(every.collections[0].get_offsets()[:, 0]) == pytest.approx(
        [np.nanmean(now.component_index[f]) for f in fields]
    )
    radar = plots.field_profile(now, "xa-0003", kind="radar")
    assert radar.axes[0].name == "polar"
    with pytest.raises(KeyError):
        plots.field_profile(now, "no-such-unit")
    with pytest.raises(ValueError, match="kind"):
        plots.field_profile(now, "xa-0003", kind="pie")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unit types"):
        plots.field_profile(now, "xa-0003", compare="type")


def test_field_profile_marks_fields_that_do_not_apply(typed: ps.Result) -> None:
    """A sở has no field 8: its bar is empty and says "không áp dụng"; the mean is its type's."""
    ax = plots.field_profile(typed, "s1", compare="type").axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert "không áp dụng (n/a)" in texts
    assert ax.patches[-1].get_width() == 0.0


def test_rank_moves_shows_the_largest_moves(years: tuple[ps.Result, ps.Result]) -> None:
    """Bars are places gained, the largest moves either way, gains on top."""
    before, now = years
    comparison = compare(before, now)
    ax = plots.rank_moves(comparison, top=8).axes[0]
    widths = [p.get_width() for p in ax.patches]
    assert len(widths) == 8
    biggest = sorted(np.abs(comparison.rank_change).tolist(), reverse=True)[:8]
    assert sorted(abs(w) for w in widths) == sorted(biggest)
    assert widths == sorted(widths)  # drawn bottom to top: the gains end on top
    picked = plots.rank_moves(comparison, units=["xa-0001", "xa-0002"]).axes[0]
    labels = [t.get_text() for t in picked.get_yticklabels()]
    assert [label.split(" ")[0] for label in labels] == ["xa-0002", "xa-0001"]
    k = list(comparison.unit_ids).index("xa-0001")
    assert picked.patches[1].get_width() == comparison.rank_change[k]
    with pytest.raises(KeyError):
        plots.rank_moves(comparison, units=["nope"])


def test_sensitivity_intervals_draw_each_units_ranks(years: tuple[ps.Result, ps.Result]) -> None:
    """Each row spans rank_low to rank_high; rows follow the observed rank within a group."""
    _, now = years
    analysis = sensitivity(now, draws=40, seed=2)
    ax = plots.sensitivity_intervals(analysis, group="Huyện Tây Sơn", limit=5).axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    in_group = [i for i, g in enumerate(analysis.groups) if g == "Huyện Tây Sơn"]
    best = sorted(in_group, key=lambda i: (analysis.observed_rank[i], analysis.unit_ids[i]))[:5]
    assert labels == [str(analysis.unit_ids[i]) for i in best]
    segments = ax.collections[0].get_segments()
    assert [(s[0][0], s[1][0]) for s in segments] == [
        (analysis.rank_low[i], analysis.rank_high[i]) for i in best
    ]
    with pytest.raises(ValueError, match="no unit in group"):
        plots.sensitivity_intervals(analysis, group="Huyện Không Có")


def test_plot_docstring_examples_run() -> None:
    """The examples in the docstrings of parscore.plots run as written."""
    from parscore.plots import _analysis, _base, _results

    for module in (plots, _results, _analysis, _base):
        outcome = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert outcome.attempted > 0, module.__name__
        assert outcome.failed == 0, module.__name__


# -- names are text -----------------------------------------------------------------------------


def test_plots_draw_dollar_names_literally() -> None:
    """A unit "Xã $A$" and a field "Tỷ lệ $x$" appear as written, in the SVG and the Texts."""
    scheme = ps.loads_scheme(DOLLAR_SCHEME, format="yaml")
    result = ps.score(
        scheme,
        {
            "unit_id": ["x1", "x2", "x3"],
            "ten": ["Xã $A$", "Xã $B$", "Phường $\\frac"],
            "1.1": [1, 0, 1],
            "2.1": [1, 1, 0],
        },
    )
    for fig in (plots.field_profile(result, "x1"), plots.field_profile(result, "x3")):
        texts = [t for t in fig.findobj(Text) if t.get_text()]
        assert all(not t.get_parse_math() and not t.get_usetex() for t in texts)
        svg = plots.to_svg(fig)
        drawn = [t.text or "" for t in ET.fromstring(svg).iter(f"{{{SVG_NS}}}text")]
        assert "1. Tỷ lệ $x$" in drawn
    assert any("Xã $A$" in t for t in drawn_titles(plots.field_profile(result, "x1")))
    assert any("$\\frac" in t for t in drawn_titles(plots.field_profile(result, "x3")))
    ticks = drawn_titles(plots.tier_distribution(result))
    assert "Tốt $A$" in ticks


def drawn_titles(fig: Figure) -> list[str]:
    return [t.text or "" for t in ET.fromstring(plots.to_svg(fig)).iter(f"{{{SVG_NS}}}text")]


# -- standalone SVG -----------------------------------------------------------------------------


def _svg_strings(years: tuple[ps.Result, ps.Result]) -> dict[str, str]:
    before, now = years
    index = np.asarray(now.index, dtype=np.float64)
    return {
        "index_histogram_svg": index_histogram_svg(
            index,
            list(now.scheme.tiers.names),
            [t.bound for t in now.scheme.tiers.scale],
            basis="index",
        ),
        "field_boxplot_svg": field_boxplot_svg(
            ["1. a", "2. b"], [index, np.asarray(now.component_index["1"], dtype=np.float64)]
        ),
        "index_change_svg": index_change_svg(index, np.asarray(before.index), basis="index"),
        "to_svg": plots.to_svg(plots.rank_moves(compare(before, now), top=5)),
    }


def test_every_svg_string_is_a_standalone_document(years: tuple[ps.Result, ps.Result]) -> None:
    """Each SVG helper's text parses as XML with its root in the SVG namespace."""
    for name, svg in _svg_strings(years).items():
        root = ET.fromstring(svg)  # unbound prefixes (xlink:) would raise here
        assert root.tag == f"{{{SVG_NS}}}svg", name
        assert root.get("viewBox"), name
        assert not svg.startswith("<?xml"), name


def test_svg_strings_display_in_ipython(years: tuple[ps.Result, ps.Result]) -> None:
    """IPython.display.SVG accepts each string (it parses it and looks for <svg>)."""
    display = pytest.importorskip("IPython.display")
    for name, svg in _svg_strings(years).items():
        shown = display.SVG(data=svg)
        assert shown._repr_svg_().lstrip().startswith("<svg"), name


def test_inline_svg_has_no_namespace_urls(years: tuple[ps.Result, ps.Result]) -> None:
    """standalone=False gives SVG to inline in HTML: no namespace declarations."""
    _, now = years
    svg = field_boxplot_svg(["1. a"], [np.asarray(now.index)], standalone=False)
    assert "xmlns" not in svg
    assert "http://" not in svg
    assert svg.startswith('<svg role="img" class="plot"')


def test_to_svg_leaves_a_figure_of_ones_own_as_it_was() -> None:
    """to_svg draws any Figure; its mathtext stays mathtext and its canvas is restored."""
    fig = Figure()
    ax = fig.add_subplot()
    title = ax.set_title("$x^2$")
    canvas = fig.canvas
    root = ET.fromstring(plots.to_svg(fig))
    assert root.tag == f"{{{SVG_NS}}}svg"
    assert title.get_parse_math()
    assert fig.canvas is canvas

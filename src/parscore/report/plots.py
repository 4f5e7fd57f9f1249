"""Plots of a result as inline SVG text, drawn with matplotlib (the ``plots`` extra).

Figures are built with :class:`matplotlib.figure.Figure` directly (never ``pyplot``), so no
global backend or figure state is touched and the functions are safe in servers and threads.
Text stays text in the SVG (``svg.fonttype: none``): it is set in the page's own fonts, so
Vietnamese diacritics render as the rest of the report, and no font is embedded or fetched.
The SVG has no XML prologue, no metadata and no namespace URLs, ready to inline in HTML.

.. versionadded:: 0.1
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from parscore._display import TIER_COLOURS, tier_colours
from parscore._optional import require
from parscore.typing import FloatArray

__all__ = ["TIER_COLOURS", "field_boxplot_svg", "index_change_svg", "index_histogram_svg"]


_INK = "#1f2937"
_MUTED = "#6b7280"
_GRID = "#e5e7eb"
_ACCENT = "#1d4ed8"
_RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "parscore",  # stable element ids: the same result gives the same SVG
    "font.family": "sans-serif",
    "font.size": 9.0,
    "axes.edgecolor": _GRID,
    "axes.labelcolor": _INK,
    "xtick.color": _MUTED,
    "ytick.color": _INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _figure(width: float, height: float) -> Any:
    figure_mod = require("matplotlib.figure", "plots")
    return figure_mod.Figure(figsize=(width, height), layout="constrained")


def _svg(fig: Any, prefix: str) -> str:
    """SVG text of *fig*, its element ids prefixed so that several plots share one page."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    text = buf.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    text = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", text)
    # let the page size the plot: keep the aspect ratio through viewBox, drop fixed sizes
    text = re.sub(r'(<svg[^>]*?)\swidth="[^"]*"\s+height="[^"]*"', r"\1", text, count=1)
    text = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', text)
    text = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", text)
    text = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', text)
    return text.replace("<svg", '<svg role="img" class="plot"', 1)


def _rc() -> Any:
    mpl = require("matplotlib", "plots")
    return mpl.rc_context(_RC)


def index_histogram_svg(
    index: FloatArray,
    tier_names: Sequence[str],
    tier_mins: Sequence[float],
    *,
    basis: str,
    colours: Sequence[str] | None = None,
    prefix: str = "hist",
    tiers: Sequence[object] | None = None,
) -> str:
    """A histogram of the index (or total) coloured by tier, with the tier thresholds.

    Args:
        index: The rounded index (or total when *basis* is ``total``), shape ``(n_units,)``.
        tier_names: Tier names, best first.
        tier_mins: Their inclusive lower bounds.
        basis: ``index`` or ``total``: the axis label.
        colours: One colour per tier (best first); by default :func:`tier_colours`. A report
            with one scale per unit type passes each tier's colour, one name one colour.
        prefix: Prefix of the SVG's element ids, distinct for each plot of a page (one
            histogram per unit type).
        tiers: Each unit's tier, shape ``(n_units,)``: the bars are coloured by it (a tier
            lowered by a cap or a quota shows) rather than by the bounds.

    Returns:
        SVG text.

    Raises:
        MissingDependencyError: when matplotlib is not installed.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 *colours*, *prefix* and *tiers*.
    """
    with _rc():
        fig = _figure(11.0, 3.2)
        ax = fig.add_subplot()
        colours = list(colours) if colours is not None else tier_colours(len(tier_names))
        lo = math.floor(float(np.min(index)) / 2.0) * 2.0
        hi = max(math.ceil(float(np.max(index)) / 2.0) * 2.0, lo + 2.0)
        bins = np.arange(lo, hi + 2.0, 2.0)
        uppers = [math.inf, *tier_mins[:-1]]
        if tiers is not None:  # tiers lowered by caps or quotas share bins: stacked bars
            held = np.asarray([str(t) for t in tiers], dtype=object)
            shown = [(n, c) for n, c in zip(tier_names, colours, strict=True) if (held == n).any()]
            ax.hist(
                [index[held == n] for n, _ in shown],
                bins=bins,
                color=[c for _, c in shown],
                label=[n for n, _ in shown],
                stacked=True,
                edgecolor="white",
                lw=0.5,
            )
        for name, low, high, colour in zip(tier_names, tier_mins, uppers, colours, strict=True):
            if tiers is not None:
                break
            mask = (index >= low) & (index < high) if name != tier_names[-1] else index < high
            if mask.any():
                ax.hist(index[mask], bins=bins, color=colour, label=name, edgecolor="white", lw=0.5)
        for low in tier_mins[:-1]:
            if lo <= low <= hi:
                ax.axvline(low, color=_MUTED, lw=0.8, ls=(0, (3, 3)))
        ax.set_xlabel("Chỉ số (index, %)" if basis == "index" else "Tổng điểm (total)")
        ax.set_ylabel("Số đơn vị (units)")
        ax.grid(axis="y", color=_GRID, lw=0.6)
        ax.set_axisbelow(True)
        ax.legend(frameon=False, loc="upper left", ncols=min(len(tier_names), 5))
        return _svg(fig, prefix)


def field_boxplot_svg(labels: Sequence[str], values: Sequence[FloatArray]) -> str:
    """A box plot with the units as dots, one row per field, of the component index.

    Args:
        labels: Field labels, top to bottom.
        values: Component index of each field, shape ``(n_units,)`` each; NaN (not applicable)
            is left out.

    Returns:
        SVG text.

    Raises:
        MissingDependencyError: when matplotlib is not installed.

    .. versionadded:: 0.1
    """
    with _rc():
        n = len(labels)
        fig = _figure(11.0, 1.0 + 0.46 * n)
        ax = fig.add_subplot()
        rng = np.random.default_rng(0)  # fixed jitter: the same result draws the same plot
        data = [v[~np.isnan(v)] for v in values]
        positions = np.arange(n, 0, -1, dtype=np.float64)
        for pos, v in zip(positions, data, strict=True):
            if v.size:
                jitter = rng.uniform(-0.16, 0.16, v.size)
                ax.scatter(v, pos + jitter, s=4, color=_ACCENT, alpha=0.28, lw=0, zorder=2)
        shown = [v if v.size else np.array([np.nan]) for v in data]
        ax.boxplot(
            shown,
            positions=positions,
            orientation="horizontal",
            widths=0.55,
            showfliers=False,
            patch_artist=True,
            boxprops={"facecolor": "#dbeafe", "edgecolor": _ACCENT, "lw": 0.9, "alpha": 0.75},
            medianprops={"color": "#b91c1c", "lw": 1.6},
            whiskerprops={"color": _ACCENT, "lw": 0.9},
            capprops={"color": _ACCENT, "lw": 0.9},
            zorder=3,
        )
        ax.set_yticks(positions, [_short(label) for label in labels])
        ax.set_xlim(-2, 102)
        ax.set_xlabel("Chỉ số thành phần (component index, % of applicable max)")
        ax.grid(axis="x", color=_GRID, lw=0.6)
        ax.set_axisbelow(True)
        ax.tick_params(axis="y", length=0)
        return _svg(fig, "fields")


def index_change_svg(previous: FloatArray, current: FloatArray, *, basis: str) -> str:
    """Each unit's index last time against this time, with the line of no change.

    Args:
        previous: Index (or total) of the units in both results, shape ``(n_units,)``.
        current: The same units now, same shape.
        basis: ``index`` or ``total``: the axis labels.

    Returns:
        SVG text.

    Raises:
        MissingDependencyError: when matplotlib is not installed.

    .. versionadded:: 0.1
    """
    with _rc():
        fig = _figure(5.4, 5.0)
        ax = fig.add_subplot()
        both = np.concatenate([previous, current]) if previous.size else np.array([0.0, 100.0])
        lo, hi = float(np.min(both)), float(np.max(both))
        pad = max((hi - lo) * 0.05, 1.0)
        lo, hi = lo - pad, hi + pad
        ax.plot([lo, hi], [lo, hi], color=_MUTED, lw=0.8, ls=(0, (3, 3)))
        up = current > previous
        down = current < previous
        same = ~(up | down)
        for mask, colour, label in (
            (up, "#15803d", "tăng"),
            (down, "#dc2626", "giảm"),
            (same, _MUTED, "không đổi"),
        ):
            if mask.any():
                ax.scatter(
                    previous[mask],
                    current[mask],
                    s=9,
                    color=colour,
                    alpha=0.6,
                    lw=0,
                    label=f"{label}: {int(mask.sum())}",
                )
        ax.set_xlim(lo, hi)
        ax.set_ylim(lo, hi)
        what = "Chỉ số" if basis == "index" else "Tổng điểm"
        ax.set_xlabel(f"{what} năm trước (previous)")
        ax.set_ylabel(f"{what} năm nay (current)")
        ax.grid(color=_GRID, lw=0.6)
        ax.set_axisbelow(True)
        fig.legend(frameon=False, loc="outside lower center", ncols=3, title="Chỉ số (index)")
        return _svg(fig, "change")


def _short(label: str, width: int = 62) -> str:
    return label if len(label) <= width else label[: width - 1].rstrip() + "…"

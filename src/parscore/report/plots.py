"""Plots of a result as inline SVG text, drawn with matplotlib (the ``plots`` extra).

Figures are built with :class:`matplotlib.figure.Figure` directly (never ``pyplot``) and
styled artist by artist: no backend or current figure is used and no ``rcParams`` entry is
written (not even for a moment, as ``rc_context`` does), so the functions are safe in servers
and threads and leave a notebook's settings as they were. Text stays text in the SVG: it is
set in the page's own fonts, so Vietnamese diacritics render as the rest of the report, and
no font is embedded or fetched. Names are drawn as written, never as mathtext
(``Tỷ lệ $x$``). The SVG has no XML prologue and no metadata; it is a standalone document
with the SVG namespace (ready for ``IPython.display.SVG`` or a file), or, with
``standalone=False``, ready to inline in HTML.

For figures to use in a notebook, see :mod:`parscore.plots`.

.. versionadded:: 0.1
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from parscore._display import TIER_COLOURS, tier_colours
from parscore._display._svg import ACCENT, FONT, MUTED, figure_svg, new_figure, style_axes
from parscore.typing import FloatArray

__all__ = ["TIER_COLOURS", "field_boxplot_svg", "index_change_svg", "index_histogram_svg"]


_DASHED = (0, (3, 3))


def _legend(target: Any, **kwargs: Any) -> None:
    """A frameless legend in the house font (its texts are made literal with the figure)."""
    target.legend(frameon=False, prop=dict(FONT), title_fontproperties=dict(FONT), **kwargs)


def index_histogram_svg(
    index: FloatArray,
    tier_names: Sequence[str],
    tier_mins: Sequence[float],
    *,
    basis: str,
    colours: Sequence[str] | None = None,
    prefix: str = "hist",
    tiers: Sequence[object] | None = None,
    standalone: bool = True,
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
        standalone: True (default): an SVG document with its namespace; False: to inline in
            HTML (no namespace declarations).

    Returns:
        SVG text.

    Raises:
        MissingDependencyError: when matplotlib is not installed.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 *colours*, *prefix*, *tiers* and *standalone*; the SVG carries
       its namespace unless *standalone* is False.
    """
    fig = new_figure(11.0, 3.2)
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
            ax.axvline(low, color=MUTED, lw=0.8, ls=_DASHED)
    ax.set_xlabel("Chỉ số (index, %)" if basis == "index" else "Tổng điểm (total)")
    ax.set_ylabel("Số đơn vị (units)")
    style_axes(ax, grid="y")
    _legend(ax, loc="upper left", ncols=min(len(tier_names), 5))
    return figure_svg(fig, prefix=prefix, standalone=standalone)


def field_boxplot_svg(
    labels: Sequence[str], values: Sequence[FloatArray], *, standalone: bool = True
) -> str:
    """A box plot with the units as dots, one row per field, of the component index.

    Args:
        labels: Field labels, top to bottom.
        values: Component index of each field, shape ``(n_units,)`` each; NaN (not applicable)
            is left out.
        standalone: True (default): an SVG document with its namespace; False: to inline in
            HTML (no namespace declarations).

    Returns:
        SVG text.

    Raises:
        MissingDependencyError: when matplotlib is not installed.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 *standalone*; the SVG carries its namespace unless it is False.
    """
    n = len(labels)
    fig = new_figure(11.0, 1.0 + 0.46 * n)
    ax = fig.add_subplot()
    rng = np.random.default_rng(0)  # fixed jitter: the same result draws the same plot
    data = [v[~np.isnan(v)] for v in values]
    positions = np.arange(n, 0, -1, dtype=np.float64)
    for pos, v in zip(positions, data, strict=True):
        if v.size:
            jitter = rng.uniform(-0.16, 0.16, v.size)
            ax.scatter(v, pos + jitter, s=4, color=ACCENT, alpha=0.28, lw=0, zorder=2)
    shown = [v if v.size else np.array([np.nan]) for v in data]
    ax.boxplot(
        shown,
        positions=positions,
        orientation="horizontal",
        widths=0.55,
        showfliers=False,
        patch_artist=True,
        boxprops={"facecolor": "#dbeafe", "edgecolor": ACCENT, "lw": 0.9, "alpha": 0.75},
        medianprops={"color": "#b91c1c", "lw": 1.6},
        whiskerprops={"color": ACCENT, "lw": 0.9},
        capprops={"color": ACCENT, "lw": 0.9},
        zorder=3,
    )
    ax.set_yticks(positions, [_short(label) for label in labels])
    ax.set_xlim(-2, 102)
    ax.set_xlabel("Chỉ số thành phần (component index, % of applicable max)")
    style_axes(ax, grid="x")
    ax.tick_params(axis="y", length=0)
    return figure_svg(fig, prefix="fields", standalone=standalone)


def index_change_svg(
    previous: FloatArray, current: FloatArray, *, basis: str, standalone: bool = True
) -> str:
    """Each unit's index last time against this time, with the line of no change.

    Args:
        previous: Index (or total) of the units in both results, shape ``(n_units,)``.
        current: The same units now, same shape.
        basis: ``index`` or ``total``: the axis labels.
        standalone: True (default): an SVG document with its namespace; False: to inline in
            HTML (no namespace declarations).

    Returns:
        SVG text.

    Raises:
        MissingDependencyError: when matplotlib is not installed.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 *standalone*; the SVG carries its namespace unless it is False.
    """
    fig = new_figure(5.4, 5.0)
    ax = fig.add_subplot()
    both = np.concatenate([previous, current]) if previous.size else np.array([0.0, 100.0])
    lo, hi = float(np.min(both)), float(np.max(both))
    pad = max((hi - lo) * 0.05, 1.0)
    lo, hi = lo - pad, hi + pad
    ax.plot([lo, hi], [lo, hi], color=MUTED, lw=0.8, ls=_DASHED)
    up = current > previous
    down = current < previous
    same = ~(up | down)
    for mask, colour, label in (
        (up, "#15803d", "tăng"),
        (down, "#dc2626", "giảm"),
        (same, MUTED, "không đổi"),
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
    style_axes(ax, grid="both")
    _legend(fig, loc="outside lower center", ncols=3, title="Chỉ số (index)")
    return figure_svg(fig, prefix="change", standalone=standalone)


def _short(label: str, width: int = 62) -> str:
    return label if len(label) <= width else label[: width - 1].rstrip() + "…"

"""Plots of analyses: rank moves between two years, sensitivity intervals of the ranks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from parscore._display import tier_colour_map
from parscore._display._svg import FONT, GRID, INK, MUTED, style_axes
from parscore.plots._base import finish, legend, new, vi_key

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from parscore.analysis import Comparison, Sensitivity
    from parscore.typing import IntArray

__all__ = ["rank_moves", "sensitivity_intervals"]

_UP = "#15803d"
_DOWN = "#dc2626"


def _positions(unit_ids: Sequence[object], units: Sequence[str]) -> IntArray:
    where = {str(u): i for i, u in enumerate(unit_ids)}
    missing = [u for u in units if str(u) not in where]
    if missing:
        msg = f"no unit {missing[0]!r} in the analysis"
        raise KeyError(msg)
    return np.array([where[str(u)] for u in units], dtype=np.int64)


def _row_label(unit_id: object, groups: Sequence[object] | None, i: int) -> str:
    return str(unit_id) if groups is None else f"{unit_id} ({groups[i]})"


def rank_moves(
    comparison: Comparison, *, top: int = 20, units: Sequence[str] | None = None
) -> Figure:
    """Places gained or lost between two results, one bar per unit, biggest moves first.

    Bars go right (green) for places gained and left (red) for places lost, each labelled
    with the rank last time and now (``12 → 5``); ranks are within the unit's group (and
    unit type) as published. Units are those of :func:`parscore.analysis.compare`.

    Args:
        comparison: The comparison of two results (``compare(previous, current)``).
        top: Number of units shown: the largest moves either way (ties: best current rank,
            then id). Ignored when *units* is given.
        units: The ids of the units to show, in this order.

    Returns:
        A new :class:`matplotlib.figure.Figure` (not registered with pyplot).

    Raises:
        KeyError: when a unit of *units* is not in the comparison.
        ValueError: when *top* is below 1.
        MissingDependencyError: when matplotlib is not installed.

    Example:
        >>> import parscore as ps
        >>> from parscore import plots
        >>> from parscore.analysis import compare
        >>> from parscore.datasets import example_panel
        >>> scheme = ps.builtin_scheme("example-commune-2026")
        >>> panel = example_panel(scheme, 60, years=(2025, 2026), seed=1)
        >>> before, now = (ps.score(scheme, panel[y]) for y in (2025, 2026))
        >>> fig = plots.rank_moves(compare(before, now), top=10)
        >>> len(fig.axes[0].patches)
        10

    .. versionadded:: 0.2
    """
    ids = comparison.unit_ids
    change = np.asarray(comparison.rank_change, dtype=np.int64)
    if units is not None:
        chosen = _positions(list(ids), units)[::-1]
    else:
        if top < 1:
            msg = f"top must be 1 or more, found {top}"
            raise ValueError(msg)
        order = sorted(
            range(len(ids)),
            key=lambda i: (-abs(int(change[i])), int(comparison.rank_current[i]), vi_key(ids[i])),
        )[:top]
        chosen = np.array(
            sorted(order, key=lambda i: (int(change[i]), vi_key(ids[i]))), dtype=np.int64
        )
    n = len(chosen)
    fig = new(8.0, 1.3 + 0.3 * max(n, 1))
    ax = fig.add_subplot()
    y = np.arange(n, dtype=np.float64)
    values = change[chosen]
    colours = [_UP if v > 0 else _DOWN if v < 0 else MUTED for v in values]
    ax.barh(y, values, height=0.66, color=colours)
    groups = None if comparison.groups is None else list(comparison.groups)
    ax.set_yticks(y, [_row_label(ids[i], groups, i) for i in chosen])
    span = max(int(np.max(np.abs(values))) if n else 1, 1)
    for yy, i, v in zip(y, chosen, values, strict=True):
        text = f"{int(comparison.rank_previous[i])} → {int(comparison.rank_current[i])}"
        x = v + (0.02 * span if v >= 0 else -0.02 * span)
        ha = "left" if v >= 0 else "right"
        ax.text(x, yy, text, va="center", ha=ha, fontsize=FONT["size"] - 1, color=MUTED)
    ax.axvline(0, color=INK, lw=0.8)
    ax.set_xlim(-1.25 * span, 1.25 * span)
    ax.set_xlabel("Số bậc thay đổi (places gained: + up, − down)")
    ax.set_title(
        f"Thay đổi thứ hạng (rank moves): {comparison.previous_scheme} → "
        f"{comparison.current_scheme}",
        fontsize=FONT["size"] + 1,
        color=INK,
    )
    style_axes(ax, grid="x")
    ax.tick_params(axis="y", length=0)
    return finish(fig)


def sensitivity_intervals(
    sensitivity: Sensitivity,
    *,
    group: str | None = None,
    units: Sequence[str] | None = None,
    limit: int = 40,
) -> Figure:
    """Each unit's plausible ranks under other field weights: 5th to 95th percentile.

    One row per unit, best observed rank on top: a bar from the best plausible rank
    (``rank_low``) to the worst (``rank_high``), a dot at the median rank and a diamond at
    the observed rank (coloured by the observed tier), and at the right the share of draws
    in which the unit keeps its tier. From :func:`parscore.analysis.sensitivity`.

    Args:
        sensitivity: The sensitivity analysis of a result.
        group: Only the units of this group (ranks are within groups).
        units: The ids of the units to show, in this order (overrides *group* and *limit*).
        limit: Most units shown (the best observed ranks).

    Returns:
        A new :class:`matplotlib.figure.Figure` (not registered with pyplot).

    Raises:
        KeyError: when a unit of *units* is not in the analysis.
        ValueError: when *limit* is below 1, or no unit is in *group*.
        MissingDependencyError: when matplotlib is not installed.

    Example:
        >>> import parscore as ps
        >>> from parscore import plots
        >>> from parscore.analysis import sensitivity
        >>> from parscore.datasets import example_data
        >>> scheme = ps.builtin_scheme("example-commune-2026")
        >>> result = ps.score(scheme, example_data(scheme, 60, seed=1))
        >>> fig = plots.sensitivity_intervals(sensitivity(result, draws=50, seed=1), limit=15)
        >>> len(fig.axes[0].get_yticklabels())
        15

    .. versionadded:: 0.2
    """
    s = sensitivity
    ids = s.unit_ids
    if units is not None:
        chosen = _positions(list(ids), units)
    else:
        if limit < 1:
            msg = f"limit must be 1 or more, found {limit}"
            raise ValueError(msg)
        pool = list(range(len(ids)))
        if group is not None:
            pool = [i for i in pool if s.groups is not None and str(s.groups[i]) == str(group)]
            if not pool:
                msg = f"no unit in group {group!r}"
                raise ValueError(msg)
        order = sorted(pool, key=lambda i: (int(s.observed_rank[i]), vi_key(ids[i])))
        chosen = np.array(order[:limit], dtype=np.int64)
    n = len(chosen)
    fig = new(8.0, 1.5 + 0.28 * max(n, 1))
    ax = fig.add_subplot()
    y = np.arange(n, 0, -1, dtype=np.float64)
    low, high = s.rank_low[chosen], s.rank_high[chosen]
    ax.hlines(y, low, high, color="#93c5fd", lw=5, label="5–95 % của các lần rút (of draws)")
    ax.scatter(s.median_rank[chosen], y, s=16, color=INK, zorder=3, label="Trung vị (median)")
    colours = tier_colour_map([s.tier_names])
    ax.scatter(
        s.observed_rank[chosen],
        y,
        s=34,
        marker="D",
        color=[colours.get(str(s.observed_tier[i]), MUTED) for i in chosen],
        edgecolor="white",
        lw=0.6,
        zorder=4,
        label="Thứ hạng công bố (observed)",
    )
    keep = s.observed_tier_probability[chosen]
    groups = None if s.groups is None or group is not None else list(s.groups)
    ax.set_yticks(y, [_row_label(ids[i], groups, i) for i in chosen])
    transform = ax.get_yaxis_transform()
    for yy, p in zip(y, keep, strict=True):
        ax.text(
            1.01,
            yy,
            f"{100.0 * p:.0f} %",
            transform=transform,
            va="center",
            fontsize=FONT["size"] - 1,
            color=MUTED,
            clip_on=False,
        )
    ax.text(
        1.01,
        1.0,
        "giữ loại\n(keeps tier)",
        transform=ax.transAxes,
        va="bottom",
        fontsize=FONT["size"] - 1,
        color=MUTED,
    )
    ax.set_xlabel("Thứ hạng (rank; 1 = best)")
    where = f", nhóm {group}" if group is not None else ""
    ax.set_title(
        f"Độ nhạy của thứ hạng (rank sensitivity){where}: {s.draws} lần rút, {s.distribution}",
        fontsize=FONT["size"] + 1,
        color=INK,
    )
    style_axes(ax, grid="x")
    ax.grid(axis="x", color=GRID, lw=0.6)
    ax.tick_params(axis="y", length=0)
    legend(fig, loc="outside lower center", ncols=3)
    return finish(fig)

"""Plots of one result: tier distribution, index histogram by group, a unit's field profile."""

from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from parscore._display import tier_order
from parscore._display._svg import ACCENT, FONT, INK, MUTED, style_axes
from parscore.plots._base import finish, legend, new, ordered, scheme_colours, type_name

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from parscore.model import TierScale
    from parscore.result import Result
    from parscore.typing import BoolArray, FloatArray

__all__ = ["field_profile", "index_histogram", "tier_distribution"]

_DASHED = (0, (3, 3))
_LABEL_WIDTH = 48


def _short(label: str, width: int = _LABEL_WIDTH) -> str:
    return label if len(label) <= width else label[: width - 1].rstrip() + "…"


def _panels(result: Result) -> list[tuple[str | None, BoolArray, TierScale]]:
    """(type id or None, its units, its scale): one per unit type present, or one for all."""
    tiers = result.scheme.tiers
    types = result.unit_types
    if types is None or result.scheme.unit_types is None:
        return [(None, np.ones(result.n_units, dtype=bool), tiers.for_type(None))]
    out: list[tuple[str | None, BoolArray, TierScale]] = []
    for t in result.scheme.unit_types.types:
        units = np.asarray(types == t.id, dtype=bool)
        if units.any():
            out.append((t.id, units, tiers.for_type(t.id)))
    return out


def tier_distribution(result: Result, *, share: bool = False) -> Figure:
    """Units in each tier, one panel per unit type (each in its own scale) when there are types.

    Bars follow the scale, best tier first, coloured green (best) to red (worst) as in the
    report; each bar is labelled with its count and share. Tiers are the published ones,
    after tier caps and quotas.

    Args:
        result: A scored result.
        share: Heights in percent of the panel's units rather than counts.

    Returns:
        A new :class:`matplotlib.figure.Figure` (not registered with pyplot).

    Raises:
        MissingDependencyError: when matplotlib is not installed.

    Example:
        >>> import parscore as ps
        >>> from parscore import plots
        >>> from parscore.datasets import example_data
        >>> scheme = ps.builtin_scheme("example-commune-2026")
        >>> result = ps.score(scheme, example_data(scheme, 60, seed=1))
        >>> fig = plots.tier_distribution(result)
        >>> [t.get_text() for t in fig.axes[0].get_xticklabels()] == list(scheme.tiers.names)
        True

    .. versionadded:: 0.2
    """
    panels = _panels(result)
    colours = scheme_colours(result.scheme)
    widest = max(len(scale.names) for _, _, scale in panels)
    fig = new(max(4.6, 0.95 * widest + 1.4) * len(panels), 3.4)
    axes = fig.subplots(1, len(panels), squeeze=False, sharey=share)[0]
    tier = np.asarray([str(t) for t in result.tier], dtype=object)
    for ax, (key, units, scale) in zip(axes, panels, strict=True):
        names = list(scale.names)
        counts = np.array([int(np.sum(tier[units] == n)) for n in names], dtype=np.float64)
        total = max(int(units.sum()), 1)
        heights = 100.0 * counts / total if share else counts
        x = np.arange(len(names))
        bars = ax.bar(x, heights, color=[colours.get(n, MUTED) for n in names], width=0.7)
        ax.bar_label(
            bars,
            labels=[f"{int(c)} ({100.0 * c / total:.0f} %)" for c in counts],
            fontsize=FONT["size"] - 1,
            color=INK,
            padding=2,
        )
        ax.set_xticks(x, names)
        ax.set_ylabel("Tỷ lệ đơn vị (% of units)" if share else "Số đơn vị (units)")
        ax.margins(y=0.15)
        if not share:
            _whole_numbers(ax.yaxis)
        style_axes(ax, grid="y")
        title = "Xếp loại (tiers)" if key is None else type_name(result.scheme, key)
        ax.set_title(f"{title}: {int(units.sum())} đơn vị", fontsize=FONT["size"] + 1, color=INK)
    return finish(fig)


def index_histogram(
    result: Result,
    *,
    by: Literal["group", "type"] | None = "group",
    bin_width: float = 2.0,
    max_panels: int = 36,
) -> Figure:
    """Histograms of the index, one small panel per group (or unit type), bars by tier.

    Panels share the x axis, so groups compare at a glance; the bars are stacked by tier
    (the published tier, after caps and quotas) and the tier thresholds are drawn as dashed
    lines where one index scale applies to the whole panel. Groups are in Vietnamese
    alphabetical order.

    Args:
        result: A scored result.
        by: ``group`` (default): one panel per group, or one panel when the result has no
            groups; ``type``: one panel per unit type; None: one panel for all units.
        bin_width: Width of the bins, in index points.
        max_panels: Most panels drawn; more groups raise ValueError (use ``by=None``).

    Returns:
        A new :class:`matplotlib.figure.Figure` (not registered with pyplot).

    Raises:
        ValueError: for ``by="type"`` without unit types, another *by*, a bin width not
            above 0, or more than *max_panels* panels.
        MissingDependencyError: when matplotlib is not installed.

    Example:
        >>> import numpy as np
        >>> import parscore as ps
        >>> from parscore import plots
        >>> from parscore.datasets import example_data
        >>> scheme = ps.builtin_scheme("example-commune-2026")
        >>> data = example_data(scheme, 60, seed=1)
        >>> data["group"] = np.array(["Huyện A", "Huyện B", "Huyện C"] * 20, dtype=object)
        >>> fig = plots.index_histogram(ps.score(scheme, data), by="group")
        >>> [ax.get_title() for ax in fig.axes]
        ['Huyện A: 20 đơn vị', 'Huyện B: 20 đơn vị', 'Huyện C: 20 đơn vị']

    .. versionadded:: 0.2
    """
    if not (bin_width > 0 and math.isfinite(bin_width)):
        msg = f"bin_width must be above 0, found {bin_width!r}"
        raise ValueError(msg)
    panels = _histogram_panels(result, by)
    if len(panels) > max_panels:
        msg = f"{len(panels)} panels is more than max_panels={max_panels}; use by=None"
        raise ValueError(msg)
    index = np.asarray(result.index, dtype=np.float64)
    lo = math.floor(float(np.min(index)) / bin_width) * bin_width
    hi = max(math.ceil(float(np.max(index)) / bin_width) * bin_width, lo + bin_width)
    bins = np.arange(lo, hi + 1.5 * bin_width, bin_width)
    colours = scheme_colours(result.scheme)
    order = tier_order([s.names for s in result.scheme.tiers.scales().values()])
    tier = np.asarray([str(t) for t in result.tier], dtype=object)
    ncols = min(3, len(panels))
    nrows = math.ceil(len(panels) / ncols)
    fig = new(4.2 * ncols, 2.3 * nrows + 0.8)
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()  # same bins, same x range
    for ax in axes[len(panels) :]:
        ax.set_visible(False)
    for ax, (title, units, scale) in zip(axes, panels, strict=False):
        shown = [n for n in order if np.any(tier[units] == n)]
        ax.hist(
            [index[units & (tier == n)] for n in shown],
            bins=bins,
            color=[colours.get(n, MUTED) for n in shown],
            label=shown,
            stacked=True,
            edgecolor="white",
            lw=0.4,
        )
        if scale is not None and scale.basis == "index":
            for tier_def in scale.scale[:-1]:
                if lo <= tier_def.bound <= hi:
                    ax.axvline(tier_def.bound, color=MUTED, lw=0.8, ls=_DASHED)
        ax.set_title(f"{title}: {int(units.sum())} đơn vị", fontsize=FONT["size"], color=INK)
        _whole_numbers(ax.yaxis)
        style_axes(ax, grid="y")
    for ax in axes[: len(panels)]:
        ax.set_xlim(bins[0], bins[-1])
        ax.set_xlabel("Chỉ số (index, %)")
    handles = {n: c for n, c in colours.items() if n in set(tier.tolist())}
    patches = _patches(handles)
    fig.legend(
        handles=patches,
        loc="outside lower center",
        ncols=min(len(patches), 6),
        frameon=False,
        prop=dict(FONT),
    )
    return finish(fig)


def _whole_numbers(axis: Any) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _patches(colours: dict[str, str]) -> list[Any]:
    from matplotlib.patches import Patch

    return [Patch(facecolor=c, label=n) for n, c in colours.items()]


def _histogram_panels(
    result: Result, by: str | None
) -> list[tuple[str, BoolArray, TierScale | None]]:
    """(title, units, the scale of every unit in the panel or None) of each panel."""
    scales = _panels(result)
    one_scale = scales[0][2] if len(scales) == 1 else None
    everyone = np.ones(result.n_units, dtype=bool)
    if by == "type":
        if result.unit_types is None:
            msg = "by='type' needs a result with unit types"
            raise ValueError(msg)
        return [(type_name(result.scheme, str(k)), u, s) for k, u, s in scales]
    if by == "group":
        if result.groups is None:
            return [("Tất cả (all units)", everyone, one_scale)]
        groups = np.asarray([str(g) for g in result.groups], dtype=object)
        return [(g, np.asarray(groups == g, dtype=bool), one_scale) for g in ordered(groups)]
    if by is None:
        return [("Tất cả (all units)", everyone, one_scale)]
    msg = f"by must be 'group', 'type' or None, found {by!r}"
    raise ValueError(msg)


Compare = Literal["ranking", "group", "type", "all"]


def _peers(result: Result, u: int, compare: Compare) -> tuple[BoolArray, str]:
    """The units whose mean the profile shows, and how to name them."""
    everyone = np.ones(result.n_units, dtype=bool)
    same_group = everyone if result.groups is None else result.groups == result.groups[u]
    same_type = everyone if result.unit_types is None else result.unit_types == result.unit_types[u]
    if compare == "ranking":
        where = "" if result.groups is None else f": {result.groups[u]}"
        return np.asarray(same_group & same_type, dtype=bool), f"cùng nhóm xếp hạng{where}"
    if compare == "group":
        if result.groups is None:
            msg = "compare='group' needs a result with groups"
            raise ValueError(msg)
        return np.asarray(same_group, dtype=bool), f"nhóm {result.groups[u]}"
    if compare == "type":
        if result.unit_types is None:
            msg = "compare='type' needs a result with unit types"
            raise ValueError(msg)
        return np.asarray(same_type, dtype=bool), type_name(
            result.scheme, str(result.unit_types[u])
        )
    return everyone, "tất cả đơn vị"


def field_profile(
    result: Result,
    unit: str,
    *,
    kind: Literal["bars", "radar"] = "bars",
    compare: Compare = "ranking",
) -> Figure:
    """One unit's component index in each field, beside the mean of the units it is compared with.

    The component index of a field is its points as a percent of its applicable max (NaN,
    shown as "không áp dụng", where the field does not apply to the unit). The mean is over
    the compared units the field applies to.

    Args:
        result: A scored result.
        unit: The unit's id.
        kind: ``bars`` (default): one horizontal bar per field with the mean marked;
            ``radar``: the unit's and the mean's polygons on one radar (three fields or more;
            a field that does not apply is drawn at 0 and named "n/a").
        compare: Whose mean to show: ``ranking`` (default): the units ranked with it (the
            same group, and the same unit type); ``group``; ``type``; ``all`` units.

    Returns:
        A new :class:`matplotlib.figure.Figure` (not registered with pyplot).

    Raises:
        KeyError: when no unit has that id.
        ValueError: for another *kind* or *compare*, ``group``/``type`` without groups or
            types, or a radar of fewer than three fields.
        MissingDependencyError: when matplotlib is not installed.

    Example:
        >>> import parscore as ps
        >>> from parscore import plots
        >>> from parscore.datasets import example_data
        >>> scheme = ps.builtin_scheme("example-commune-2026")
        >>> result = ps.score(scheme, example_data(scheme, 60, seed=1))
        >>> fig = plots.field_profile(result, "xa-0001")
        >>> len(fig.axes[0].get_yticklabels()) == len(scheme.nodes)
        True
        >>> fig = plots.field_profile(result, "xa-0001", kind="radar", compare="all")

    .. versionadded:: 0.2
    """
    if kind not in {"bars", "radar"}:
        msg = f"kind must be 'bars' or 'radar', found {kind!r}"
        raise ValueError(msg)
    if compare not in {"ranking", "group", "type", "all"}:
        msg = f"compare must be 'ranking', 'group', 'type' or 'all', found {compare!r}"
        raise ValueError(msg)
    u = result.unit_position(unit)
    peers, peers_name = _peers(result, u, compare)
    fields = [node.id for node in result.scheme.nodes]
    labels = [_short(f"{f}. {result.scheme.node(f).name}") for f in fields]
    comps = [np.asarray(result.component_index[f], dtype=np.float64) for f in fields]
    mine = np.array([c[u] for c in comps], dtype=np.float64)
    with warnings.catch_warnings():  # a field that applies to no peer: NaN mean
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.array([np.nanmean(c[peers]) for c in comps], dtype=np.float64)
    tier = str(result.tier[u])
    colour = scheme_colours(result.scheme).get(tier, ACCENT)
    shown = " · ".join(str(v[u]) for v in result.labels.values() if str(v[u]))
    d = result.scheme.rounding.decimals
    name = f"{result.unit_ids[u]}{f' · {shown}' if shown else ''}"
    title = f"{name}: chỉ số (index) {result.index[u]:.{d}f} %, {tier}"
    mean_label = f"Trung bình (mean): {peers_name}, {int(peers.sum())} đơn vị"
    if kind == "radar":
        fig = _radar(labels, mine, mean, colour, mean_label)
    else:
        fig = _bars(labels, mine, mean, colour, mean_label)
    fig.suptitle(_short(title, 90), fontsize=FONT["size"] + 1, color=INK)
    return finish(fig)


def _bars(
    labels: list[str], mine: FloatArray, mean: FloatArray, colour: str, mean_label: str
) -> Any:
    n = len(labels)
    fig = new(8.0, 1.2 + 0.42 * n)
    ax = fig.add_subplot()
    y = np.arange(n, 0, -1, dtype=np.float64)
    ax.barh(y, np.nan_to_num(mine), height=0.62, color=colour, label="Đơn vị (unit)")
    ax.scatter(mean, y, marker="|", s=260, color=INK, lw=2.0, zorder=3, label=mean_label)
    for yy, value in zip(y, mine, strict=True):
        text = "không áp dụng (n/a)" if math.isnan(value) else f"{value:.1f}"
        x = 1.0 if math.isnan(value) else min(value, 100.0) + 1.0
        ax.text(x, yy, text, va="center", fontsize=FONT["size"] - 1, color=MUTED)
    ax.set_yticks(y, labels)
    ax.set_xlim(0, 108)
    ax.set_xlabel("Chỉ số thành phần (component index, % of applicable max)")
    style_axes(ax, grid="x")
    ax.tick_params(axis="y", length=0)
    legend(fig, loc="outside lower center", ncols=2)
    return fig


def _radar(
    labels: list[str], mine: FloatArray, mean: FloatArray, colour: str, mean_label: str
) -> Any:
    n = len(labels)
    if n < 3:
        msg = f"a radar needs three fields or more, the scheme has {n}; use kind='bars'"
        raise ValueError(msg)
    fig = new(6.4, 6.0)
    ax = fig.add_subplot(projection="polar")
    angles = np.linspace(0.0, 2.0 * np.pi, n, endpoint=False)
    closed = np.append(angles, angles[0])
    ax.set_theta_offset(np.pi / 2.0)
    ax.set_theta_direction(-1)
    unit_values = np.nan_to_num(mine)
    ax.plot(closed, np.append(unit_values, unit_values[0]), color=colour, lw=1.6)
    ax.fill(
        closed,
        np.append(unit_values, unit_values[0]),
        color=colour,
        alpha=0.25,
        label="Đơn vị (unit)",
    )
    peers = np.nan_to_num(mean)
    ax.plot(closed, np.append(peers, peers[0]), color=INK, lw=1.0, ls=_DASHED, label=mean_label)
    names = [
        f"{label} (n/a)" if math.isnan(v) else label for label, v in zip(labels, mine, strict=True)
    ]
    ax.set_xticks(angles, [_short(name, 28) for name in names])
    ax.set_ylim(0, 100)
    ax.set_yticks([25, 50, 75, 100])
    ax.tick_params(labelsize=FONT["size"] - 1, labelfontfamily="sans-serif", colors=MUTED)
    legend(fig, loc="outside lower center", ncols=1)
    return fig

"""The ranking of every unit and the tier distribution (per unit type when there are types)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from parscore.report.html._parts import (
    Numbers,
    badge,
    bar,
    escape,
)
from parscore.report.html._types import marks, marks_legend, type_label, type_scales

if TYPE_CHECKING:
    from parscore.model import Tier, TierScale
    from parscore.result import Result
    from parscore.typing import BoolArray

__all__ = ["ranking_order", "ranking_section", "tiers_section"]


def ranking_order(result: Result) -> list[int]:
    """Units in the ranking's order: by type (declared order), group, rank, then id."""
    ids = result.unit_ids.astype(str)
    keys: list[object] = [ids, result.rank]
    if result.groups is not None:
        keys.append(result.groups.astype(str))
    if result.unit_types is not None:
        declared = {t: i for i, (t, _) in enumerate(type_scales(result.scheme))}
        keys.append(np.array([declared.get(str(t), -1) for t in result.unit_types]))
    return [int(i) for i in np.lexsort(tuple(keys))]  # type: ignore[arg-type]


def _head(result: Result, u: int) -> str:
    """The heading of a unit's ranking group: its type and/or its group."""
    parts = []
    if result.unit_types is not None:
        name = type_label(result.scheme, str(result.unit_types[u]))
        parts.append(f'Loại đơn vị <span class="en">type</span> {escape(name)}')
    if result.groups is not None:
        parts.append(f'Nhóm <span class="en">group</span> {escape(result.groups[u])}')
    return " · ".join(parts)


def ranking_section(result: Result, colours: dict[str, str], fmt: Numbers) -> str:
    rows = []
    group = None
    labels = list(result.labels.values())
    ncols = 7 + len(labels)
    typed = result.unit_types is not None
    for u in ranking_order(result):
        if result.groups is not None or typed:
            head = _head(result, u)
            if head != group:
                group = head
                rows.append(f'<tr class="group-head"><td colspan="{ncols}">{head}</td></tr>')
        tier = str(result.tier[u])
        index = float(result.index[u])
        rows.append(
            "<tr>"
            f'<td class="n">{int(result.rank[u])}</td>'
            f"<td>{escape(result.unit_ids[u])}</td>"
            + "".join(f"<td>{escape(values[u])}</td>" for values in labels)
            + f'<td class="n">{fmt(float(result.total[u]))}</td>'
            f'<td class="n">{fmt(float(result.max[u]))}</td>'
            f'<td class="n"><b>{fmt(index)}</b></td>'
            f"<td>{bar(index, colours.get(tier, '#6b7280'))}</td>"
            f"<td>{badge(tier, colours)}{marks(result, u)}</td>"
            "</tr>"
        )
    by = "chỉ số (index)" if result.ranking.by == "index" else "tổng điểm (total)"
    within = (
        " trong từng loại đơn vị và từng nhóm <span class='en'>(within each unit type and "
        "group)</span>"
        if typed and result.groups is not None
        else " trong từng loại đơn vị <span class='en'>(within each unit type)</span>"
        if typed
        else " trong từng nhóm <span class='en'>(within each group)</span>"
        if result.groups is not None
        else ""
    )
    bases = {scale.basis for _, scale in type_scales(result.scheme)}
    tier_basis = (
        "chỉ số" if bases == {"index"} else "tổng điểm" if bases == {"total"} else "thang từng loại"
    )
    return (
        '<section id="ranking"><h2>Bảng xếp hạng <span class="en">Ranking</span></h2>'
        f'<p class="lead">Xếp hạng theo {by}{within}, cao nhất trước; xếp loại theo '
        f"{tier_basis}. Chỉ số = tổng điểm / điểm tối đa áp dụng × 100.</p>"
        '<div class="scroll"><table class="ranking"><thead><tr>'
        '<th class="n">Hạng<small>rank</small></th><th>Đơn vị<small>unit</small></th>'
        + "".join(f"<th>{escape(name)}</th>" for name in result.labels)
        + '<th class="n">Tổng điểm<small>total</small></th>'
        '<th class="n">Tối đa<small>max</small></th>'
        '<th class="n">Chỉ số<small>index</small></th><th></th>'
        "<th>Xếp loại<small>tier</small></th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        f"{marks_legend(result)}</section>"
    )


def _tier_table(
    result: Result,
    scale: TierScale,
    units: BoolArray,
    colours: dict[str, str],
    fmt: Numbers,
) -> str:
    """One scale's tier distribution over *units*, with the scale's ranges as its legend."""
    n = int(units.sum())
    tiers = [str(t) for t in result.tier[units]]
    counts = {name: tiers.count(name) for name in scale.names}
    top = max(counts.values()) or 1
    unit = "" if scale.basis == "index" else " điểm"
    rows = []
    uppers: list[Tier | None] = [None, *scale.scale[:-1]]
    for tier, upper in zip(scale.scale, uppers, strict=True):
        k = counts[tier.name]
        # "trên 80" for a strict bound; up to "80" (when the tier above is "trên 80") or
        # "dưới 80" (when it starts at 80)
        start = "trên" if tier.is_strict else "từ"
        end = "" if upper is None else " đến" if upper.is_strict else " đến dưới"
        span = f"{start} {fmt.plain(tier.bound)}{unit}" + (
            f"{end} {fmt.plain(upper.bound)}" if upper is not None else ""
        )
        if tier.quota is not None:
            span += f"; tối đa {fmt.plain(100.0 * tier.quota)} % số đơn vị"
        width = 100.0 * k / top
        share = fmt(100.0 * k / n, 1) if n else "–"
        rows.append(
            f"<tr><td>{badge(tier.name, colours)}</td><td>{escape(span)}</td>"
            f'<td class="n"><b>{k}</b></td><td class="n">{share} %</td>'
            f'<td style="width:40%"><div class="bar"><span style="width:{width:.1f}%;'
            f'background:{colours[tier.name]}"></span></div></td></tr>'
        )
    return (
        '<table class="tiers"><thead><tr><th>Xếp loại<small>tier</small></th>'
        "<th>Khoảng<small>range</small></th><th class='n'>Số đơn vị<small>units</small></th>"
        "<th class='n'>Tỷ lệ<small>share</small></th><th></th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _histogram(  # noqa: PLR0917 - private, one call site
    result: Result,
    scale: TierScale,
    units: BoolArray,
    colours: dict[str, str],
    caption: str,
    prefix: str,
) -> str:
    from parscore.report.plots import index_histogram_svg

    values = result.index if scale.basis == "index" else result.total
    if not units.any():
        return ""
    return f"<h3>{caption}</h3>" + index_histogram_svg(
        np.asarray(values[units], dtype=np.float64),
        scale.names,
        [t.bound for t in scale.scale],
        basis=scale.basis,
        colours=[colours[name] for name in scale.names],
        prefix=prefix,
        tiers=None if result.scale_tier is None else list(result.tier[units]),
        standalone=False,
    )


def tiers_section(result: Result, colours: dict[str, str], fmt: Numbers, *, svg: bool) -> str:
    """The tier distribution: one table (and histogram) per unit type, each with its scale."""
    types = result.unit_types
    body = []
    for k, (key, scale) in enumerate(type_scales(result.scheme)):
        prefix = "hist" if k == 0 else f"hist{k}"
        if key is None or types is None:
            units = np.ones(result.n_units, dtype=bool)
            title = ""
            caption = "Phân bố chỉ số <span class='en'>Distribution of the index</span>"
        else:
            units = np.asarray(types == key, dtype=bool)
            name = escape(type_label(result.scheme, key))
            title = f"<h3>{name} <span class='en'>({int(units.sum())} đơn vị, units)</span></h3>"
            caption = f"Phân bố chỉ số: {name} <span class='en'>Distribution of the index</span>"
        body.append(title + _tier_table(result, scale, units, colours, fmt))
        if svg:
            body.append(_histogram(result, scale, units, colours, caption, prefix))
    lead = (
        '<p class="lead">Mỗi loại đơn vị có thang xếp loại riêng '
        "<span class='en'>(each unit type has its own scale)</span>.</p>"
        if types is not None
        else ""
    )
    return (
        '<section id="tiers"><h2>Phân bố xếp loại <span class="en">Tier distribution</span></h2>'
        f"{lead}{''.join(body)}</section>"
    )

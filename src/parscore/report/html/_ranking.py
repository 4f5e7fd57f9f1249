"""The ranking of every unit and the tier distribution."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from parscore.report.html._parts import (
    Numbers,
    badge,
    bar,
    escape,
)

if TYPE_CHECKING:
    from parscore.model import Tier
    from parscore.result import Result

__all__ = ["ranking_order", "ranking_section", "tiers_section"]


def ranking_order(result: Result) -> list[int]:
    ids = result.unit_ids.astype(str)
    if result.groups is None:
        return [int(i) for i in np.lexsort((ids, result.rank))]
    return [int(i) for i in np.lexsort((ids, result.rank, result.groups.astype(str)))]


def ranking_section(result: Result, colours: dict[str, str], fmt: Numbers) -> str:
    basis = result.scheme.tiers.basis
    rows = []
    group = None
    labels = list(result.labels.values())
    ncols = 7 + len(labels)
    for u in ranking_order(result):
        if result.groups is not None and result.groups[u] != group:
            group = result.groups[u]
            rows.append(
                f'<tr class="group-head"><td colspan="{ncols}">Nhóm <span class="en">group'
                f"</span> {escape(group)}</td></tr>"
            )
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
            f"<td>{badge(tier, colours)}</td>"
            "</tr>"
        )
    by = "chỉ số (index)" if result.ranking.by == "index" else "tổng điểm (total)"
    within = " trong từng nhóm <span class='en'>(within each group)</span>" * (
        result.groups is not None
    )
    tier_basis = "chỉ số" if basis == "index" else "tổng điểm"
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
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div></section>"
    )


def tiers_section(result: Result, colours: dict[str, str], fmt: Numbers, *, svg: bool) -> str:
    scale = result.scheme.tiers
    n = result.n_units
    tiers = [str(t) for t in result.tier]
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
        width = 100.0 * k / top
        rows.append(
            f"<tr><td>{badge(tier.name, colours)}</td><td>{escape(span)}</td>"
            f'<td class="n"><b>{k}</b></td><td class="n">{fmt(100.0 * k / n, 1)} %</td>'
            f'<td style="width:40%"><div class="bar"><span style="width:{width:.1f}%;'
            f'background:{colours[tier.name]}"></span></div></td></tr>'
        )
    plot = ""
    if svg:
        from parscore.report.plots import index_histogram_svg

        values = result.index if scale.basis == "index" else result.total
        plot = (
            "<h3>Phân bố chỉ số <span class='en'>Distribution of the index</span></h3>"
            + index_histogram_svg(
                np.asarray(values, dtype=np.float64),
                scale.names,
                [t.bound for t in scale.scale],
                basis=scale.basis,
            )
        )
    return (
        '<section id="tiers"><h2>Phân bố xếp loại <span class="en">Tier distribution</span></h2>'
        '<table class="tiers"><thead><tr><th>Xếp loại<small>tier</small></th>'
        "<th>Khoảng<small>range</small></th><th class='n'>Số đơn vị<small>units</small></th>"
        "<th class='n'>Tỷ lệ<small>share</small></th><th></th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>{plot}</section>"
    )

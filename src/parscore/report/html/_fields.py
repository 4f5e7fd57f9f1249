"""Each field's component index across units, and the units that lost most in each."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from parscore.report.html._parts import (
    TOP_LOST,
    Numbers,
    escape,
    field_label,
    unit_label,
)

if TYPE_CHECKING:
    from parscore.result import Result
    from parscore.typing import FloatArray

__all__ = ["fields_section", "lost_section", "quantiles", "range_bar"]


def quantiles(values: FloatArray) -> tuple[float, float, float, float, float, float]:
    v = values[~np.isnan(values)]
    if not v.size:
        nan = math.nan
        return nan, nan, nan, nan, nan, nan
    q1, med, q3 = (float(x) for x in np.percentile(v, [25, 50, 75]))
    return float(v.min()), q1, med, q3, float(v.max()), float(v.mean())


def range_bar(q: Sequence[float]) -> str:
    lo, q1, med, q3, hi, _ = q
    if math.isnan(lo):
        return ""
    return (
        '<div class="range">'
        f'<span class="wh" style="left:{lo:.1f}%;width:{hi - lo:.1f}%"></span>'
        f'<span class="iqr" style="left:{q1:.1f}%;width:{q3 - q1:.1f}%"></span>'
        f'<span class="med" style="left:calc({med:.1f}% - 1px)"></span></div>'
    )


def fields_section(result: Result, fmt: Numbers, *, svg: bool) -> str:
    fields = [node.id for node in result.scheme.nodes]
    comps = [np.asarray(result.component_index[f], dtype=np.float64) for f in fields]
    rows = []
    for field, comp in zip(fields, comps, strict=True):
        q = quantiles(comp)
        # the mean over the units the field applies to: one it does not apply to has no points
        points = np.asarray(result.points[field], dtype=np.float64)[~np.isnan(comp)]
        rows.append(
            f"<tr><td>{escape(field_label(result, field))}</td>"
            f'<td class="n">{fmt.plain(result.scheme.node(field).max)}</td>'
            f'<td class="n">{fmt(float(points.mean()) if points.size else None)}</td>'
            f'<td class="n"><b>{fmt(q[5])}</b></td><td class="n">{fmt(q[0])}</td>'
            f'<td class="n">{fmt(q[2])}</td><td class="n">{fmt(q[4])}</td>'
            + ("" if svg else f'<td style="width:26%">{range_bar(q)}</td>')
            + "</tr>"
        )
    plot = ""
    if svg:
        from parscore.report.plots import field_boxplot_svg

        plot = field_boxplot_svg([field_label(result, f) for f in fields], comps, standalone=False)
    legend = (
        "Hộp: từ phân vị 25 đến 75, vạch đỏ: trung vị, mỗi chấm: một đơn vị"
        " <span class='en'>(box: 25th–75th percentile, red: median, dots: units)</span>"
        if svg
        else "Thanh: từ thấp nhất đến cao nhất; phần đậm: phân vị 25–75; vạch đỏ: trung vị"
        " <span class='en'>(bar: min–max, dark: 25th–75th percentile, red: median)</span>"
    )
    extra_head = "" if svg else "<th>0–100 %</th>"
    return (
        '<section id="fields"><h2>Chỉ số thành phần theo lĩnh vực '
        '<span class="en">Component index by field</span></h2>'
        '<p class="lead">Chỉ số thành phần = điểm đạt / điểm tối đa áp dụng của lĩnh vực × 100. '
        f"{legend}.</p>{plot}"
        "<table><thead><tr><th>Lĩnh vực<small>field</small></th>"
        '<th class="n">Tối đa<small>max</small></th>'
        '<th class="n">Điểm TB<small>mean points</small></th>'
        '<th class="n">Chỉ số TB<small>mean %</small></th>'
        '<th class="n">Thấp nhất<small>min %</small></th>'
        '<th class="n">Trung vị<small>median %</small></th>'
        f'<th class="n">Cao nhất<small>max %</small></th>{extra_head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


def lost_section(result: Result, fmt: Numbers) -> str:
    ids = result.unit_ids.astype(str)
    blocks = []
    for node in result.scheme.nodes:
        lost = np.asarray(result.lost[node.id], dtype=np.float64)
        points = result.points[node.id]
        mx = result.node_max_points[node.id]
        comp = result.component_index[node.id]
        order = np.lexsort((ids, -lost))[:TOP_LOST]
        rows = "".join(
            f"<tr><td>{unit_label(result, u)}</td><td class='n'><b>{fmt(float(lost[u]))}</b></td>"
            f"<td class='n'>{fmt(float(points[u]))} / {fmt(float(mx[u]))}</td>"
            f"<td class='n'>{fmt(float(comp[u]))}</td></tr>"
            for u in order
            if lost[u] > 0
        )
        if not rows:
            rows = "<tr><td colspan='4' class='same'>Không đơn vị nào bị trừ điểm</td></tr>"
        blocks.append(
            f"<div><h3>{escape(field_label(result, node.id))}</h3>"
            "<table><thead><tr><th>Đơn vị<small>unit</small></th>"
            "<th class='n'>Bị trừ<small>lost</small></th>"
            "<th class='n'>Điểm / tối đa<small>points / max</small></th>"
            "<th class='n'>Chỉ số<small>%</small></th></tr></thead>"
            f"<tbody>{rows}</tbody></table></div>"
        )
    return (
        '<section id="lost"><h2>Đơn vị bị trừ nhiều điểm nhất theo lĩnh vực '
        '<span class="en">Units losing most points, by field</span></h2>'
        f'<p class="lead">{TOP_LOST} đơn vị bị trừ nhiều điểm nhất ở mỗi lĩnh vực '
        "(điểm tối đa áp dụng − điểm đạt).</p>"
        f'<div class="grid2">{"".join(blocks)}</div></section>'
    )

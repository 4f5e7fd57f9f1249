"""Changes since last year's result: ranks, tiers, new and gone units."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from parscore._rounding import round_half_up_scalar
from parscore.report.html._parts import (
    Numbers,
    badge,
    escape,
    unit_label,
)
from parscore.report.html._types import all_tier_names, colour_map, tier_positions

if TYPE_CHECKING:
    from parscore.result import Result

__all__ = ["changes_section", "move", "transitions"]


def move(change: int) -> str:
    if change > 0:
        return f'<span class="up">▲ tăng {change} bậc</span>'
    if change < 0:
        return f'<span class="down">▼ giảm {-change} bậc</span>'
    return '<span class="same">giữ nguyên</span>'


def changes_section(
    result: Result, previous: Result, colours: dict[str, str], fmt: Numbers, *, svg: bool
) -> str:
    prev_pos = {str(u): i for i, u in enumerate(previous.unit_ids)}
    cur_ids = [str(u) for u in result.unit_ids]
    cur_set = set(cur_ids)
    matched = [(i, prev_pos[u]) for i, u in enumerate(cur_ids) if u in prev_pos]
    new = sorted(u for u in cur_ids if u not in prev_pos)
    gone = sorted(str(u) for u in previous.unit_ids if str(u) not in cur_set)
    prev_colours = colour_map(previous.scheme)
    # each unit's tier in its own type's scale that year (0 = best; a tier not found, 0)
    prev_tier_pos = np.maximum(tier_positions(previous), 0)
    cur_tier_pos = np.maximum(tier_positions(result), 0)
    order = sorted(matched, key=lambda m: (int(result.rank[m[0]]), cur_ids[m[0]]))
    up = down = tier_up = tier_down = 0
    rows = []
    for i, j in order:
        change = int(previous.rank[j]) - int(result.rank[i])
        up += change > 0
        down += change < 0
        t_prev, t_cur = str(previous.tier[j]), str(result.tier[i])
        tier_move = int(prev_tier_pos[j]) - int(cur_tier_pos[i])
        tier_up += tier_move > 0
        tier_down += tier_move < 0
        delta = float(result.index[i]) - float(previous.index[j])
        cls = "up" if delta > 0 else "down" if delta < 0 else "same"
        rows.append(
            f"<tr><td>{unit_label(result, i)}</td>"
            f'<td class="n">{int(previous.rank[j])}</td><td class="n"><b>{int(result.rank[i])}</b>'
            f"</td><td>{move(change)}</td>"
            f'<td class="n">{fmt(float(previous.index[j]))}</td>'
            f'<td class="n">{fmt(float(result.index[i]))}</td>'
            f'<td class="n {cls}">{fmt.signed(round_half_up_scalar(delta, fmt.decimals))}</td>'
            f"<td>{badge(t_prev, prev_colours)}</td><td>{badge(t_cur, colours)}</td></tr>"
        )
    cards = [
        ("Đơn vị so sánh được", "matched", len(matched)),
        ("Tăng hạng", "rank up", up),
        ("Giảm hạng", "rank down", down),
        ("Lên loại", "tier up", tier_up),
        ("Xuống loại", "tier down", tier_down),
    ]
    card_html = "".join(
        f'<div class="card"><div class="v">{v}</div><div class="k">{escape(k)} '
        f'<span class="en">{escape(en)}</span></div></div>'
        for k, en, v in cards
    )
    plot = ""
    if svg and matched:
        from parscore.report.plots import index_change_svg

        i_idx = np.array([m[0] for m in matched])
        j_idx = np.array([m[1] for m in matched])
        plot = index_change_svg(
            np.asarray(previous.index[j_idx], dtype=np.float64),
            np.asarray(result.index[i_idx], dtype=np.float64),
            basis="index",
            standalone=False,
        )
    matrix = transitions(previous, result, matched, prev_colours, colours)
    lists = []
    for label, en, units in (
        ("Đơn vị mới", "new units, not in the previous result", new),
        ("Đơn vị không còn", "units gone since the previous result", gone),
    ):
        body = (
            "<div class='ids'>" + "<br>".join(escape(u) for u in units) + "</div>"
            if units
            else "<p class='same'>Không có <span class='en'>(none)</span></p>"
        )
        lists.append(
            f"<div><h3>{escape(label)} ({len(units)}) "
            f"<span class='en'>{escape(en)}</span></h3>{body}</div>"
        )
    prev_name = previous.scheme.name + (
        f" ({previous.scheme.year})" if previous.scheme.year else ""
    )
    return (
        '<section id="changes"><h2>Thay đổi so với kỳ trước '
        '<span class="en">Changes since the previous result</span></h2>'
        f'<p class="lead">So với {escape(prev_name)}; đơn vị được đối chiếu theo mã '
        "<span class='en'>(units matched by id)</span>.</p>"
        f'<div class="cards">{card_html}</div><div class="grid2"><div>{plot}</div>'
        f"<div>{matrix}</div></div>"
        '<div class="scroll"><table class="changes"><thead><tr><th>Đơn vị<small>unit</small></th>'
        '<th class="n">Hạng trước<small>previous rank</small></th>'
        '<th class="n">Hạng nay<small>rank</small></th><th>Thay đổi<small>move</small></th>'
        '<th class="n">Chỉ số trước<small>previous index</small></th>'
        '<th class="n">Chỉ số nay<small>index</small></th>'
        '<th class="n">Chênh lệch<small>change</small></th>'
        "<th>Loại trước<small>previous tier</small></th><th>Loại nay<small>tier</small></th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        f'<div class="grid2">{"".join(lists)}</div></section>'
    )


def transitions(
    previous: Result,
    result: Result,
    matched: list[tuple[int, int]],
    prev_colours: dict[str, str],
    colours: dict[str, str],
) -> str:
    """Units by previous tier (rows) and current tier (columns); unchanged on the diagonal."""
    prev_names = all_tier_names(previous.scheme)
    cur_names = all_tier_names(result.scheme)
    counts = {(a, b): 0 for a in prev_names for b in cur_names}
    for i, j in matched:
        key = (str(previous.tier[j]), str(result.tier[i]))
        counts[key] = counts.get(key, 0) + 1
    head = "".join(f'<th class="c">{badge(b, colours)}</th>' for b in cur_names)
    body = []
    for a in prev_names:
        cells = []
        for b in cur_names:
            k = counts[a, b]
            style = " style='background:#eef2ff;font-weight:600'" if a == b else ""
            cells.append(f'<td class="c"{style}>{k if k else "·"}</td>')
        body.append(f"<tr><td>{badge(a, prev_colours)}</td>{''.join(cells)}</tr>")
    return (
        "<h3>Chuyển loại <span class='en'>Tier moves: previous (rows) → now (columns)</span>"
        f"</h3><table class='moves'><thead><tr><th>Trước ↓ · Nay →</th>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )

"""Unit types, caps, quotas and named adjustments in the report.

With ``unit_types`` a scheme may give each type its own tier scale (``tiers.by_type``) and
ranks units within their type; caps lower a unit's tier when a condition holds and quotas
move units beyond a tier's share to the next tier. These helpers give every section the
unit's own scale, one colour per tier name, the marks of a lowered tier and their legend.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from parscore._display import tier_colour_map, tier_order
from parscore.report.html._parts import Numbers, escape, unit_label

if TYPE_CHECKING:
    from parscore.model import Scheme, TierScale
    from parscore.result import Result
    from parscore.typing import IntArray

__all__ = [
    "CAPPED_MARK",
    "QUOTA_MARK",
    "all_tier_names",
    "caps_section",
    "colour_map",
    "items_section",
    "marks",
    "marks_legend",
    "tier_positions",
    "type_label",
    "type_scales",
]

CAPPED_MARK = "*"
QUOTA_MARK = "†"


def type_scales(scheme: Scheme) -> list[tuple[str | None, TierScale]]:
    """Each unit type with its scale, in declared order; ``[(None, scale)]`` without types."""
    if scheme.unit_types is None:
        return [(None, scheme.tiers.for_type(None))]
    return [(t, scheme.tiers.for_type(t)) for t in scheme.unit_types.ids]


def colour_map(scheme: Scheme) -> dict[str, str]:
    """One colour per tier name of every scale, green (best) to red (worst)."""
    return tier_colour_map([scale.names for _, scale in type_scales(scheme)])


def all_tier_names(scheme: Scheme) -> tuple[str, ...]:
    """Every tier name of every scale in one order, best first (v1: the scale's names)."""
    return tier_order([scale.names for _, scale in type_scales(scheme)])


def type_label(scheme: Scheme, type_id: str) -> str:
    """A type's name as published, with its id (``UBND cấp huyện (huyen)``), or its id."""
    if scheme.unit_types is not None:
        for t in scheme.unit_types.types:
            if t.id == type_id and t.name:
                return f"{t.name} ({t.id})"
    return type_id


def tier_positions(result: Result) -> IntArray:
    """Position of each unit's tier in its own type's scale, 0 = best (-1: not in it)."""
    types = result.unit_types
    out = np.full(result.n_units, -1, dtype=np.int64)
    where = {
        key: {name: k for k, name in enumerate(scale.names)}
        for key, scale in type_scales(result.scheme)
    }
    for u in range(result.n_units):
        key = str(types[u]) if types is not None and str(types[u]) in where else None
        out[u] = where.get(key, where.get(None, {})).get(str(result.tier[u]), -1)
    return out


def marks(result: Result, u: int) -> str:
    """The marks after a unit's tier badge: capped (with the cap's name), moved by quota."""
    out = ""
    if result.capped_by is not None and result.capped_by[u]:
        cap = next(c for c in result.scheme.tiers.caps if c.id == result.capped_by[u])
        out += f'<sup class="mark" title="{escape(cap.name)}">{CAPPED_MARK}</sup>'
    if result.quota_moved is not None and result.quota_moved[u]:
        out += f'<sup class="mark" title="moved by quota">{QUOTA_MARK}</sup>'
    return out


def marks_legend(result: Result) -> str:
    """The legend of the marks the ranking shows, or "" when no tier was lowered."""
    lines = []
    if result.capped_by is not None and any(result.capped_by):
        caps = ", ".join(
            f"{escape(c.name)} → {escape(c.at_most)}"
            for c in result.scheme.tiers.caps
            if c.id in set(result.capped_by)
        )
        lines.append(f"{CAPPED_MARK} Bị giới hạn xếp loại <span class='en'>(capped: {caps})</span>")
    if result.quota_moved is not None and result.quota_moved.any():
        lines.append(
            f"{QUOTA_MARK} Chuyển xuống loại kế tiếp do vượt tỷ lệ tối đa "
            "<span class='en'>(moved by quota)</span>"
        )
    return "".join(f'<p class="legend">{line}</p>' for line in lines)


def caps_section(result: Result, fmt: Numbers) -> str:
    """Caps and quotas: each condition, the units it held and lowered; each quota's moves."""
    tiers = result.scheme.tiers
    if not tiers.caps and not tiers.has_quota:
        return ""
    parts = []
    if tiers.caps:
        rows = []
        for c, cap in enumerate(tiers.caps):
            held = 0 if result.caps_held is None else int(result.caps_held[c].sum())
            lowered = 0 if result.capped_by is None else int((result.capped_by == cap.id).sum())
            what = (
                f"chỉ số thành phần {escape(cap.node)} dưới {fmt.plain(cap.index_below)}"
                if cap.node is not None and cap.index_below is not None
                else f"cột <code>cap:{escape(cap.id)}</code>"
            )
            rows.append(
                f"<tr><td>{escape(cap.name)}</td><td>{what}</td><td>{escape(cap.at_most)}</td>"
                f'<td class="n">{held}</td><td class="n"><b>{lowered}</b></td></tr>'
            )
        parts.append(
            "<h3>Giới hạn xếp loại <span class='en'>Tier caps</span></h3>"
            '<table class="caps"><thead><tr><th>Điều kiện<small>condition</small></th>'
            "<th>Căn cứ<small>tested on</small></th><th>Tối đa<small>at most</small></th>"
            '<th class="n">Đơn vị có<small>units held</small></th>'
            '<th class="n">Bị hạ loại<small>units capped</small></th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    if tiers.has_quota:
        parts.append(_quota_table(result, fmt))
    return (
        '<section id="caps"><h2>Giới hạn và tỷ lệ tối đa '
        '<span class="en">Caps and quotas</span></h2>'
        '<p class="lead">Xếp loại theo thang điểm, rồi hạ theo điều kiện giới hạn, rồi theo tỷ '
        "lệ tối đa trong từng nhóm xếp hạng <span class='en'>(scale, then caps, then quotas "
        "per ranking group; units tied at a quota's cut all move down)</span>.</p>"
        + "".join(parts)
        + "</section>"
    )


def _quota_table(result: Result, fmt: Numbers) -> str:
    rows = []
    types = result.unit_types
    moved = result.quota_moved
    scale_tier = result.scale_tier
    for key, scale in type_scales(result.scheme):
        mine = np.ones(result.n_units, dtype=bool) if types is None else (types == key)
        label = "" if key is None else escape(type_label(result.scheme, key))
        for tier in scale.scale:
            if tier.quota is None:
                continue
            reached = 0 if scale_tier is None else int((mine & (scale_tier == tier.name)).sum())
            kept = int((mine & (result.tier == tier.name)).sum())
            out = 0
            if moved is not None and scale_tier is not None:
                out = int((mine & moved & (scale_tier == tier.name)).sum())
            rows.append(
                f"<tr><td>{label}</td><td>{escape(tier.name)}</td>"
                f'<td class="n">{fmt.plain(100.0 * tier.quota)} %</td>'
                f'<td class="n">{reached}</td><td class="n">{kept}</td>'
                f'<td class="n"><b>{out}</b></td></tr>'
            )
    return (
        "<h3>Tỷ lệ tối đa <span class='en'>Quotas</span></h3>"
        '<table class="quotas"><thead><tr><th>Loại đơn vị<small>unit type</small></th>'
        "<th>Xếp loại<small>tier</small></th><th class='n'>Tối đa<small>quota</small></th>"
        "<th class='n'>Đạt theo thang<small>by the scale</small></th>"
        "<th class='n'>Giữ loại<small>holding it</small></th>"
        "<th class='n'>Chuyển xuống<small>moved by quota</small></th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def items_section(result: Result, fmt: Numbers) -> str:
    """Named adjustments: each item with its rule, and every unit that has one."""
    items = result.scheme.adjustments.items
    if not items:
        return ""
    head_rows = []
    for item in items:
        values = result.items.get(item.id, np.zeros(result.n_units))
        rule = [] if item.per is None else [f"{fmt.plain(item.per)} điểm mỗi lần"]
        rule += [] if item.max is None else [f"tối đa {fmt.plain(item.max)}"]
        kind = (
            "Thưởng <span class='en'>bonus</span>"
            if item.sign == "bonus"
            else ("Trừ <span class='en'>penalty</span>")
        )
        head_rows.append(
            f"<tr><td>{escape(item.name)}<span class='lbl'>adj:{escape(item.id)}</span></td>"
            f"<td>{kind}</td><td>{escape('; '.join(rule)) or '–'}</td>"
            f'<td class="n">{int(np.count_nonzero(values))}</td>'
            f'<td class="n">{fmt(float(values.sum()))}</td></tr>'
        )
    columns = [result.items.get(i.id, np.zeros(result.n_units)) for i in items]
    who = np.flatnonzero(np.any([c != 0 for c in columns], axis=0))
    unit_rows = [
        f"<tr><td>{unit_label(result, int(u))}</td>"
        + "".join(f'<td class="n">{fmt(float(c[u])) if c[u] else "·"}</td>' for c in columns)
        + "</tr>"
        for u in who
    ]
    heads = "".join(f'<th class="n">{escape(i.name)}</th>' for i in items)
    return (
        '<section id="adjustments"><h2>Điểm thưởng, điểm trừ '
        '<span class="en">Named adjustments</span></h2>'
        '<p class="lead">Mỗi khoản được giới hạn theo mức tối đa của nó, rồi tổng điểm thưởng '
        "(điểm trừ) theo mức tối đa chung <span class='en'>(each item capped by its own max, "
        "then the sums by the bonus and penalty caps)</span>.</p>"
        '<table class="items"><thead><tr><th>Khoản<small>item</small></th>'
        "<th>Loại<small>sign</small></th><th>Cách tính<small>rule</small></th>"
        '<th class="n">Số đơn vị<small>units</small></th>'
        '<th class="n">Tổng điểm<small>points</small></th></tr></thead>'
        f"<tbody>{''.join(head_rows)}</tbody></table>"
        + (
            '<div class="scroll"><table class="item-units"><thead><tr>'
            f"<th>Đơn vị<small>unit</small></th>{heads}</tr></thead>"
            f"<tbody>{''.join(unit_rows)}</tbody></table></div>"
            if unit_rows
            else ""
        )
        + "</section>"
    )

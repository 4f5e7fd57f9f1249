"""Compact HTML views of explanations for Jupyter (``_repr_html_``).

:class:`~parscore.Explanation` shows the unit, its total, index, tier and rank, and one row
per node (points, max, points lost, the rule and the inputs read); :class:`~parscore.Explanations`
shows one row per unit with the criterion where it lost most. Every text is escaped (unit ids,
labels and node names come from files); styles are inline (some viewers strip ``<style>``).

.. versionadded:: 0.2
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import numpy as np

from parscore._display import tier_colour_map

if TYPE_CHECKING:
    from parscore.result._explain import Explanation
    from parscore.result._explain_all import Explanations

__all__ = ["explanation_html", "explanations_html"]

_MAX_ROWS = 400  # nodes of one unit
_MAX_UNITS = 20  # units of many
_TXT = "text-align:left;padding:1px 6px"
_NUM = "text-align:right;padding:1px 6px;white-space:nowrap"
_NOTE = "color:#4b5563;font-size:90%"
_TABLE = "<table style='border-collapse:collapse'>"


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _badge(tier: str, colour: str = "#374151") -> str:
    return (
        f"<span style='background:{colour};color:#fff;border-radius:9px;padding:0 8px;"
        f"font-size:90%'>{_e(tier)}</span>"
    )


def _head(names: tuple[str, ...], numeric: tuple[str, ...]) -> str:
    cells = "".join(f"<th style='{_NUM if h in numeric else _TXT}'>{_e(h)}</th>" for h in names)
    return f"<thead><tr>{cells}</tr></thead>"


def _summary(ex: Explanation) -> str:
    d = ex.decimals
    rank = f"rank {ex.rank}"
    if ex.rank_among is not None and ex.unit_type is not None:
        rank += f" of {ex.rank_among} {ex.unit_type}"
    return (
        f"total {ex.total:.{d}f} of {ex.max:.{d}f} = index <b>{ex.index:.{d}f}</b> — "
        f"tier {_badge(ex.tier)}, {_e(rank)}"
    )


def explanation_html(ex: Explanation) -> str:
    """One unit's audit trail: the header, the summary, a row per node, the notes."""
    d = ex.decimals
    rows: list[str] = []
    for row in ex.rows[:_MAX_ROWS]:
        weight = "400" if row.is_leaf else "600"
        lost = f"{row.lost:.{d}f}"
        if not row.for_type:
            pts, lost, what = "—", "", f"not for type {ex.unit_type}"
        elif not row.applicable:
            pts, lost, what = "n/a", "", ""
        else:
            pts = f"{row.points:.{d}f}"
            what = f"{row.rule} [{row.shown_inputs()}]" if row.is_leaf else ""
        rows.append(
            "<tr>"
            f"<td style='{_TXT};white-space:nowrap'><code>{_e(row.node_id)}</code></td>"
            f"<td style='{_TXT};padding-left:{8 + 18 * row.depth}px;font-weight:{weight}'>"
            f"{_e(row.name)}</td>"
            f"<td style='{_NUM}'>{_e(pts)}</td><td style='{_NUM}'>{row.max:.{d}f}</td>"
            f"<td style='{_NUM}'>{_e(lost)}</td>"
            f"<td style='{_TXT};{_NOTE}'>{_e(what)}</td></tr>"
        )
    for sign, value in (("bonus", ex.bonus), ("penalty", ex.penalty)):
        if value is None:
            continue
        shown = value if sign == "bonus" else -value
        lines = "<br>".join(_e(line) for line in ex.item_lines(sign))
        rows.append(
            f"<tr><td style='{_TXT}'></td><td style='{_TXT};font-weight:600'>{sign}</td>"
            f"<td style='{_NUM}'>{shown:.{d}f}</td><td style='{_NUM}'></td>"
            f"<td style='{_NUM}'></td><td style='{_TXT};{_NOTE}'>{lines}</td></tr>"
        )
    more = (
        f"<p>… {len(ex.rows) - _MAX_ROWS} more nodes (<code>explanation.to_pandas()</code> "
        "for all)</p>"
        if len(ex.rows) > _MAX_ROWS
        else ""
    )
    notes = "".join(f"<li>{_e(note)}</li>" for note in ex.notes)
    notes = f"<ul style='{_NOTE}'>{notes}</ul>" if notes else ""
    head = _head(
        ("id", "node", "points", "max", "lost", "rule [inputs]"), ("points", "max", "lost")
    )
    return (
        f"<div><p><b>{_e(ex.header)}</b><br>{_summary(ex)}</p>"
        f"{_TABLE}{head}<tbody>{''.join(rows)}</tbody></table>{more}{notes}</div>"
    )


def explanations_html(many: Explanations) -> str:
    """Many units: total, max, index, tier, rank and where each lost most (first 20)."""
    result = many.result
    scheme = result.scheme
    d = scheme.rounding.decimals
    colours = tier_colour_map([s.names for s in scheme.tiers.scales().values()])
    leaves = np.array([r is not None for r in many.rules], dtype=bool)
    lost = np.where(leaves[None, :] & many.applicable, many.lost, -np.inf)
    shown = min(len(many), _MAX_UNITS)
    labels = list(result.labels)
    numeric = ("total", "max", "index", "rank", "lost")
    head = _head(
        ("unit_id", *labels, "total", "max", "index", "tier", "rank", "most lost at", "lost"),
        numeric,
    )
    body = []
    for i in range(shown):
        u = int(many.positions[i])
        tier = str(result.tier[u])
        worst = int(np.argmax(lost[i])) if lost.shape[1] else -1
        where, points = "", ""
        if worst >= 0 and np.isfinite(lost[i, worst]) and lost[i, worst] > 0:
            node = many.node_ids[worst]
            where = f"{node} {scheme.node(node).name}"
            points = f"{lost[i, worst]:.{d}f}"
        body.append(
            f"<tr><td style='{_TXT}'>{_e(result.unit_ids[u])}</td>"
            + "".join(f"<td style='{_TXT}'>{_e(result.labels[c][u])}</td>" for c in labels)
            + f"<td style='{_NUM}'>{result.total[u]:.{d}f}</td>"
            f"<td style='{_NUM}'>{result.max[u]:.{d}f}</td>"
            f"<td style='{_NUM}'><b>{result.index[u]:.{d}f}</b></td>"
            f"<td style='{_TXT}'>{_badge(tier, colours.get(tier, '#6b7280'))}</td>"
            f"<td style='{_NUM}'>{int(result.rank[u])}</td>"
            f"<td style='{_TXT}'>{_e(where)}</td><td style='{_NUM}'>{_e(points)}</td></tr>"
        )
    more = (
        f"<p>… {len(many) - shown} more units (<code>explanations[unit_id]</code> for one, "
        "<code>.to_pandas()</code> for all)</p>"
        if len(many) > shown
        else ""
    )
    return (
        f"<div><p><b>Explanations of {len(many)} units</b> — scheme "
        f"<code>{_e(scheme.id)}</code>, {len(many.node_ids)} nodes</p>"
        f"{_TABLE}{head}<tbody>{''.join(body)}</tbody></table>{more}</div>"
    )

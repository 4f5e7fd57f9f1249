"""Compact HTML views of schemes and results for Jupyter (``_repr_html_``).

Imported lazily by :meth:`Scheme._repr_html_ <parscore.Scheme>` and
:meth:`Result._repr_html_ <parscore.Result>`. The views read their argument through the
Protocols of :mod:`parscore._display._shapes`, so this module imports nothing above layer 0.
All text is escaped; styles are inline (notebooks strip ``<style>`` in some viewers).
"""

from __future__ import annotations

import html
from collections import Counter

import numpy as np

from parscore._display._colours import tier_colour_map
from parscore._display._shapes import NodeView, ResultView, SchemeView, _TierScaleView

__all__ = ["result_html", "scheme_html"]

_MAX_NODES = 400
_TOP_UNITS = 20
_CELL = "padding:2px 8px;text-align:{align};border-bottom:1px solid #e5e7eb"
_NUM = _CELL.format(align="right") + ";font-variant-numeric:tabular-nums;white-space:nowrap"
_TXT = _CELL.format(align="left")


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _points(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def scheme_html(scheme: SchemeView) -> str:
    """A tree of the scheme's nodes: id, name, max and rule, indented by depth."""
    rows: list[str] = []

    def add(node: NodeView, depth: int) -> None:
        if len(rows) >= _MAX_NODES:
            return
        weight = "600" if node.children else "400"
        rule = html.escape(node.rule.describe("vi")) if node.rule is not None else ""
        rows.append(
            "<tr>"
            f"<td style='{_TXT};white-space:nowrap'><code>{_e(node.id)}</code></td>"
            f"<td style='{_TXT};padding-left:{8 + 18 * depth}px;font-weight:{weight}'>"
            f"{_e(node.name)}</td>"
            f"<td style='{_NUM}'>{_points(node.max_points or 0.0)}</td>"
            f"<td style='{_TXT};color:#4b5563;font-size:90%'>{rule}</td></tr>"
        )
        for child in node.children:
            add(child, depth + 1)

    for node in scheme.nodes:
        add(node, 0)
    n_nodes = len(scheme.node_ids)
    more = f"<p>… {n_nodes - len(rows)} more nodes</p>" if n_nodes > len(rows) else ""
    tiers = _tiers_text(scheme)
    year = f", {scheme.year}" if scheme.year else ""
    n_leaves = sum(1 for _ in scheme.leaves())
    head = "".join(
        f"<th style='{_TXT if h in ('id', 'name', 'rule') else _NUM}'>{h}</th>"
        for h in ("id", "name", "max", "rule")
    )
    return (
        "<div>"
        f"<p><b>{_e(scheme.name)}</b> — <code>{_e(scheme.id)}</code> ({_e(scheme.level)}{year}): "
        f"{n_nodes} nodes, {n_leaves} leaves, max {_points(scheme.max_points)}; {tiers}</p>"
        f"<table style='border-collapse:collapse'><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>{more}</div>"
    )


def _scale_text(scale: _TierScaleView) -> str:
    return ", ".join(
        f"{_e(t.name)} {_e(t.label())}"
        + ("" if t.quota is None else f" (quota {_points(100.0 * t.quota)} %)")
        for t in scale.scale
    )


def _tiers_text(scheme: SchemeView) -> str:
    """Types, tiers (one scale per type), caps and named adjustments, as one line of HTML."""
    tiers = scheme.tiers
    parts = []
    types = scheme.unit_types
    if types is not None:
        named = ", ".join(
            f"<code>{_e(t.id)}</code>" + (f" ({_e(t.name)})" if t.name else "") for t in types.types
        )
        parts.append(f"unit types {named} (column <code>{_e(types.column)}</code>)")
    scales = tiers.scales()
    if set(scales) == {None}:
        parts.append(f"tiers {_scale_text(scales[None])}")
    else:
        parts.extend(
            f"tiers{'' if key is None else f' of <code>{_e(key)}</code>'} {_scale_text(scale)}"
            for key, scale in scales.items()
        )
    for cap in tiers.caps:
        what = (
            f"node {_e(cap.node)} below {_points(cap.index_below or 0.0)}"
            if cap.node is not None
            else f"column cap:{_e(cap.id)}"
        )
        parts.append(f"cap {_e(cap.name)} ({what}): at most {_e(cap.at_most)}")
    for item in scheme.adjustments.items:
        rule = [] if item.per is None else [f"{_points(item.per)} per case"]
        rule += [] if item.max is None else [f"max {_points(item.max)}"]
        parts.append(f"{item.sign} {_e(item.name)}" + (f" ({', '.join(rule)})" if rule else ""))
    return "; ".join(parts)


def _marks(result: ResultView, u: int) -> str:
    """``*`` when a cap lowered the unit's tier, ``†`` when a quota moved it."""
    out = ""
    if result.capped_by is not None and result.capped_by[u]:
        out += f"<sup title='capped: {_e(result.capped_by[u])}'>*</sup>"
    if result.quota_moved is not None and result.quota_moved[u]:
        out += "<sup title='moved by quota'>†</sup>"
    return out


def _counts(result: ResultView) -> str:
    """Units in each tier (per unit type when there are types)."""
    tiers = result.scheme.tiers
    if result.unit_types is None:
        counts = Counter(str(t) for t in result.tier)
        names = tiers.for_type(None).names
        return " · ".join(f"{_e(n)}: {counts.get(n, 0)}" for n in names)
    lines = []
    types = [str(t) for t in result.unit_types]
    for type_id in dict.fromkeys(types):
        counts = Counter(str(t) for t, k in zip(result.tier, types, strict=True) if k == type_id)
        names = tiers.for_type(type_id).names
        shown = " · ".join(f"{_e(n)}: {counts.get(n, 0)}" for n in names)
        lines.append(f"<code>{_e(type_id)}</code> {shown}")
    return "<br>".join(lines)


def result_html(result: ResultView) -> str:
    """The best units with their tier badges, and the number of units in each tier."""
    scheme = result.scheme
    d = scheme.rounding.decimals
    colours = tier_colour_map([s.names for s in scheme.tiers.scales().values()])
    order = np.lexsort((result.unit_ids.astype(str), result.rank))[:_TOP_UNITS]
    labels = result.labels
    types = result.unit_types
    numeric = ("rank", "total", "max", "index")
    columns = ["rank", "unit_id", *labels, *(["group"] if result.groups is not None else [])]
    columns += [*(["type"] if types is not None else []), "total", "max", "index", "tier"]
    head = "".join(f"<th style='{_NUM if h in numeric else _TXT}'>{_e(h)}</th>" for h in columns)
    body = []
    for u in order:
        tier = str(result.tier[u])
        badge = (
            f"<span style='background:{colours.get(tier, '#6b7280')};color:#fff;"
            f"border-radius:9px;padding:0 8px;font-size:90%'>{_e(tier)}</span>{_marks(result, u)}"
        )
        group = (
            f"<td style='{_TXT}'>{_e(result.groups[u])}</td>" if result.groups is not None else ""
        )
        kind = f"<td style='{_TXT}'>{_e(types[u])}</td>" if types is not None else ""
        body.append(
            f"<tr><td style='{_NUM}'>{int(result.rank[u])}</td>"
            f"<td style='{_TXT}'>{_e(result.unit_ids[u])}</td>"
            + "".join(f"<td style='{_TXT}'>{_e(values[u])}</td>" for values in labels.values())
            + f"{group}{kind}"
            f"<td style='{_NUM}'>{result.total[u]:.{d}f}</td>"
            f"<td style='{_NUM}'>{result.max[u]:.{d}f}</td>"
            f"<td style='{_NUM}'><b>{result.index[u]:.{d}f}</b></td>"
            f"<td style='{_TXT}'>{badge}</td></tr>"
        )
    notes = []
    if result.capped_by is not None and any(result.capped_by):
        notes.append("* capped: a condition lowered the tier")
    if result.quota_moved is not None and result.quota_moved.any():
        notes.append("† moved by quota")
    if types is not None:
        notes.append("ranks within each unit type")
    note = f"<p>{_e('; '.join(notes))}</p>" if notes else ""
    more = (
        f"<p>… {result.n_units - len(order)} more units (<code>result.to_pandas()</code> "
        "for all)</p>"
        if result.n_units > len(order)
        else ""
    )
    return (
        f"<div><p><b>{_e(scheme.name)}</b> — {result.n_units} units, scheme "
        f"<code>{_e(scheme.id)}</code>, <code>{_e(result.fingerprint[:19])}…</code><br>"
        f"{_counts(result)}</p><table style='border-collapse:collapse'><thead><tr>{head}</tr>"
        f"</thead><tbody>{''.join(body)}</tbody></table>{note}{more}</div>"
    )

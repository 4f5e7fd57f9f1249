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

from parscore._display._colours import tier_colours
from parscore._display._shapes import NodeView, ResultView, SchemeView

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
    tiers = ", ".join(f"{_e(t.name)} {_e(t.label())}" for t in scheme.tiers.scale)
    year = f", {scheme.year}" if scheme.year else ""
    n_leaves = sum(1 for _ in scheme.leaves())
    head = "".join(
        f"<th style='{_TXT if h in ('id', 'name', 'rule') else _NUM}'>{h}</th>"
        for h in ("id", "name", "max", "rule")
    )
    return (
        "<div>"
        f"<p><b>{_e(scheme.name)}</b> — <code>{_e(scheme.id)}</code> ({_e(scheme.level)}{year}): "
        f"{n_nodes} nodes, {n_leaves} leaves, max {_points(scheme.max_points)}; tiers {tiers}</p>"
        f"<table style='border-collapse:collapse'><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>{more}</div>"
    )


def result_html(result: ResultView) -> str:
    """The best units with their tier badges, and the number of units in each tier."""
    scheme = result.scheme
    d = scheme.rounding.decimals
    names = scheme.tiers.names
    colours = dict(zip(names, tier_colours(len(names)), strict=True))
    order = np.lexsort((result.unit_ids.astype(str), result.rank))[:_TOP_UNITS]
    labels = result.labels
    numeric = ("rank", "total", "max", "index")
    columns = ["rank", "unit_id", *labels, *(["group"] if result.groups is not None else [])]
    columns += ["total", "max", "index", "tier"]
    head = "".join(f"<th style='{_NUM if h in numeric else _TXT}'>{_e(h)}</th>" for h in columns)
    body = []
    for u in order:
        tier = str(result.tier[u])
        badge = (
            f"<span style='background:{colours.get(tier, '#6b7280')};color:#fff;"
            f"border-radius:9px;padding:0 8px;font-size:90%'>{_e(tier)}</span>"
        )
        group = (
            f"<td style='{_TXT}'>{_e(result.groups[u])}</td>" if result.groups is not None else ""
        )
        body.append(
            f"<tr><td style='{_NUM}'>{int(result.rank[u])}</td>"
            f"<td style='{_TXT}'>{_e(result.unit_ids[u])}</td>"
            + "".join(f"<td style='{_TXT}'>{_e(values[u])}</td>" for values in labels.values())
            + f"{group}"
            f"<td style='{_NUM}'>{result.total[u]:.{d}f}</td>"
            f"<td style='{_NUM}'>{result.max[u]:.{d}f}</td>"
            f"<td style='{_NUM}'><b>{result.index[u]:.{d}f}</b></td>"
            f"<td style='{_TXT}'>{badge}</td></tr>"
        )
    counts = Counter(str(t) for t in result.tier)
    tiers = " · ".join(f"{_e(n)}: {counts.get(n, 0)}" for n in names)
    more = (
        f"<p>… {result.n_units - len(order)} more units (<code>result.to_pandas()</code> "
        "for all)</p>"
        if result.n_units > len(order)
        else ""
    )
    return (
        f"<div><p><b>{_e(scheme.name)}</b> — {result.n_units} units, scheme "
        f"<code>{_e(scheme.id)}</code>, <code>{_e(result.fingerprint[:19])}…</code><br>"
        f"{tiers}</p><table style='border-collapse:collapse'><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>{more}</div>"
    )

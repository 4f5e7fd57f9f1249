"""A self-contained HTML report of a result, to send to a provincial office.

One file, nothing fetched: inline CSS, plots as inline SVG (matplotlib, the ``plots`` extra),
no scripts, no web fonts, no links to other sites. Without matplotlib the report still renders,
with HTML/CSS bar charts, and says so. Every text from the scheme or the data is escaped.

Sections: the header (scheme, year, level, fingerprint, units, date); the ranking of every
unit with its tier; the tier distribution; each field's component index across units; the
units that lost most points in each field; and, given last year's result, rank and tier changes
(units matched by id; new and gone units listed).

.. versionadded:: 0.1
"""

from __future__ import annotations

import datetime as _dt
import html
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

from parscore._display import tier_colours
from parscore._rounding import round_half_up_scalar
from parscore.errors import MissingDependencyError

if TYPE_CHECKING:
    from parscore.result import Result
    from parscore.typing import FloatArray

__all__ = ["render_report", "write_report"]

_LEVELS = {
    "province": "cấp tỉnh",
    "ministry": "cấp bộ",
    "department": "cấp sở, ban, ngành",
    "district": "cấp huyện",
    "commune": "cấp xã",
    "other": "khác",
}
_TOP_LOST = 5


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


class _Numbers:
    """Formats numbers to the scheme's decimals with the chosen decimal separator."""

    def __init__(self, decimals: int, decimal: str) -> None:
        self.decimals = decimals
        self.decimal = decimal

    def __call__(self, value: float | None, decimals: int | None = None) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        d = self.decimals if decimals is None else decimals
        text = f"{value:.{d}f}"
        return text.replace(".", ",") if self.decimal == "," else text

    def plain(self, value: float) -> str:
        """The value with no trailing zeros: 80, 70,5."""
        text = f"{value:.{self.decimals}f}".rstrip("0").rstrip(".")
        return text.replace(".", ",") if self.decimal == "," else text

    def signed(self, value: float) -> str:
        text = self(abs(value))
        return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else text)


_CSS = """
:root { --ink:#1f2937; --muted:#6b7280; --line:#e5e7eb; --soft:#f8fafc; --accent:#1d4ed8; }
* { box-sizing:border-box; }
body { margin:0; background:#f1f5f9; color:var(--ink);
  font:14px/1.5 "Segoe UI", system-ui, -apple-system, Roboto, "Noto Sans", "Helvetica Neue",
  Arial, sans-serif; }
main { max-width:1120px; margin:0 auto; padding:28px 32px 48px; background:#fff;
  box-shadow:0 1px 3px rgba(15,23,42,.08); }
header.top { border-bottom:3px solid var(--accent); padding-bottom:16px; margin-bottom:8px; }
.kicker { text-transform:uppercase; letter-spacing:.08em; font-size:12px; color:var(--accent);
  font-weight:600; margin:0 0 4px; }
h1 { font-size:26px; line-height:1.25; margin:0 0 6px; }
h2 { font-size:19px; margin:36px 0 4px; padding-bottom:6px; border-bottom:1px solid var(--line); }
h3 { font-size:15px; margin:22px 0 6px; }
.en { color:var(--muted); font-weight:400; font-size:.78em; }
p.lead { color:var(--muted); margin:2px 0 12px; }
dl.meta { display:grid; grid-template-columns:repeat(auto-fill,minmax(190px,1fr)); gap:6px 24px;
  margin:14px 0 0; }
dl.meta div { min-width:0; }
dl.meta dt { font-size:12px; color:var(--muted); }
dl.meta dd { margin:0; font-weight:600; overflow-wrap:anywhere; }
code { font:12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.cards { display:grid; grid-template-columns:repeat(auto-fit,minmax(150px,1fr)); gap:12px;
  margin:18px 0 4px; }
.card { border:1px solid var(--line); border-radius:8px; padding:10px 14px;
  background:var(--soft); }
.card .v { font-size:22px; font-weight:650; font-variant-numeric:tabular-nums; }
.card .k { font-size:12px; color:var(--muted); }
table { border-collapse:collapse; width:100%; font-variant-numeric:tabular-nums; }
th, td { padding:5px 10px; border-bottom:1px solid var(--line); vertical-align:middle; }
th { text-align:left; font-size:12px; color:var(--muted); font-weight:600;
  border-bottom:2px solid #cbd5e1; background:#fff; position:sticky; top:0; }
th small { display:block; font-weight:400; }
td.n, th.n { text-align:right; white-space:nowrap; }
td.c, th.c { text-align:center; }
tbody tr:nth-child(even) td { background:#fafbfc; }
table.moves th:first-child { white-space:nowrap; }
tr.group-head td { background:#eef2ff !important; font-weight:600; }
.badge { display:inline-block; min-width:76px; padding:1px 9px; border-radius:999px; color:#fff;
  font-size:12px; font-weight:600; text-align:center; white-space:nowrap; }
.bar { position:relative; height:10px; background:#eef2f7; border-radius:5px; min-width:90px; }
.bar > span { position:absolute; left:0; top:0; bottom:0; border-radius:5px; }
.range { position:relative; height:14px; background:#eef2f7; border-radius:3px; min-width:200px; }
.range .iqr { position:absolute; top:2px; bottom:2px; background:#93c5fd; border-radius:2px; }
.range .wh { position:absolute; top:6px; height:2px; background:#60a5fa; }
.range .med { position:absolute; top:0; bottom:0; width:2px; background:#b91c1c; }
.plot { width:100%; height:auto; display:block; margin:6px 0; }
.note { border-left:3px solid #d97706; background:#fffbeb; padding:8px 12px; margin:12px 0;
  color:#78350f; font-size:13px; }
.grid2 { display:grid; grid-template-columns:repeat(auto-fit,minmax(320px,1fr)); gap:8px 28px; }
.up { color:#15803d; font-weight:600; }
.down { color:#dc2626; font-weight:600; }
.same { color:var(--muted); }
.ids { columns:4 160px; font-size:13px; }
.lbl { color:var(--muted); font-size:12px; margin-left:6px; }
.scroll { max-height:720px; overflow:auto; border:1px solid var(--line); border-radius:6px; }
footer { margin-top:40px; color:var(--muted); font-size:12px; border-top:1px solid var(--line);
  padding-top:10px; }
@media print {
  body { background:#fff; } main { box-shadow:none; padding:0; max-width:none; }
  .scroll { max-height:none; overflow:visible; border:0; }
  tr, .card, svg { break-inside:avoid; } h2 { break-after:avoid; }
  .badge { -webkit-print-color-adjust:exact; print-color-adjust:exact; }
}
"""


def render_report(
    result: Result,
    *,
    previous: Result | None = None,
    title: str | None = None,
    date: _dt.date | None = None,
    decimal: Literal[".", ","] = ",",
    plots: bool = True,
) -> str:
    """Render the report of *result* as one self-contained HTML document.

    Args:
        result: The result to report.
        previous: Last year's (or the last round's) result: adds rank and tier changes, units
            matched by id. Its scheme may differ; only ids, index, tier and rank are compared.
        title: The report's title; by default the scheme's name.
        date: The date printed in the header; today by default.
        decimal: The decimal separator of numbers in the text: ``,`` as Vietnamese documents
            write them (81,33), or ``.``.
        plots: Draw plots with matplotlib when it is installed; False gives the HTML/CSS
            charts only.

    Returns:
        The HTML text (UTF-8 when written).

    .. versionadded:: 0.1
    """
    scheme = result.scheme
    fmt = _Numbers(scheme.rounding.decimals, decimal)
    svg_ok = plots and _has_matplotlib()
    colours = dict(zip(scheme.tiers.names, tier_colours(len(scheme.tiers.names)), strict=True))
    doc_title = title or scheme.name
    parts = [
        "<!DOCTYPE html>",
        '<html lang="vi"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="parscore">',
        f"<title>{_e(doc_title)}</title><style>{_CSS}</style></head><body><main>",
        _header(result, doc_title, date or _dt.date.today(), fmt),
    ]
    if not svg_ok:
        reason = (
            "Biểu đồ được vẽ bằng HTML/CSS vì chưa cài matplotlib "
            "<span class='en'>(charts drawn in HTML/CSS: matplotlib is not installed; "
            "<code>pip install 'parscore[plots]'</code> for the full plots)</span>"
            if plots
            else "Biểu đồ được vẽ bằng HTML/CSS <span class='en'>(plots switched off)</span>"
        )
        parts.append(f'<p class="note">{reason}</p>')
    parts.append(_tiers_section(result, colours, fmt, svg=svg_ok))
    parts.append(_ranking_section(result, colours, fmt))
    parts.append(_fields_section(result, fmt, svg=svg_ok))
    parts.append(_lost_section(result, fmt))
    if previous is not None:
        parts.append(_changes_section(result, previous, colours, fmt, svg=svg_ok))
    parts.append(
        "<footer>Lập bằng parscore; điểm làm tròn nửa lên (half-up) đến "
        f"{scheme.rounding.decimals} chữ số thập phân. Mã vân tay (fingerprint) "
        f"<code>{_e(result.fingerprint)}</code> xác định chính xác bộ chỉ số đã dùng."
        "</footer></main></body></html>"
    )
    return "\n".join(parts)


def write_report(
    result: Result,
    path: str | os.PathLike[str],
    *,
    previous: Result | None = None,
    title: str | None = None,
    date: _dt.date | None = None,
    decimal: Literal[".", ","] = ",",
    plots: bool = True,
) -> Path:
    """Write :func:`render_report` to *path* as UTF-8; returns the path.

    .. versionadded:: 0.1
    """
    target = Path(path)
    text = render_report(
        result, previous=previous, title=title, date=date, decimal=decimal, plots=plots
    )
    target.write_text(text, encoding="utf-8")
    return target


def _has_matplotlib() -> bool:
    from parscore._optional import require

    try:
        require("matplotlib", "plots")
    except MissingDependencyError:
        return False
    return True


def _header(result: Result, title: str, date: _dt.date, fmt: _Numbers) -> str:
    scheme = result.scheme
    level = _LEVELS.get(scheme.level, scheme.level)
    meta = [
        ("Bộ chỉ số <span class='en'>scheme</span>", _e(scheme.name)),
        ("Năm <span class='en'>year</span>", _e(scheme.year) if scheme.year else "–"),
        ("Cấp <span class='en'>level</span>", _e(level)),
        ("Số đơn vị <span class='en'>units</span>", f"{result.n_units:,}".replace(",", ".")),
        ("Điểm tối đa <span class='en'>max points</span>", fmt(scheme.max_points, 0)),
        ("Ngày lập <span class='en'>date</span>", _e(date.strftime("%d/%m/%Y"))),
        (
            "Mã bộ chỉ số <span class='en'>id · fingerprint</span>",
            (
                f"<code>{_e(scheme.id)}</code><br><code title='{_e(result.fingerprint)}'>"
                f"{_e(result.fingerprint[:23])}…</code>"
            ),
        ),
    ]
    if title == scheme.name:
        meta = meta[1:]  # the title says it already
    if scheme.legal_basis:
        meta.append(("Căn cứ <span class='en'>legal basis</span>", _e(scheme.legal_basis)))
    items = "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in meta)
    idx = result.index
    cards = [
        ("Chỉ số trung bình", "mean index", fmt(float(np.mean(idx)))),
        ("Trung vị", "median", fmt(float(np.median(idx)))),
        ("Cao nhất", "highest", fmt(float(np.max(idx)))),
        ("Thấp nhất", "lowest", fmt(float(np.min(idx)))),
    ]
    card_html = "".join(
        f'<div class="card"><div class="v">{v}</div><div class="k">{_e(k)} '
        f'<span class="en">{_e(en)}</span></div></div>'
        for k, en, v in cards
    )
    return (
        '<header class="top"><p class="kicker">Báo cáo kết quả Chỉ số cải cách hành chính '
        '<span class="en">PAR Index report</span></p>'
        f"<h1>{_e(title)}</h1><dl class='meta'>{items}</dl></header>"
        f'<div class="cards">{card_html}</div>'
    )


def _badge(tier: str, colours: dict[str, str]) -> str:
    colour = colours.get(tier, "#6b7280")
    return f'<span class="badge" style="background:{colour}">{_e(tier)}</span>'


def _bar(value: float, colour: str) -> str:
    width = 0.0 if math.isnan(value) else min(max(value, 0.0), 100.0)
    return f'<div class="bar"><span style="width:{width:.1f}%;background:{colour}"></span></div>'


def _ranking_order(result: Result) -> list[int]:
    ids = result.unit_ids.astype(str)
    if result.groups is None:
        return [int(i) for i in np.lexsort((ids, result.rank))]
    return [int(i) for i in np.lexsort((ids, result.rank, result.groups.astype(str)))]


def _ranking_section(result: Result, colours: dict[str, str], fmt: _Numbers) -> str:
    basis = result.scheme.tiers.basis
    rows = []
    group = None
    labels = list(result.labels.values())
    ncols = 7 + len(labels)
    for u in _ranking_order(result):
        if result.groups is not None and result.groups[u] != group:
            group = result.groups[u]
            rows.append(
                f'<tr class="group-head"><td colspan="{ncols}">Nhóm <span class="en">group'
                f"</span> {_e(group)}</td></tr>"
            )
        tier = str(result.tier[u])
        index = float(result.index[u])
        rows.append(
            "<tr>"
            f'<td class="n">{int(result.rank[u])}</td>'
            f"<td>{_e(result.unit_ids[u])}</td>"
            + "".join(f"<td>{_e(values[u])}</td>" for values in labels)
            + f'<td class="n">{fmt(float(result.total[u]))}</td>'
            f'<td class="n">{fmt(float(result.max[u]))}</td>'
            f'<td class="n"><b>{fmt(index)}</b></td>'
            f"<td>{_bar(index, colours.get(tier, '#6b7280'))}</td>"
            f"<td>{_badge(tier, colours)}</td>"
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
        + "".join(f"<th>{_e(name)}</th>" for name in result.labels)
        + '<th class="n">Tổng điểm<small>total</small></th>'
        '<th class="n">Tối đa<small>max</small></th>'
        '<th class="n">Chỉ số<small>index</small></th><th></th>'
        "<th>Xếp loại<small>tier</small></th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div></section>"
    )


def _tiers_section(result: Result, colours: dict[str, str], fmt: _Numbers, *, svg: bool) -> str:
    scale = result.scheme.tiers
    n = result.n_units
    tiers = [str(t) for t in result.tier]
    counts = {name: tiers.count(name) for name in scale.names}
    top = max(counts.values()) or 1
    unit = "" if scale.basis == "index" else " điểm"
    rows = []
    uppers: list[float | None] = [None, *(t.min for t in scale.scale[:-1])]
    for tier, upper in zip(scale.scale, uppers, strict=True):
        k = counts[tier.name]
        span = f"từ {fmt.plain(tier.min)}{unit}" + (
            f" đến dưới {fmt.plain(upper)}" if upper is not None else ""
        )
        width = 100.0 * k / top
        rows.append(
            f"<tr><td>{_badge(tier.name, colours)}</td><td>{_e(span)}</td>"
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
                [t.min for t in scale.scale],
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


def _unit(result: Result, u: int) -> str:
    """The unit's id, followed by its non-empty labels (its name, district …) in grey."""
    shown = " · ".join(str(v[u]) for v in result.labels.values() if str(v[u]))
    label = f'<span class="lbl">{_e(shown)}</span>' if shown else ""
    return f"{_e(result.unit_ids[u])}{label}"


def _field_label(result: Result, node_id: str) -> str:
    return f"{node_id}. {result.scheme.node(node_id).name}"


def _quantiles(values: FloatArray) -> tuple[float, float, float, float, float, float]:
    v = values[~np.isnan(values)]
    if not v.size:
        nan = math.nan
        return nan, nan, nan, nan, nan, nan
    q1, med, q3 = (float(x) for x in np.percentile(v, [25, 50, 75]))
    return float(v.min()), q1, med, q3, float(v.max()), float(v.mean())


def _range_bar(q: Sequence[float]) -> str:
    lo, q1, med, q3, hi, _ = q
    if math.isnan(lo):
        return ""
    return (
        '<div class="range">'
        f'<span class="wh" style="left:{lo:.1f}%;width:{hi - lo:.1f}%"></span>'
        f'<span class="iqr" style="left:{q1:.1f}%;width:{q3 - q1:.1f}%"></span>'
        f'<span class="med" style="left:calc({med:.1f}% - 1px)"></span></div>'
    )


def _fields_section(result: Result, fmt: _Numbers, *, svg: bool) -> str:
    fields = [node.id for node in result.scheme.nodes]
    comps = [np.asarray(result.component_index[f], dtype=np.float64) for f in fields]
    rows = []
    for field, comp in zip(fields, comps, strict=True):
        q = _quantiles(comp)
        # the mean over the units the field applies to: one it does not apply to has no points
        points = np.asarray(result.points[field], dtype=np.float64)[~np.isnan(comp)]
        rows.append(
            f"<tr><td>{_e(_field_label(result, field))}</td>"
            f'<td class="n">{fmt.plain(result.scheme.node(field).max)}</td>'
            f'<td class="n">{fmt(float(points.mean()) if points.size else None)}</td>'
            f'<td class="n"><b>{fmt(q[5])}</b></td><td class="n">{fmt(q[0])}</td>'
            f'<td class="n">{fmt(q[2])}</td><td class="n">{fmt(q[4])}</td>'
            + ("" if svg else f'<td style="width:26%">{_range_bar(q)}</td>')
            + "</tr>"
        )
    plot = ""
    if svg:
        from parscore.report.plots import field_boxplot_svg

        plot = field_boxplot_svg([_field_label(result, f) for f in fields], comps)
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


def _lost_section(result: Result, fmt: _Numbers) -> str:
    ids = result.unit_ids.astype(str)
    blocks = []
    for node in result.scheme.nodes:
        lost = np.asarray(result.lost[node.id], dtype=np.float64)
        points = result.points[node.id]
        mx = result.node_max_points[node.id]
        comp = result.component_index[node.id]
        order = np.lexsort((ids, -lost))[:_TOP_LOST]
        rows = "".join(
            f"<tr><td>{_unit(result, u)}</td><td class='n'><b>{fmt(float(lost[u]))}</b></td>"
            f"<td class='n'>{fmt(float(points[u]))} / {fmt(float(mx[u]))}</td>"
            f"<td class='n'>{fmt(float(comp[u]))}</td></tr>"
            for u in order
            if lost[u] > 0
        )
        if not rows:
            rows = "<tr><td colspan='4' class='same'>Không đơn vị nào bị trừ điểm</td></tr>"
        blocks.append(
            f"<div><h3>{_e(_field_label(result, node.id))}</h3>"
            "<table><thead><tr><th>Đơn vị<small>unit</small></th>"
            "<th class='n'>Bị trừ<small>lost</small></th>"
            "<th class='n'>Điểm / tối đa<small>points / max</small></th>"
            "<th class='n'>Chỉ số<small>%</small></th></tr></thead>"
            f"<tbody>{rows}</tbody></table></div>"
        )
    return (
        '<section id="lost"><h2>Đơn vị bị trừ nhiều điểm nhất theo lĩnh vực '
        '<span class="en">Units losing most points, by field</span></h2>'
        f'<p class="lead">{_TOP_LOST} đơn vị bị trừ nhiều điểm nhất ở mỗi lĩnh vực '
        "(điểm tối đa áp dụng − điểm đạt).</p>"
        f'<div class="grid2">{"".join(blocks)}</div></section>'
    )


def _move(change: int) -> str:
    if change > 0:
        return f'<span class="up">▲ tăng {change} bậc</span>'
    if change < 0:
        return f'<span class="down">▼ giảm {-change} bậc</span>'
    return '<span class="same">giữ nguyên</span>'


def _changes_section(
    result: Result, previous: Result, colours: dict[str, str], fmt: _Numbers, *, svg: bool
) -> str:
    prev_pos = {str(u): i for i, u in enumerate(previous.unit_ids)}
    cur_ids = [str(u) for u in result.unit_ids]
    cur_set = set(cur_ids)
    matched = [(i, prev_pos[u]) for i, u in enumerate(cur_ids) if u in prev_pos]
    new = sorted(u for u in cur_ids if u not in prev_pos)
    gone = sorted(str(u) for u in previous.unit_ids if str(u) not in cur_set)
    prev_colours = dict(
        zip(
            previous.scheme.tiers.names, tier_colours(len(previous.scheme.tiers.names)), strict=True
        )
    )
    prev_tier_pos = {name: k for k, name in enumerate(previous.scheme.tiers.names)}
    cur_tier_pos = {name: k for k, name in enumerate(result.scheme.tiers.names)}
    order = sorted(matched, key=lambda m: (int(result.rank[m[0]]), cur_ids[m[0]]))
    up = down = tier_up = tier_down = 0
    rows = []
    for i, j in order:
        change = int(previous.rank[j]) - int(result.rank[i])
        up += change > 0
        down += change < 0
        t_prev, t_cur = str(previous.tier[j]), str(result.tier[i])
        tier_move = prev_tier_pos.get(t_prev, 0) - cur_tier_pos.get(t_cur, 0)
        tier_up += tier_move > 0
        tier_down += tier_move < 0
        delta = float(result.index[i]) - float(previous.index[j])
        cls = "up" if delta > 0 else "down" if delta < 0 else "same"
        rows.append(
            f"<tr><td>{_unit(result, i)}</td>"
            f'<td class="n">{int(previous.rank[j])}</td><td class="n"><b>{int(result.rank[i])}</b>'
            f"</td><td>{_move(change)}</td>"
            f'<td class="n">{fmt(float(previous.index[j]))}</td>'
            f'<td class="n">{fmt(float(result.index[i]))}</td>'
            f'<td class="n {cls}">{fmt.signed(round_half_up_scalar(delta, fmt.decimals))}</td>'
            f"<td>{_badge(t_prev, prev_colours)}</td><td>{_badge(t_cur, colours)}</td></tr>"
        )
    cards = [
        ("Đơn vị so sánh được", "matched", len(matched)),
        ("Tăng hạng", "rank up", up),
        ("Giảm hạng", "rank down", down),
        ("Lên loại", "tier up", tier_up),
        ("Xuống loại", "tier down", tier_down),
    ]
    card_html = "".join(
        f'<div class="card"><div class="v">{v}</div><div class="k">{_e(k)} '
        f'<span class="en">{_e(en)}</span></div></div>'
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
        )
    matrix = _transitions(previous, result, matched, prev_colours, colours)
    lists = []
    for label, en, units in (
        ("Đơn vị mới", "new units, not in the previous result", new),
        ("Đơn vị không còn", "units gone since the previous result", gone),
    ):
        body = (
            "<div class='ids'>" + "<br>".join(_e(u) for u in units) + "</div>"
            if units
            else "<p class='same'>Không có <span class='en'>(none)</span></p>"
        )
        lists.append(
            f"<div><h3>{_e(label)} ({len(units)}) <span class='en'>{_e(en)}</span></h3>{body}</div>"
        )
    prev_name = previous.scheme.name + (
        f" ({previous.scheme.year})" if previous.scheme.year else ""
    )
    return (
        '<section id="changes"><h2>Thay đổi so với kỳ trước '
        '<span class="en">Changes since the previous result</span></h2>'
        f'<p class="lead">So với {_e(prev_name)}; đơn vị được đối chiếu theo mã '
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


def _transitions(
    previous: Result,
    result: Result,
    matched: list[tuple[int, int]],
    prev_colours: dict[str, str],
    colours: dict[str, str],
) -> str:
    """Units by previous tier (rows) and current tier (columns); unchanged on the diagonal."""
    prev_names = previous.scheme.tiers.names
    cur_names = result.scheme.tiers.names
    counts = {(a, b): 0 for a in prev_names for b in cur_names}
    for i, j in matched:
        key = (str(previous.tier[j]), str(result.tier[i]))
        counts[key] = counts.get(key, 0) + 1
    head = "".join(f'<th class="c">{_badge(b, colours)}</th>' for b in cur_names)
    body = []
    for a in prev_names:
        cells = []
        for b in cur_names:
            k = counts[a, b]
            style = " style='background:#eef2ff;font-weight:600'" if a == b else ""
            cells.append(f'<td class="c"{style}>{k if k else "·"}</td>')
        body.append(f"<tr><td>{_badge(a, prev_colours)}</td>{''.join(cells)}</tr>")
    return (
        "<h3>Chuyển loại <span class='en'>Tier moves: previous (rows) → now (columns)</span>"
        f"</h3><table class='moves'><thead><tr><th>Trước ↓ · Nay →</th>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )

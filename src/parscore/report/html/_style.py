"""The report's stylesheet, inlined in the page."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

__all__ = ["CSS"]


CSS = """
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
sup.mark { color:#b91c1c; font-weight:700; margin-left:3px; cursor:help; }
p.legend { font-size:12px; color:var(--muted); margin:6px 0 0; }
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

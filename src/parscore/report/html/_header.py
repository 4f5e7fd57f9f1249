"""The page header: scheme, year, level, units, date, fingerprint and summary cards."""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

import numpy as np

from parscore.report.html._parts import (
    LEVELS,
    Numbers,
    escape,
)

if TYPE_CHECKING:
    from parscore.result import Result

__all__ = ["header_section"]


def header_section(result: Result, title: str, date: _dt.date, fmt: Numbers) -> str:
    scheme = result.scheme
    level = LEVELS.get(scheme.level, scheme.level)
    meta = [
        ("Bộ chỉ số <span class='en'>scheme</span>", escape(scheme.name)),
        ("Năm <span class='en'>year</span>", escape(scheme.year) if scheme.year else "–"),
        ("Cấp <span class='en'>level</span>", escape(level)),
        ("Số đơn vị <span class='en'>units</span>", f"{result.n_units:,}".replace(",", ".")),
        ("Điểm tối đa <span class='en'>max points</span>", fmt(scheme.max_points, 0)),
        ("Ngày lập <span class='en'>date</span>", escape(date.strftime("%d/%m/%Y"))),
        (
            "Mã bộ chỉ số <span class='en'>id · fingerprint</span>",
            (
                f"<code>{escape(scheme.id)}</code><br><code title='{escape(result.fingerprint)}'>"
                f"{escape(result.fingerprint[:23])}…</code>"
            ),
        ),
    ]
    if title == scheme.name:
        meta = meta[1:]  # the title says it already
    if scheme.legal_basis:
        meta.append(("Căn cứ <span class='en'>legal basis</span>", escape(scheme.legal_basis)))
    items = "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in meta)
    idx = result.index
    cards = [
        ("Chỉ số trung bình", "mean index", fmt(float(np.mean(idx)))),
        ("Trung vị", "median", fmt(float(np.median(idx)))),
        ("Cao nhất", "highest", fmt(float(np.max(idx)))),
        ("Thấp nhất", "lowest", fmt(float(np.min(idx)))),
    ]
    card_html = "".join(
        f'<div class="card"><div class="v">{v}</div><div class="k">{escape(k)} '
        f'<span class="en">{escape(en)}</span></div></div>'
        for k, en, v in cards
    )
    return (
        '<header class="top"><p class="kicker">Báo cáo kết quả Chỉ số cải cách hành chính '
        '<span class="en">PAR Index report</span></p>'
        f"<h1>{escape(title)}</h1><dl class='meta'>{items}</dl></header>"
        f'<div class="cards">{card_html}</div>'
    )

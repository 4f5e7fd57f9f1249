"""The whole page: the sections in order, as text or written to a file."""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from parscore.errors import MissingDependencyError, ParameterError
from parscore.report.html._changes import changes_section
from parscore.report.html._fields import fields_section, lost_section
from parscore.report.html._header import header_section
from parscore.report.html._parts import (
    Numbers,
    escape,
)
from parscore.report.html._ranking import ranking_section, tiers_section
from parscore.report.html._style import CSS
from parscore.report.html._types import caps_section, colour_map, items_section

if TYPE_CHECKING:
    from parscore.result import Result

__all__ = ["has_matplotlib", "render_report", "write_report"]


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

    Raises:
        ParameterError: when *title* is not Unicode text (a lone surrogate, as an undecodable
            byte of a command line arrives).

    .. versionadded:: 0.1
    """
    if title is not None:
        try:
            title.encode("utf-8")
        except UnicodeEncodeError:
            msg = (
                "the report title is not Unicode text (it holds a lone surrogate, as an "
                "undecodable byte of a command line becomes); write it in UTF-8"
            )
            raise ParameterError(msg) from None
    scheme = result.scheme
    fmt = Numbers(scheme.rounding.decimals, decimal)
    svg_ok = plots and has_matplotlib()
    colours = colour_map(scheme)
    doc_title = title or scheme.name
    parts = [
        "<!DOCTYPE html>",
        '<html lang="vi"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="parscore">',
        f"<title>{escape(doc_title)}</title><style>{CSS}</style></head><body><main>",
        header_section(result, doc_title, date or _dt.date.today(), fmt),
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
    parts.append(tiers_section(result, colours, fmt, svg=svg_ok))
    parts.extend(p for p in [caps_section(result, fmt)] if p)  # with caps or quotas
    parts.append(ranking_section(result, colours, fmt))
    parts.extend(p for p in [items_section(result, fmt)] if p)  # with named adjustments
    parts.append(fields_section(result, fmt, svg=svg_ok))
    parts.append(lost_section(result, fmt))
    if previous is not None:
        parts.append(changes_section(result, previous, colours, fmt, svg=svg_ok))
    parts.append(
        "<footer>Lập bằng parscore; điểm làm tròn nửa lên (half-up) đến "
        f"{scheme.rounding.decimals} chữ số thập phân. Mã vân tay (fingerprint) "
        f"<code>{escape(result.fingerprint)}</code> xác định chính xác bộ chỉ số đã dùng."
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


def has_matplotlib() -> bool:
    from parscore._optional import require

    try:
        require("matplotlib", "plots")
    except MissingDependencyError:
        return False
    return True

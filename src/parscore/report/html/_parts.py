"""Small pieces every section uses: escaping, number format, badges, bars, unit labels."""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from parscore.result import Result

__all__ = ["LEVELS", "TOP_LOST", "Numbers", "badge", "bar", "escape", "field_label", "unit_label"]


LEVELS = {
    "province": "cấp tỉnh",
    "ministry": "cấp bộ",
    "department": "cấp sở, ban, ngành",
    "district": "cấp huyện",
    "commune": "cấp xã",
    "other": "khác",
}


TOP_LOST = 5


def escape(value: object) -> str:
    return html.escape(str(value), quote=True)


class Numbers:
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


def badge(tier: str, colours: dict[str, str]) -> str:
    colour = colours.get(tier, "#6b7280")
    return f'<span class="badge" style="background:{colour}">{escape(tier)}</span>'


def bar(value: float, colour: str) -> str:
    width = 0.0 if math.isnan(value) else min(max(value, 0.0), 100.0)
    return f'<div class="bar"><span style="width:{width:.1f}%;background:{colour}"></span></div>'


def unit_label(result: Result, u: int) -> str:
    """The unit's id, followed by its non-empty labels (its name, district …) in grey."""
    shown = " · ".join(str(v[u]) for v in result.labels.values() if str(v[u]))
    label = f'<span class="lbl">{escape(shown)}</span>' if shown else ""
    return f"{escape(result.unit_ids[u])}{label}"


def field_label(result: Result, node_id: str) -> str:
    return f"{node_id}. {result.scheme.node(node_id).name}"

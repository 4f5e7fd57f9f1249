"""Small hand-computed schemes and helpers shared by the analysis tests."""

from __future__ import annotations

import math
from collections.abc import Mapping

import parscore as ps
from parscore.rules import Bands, Choice, Survey
from parscore.testing import full_inputs

TIERS = ps.TierScale(
    scale=[ps.Tier(name="Tốt", min=80), ps.Tier(name="Khá", min=60), ps.Tier(name="Yếu", min=0)]
)


def small_scheme(**changes: object) -> ps.Scheme:
    """Two fields, 20 points: 1 (1.1 points /6, 1.2 yes-no /4) and 2 (2.1 points /10)."""
    nodes = [
        ps.Node(
            id="1",
            name="Công tác chỉ đạo, điều hành CCHC",
            children=[
                ps.Node(id="1.1", name="Kế hoạch CCHC", max_points=6, rule=ps.Points()),
                ps.Node(id="1.2", name="Báo cáo CCHC", max_points=4, rule=ps.YesNo()),
            ],
        ),
        ps.Node(
            id="2",
            name="Cải cách thủ tục hành chính",
            children=[ps.Node(id="2.1", name="Hồ sơ đúng hạn", max_points=10, rule=ps.Points())],
        ),
    ]
    fields: dict[str, object] = {"id": "small", "name": "Bộ chỉ số nhỏ", "nodes": nodes}
    fields["tiers"] = TIERS
    fields.update(changes)
    return ps.Scheme(**fields)  # type: ignore[arg-type]


def table(rows: Mapping[str, tuple[object, ...]], **extra: list[object]) -> dict[str, list[object]]:
    """Columns from ``{unit_id: (1.1, 1.2, 2.1)}`` plus extra columns."""
    data: dict[str, list[object]] = {"unit_id": list(rows)}
    for j, col in enumerate(("1.1", "1.2", "2.1")):
        data[col] = [r[j] for r in rows.values()]
    data.update(extra)
    return data


CURRENT = {"a": (6, 1, 9), "b": (3, 1, 8), "c": (2, 0, 5)}
"""a: 19 points (95, Tốt, rank 1); b: 15 (75, Khá, 2); c: 7 (35, Yếu, 3)."""


def best_inputs(node: ps.Node) -> list[object] | None:  # noqa: PLR0911 - one per rule kind
    """Cells that earn a leaf its rule's best points, or None when hard to construct."""
    rule = node.rule
    try:
        return full_inputs(node)
    except ValueError:
        pass
    if isinstance(rule, Choice):
        best = max(range(len(rule.options)), key=lambda k: rule.options[k][1])
        return [best]
    if isinstance(rule, Survey):
        best = max(range(len(rule.options)), key=lambda k: rule.options[k][1])
        return [1 if i == best else 0 for i in range(len(rule.options))]
    if isinstance(rule, Bands):
        top = max(b.points for b in rule.bands)
        if rule.otherwise > top:
            return None
        band = next(b for b in rule.bands if b.points == top)
        lo, lo_in, hi, hi_in = band.interval
        if lo_in:
            return [lo]
        if hi_in:
            return [hi]
        if math.isinf(lo):
            return [hi - 1.0]
        if math.isinf(hi):
            return [lo + 1.0]
        return [(lo + hi) / 2]
    return None

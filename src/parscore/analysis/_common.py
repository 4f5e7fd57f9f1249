"""Helpers shared by the analyses: errors, labelled matrices, pandas and HTML rendering."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from types import ModuleType

import numpy as np
import numpy.typing as npt

from parscore._adjust import capped_adjustments
from parscore._optional import require
from parscore._rounding import round_half_up
from parscore.errors import ParscoreError
from parscore.result import Result
from parscore.typing import FloatArray, IntArray

__all__ = [
    "HTML_ROWS",
    "AnalysisError",
    "ObjectArray",
    "adjusted_total",
    "adjustment_terms",
    "applicable_max",
    "component_rows",
    "fmt",
    "has_adjustments",
    "html_table",
    "match_units",
    "node_max_matrix",
    "pandas",
    "rank_change_text",
    "rounded_rows",
    "unit_columns",
]

ObjectArray = npt.NDArray[np.object_]

#: Rows shown by ``_repr_html_`` before "… n more".
HTML_ROWS = 20


class AnalysisError(ParscoreError, ValueError):
    """An analysis cannot run on the results or options given (what, where, what to do).

    .. versionadded:: 0.1
    """


def pandas() -> ModuleType:
    """Import pandas, or raise :class:`~parscore.errors.MissingDependencyError`."""
    return require("pandas", "pandas")


def unit_columns(unit_ids: ObjectArray, groups: ObjectArray | None) -> dict[str, object]:
    """The first columns of a per-unit table: ``unit_id``, then ``group`` when there is one."""
    cols: dict[str, object] = {"unit_id": unit_ids.astype(str)}
    if groups is not None:
        cols["group"] = groups.astype(str)
    return cols


def node_max_matrix(result: Result, rows: Sequence[int] | IntArray) -> FloatArray:
    """Applicable max of the nodes at node positions *rows*, shape ``(len(rows), n_units)``."""
    pos = np.asarray(rows, dtype=np.int64)
    if result.node_max_matrix is None:
        return np.repeat(result.compiled.max_points[pos][:, None], result.n_units, axis=1)
    return np.asarray(result.node_max_matrix[pos], dtype=np.float64)


def rounded_rows(result: Result, rows: Sequence[int] | IntArray, decimals: int) -> FloatArray:
    """Rounded points of the nodes at node positions *rows*, shape ``(len(rows), n_units)``."""
    pos = np.asarray(rows, dtype=np.int64)
    return round_half_up(result.node_points[pos], decimals)


def component_rows(result: Result, rows: Sequence[int] | IntArray, decimals: int) -> FloatArray:
    """Rounded component index (points / applicable max × 100) of nodes.

    Returns:
        Shape ``(len(rows), n_units)``; NaN where the node does not apply.
    """
    pos = np.asarray(rows, dtype=np.int64)
    mx = node_max_matrix(result, pos)
    with np.errstate(divide="ignore", invalid="ignore"):  # max == 0: not applicable
        comp = np.where(mx > 0, result.node_points[pos] / mx * 100.0, np.nan)
    return round_half_up(comp, decimals)


def match_units(
    first: Result, second: Result
) -> tuple[IntArray, IntArray, tuple[str, ...], tuple[str, ...]]:
    """Positions of the units both results share, in *second*'s order, and the others.

    Returns:
        ``(first_idx, second_idx, only_first, only_second)``: positions ``(n_common,)`` of the
        shared units in each result (same unit at the same place), and the ids found in one
        result only, each in its result's order.
    """
    first_ids = [str(u) for u in first.unit_ids]
    second_ids = [str(u) for u in second.unit_ids]
    where_first = {u: i for i, u in enumerate(first_ids)}
    in_second = set(second_ids)
    pairs = [(where_first[u], j) for j, u in enumerate(second_ids) if u in where_first]
    first_idx = np.array([p[0] for p in pairs], dtype=np.int64)
    second_idx = np.array([p[1] for p in pairs], dtype=np.int64)
    only_first = tuple(u for u in first_ids if u not in in_second)
    only_second = tuple(u for u in second_ids if u not in where_first)
    return first_idx, second_idx, only_first, only_second


def rank_change_text(change: IntArray) -> ObjectArray:
    """Vietnamese rendering of rank moves: ``tăng 7 bậc``, ``giảm 23 bậc``, ``giữ nguyên``.

    Args:
        change: Places gained (previous rank - current rank), shape ``(n,)``.

    Returns:
        Object array of str, shape ``(n,)``.
    """
    out = np.empty(len(change), dtype=object)
    for i, c in enumerate(change.tolist()):
        out[i] = f"tăng {c} bậc" if c > 0 else (f"giảm {-c} bậc" if c < 0 else "giữ nguyên")
    return out


def fmt(value: float, decimals: int) -> str:
    """A number for display: fixed decimals, ``–`` for NaN."""
    if math.isnan(value):
        return "–"
    return f"{value:.{decimals}f}"


def html_table(
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    total_rows: int | None = None,
    notes: Sequence[str] = (),
) -> str:
    """A small HTML table for notebooks; cells are escaped.

    Args:
        title: Shown in bold above the table.
        headers: Column headers.
        rows: The rows shown (already cut to a readable number).
        total_rows: Rows there are in all; adds "… n more" when larger than ``len(rows)``.
        notes: Lines shown under the title.
    """
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    extra = "".join(f"<p>{html.escape(n)}</p>" for n in notes)
    more = ""
    if total_rows is not None and total_rows > len(rows):
        more = f"<p>… {total_rows - len(rows)} more rows</p>"
    return (
        f"<div><p><b>{html.escape(title)}</b></p>{extra}"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}</div>"
    )


def adjustment_terms(result: Result) -> tuple[FloatArray | None, FloatArray | None]:
    """The capped, unrounded bonus and penalty the engine added, each ``(n_units,)`` or None.

    With named items (``adjustments.items``), each item's points (``per × count`` or the points
    written, capped by its own max) join the column of its sign before the overall cap, in
    the engine's order, so that the sums are the very floats the engine added.
    """
    bonus, penalty, _items = capped_adjustments(result.scheme.adjustments, result.measurements)
    return bonus, penalty


def adjusted_total(
    tree_total: FloatArray,
    bonus: FloatArray | None,
    penalty: FloatArray | None,
    app_max: FloatArray,
    *,
    clip: bool,
) -> FloatArray:
    """Total points as the engine computes them: ``clip(tree + bonus - penalty, 0, max)``.

    Args:
        tree_total: Sum of the fields' points, any shape broadcasting with the others.
        bonus: Capped bonus per unit, or None.
        penalty: Capped penalty per unit, or None.
        app_max: Applicable max.
        clip: Whether the scheme has adjustments (then every total is kept within
            ``[0, max]``, columns given or not).
    """
    if not clip:
        return tree_total
    total = tree_total + (0.0 if bonus is None else bonus) - (0.0 if penalty is None else penalty)
    return np.clip(total, 0.0, app_max)


def has_adjustments(result: Result) -> bool:
    """Whether the result's scheme has a bonus, a penalty or items (so totals are clipped)."""
    return result.scheme.adjustments.any


def applicable_max(result: Result) -> FloatArray:
    """Unrounded applicable max per unit, computed by the engine's own code, ``(n_units,)``.

    The result keeps the applicable max rounded only; analyses that recompute the index
    (sensitivity, gaps) need the very float the engine divided by, so that a draw without
    perturbation reproduces the result bit for bit.
    """
    return result.compiled.applicable_max(result.na_mask, result.n_units)

"""Year-on-year comparison of two results: points, component index, rank and tier moves.

.. versionadded:: 0.1
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import numpy as np

from parscore._rounding import round_half_up
from parscore.analysis._common import (
    HTML_ROWS,
    ObjectArray,
    component_rows,
    fmt,
    html_table,
    match_units,
    pandas,
    rank_change_text,
    rounded_rows,
    unit_columns,
)
from parscore.analysis._types import ranking_groups, tier_positions
from parscore.ranking import rank
from parscore.result import Result
from parscore.typing import FloatArray, IntArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Comparison", "compare"]


@attrs.frozen(kw_only=True, eq=False)
class Comparison:
    """What changed between two results, unit by unit and node by node.

    Units are matched by id; arrays over units follow ``unit_ids`` (the current result's
    order), arrays over nodes follow ``node_ids`` (the nodes both schemes share, in the
    current scheme's depth-first order). Changes are current - previous, computed from the
    published (rounded) numbers and rounded again to ``decimals``; rank changes are places
    gained (previous rank - current rank), so positive is better.

    Attributes:
        previous_scheme: Id of the previous result's scheme.
        current_scheme: Id of the current result's scheme.
        decimals: Decimals of every number (the larger of the two schemes').
        unit_ids: Units in both results, shape ``(n_units,)``.
        groups: The units' current groups, or None.
        only_previous: Ids of units in the previous result only.
        only_current: Ids of units in the current result only.
        node_ids: Nodes both schemes share, shape ``(n_nodes,)``.
        only_previous_nodes: Nodes of the previous scheme only (not compared).
        only_current_nodes: Nodes of the current scheme only (not compared).
        changed_max_nodes: Shared nodes whose max changed (points compare less well there;
            the component index still does).
        total_previous: Total points, shape ``(n_units,)``; likewise ``total_current``.
        total_change: ``total_current - total_previous``.
        index_previous: Index; likewise ``index_current`` and ``index_change``.
        rank_previous: Rank within the unit's group; likewise ``rank_current``.
        rank_change: Places gained, int64.
        rank_move: Vietnamese text: ``tăng 7 bậc``, ``giảm 23 bậc``, ``giữ nguyên``.
        tier_previous: Tier names; likewise ``tier_current``.
        tier_move: Tiers gained (previous tier position - current, each in its own scale:
            the unit's type's scale that year, 0 = best; the tier after caps and quotas),
            int64: 1 means one tier up.
        points_previous: Node points, ``(n_units, n_nodes)``; likewise ``points_current``.
        points_change: ``points_current - points_previous``, ``(n_units, n_nodes)``.
        component_previous: Component index (points / applicable max × 100), NaN where the
            node does not apply; likewise ``component_current`` and ``component_change``.
        field_ids: Top-level nodes in both schemes, shape ``(n_fields,)``.
        field_rank_previous: Rank of each field within the unit's group that year (by
            component index, or by points when the ranking is by total; competition ranks;
            a field that does not apply ranks last), ``(n_units, n_fields)``; likewise
            ``field_rank_current``.
        field_rank_change: Places gained per field, ``(n_units, n_fields)``.
        unit_types: The units' current types, or None without unit types.
        type_previous: The units' types in the previous result, or None.

    With unit types, ranks (and field ranks) are within each type (and group), as published.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 *unit_types* and *type_previous*; ranks within type × group.
    """

    previous_scheme: str
    current_scheme: str
    decimals: int
    unit_ids: ObjectArray
    groups: ObjectArray | None
    only_previous: tuple[str, ...]
    only_current: tuple[str, ...]
    node_ids: tuple[str, ...]
    only_previous_nodes: tuple[str, ...]
    only_current_nodes: tuple[str, ...]
    changed_max_nodes: tuple[str, ...]
    total_previous: FloatArray = attrs.field(repr=False)
    total_current: FloatArray = attrs.field(repr=False)
    total_change: FloatArray = attrs.field(repr=False)
    index_previous: FloatArray = attrs.field(repr=False)
    index_current: FloatArray = attrs.field(repr=False)
    index_change: FloatArray = attrs.field(repr=False)
    rank_previous: IntArray = attrs.field(repr=False)
    rank_current: IntArray = attrs.field(repr=False)
    rank_change: IntArray = attrs.field(repr=False)
    rank_move: ObjectArray = attrs.field(repr=False)
    tier_previous: ObjectArray = attrs.field(repr=False)
    tier_current: ObjectArray = attrs.field(repr=False)
    tier_move: IntArray = attrs.field(repr=False)
    points_previous: FloatArray = attrs.field(repr=False)
    points_current: FloatArray = attrs.field(repr=False)
    points_change: FloatArray = attrs.field(repr=False)
    component_previous: FloatArray = attrs.field(repr=False)
    component_current: FloatArray = attrs.field(repr=False)
    component_change: FloatArray = attrs.field(repr=False)
    field_ids: tuple[str, ...]
    field_rank_previous: IntArray = attrs.field(repr=False)
    field_rank_current: IntArray = attrs.field(repr=False)
    field_rank_change: IntArray = attrs.field(repr=False)
    unit_types: ObjectArray | None = attrs.field(default=None, repr=False)
    type_previous: ObjectArray | None = attrs.field(default=None, repr=False)

    @property
    def uncompared_nodes(self) -> tuple[str, ...]:
        """Nodes in only one of the two schemes, which could not be compared."""
        return self.only_previous_nodes + self.only_current_nodes

    def to_pandas(self, kind: str = "units") -> pd.DataFrame:
        """The comparison as a table.

        Args:
            kind: ``units`` (default): one row per unit with totals, index, rank and tier
                before and after, ``"<id> Δ"`` (points change) for every shared node and
                ``"<field> rank Δ"`` for every field; ``nodes``: one row per unit and node
                with points and component index before, after and the change. With unit
                types a ``type`` column follows ``unit_id`` (and ``group``).

        Raises:
            ValueError: for another *kind*.
            MissingDependencyError: when pandas is not installed.
        """
        pd_mod = pandas()
        if kind == "units":
            cols = unit_columns(self.unit_ids, self.groups)
            if self.unit_types is not None:
                cols["type"] = self.unit_types.astype(str)
            cols.update(
                {
                    "total_previous": self.total_previous,
                    "total_current": self.total_current,
                    "total_change": self.total_change,
                    "index_previous": self.index_previous,
                    "index_current": self.index_current,
                    "index_change": self.index_change,
                    "rank_previous": self.rank_previous,
                    "rank_current": self.rank_current,
                    "rank_change": self.rank_change,
                    "rank_move": self.rank_move.astype(str),
                    "tier_previous": self.tier_previous.astype(str),
                    "tier_current": self.tier_current.astype(str),
                    "tier_move": self.tier_move,
                }
            )
            for j, node_id in enumerate(self.node_ids):
                cols[f"{node_id} Δ"] = self.points_change[:, j]
            for j, field_id in enumerate(self.field_ids):
                cols[f"{field_id} rank Δ"] = self.field_rank_change[:, j]
            return pd_mod.DataFrame(cols)  # type: ignore[no-any-return]
        if kind == "nodes":
            n_units, n_nodes = self.points_change.shape
            head: dict[str, object] = {"unit_id": np.repeat(self.unit_ids.astype(str), n_nodes)}
            if self.unit_types is not None:
                head["type"] = np.repeat(self.unit_types.astype(str), n_nodes)
            return pd_mod.DataFrame(  # type: ignore[no-any-return]
                head
                | {
                    "node_id": np.tile(np.array(self.node_ids, dtype=str), n_units),
                    "points_previous": self.points_previous.ravel(),
                    "points_current": self.points_current.ravel(),
                    "points_change": self.points_change.ravel(),
                    "component_previous": self.component_previous.ravel(),
                    "component_current": self.component_current.ravel(),
                    "component_change": self.component_change.ravel(),
                }
            )
        msg = f"kind must be 'units' or 'nodes', found {kind!r}"
        raise ValueError(msg)

    def __repr__(self) -> str:
        return (
            f"<Comparison {self.previous_scheme} → {self.current_scheme}: "
            f"{len(self.unit_ids)} units, {len(self.node_ids)} nodes compared>"
        )

    def _repr_html_(self) -> str:
        d = self.decimals
        order = np.lexsort((self.rank_current, -np.abs(self.rank_change)))[:HTML_ROWS]
        rows = [
            (
                self.unit_ids[i],
                self.rank_previous[i],
                self.rank_current[i],
                self.rank_move[i],
                fmt(self.index_previous[i], d),
                fmt(self.index_current[i], d),
                fmt(self.index_change[i], d),
                f"{self.tier_previous[i]} → {self.tier_current[i]}",
            )
            for i in order
        ]
        notes = []
        if self.only_previous or self.only_current:
            notes.append(
                f"{len(self.only_previous)} units only in the previous result, "
                f"{len(self.only_current)} only in the current one"
            )
        if self.uncompared_nodes:
            notes.append("not compared: " + ", ".join(self.uncompared_nodes))
        return html_table(
            f"{self.previous_scheme} → {self.current_scheme}: largest rank moves",
            ("unit", "rank before", "rank now", "move", "index before", "index now", "Δ", "tier"),
            rows,
            total_rows=len(self.unit_ids),
            notes=notes,
        )


def compare(previous: Result, current: Result) -> Comparison:
    """Compare two results unit by unit: points, component index, rank and tier moves.

    Units are matched by id; units found in one result only are listed in
    ``only_previous`` / ``only_current``. The schemes may differ (a new criteria set): nodes
    are compared on the ids both schemes share, and the others are listed. Ranks are each
    year's published ranks (within each year's groups); each field is also ranked within the
    group, so that a unit's move in one field shows.

    Args:
        previous: Last year's (or the earlier) result.
        current: This year's result.

    Returns:
        The comparison, with changes current - previous.

    Example:
        >>> cmp = compare(result_2025, result_2026)  # doctest: +SKIP
        >>> cmp.to_pandas()[["unit_id", "rank_move"]]  # doctest: +SKIP

    .. versionadded:: 0.1
    """
    d = max(previous.scheme.rounding.decimals, current.scheme.rounding.decimals)
    p_idx, c_idx, only_prev, only_cur = match_units(previous, current)
    prev_pos = previous.compiled.node_pos
    cur_pos = current.compiled.node_pos
    node_ids = tuple(nid for nid in current.node_ids if nid in prev_pos)
    only_prev_nodes = tuple(nid for nid in previous.node_ids if nid not in cur_pos)
    only_cur_nodes = tuple(nid for nid in current.node_ids if nid not in prev_pos)
    p_rows = np.array([prev_pos[n] for n in node_ids], dtype=np.int64)
    c_rows = np.array([cur_pos[n] for n in node_ids], dtype=np.int64)
    changed_max = tuple(
        n
        for n, pr, cr in zip(node_ids, p_rows, c_rows, strict=True)
        if previous.compiled.max_points[pr] != current.compiled.max_points[cr]
    )

    pts_prev = rounded_rows(previous, p_rows, d)[:, p_idx].T
    pts_cur = rounded_rows(current, c_rows, d)[:, c_idx].T
    comp_prev = component_rows(previous, p_rows, d)[:, p_idx].T
    comp_cur = component_rows(current, c_rows, d)[:, c_idx].T

    field_ids = tuple(
        n.id
        for n in current.scheme.nodes
        if n.id in prev_pos and previous.compiled.depth[prev_pos[n.id]] == 0
    )
    f_rank_prev = _field_ranks(previous, field_ids, d)[:, p_idx].T
    f_rank_cur = _field_ranks(current, field_ids, d)[:, c_idx].T

    def change(before: FloatArray, after: FloatArray) -> FloatArray:
        return round_half_up(after - before, d)

    types = None if current.unit_types is None else current.unit_types[c_idx]
    prev_types = None if previous.unit_types is None else previous.unit_types[p_idx]
    rank_prev = previous.rank[p_idx]
    rank_cur = current.rank[c_idx]
    rank_change = (rank_prev - rank_cur).astype(np.int64)
    tier_prev_pos = _tier_pos(previous)[p_idx]
    tier_cur_pos = _tier_pos(current)[c_idx]
    groups = None if current.groups is None else current.groups[c_idx]
    return Comparison(
        previous_scheme=previous.scheme.id,
        current_scheme=current.scheme.id,
        decimals=d,
        unit_ids=current.unit_ids[c_idx],
        groups=groups,
        only_previous=only_prev,
        only_current=only_cur,
        node_ids=node_ids,
        only_previous_nodes=only_prev_nodes,
        only_current_nodes=only_cur_nodes,
        changed_max_nodes=changed_max,
        total_previous=previous.total[p_idx],
        total_current=current.total[c_idx],
        total_change=change(previous.total[p_idx], current.total[c_idx]),
        index_previous=previous.index[p_idx],
        index_current=current.index[c_idx],
        index_change=change(previous.index[p_idx], current.index[c_idx]),
        rank_previous=rank_prev,
        rank_current=rank_cur,
        rank_change=rank_change,
        rank_move=rank_change_text(rank_change),
        tier_previous=previous.tier[p_idx],
        tier_current=current.tier[c_idx],
        tier_move=(tier_prev_pos - tier_cur_pos).astype(np.int64),
        points_previous=pts_prev,
        points_current=pts_cur,
        points_change=change(pts_prev, pts_cur),
        component_previous=comp_prev,
        component_current=comp_cur,
        component_change=change(comp_prev, comp_cur),
        field_ids=field_ids,
        field_rank_previous=f_rank_prev,
        field_rank_current=f_rank_cur,
        field_rank_change=(f_rank_prev - f_rank_cur).astype(np.int64),
        unit_types=types,
        type_previous=prev_types,
    )


def _tier_pos(result: Result) -> IntArray:
    """Position of each unit's tier in its own scale (0 = best), ``(n_units,)``."""
    return tier_positions(result)


def _field_ranks(result: Result, field_ids: tuple[str, ...], decimals: int) -> IntArray:
    """Competition rank of each field within type × group, shape ``(n_fields, n_units)``."""
    out = np.empty((len(field_ids), result.n_units), dtype=np.int64)
    if not field_ids:
        return out
    rows = np.array([result.compiled.node_pos[f] for f in field_ids], dtype=np.int64)
    if result.ranking.by == "index":
        values = component_rows(result, rows, decimals)
        values = np.where(np.isnan(values), -np.inf, values)
    else:
        values = rounded_rows(result, rows, decimals)
    codes = ranking_groups(result)
    for j in range(len(field_ids)):
        out[j] = rank(values[j], group_codes=codes, method="competition", decimals=decimals)
    return out

"""Self-assessment against appraisal: how far the council moved each unit's points.

.. versionadded:: 0.1
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import numpy as np

from parscore._rounding import round_half_up
from parscore.analysis._common import (
    HTML_ROWS,
    AnalysisError,
    ObjectArray,
    fmt,
    html_table,
    pandas,
    rounded_rows,
)
from parscore.result import Result
from parscore.typing import BoolArray, FloatArray, IntArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Reconciliation", "reconcile"]


@attrs.frozen(kw_only=True, eq=False)
class Reconciliation:
    """One scheme scored at two (or three) stages: self-assessment, appraisal, second round.

    Arrays over units follow ``unit_ids`` (the units in every stage, in the appraisal's
    order); arrays over nodes follow ``node_ids`` (depth first). Points are the published
    (rounded) points; differences are rounded again. The *final* stage is the second round
    when there is one, else the appraisal.

    Attributes:
        scheme_id: The scheme's id.
        decimals: Decimals of every number.
        tolerance: A cut larger than this (self - final, in points) is reported.
        unit_ids: Units in every stage, shape ``(n_units,)``.
        only_self: Ids of units self-assessed but missing from a later stage.
        only_appraised: Ids of units in a later stage but not self-assessed.
        node_ids: Every node, depth first, shape ``(n_nodes,)``.
        field_ids: The top-level nodes.
        self_points: Self-assessed points, ``(n_units, n_nodes)``.
        appraised_points: Appraised points, same shape.
        second_points: Points after the unit's explanation (giải trình), or None.
        difference: ``appraised - self``, same shape.
        final_difference: ``final - self``, same shape.
        restored: ``second - appraised`` (points given back in the second round), or None.
        cut_mask: ``self - final > tolerance``, bool, same shape.
        total_self: Totals per stage, ``(n_units,)``; likewise ``total_appraised``,
            ``total_second`` (or None).
        total_difference: ``final total - self total``.
        index_self: Indexes per stage; likewise ``index_appraised``, ``index_second``.
        unit_cut_mask: Units whose total was cut by more than the tolerance, bool.

    .. versionadded:: 0.1
    """

    scheme_id: str
    decimals: int
    tolerance: float
    unit_ids: ObjectArray
    only_self: tuple[str, ...]
    only_appraised: tuple[str, ...]
    node_ids: tuple[str, ...]
    node_names: tuple[str, ...] = attrs.field(repr=False)
    field_ids: tuple[str, ...]
    is_leaf: BoolArray = attrs.field(repr=False)
    self_points: FloatArray = attrs.field(repr=False)
    appraised_points: FloatArray = attrs.field(repr=False)
    second_points: FloatArray | None = attrs.field(repr=False)
    difference: FloatArray = attrs.field(repr=False)
    final_difference: FloatArray = attrs.field(repr=False)
    restored: FloatArray | None = attrs.field(repr=False)
    cut_mask: BoolArray = attrs.field(repr=False)
    total_self: FloatArray = attrs.field(repr=False)
    total_appraised: FloatArray = attrs.field(repr=False)
    total_second: FloatArray | None = attrs.field(repr=False)
    total_difference: FloatArray = attrs.field(repr=False)
    index_self: FloatArray = attrs.field(repr=False)
    index_appraised: FloatArray = attrs.field(repr=False)
    index_second: FloatArray | None = attrs.field(repr=False)
    unit_cut_mask: BoolArray = attrs.field(repr=False)

    @property
    def units_cut(self) -> tuple[str, ...]:
        """Ids of the units whose total was cut by more than the tolerance."""
        return tuple(str(u) for u in self.unit_ids[self.unit_cut_mask])

    @property
    def criteria_cut(self) -> dict[str, int]:
        """Leaves cut by more than the tolerance, with the number of units cut, most first."""
        counts = np.count_nonzero(self.cut_mask, axis=0)
        order = np.lexsort((np.arange(len(self.node_ids)), -counts))
        return {
            self.node_ids[j]: int(counts[j]) for j in order if self.is_leaf[j] and counts[j] > 0
        }

    def summary(self) -> list[dict[str, object]]:
        """Per field, then for the total and the index: mean per stage and units cut.

        Each row: ``node_id`` (a field id, ``total`` or ``index``), ``self_mean``,
        ``appraised_mean``, ``second_mean`` (None without a second round), ``mean_difference``
        (final - self) and ``units_cut`` (units whose value was cut by more than the
        tolerance), all rounded to ``decimals``.
        """
        d = self.decimals
        cols = [self.node_ids.index(f) for f in self.field_ids]
        rows: list[tuple[str, FloatArray, FloatArray, FloatArray | None]] = [
            (
                f,
                self.self_points[:, j],
                self.appraised_points[:, j],
                None if self.second_points is None else self.second_points[:, j],
            )
            for f, j in zip(self.field_ids, cols, strict=True)
        ]
        rows.append(("total", self.total_self, self.total_appraised, self.total_second))
        rows.append(("index", self.index_self, self.index_appraised, self.index_second))
        out: list[dict[str, object]] = []
        for node_id, own, appraised, second in rows:
            final = appraised if second is None else second
            means = round_half_up(
                np.array([own.mean(), appraised.mean(), final.mean(), (final - own).mean()]), d
            )
            out.append(
                {
                    "node_id": node_id,
                    "self_mean": float(means[0]),
                    "appraised_mean": float(means[1]),
                    "second_mean": None if second is None else float(means[2]),
                    "mean_difference": float(means[3]),
                    "units_cut": int(
                        np.count_nonzero(round_half_up(own - final, d) > self.tolerance)
                    ),
                }
            )
        return out

    def to_pandas(self, kind: str = "summary") -> pd.DataFrame:
        """The reconciliation as a table.

        Args:
            kind: ``summary`` (default): :meth:`summary`; ``units``: one row per unit with
                the total and index at each stage and the difference; ``cuts``: one row per
                unit and node cut by more than the tolerance; ``nodes``: one row per unit and
                node with the points at each stage.

        Raises:
            ValueError: for another *kind*.
            MissingDependencyError: when pandas is not installed.
        """
        pd_mod = pandas()
        if kind == "summary":
            return pd_mod.DataFrame(self.summary())  # type: ignore[no-any-return]
        if kind == "units":
            cols: dict[str, object] = {
                "unit_id": self.unit_ids.astype(str),
                "total_self": self.total_self,
                "total_appraised": self.total_appraised,
            }
            if self.total_second is not None:
                cols["total_second"] = self.total_second
            cols["total_difference"] = self.total_difference
            cols["index_self"] = self.index_self
            cols["index_appraised"] = self.index_appraised
            if self.index_second is not None:
                cols["index_second"] = self.index_second
            cols["cut"] = self.unit_cut_mask
            return pd_mod.DataFrame(cols)  # type: ignore[no-any-return]
        if kind in ("cuts", "nodes"):
            n_units, n_nodes = self.self_points.shape
            keep = self.cut_mask.ravel() if kind == "cuts" else np.ones(n_units * n_nodes, bool)
            cols = {
                "unit_id": np.repeat(self.unit_ids.astype(str), n_nodes)[keep],
                "node_id": np.tile(np.array(self.node_ids, dtype=str), n_units)[keep],
                "name": np.tile(np.array(self.node_names, dtype=object), n_units)[keep],
                "is_leaf": np.tile(self.is_leaf, n_units)[keep],
                "self": self.self_points.ravel()[keep],
                "appraised": self.appraised_points.ravel()[keep],
            }
            if self.second_points is not None:
                cols["second"] = self.second_points.ravel()[keep]
            cols["difference"] = self.final_difference.ravel()[keep]
            return pd_mod.DataFrame(cols)  # type: ignore[no-any-return]
        msg = f"kind must be 'summary', 'units', 'cuts' or 'nodes', found {kind!r}"
        raise ValueError(msg)

    def __repr__(self) -> str:
        return (
            f"<Reconciliation {self.scheme_id}: {len(self.unit_ids)} units, "
            f"{int(self.unit_cut_mask.sum())} cut by more than {self.tolerance:g}>"
        )

    def _repr_html_(self) -> str:
        d = self.decimals
        rows = [
            (
                r["node_id"],
                fmt(float(r["self_mean"]), d),  # type: ignore[arg-type]
                fmt(float(r["appraised_mean"]), d),  # type: ignore[arg-type]
                "–" if r["second_mean"] is None else fmt(float(r["second_mean"]), d),  # type: ignore[arg-type]
                fmt(float(r["mean_difference"]), d),  # type: ignore[arg-type]
                r["units_cut"],
            )
            for r in self.summary()[: HTML_ROWS + 2]
        ]
        return (
            html_table(
                f"{self.scheme_id}: self-assessment against appraisal",
                ("node", "self mean", "appraised mean", "second round", "difference", "units cut"),
                rows,
                notes=[f"{len(self.units_cut)} of {len(self.unit_ids)} units cut"],
            )
            + self._units_html()
        )

    def _units_html(self) -> str:
        """The units whose total the council cut most: self, appraised, difference."""
        d = self.decimals
        total = self.total_appraised if self.total_second is None else self.total_second
        index = self.index_appraised if self.index_second is None else self.index_second
        order = np.lexsort((self.unit_ids.astype(str), self.total_difference))[:HTML_ROWS]
        rows = [
            (
                self.unit_ids[i],
                fmt(float(self.total_self[i]), d),
                fmt(float(total[i]), d),
                fmt(float(self.total_difference[i]), d),
                fmt(float(self.index_self[i]), d),
                fmt(float(index[i]), d),
            )
            for i in order
        ]
        return html_table(
            f"{self.scheme_id}: units cut most",
            ("unit", "self total", "final total", "difference", "self index", "final index"),
            rows,
            total_rows=len(self.unit_ids),
        )


def reconcile(
    self_assessed: Result,
    appraised: Result,
    *,
    tolerance: float = 0.0,
    second_round: Result | None = None,
) -> Reconciliation:
    """Compare a scheme's self-assessment with its appraisal, unit by unit and node by node.

    Units are matched by id; units missing from a stage are listed. The published reports'
    numbers follow: per node and unit the difference, the units and criteria the council cut
    by more than *tolerance*, and per field the self-score mean against the appraised mean
    (e.g. "self-score mean 64.75 vs council 62.62").

    Args:
        self_assessed: The units' self-assessment (điểm tự đánh giá).
        appraised: The council's appraisal (điểm thẩm định), same scheme.
        tolerance: Cuts of at most this many points are not reported.
        second_round: The appraisal after the units' explanation (giải trình), same scheme.

    Returns:
        The reconciliation.

    Raises:
        AnalysisError: when the results were scored with different schemes, or
            *tolerance* is negative.

    .. versionadded:: 0.1
    """
    if not tolerance >= 0:
        msg = f"tolerance must be zero or more points, found {tolerance!r}"
        raise AnalysisError(msg)
    stages = [("self_assessed", self_assessed), ("appraised", appraised)]
    if second_round is not None:
        stages.append(("second_round", second_round))
    for name, res in stages[1:]:
        if res.fingerprint != self_assessed.fingerprint:
            msg = (
                f"{name} was scored with scheme {res.scheme.id!r} ({res.fingerprint[:19]}…) but "
                f"self_assessed with {self_assessed.scheme.id!r} "
                f"({self_assessed.fingerprint[:19]}…); reconcile compares the stages of one "
                "scheme: score every stage with the same scheme (use compare() across schemes)"
            )
            raise AnalysisError(msg)

    ids = [[str(u) for u in res.unit_ids] for _, res in stages]
    later = set.intersection(*(set(i) for i in ids[1:]))
    common = [u for u in ids[1] if u in later and u in set(ids[0])]
    in_common = set(common)
    only_self = tuple(u for u in ids[0] if u not in in_common)
    seen_self = set(ids[0])
    only_later = tuple(dict.fromkeys(u for i in ids[1:] for u in i if u not in seen_self))
    positions: list[IntArray] = []
    for stage_ids in ids:
        where = {u: i for i, u in enumerate(stage_ids)}
        positions.append(np.array([where[u] for u in common], dtype=np.int64))

    compiled = appraised.compiled
    d = appraised.scheme.rounding.decimals
    display = compiled.display_pos
    node_ids = tuple(compiled.node_ids[i] for i in display)
    pts = [
        rounded_rows(res, display, d)[:, pos].T
        for (_, res), pos in zip(stages, positions, strict=True)
    ]
    totals = [res.total[pos] for (_, res), pos in zip(stages, positions, strict=True)]
    indexes = [res.index[pos] for (_, res), pos in zip(stages, positions, strict=True)]
    final_pts, final_total = pts[-1], totals[-1]
    cut_mask = round_half_up(pts[0] - final_pts, d) > tolerance
    unit_cut = round_half_up(totals[0] - final_total, d) > tolerance
    second = second_round is not None
    scheme = appraised.scheme
    return Reconciliation(
        scheme_id=scheme.id,
        decimals=d,
        tolerance=float(tolerance),
        unit_ids=np.array(common, dtype=object),
        only_self=only_self,
        only_appraised=only_later,
        node_ids=node_ids,
        node_names=tuple(scheme.node(n).name for n in node_ids),
        field_ids=tuple(n.id for n in scheme.nodes),
        is_leaf=np.array([scheme.node(n).is_leaf for n in node_ids], dtype=bool),
        self_points=pts[0],
        appraised_points=pts[1],
        second_points=pts[2] if second else None,
        difference=round_half_up(pts[1] - pts[0], d),
        final_difference=round_half_up(final_pts - pts[0], d),
        restored=round_half_up(pts[2] - pts[1], d) if second else None,
        cut_mask=cut_mask,
        total_self=totals[0],
        total_appraised=totals[1],
        total_second=totals[2] if second else None,
        total_difference=round_half_up(final_total - totals[0], d),
        index_self=indexes[0],
        index_appraised=indexes[1],
        index_second=indexes[2] if second else None,
        unit_cut_mask=unit_cut,
    )

"""The result-table layout (docs/data.md): node tables, rounded views and table columns.

Node points are kept unrounded in a :class:`~parscore.Result` and rounded here (half up, to
the scheme's decimals) when read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from parscore._rounding import round_half_up
from parscore.errors import CellProblem, MeasurementsError
from parscore.typing import FloatArray

if TYPE_CHECKING:
    from parscore.model import Scheme
    from parscore.result._result import Result

__all__ = ["KINDS", "NodeTable", "derived", "json_additions", "json_head", "plain", "table_arrays"]

ObjectArray = npt.NDArray[np.object_]
"""An object array of str, shape ``(n_units,)``."""


class NodeTable(Mapping[str, FloatArray]):
    """Per-node arrays by node id: ``table["1.2"]`` is shape ``(n_units,)``, rounded.

    .. versionadded:: 0.1
    """

    def __init__(self, result: Result, quantity: str) -> None:
        self._result = result
        self._quantity = quantity

    def __getitem__(self, node_id: str) -> FloatArray:
        compiled = self._result.compiled
        if node_id not in compiled.node_pos:
            msg = f"no node {node_id!r} in scheme {compiled.scheme.id!r}"
            raise KeyError(msg)
        return self._result._node_row(self._quantity, compiled.node_pos[node_id])

    def __iter__(self) -> Iterator[str]:
        return iter(self._result.node_ids)

    def __len__(self) -> int:
        return len(self._result.node_ids)

    def __repr__(self) -> str:
        return f"<NodeTable {self._quantity}: {len(self)} nodes × {self._result.n_units} units>"


KINDS = ("points", "max", "lost", "component")


def derived(
    quantity: str, raw: FloatArray, mx: FloatArray, decimals: int, *, own_raw: bool = False
) -> FloatArray:
    """Rounded points, max, points lost or component index from unrounded points and max.

    Args:
        quantity: One of ``points``, ``max``, ``lost``, ``component``.
        raw: Unrounded points, any shape.
        mx: Applicable max, broadcastable to *raw*.
        decimals: Decimal places.
        own_raw: *raw* is a scratch copy that may be rounded in place.
    """
    if quantity == "points":
        return round_half_up(raw, decimals, out=raw if own_raw else None)
    if quantity == "max":
        return round_half_up(np.asarray(mx, dtype=np.float64), decimals)
    if quantity == "lost":
        return round_half_up(mx - raw, decimals)
    with np.errstate(divide="ignore", invalid="ignore"):  # max == 0: not applicable
        return round_half_up(np.where(mx > 0, raw / mx * 100.0, np.nan), decimals)


def texts(values: npt.NDArray[Any]) -> ObjectArray:
    """*values* as an object array of str (ids, labels, groups and tiers are str already)."""
    if values.dtype == object and all(type(v) is str for v in values):
        return values
    return np.array([str(v) for v in values], dtype=object)


def plain(values: npt.NDArray[Any]) -> list[Any]:
    """A column as plain Python values: NaN becomes None."""
    if values.dtype.kind == "f":
        nan_mask = np.isnan(values)
        if nan_mask.any():
            shown = values.astype(object)
            shown[nan_mask] = None
            return shown.tolist()  # type: ignore[no-any-return]
    return values.tolist()  # type: ignore[no-any-return]


def check_unique(names: list[str], labels: Mapping[str, object]) -> None:
    """Refuse a label column named like a result column: one would hide the other.

    Raises:
        MeasurementsError: naming the column.
    """
    if len(set(names)) == len(names):
        return
    clashes = [name for name, k in Counter(names).items() if k > 1]
    problems = [
        CellProblem(
            message="a label column may not have the name of a result column; rename it",
            column=name,
        )
        for name in clashes
        if name in labels
    ] or [CellProblem(message=f"result columns {clashes} are not unique")]
    raise MeasurementsError(problems)


def table_arrays(
    result: Result, *, component_index: bool = False, lost: bool = False, node_max: bool = False
) -> list[tuple[str, str, npt.NDArray[Any]]]:
    """The result table (docs/data.md) as ``(name, kind, array)`` per column, for writers.

    Arrays are shape ``(n_units,)``: ``text`` an object array of str, ``number`` float64
    rounded to the scheme's decimals with NaN where there is no value (a node that does
    not apply, a component index of a zero max), ``int`` int64, ``bool`` bool (the column
    ``quota_moved`` only).

    Columns added by the scheme (each only when it uses the feature, so a v1 table keeps its
    layout): ``type`` after ``unit_id``, the labels and ``group``; ``adj:<id>`` (an
    adjustment item's capped points) after ``bonus`` and ``penalty``; after ``rank``,
    ``scale_tier`` (the tier the unit's scale alone gives) when there are caps or quotas,
    ``capped_by`` (the id of the cap that lowered the tier, "" for none) when there are
    caps, and ``quota_moved`` (true where a quota moved the unit to a lower tier) when there
    are quotas.

    Raises:
        MeasurementsError: when a label column has the name of a result column.
    """
    cols: list[tuple[str, str, npt.NDArray[Any]]] = [("unit_id", "text", texts(result.unit_ids))]
    cols.extend((name, "text", texts(values)) for name, values in result.labels.items())
    if result.groups is not None:
        cols.append(("group", "text", texts(result.groups)))
    if result.unit_types is not None:
        cols.append(("type", "text", texts(result.unit_types)))
    ids = result.node_ids
    pts = result.matrix("points", na=np.nan)
    cols.extend((nid, "number", pts[:, j]) for j, nid in enumerate(ids))
    if result.bonus is not None:
        cols.append(("bonus", "number", result.bonus))
    if result.penalty is not None:
        cols.append(("penalty", "number", result.penalty))
    cols.extend(
        (item.column, "number", result.items[item.id])
        for item in result.scheme.adjustments.items
        if item.id in result.items
    )
    cols += [
        ("total", "number", result.total),
        ("max", "number", result.max),
        ("index", "number", result.index),
        ("tier", "text", texts(result.tier)),
        ("rank", "int", np.asarray(result.rank, dtype=np.int64)),
    ]
    cols.extend(_tier_moves(result))
    extras = (
        (component_index, "component", "%", None),
        (lost, "lost", "lost", np.nan),
        (node_max, "max", "max", None),
    )
    for wanted, quantity, suffix, na in extras:
        if wanted:
            block = result.matrix(quantity, na=na)
            cols.extend((f"{nid} {suffix}", "number", block[:, j]) for j, nid in enumerate(ids))
    check_unique([c[0] for c in cols], result.labels)
    return cols


def _tier_moves(result: Result) -> list[tuple[str, str, npt.NDArray[Any]]]:
    """``scale_tier``, ``capped_by`` and ``quota_moved``: why a tier is not its scale's.

    Each only when the scheme has caps or quotas (so a v1 table keeps its layout).
    """
    out: list[tuple[str, str, npt.NDArray[Any]]] = []
    if result.scale_tier is not None:
        out.append(("scale_tier", "text", texts(result.scale_tier)))
    if result.capped_by is not None:
        out.append(("capped_by", "text", texts(result.capped_by)))
    if result.quota_moved is not None:
        out.append(("quota_moved", "bool", np.asarray(result.quota_moved, dtype=bool)))
    return out


def json_head(result: Result) -> dict[str, Any]:
    """The ``scheme`` and ``nodes`` entries of :meth:`Result.to_json_dict`."""
    scheme = result.scheme
    compiled = result.compiled
    nodes = [
        {
            "id": compiled.node_ids[pos],
            "name": scheme.node(compiled.node_ids[pos]).name,
            "max": float(compiled.max_points[pos]),
            "depth": int(compiled.depth[pos]),
        }
        for pos in compiled.display_pos
    ]
    head: dict[str, Any] = {
        "scheme": {
            "id": scheme.id,
            "name": scheme.name,
            "year": scheme.year,
            "level": scheme.level,
            "fingerprint": result.fingerprint,
            "decimals": scheme.rounding.decimals,
        },
        "nodes": nodes,
    }
    head.update(json_additions(scheme))
    return head


def json_additions(scheme: Scheme) -> dict[str, Any]:
    """The ``unit_types``, ``caps`` and ``items`` entries of the JSON head, each when used.

    ``unit_types``: ``[{"id", "name", "max"}]`` (name null when the type has none, max the
    points of the criteria applying to the type); ``caps``: ``[{"id", "name", "at_most",
    "node", "index_below"}]`` (node and bound null for a yes/no column cap); ``items``:
    ``[{"id", "name", "sign", "column", "max", "per"}]``.
    """
    out: dict[str, Any] = {}
    if scheme.unit_types is not None:
        out["unit_types"] = [
            {"id": t.id, "name": t.name, "max": float(scheme.max_points_for(t.id))}
            for t in scheme.unit_types.types
        ]
    if scheme.tiers.caps:
        out["caps"] = [
            {
                "id": c.id,
                "name": c.name,
                "at_most": c.at_most,
                "node": c.node,
                "index_below": c.index_below,
            }
            for c in scheme.tiers.caps
        ]
    if scheme.adjustments.items:
        out["items"] = [
            {
                "id": i.id,
                "name": i.name,
                "sign": i.sign,
                "column": i.column,
                "max": i.max,
                "per": i.per,
            }
            for i in scheme.adjustments.items
        ]
    return out

"""Result: points of every node and unit, the index, tier and rank; and Explanation.

A result is pure data: labelled arrays, the scheme and its fingerprint, no reference to files.
Node points are kept unrounded and rounded (half up, to the scheme's decimals) when read.

.. versionadded:: 0.1
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from parscore._rounding import round_half_up
from parscore.compile import CompiledScheme
from parscore.errors import CellProblem, MeasurementsError
from parscore.measurements import Measurements
from parscore.model import Ranking, Scheme
from parscore.typing import BoolArray, FloatArray, IntArray, Language

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Explanation", "ExplanationRow", "NodeTable", "Result"]

ObjectArray = npt.NDArray[np.object_]


class NodeTable(Mapping[str, FloatArray]):
    """Per-node arrays by node id: ``table["1.2"]`` is shape ``(n_units,)``, rounded.

    .. versionadded:: 0.1
    """

    def __init__(self, result: Result, kind: str) -> None:
        self._result = result
        self._kind = kind

    def __getitem__(self, node_id: str) -> FloatArray:
        compiled = self._result.compiled
        if node_id not in compiled.node_pos:
            msg = f"no node {node_id!r} in scheme {compiled.scheme.id!r}"
            raise KeyError(msg)
        return self._result._node_row(self._kind, compiled.node_pos[node_id])

    def __iter__(self) -> Iterator[str]:
        return iter(self._result.node_ids)

    def __len__(self) -> int:
        return len(self._result.node_ids)

    def __repr__(self) -> str:
        return f"<NodeTable {self._kind}: {len(self)} nodes × {self._result.n_units} units>"


@attrs.frozen(kw_only=True, eq=False)
class ExplanationRow:
    """One node of one unit, for the audit trail.

    Attributes:
        node_id: The node's id.
        name: The node's name.
        depth: 0 for a field, 1 for a criterion, …
        is_leaf: Whether the node is a leaf.
        inputs: Raw input values by column (leaves only); NaN = missing.
        rule: The rule's description (leaves only).
        points: Points, rounded; 0 where not applicable (see *applicable*).
        max: Applicable maximum; 0 where not applicable.
        lost: ``max - points``.
        applicable: Whether the node applies to the unit.
        legal_basis: The node's legal basis, when given.
        answer: For a ``choice`` leaf, the name of the option chosen.
    """

    node_id: str
    name: str
    depth: int
    is_leaf: bool
    inputs: dict[str, float]
    rule: str | None
    points: float
    max: float
    lost: float
    applicable: bool
    legal_basis: str | None
    answer: str | None = None


_KINDS = ("points", "max", "lost", "component")


def _derived(
    kind: str, raw: FloatArray, mx: FloatArray, decimals: int, *, own_raw: bool = False
) -> FloatArray:
    """Rounded points, max, points lost or component index from unrounded points and max.

    Args:
        kind: One of ``points``, ``max``, ``lost``, ``component``.
        raw: Unrounded points, any shape.
        mx: Applicable max, broadcastable to *raw*.
        decimals: Decimal places.
        own_raw: *raw* is a scratch copy that may be rounded in place.
    """
    if kind == "points":
        return round_half_up(raw, decimals, out=raw if own_raw else None)
    if kind == "max":
        return round_half_up(np.asarray(mx, dtype=np.float64), decimals)
    if kind == "lost":
        return round_half_up(mx - raw, decimals)
    with np.errstate(divide="ignore", invalid="ignore"):  # max == 0: not applicable
        return round_half_up(np.where(mx > 0, raw / mx * 100.0, np.nan), decimals)


def _shown(value: float, applicable: bool) -> str:
    """An input as the audit trail shows it: the number, "missing", or "n/a"."""
    if np.isnan(value):
        return "missing" if applicable else "n/a"
    return f"{value:g}"


def _texts(values: npt.NDArray[Any]) -> ObjectArray:
    """*values* as an object array of str (ids, labels, groups and tiers are str already)."""
    if values.dtype == object and all(type(v) is str for v in values):
        return values
    return np.array([str(v) for v in values], dtype=object)


def _plain(values: npt.NDArray[Any]) -> list[Any]:
    """A column as plain Python values: NaN becomes None."""
    if values.dtype.kind == "f":
        nan_mask = np.isnan(values)
        if nan_mask.any():
            shown = values.astype(object)
            shown[nan_mask] = None
            return shown.tolist()  # type: ignore[no-any-return]
    return values.tolist()  # type: ignore[no-any-return]


def _check_unique(names: list[str], labels: Mapping[str, object]) -> None:
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


@attrs.frozen(kw_only=True, eq=False)
class Explanation:
    """Every point of one unit: each node's inputs, rule, points, max and legal basis.

    Attributes:
        labels: The unit's label columns (``STT``, its name, its district …), column name ->
            text, in the order of the source; empty when the data had none.

    .. versionadded:: 0.1
    """

    unit_id: str
    scheme_id: str
    fingerprint: str
    rows: tuple[ExplanationRow, ...]
    total: float
    max: float
    index: float
    tier: str
    rank: int
    bonus: float | None
    penalty: float | None
    decimals: int
    labels: dict[str, str] = attrs.field(factory=dict)

    @property
    def header(self) -> str:
        """The first line of :meth:`__str__`: the unit, its labels and the scheme.

        .. versionadded:: 0.2
        """
        shown = "; ".join(f"{name}: {text}" for name, text in self.labels.items() if text)
        unit = f"Unit {self.unit_id} ({shown})" if shown else f"Unit {self.unit_id}"
        return f"{unit} — scheme {self.scheme_id}"

    def __str__(self) -> str:
        d = self.decimals
        lines = [
            self.header,
            f"{'node':<24} {'points':>9} {'max':>9}  rule / inputs",
        ]
        for row in self.rows:
            label = ("  " * row.depth + f"{row.node_id} {row.name}")[:24]
            pts = f"{row.points:.{d}f}" if row.applicable else "n/a"
            extra = ""
            if row.is_leaf:
                shown = ", ".join(f"{k}={_shown(v, row.applicable)}" for k, v in row.inputs.items())
                if row.answer is not None:
                    shown += f" ({row.answer})"
                extra = f"{row.rule} [{shown}]"
            lines.append(f"{label:<24} {pts:>9} {row.max:>9.{d}f}  {extra}")
        if self.bonus is not None:
            lines.append(f"{'bonus':<24} {self.bonus:>9.{d}f}")
        if self.penalty is not None:
            lines.append(f"{'penalty':<24} {-self.penalty:>9.{d}f}")
        lines.append(
            f"total {self.total:.{d}f} of {self.max:.{d}f} = index {self.index:.{d}f} — "
            f"tier {self.tier}, rank {self.rank}"
        )
        return "\n".join(lines)

    def to_pandas(self) -> pd.DataFrame:
        """One row per node: id, name, depth, points, max, lost, applicable, rule, inputs."""
        from parscore._optional import require

        pd_mod = require("pandas", "pandas")
        return pd_mod.DataFrame([attrs.asdict(r) for r in self.rows])  # type: ignore[no-any-return]


@attrs.frozen(kw_only=True, eq=False)
class Result:
    """Points of every node and unit, the applicable max, total, index, tier and rank.

    Attributes:
        compiled: The compiled scheme scored.
        measurements: The inputs scored.
        total: Total points per unit (tree + bonus - penalty), rounded, ``(n_units,)``.
        max: Applicable maximum per unit, ``(n_units,)``.
        index: ``total / max × 100``, rounded, ``(n_units,)``.
        tier: Tier name per unit, object array of str, ``(n_units,)``.
        rank: Rank per unit within its group, int64, ``(n_units,)``.
        bonus: Capped bonus per unit, rounded, or None.
        penalty: Capped penalty per unit, rounded, or None.
        ranking: The ranking used.

    .. versionadded:: 0.1
    """

    compiled: CompiledScheme
    measurements: Measurements
    node_points: FloatArray = attrs.field(repr=False)
    na_mask: BoolArray | None = attrs.field(repr=False)
    total: FloatArray
    max: FloatArray
    index: FloatArray
    tier: ObjectArray
    rank: IntArray
    bonus: FloatArray | None = None
    penalty: FloatArray | None = None
    ranking: Ranking = attrs.field(factory=Ranking)
    _cache: dict[tuple[str, int], FloatArray] = attrs.field(factory=dict, repr=False)
    _lock: threading.Lock = attrs.field(factory=threading.Lock, repr=False)

    # -- labels --------------------------------------------------------------------------------

    @property
    def scheme(self) -> Scheme:
        """The scheme scored."""
        return self.compiled.scheme

    @property
    def fingerprint(self) -> str:
        """The scheme's fingerprint (``sha256:…``), tracing the result to its exact scheme."""
        return self.compiled.fingerprint

    @property
    def unit_ids(self) -> ObjectArray:
        """Unit ids, shape ``(n_units,)``."""
        return self.measurements.unit_ids

    @property
    def groups(self) -> ObjectArray | None:
        """Unit group labels, or None."""
        return self.measurements.groups

    @property
    def labels(self) -> dict[str, ObjectArray]:
        """Label columns of the input carried through (``STT``, names, districts), in order.

        .. versionadded:: 0.2
        """
        return self.measurements.labels

    @property
    def n_units(self) -> int:
        """Number of units."""
        return self.measurements.n_units

    @property
    def node_ids(self) -> tuple[str, ...]:
        """Node ids in the scheme's (depth-first) order."""
        return tuple(self.compiled.node_ids[i] for i in self.compiled.display_pos)

    # -- per node ------------------------------------------------------------------------------

    @property
    def points(self) -> NodeTable:
        """Points by node id, rounded: ``result.points["1"]`` is shape ``(n_units,)``."""
        return NodeTable(self, "points")

    @property
    def node_max_points(self) -> NodeTable:
        """Applicable max by node id: 0 where the node does not apply to a unit."""
        return NodeTable(self, "max")

    @property
    def component_index(self) -> NodeTable:
        """Component index by node id: points / applicable max × 100, rounded.

        NaN where the node does not apply to a unit.
        """
        return NodeTable(self, "component")

    @property
    def lost(self) -> NodeTable:
        """Points lost by node id: applicable max - points, rounded."""
        return NodeTable(self, "lost")

    @property
    def node_max(self) -> FloatArray | None:
        """Applicable max of every node and unit, unrounded, ``(n_nodes, n_units)``.

        Rows follow breadth-first node order; None when every criterion applies to every
        unit. Computed on first use from ``na_mask`` and kept.
        """
        if self.na_mask is None:
            return None
        found = self._cache.get(("node_max", -1))
        if found is None:
            compiled = self.compiled
            found = np.empty((compiled.n_nodes, self.n_units), dtype=np.float64)
            found[compiled.leaf_pos] = np.where(self.na_mask, 0.0, compiled.leaf_max[:, None])
            compiled.aggregate(found)
            found.setflags(write=False)
            with self._lock:
                self._cache["node_max", -1] = found
        return found

    def _raw_max(self, pos: int) -> FloatArray:
        node_max = self.node_max
        if node_max is None:
            return np.full(self.n_units, self.compiled.max_points[pos])
        row: FloatArray = node_max[pos]
        return row

    def _node_row(self, kind: str, pos: int) -> FloatArray:
        key = (kind, pos)
        found = self._cache.get(key)
        if found is not None:
            return found
        out = _derived(
            kind, self.node_points[pos], self._raw_max(pos), self.scheme.rounding.decimals
        )
        out.setflags(write=False)
        with self._lock:
            self._cache[key] = out
        return out

    @property
    def node_na_mask(self) -> BoolArray | None:
        """Where a node does not apply to a unit, ``(n_units, n_nodes)`` in ``node_ids`` order.

        A leaf does not apply where ``na_mask`` says so; a parent where none of its leaves
        applies (its applicable max is 0 while its max in the scheme is above 0). None when
        every criterion applies to every unit. Such a node has no points: the result tables
        leave its cells empty (None, null, NaN) while :attr:`points` and :meth:`matrix` give 0.

        .. versionadded:: 0.2
        """
        node_max = self.node_max
        if node_max is None or self.na_mask is None:
            return None
        found = self._cache.get(("node_na", -1))
        if found is None:
            compiled = self.compiled
            na = (node_max == 0.0) & (compiled.max_points[:, None] > 0.0)
            na[compiled.leaf_pos] = self.na_mask
            found = np.ascontiguousarray(na[compiled.display_pos].T)
            found.setflags(write=False)
            with self._lock:
                self._cache["node_na", -1] = found
        return found  # type: ignore[return-value]

    def matrix(self, kind: str = "points", *, na: float | None = None) -> FloatArray:
        """All nodes at once, rounded, shape ``(n_units, n_nodes)`` in ``node_ids`` order.

        Args:
            kind: ``points``, ``max``, ``lost`` or ``component`` (component index).
            na: The value of cells where the node does not apply to the unit
                (:attr:`node_na_mask`), e.g. ``np.nan``; None keeps 0 for ``points``,
                ``max`` and ``lost`` (so that sums stay sums) and NaN for ``component``.

        .. versionchanged:: 0.2
           *na*.
        """
        if kind not in _KINDS:
            msg = f"kind must be points, max, lost or component, found {kind!r}"
            raise ValueError(msg)
        order = self.compiled.display_pos
        raw = self.node_points[order]  # a fresh copy (fancy indexing)
        node_max = self.node_max
        mx = (
            np.broadcast_to(self.compiled.max_points[order][:, None], raw.shape)
            if node_max is None
            else node_max[order]
        )
        out: FloatArray = _derived(kind, raw, mx, self.scheme.rounding.decimals, own_raw=True).T
        na_mask = self.node_na_mask if na is not None else None
        if na_mask is not None:
            out[na_mask] = na
        return out

    # -- views ---------------------------------------------------------------------------------

    def _table_arrays(
        self, *, component_index: bool = False, lost: bool = False, node_max: bool = False
    ) -> list[tuple[str, str, npt.NDArray[Any]]]:
        """The result table (docs/data.md) as ``(name, kind, array)`` per column, for writers.

        Arrays are shape ``(n_units,)``: ``text`` an object array of str, ``number`` float64
        rounded to the scheme's decimals with NaN where there is no value (a node that does
        not apply, a component index of a zero max), ``int`` int64.

        Raises:
            MeasurementsError: when a label column has the name of a result column.
        """
        cols: list[tuple[str, str, npt.NDArray[Any]]] = [("unit_id", "text", _texts(self.unit_ids))]
        cols.extend((name, "text", _texts(values)) for name, values in self.labels.items())
        if self.groups is not None:
            cols.append(("group", "text", _texts(self.groups)))
        ids = self.node_ids
        pts = self.matrix("points", na=np.nan)
        cols.extend((nid, "number", pts[:, j]) for j, nid in enumerate(ids))
        if self.bonus is not None:
            cols.append(("bonus", "number", self.bonus))
        if self.penalty is not None:
            cols.append(("penalty", "number", self.penalty))
        cols += [
            ("total", "number", self.total),
            ("max", "number", self.max),
            ("index", "number", self.index),
            ("tier", "text", _texts(self.tier)),
            ("rank", "int", np.asarray(self.rank, dtype=np.int64)),
        ]
        extras = (
            (component_index, "component", "%", None),
            (lost, "lost", "lost", np.nan),
            (node_max, "max", "max", None),
        )
        for wanted, kind, suffix, na in extras:
            if wanted:
                block = self.matrix(kind, na=na)
                cols.extend((f"{nid} {suffix}", "number", block[:, j]) for j, nid in enumerate(ids))
        _check_unique([c[0] for c in cols], self.labels)
        return cols

    def to_dict(
        self, *, component_index: bool = False, lost: bool = False, node_max: bool = False
    ) -> dict[str, Any]:
        """Plain lists in the result-table layout (docs/data.md), column by column.

        Numbers are floats rounded to the scheme's decimals, None where there is no value
        (a node that does not apply to the unit). Options as for :meth:`table_columns`.

        .. versionchanged:: 0.2
           Label columns; None for nodes that do not apply (was 0.0); the options.
        """
        return {
            name: _plain(values)
            for name, _, values in self._table_arrays(
                component_index=component_index, lost=lost, node_max=node_max
            )
        }

    def table_columns(
        self, *, component_index: bool = False, lost: bool = False, node_max: bool = False
    ) -> list[tuple[str, str, list[object]]]:
        """The result table (see docs/data.md) as ``(name, kind, values)`` per column.

        *kind* is ``text``, ``number`` (rounded to the scheme's decimals; None where there is
        no value) or ``int``. Columns: ``unit_id``; the label columns of the input (``STT``,
        the unit's name …, kind ``text``) in their order; ``group`` (when groups are used);
        one per node id with its points (None where the node does not apply to the unit);
        ``bonus`` and ``penalty`` (when the scheme has them); ``total``, ``max``, ``index``,
        ``tier``, ``rank``; then on request ``"<id> %"`` per node (component index),
        ``"<id> lost"`` per node (points lost; None where the node does not apply) and
        ``"<id> max"`` per node (applicable max; 0 where the node does not apply).

        Args:
            component_index: Add the component index columns.
            lost: Add the points-lost columns.
            node_max: Add the applicable-max columns.

        Raises:
            MeasurementsError: when a label column has the name of a result column.

        .. versionadded:: 0.1
        .. versionchanged:: 0.2
           Label columns, None for nodes that do not apply, *node_max*.
        """
        return [
            (name, kind, _plain(values))
            for name, kind, values in self._table_arrays(
                component_index=component_index, lost=lost, node_max=node_max
            )
        ]

    def to_json_dict(
        self, *, component_index: bool = False, lost: bool = False, node_max: bool = False
    ) -> dict[str, Any]:
        """The result as a web service returns it: plain JSON types, numbers rounded.

        Returns:
            ``{"scheme": {"id", "name", "year", "level", "fingerprint", "decimals"},
            "nodes": [{"id", "name", "max", "depth"}, ...], "columns": [...],
            "units": [{column: value, ...}, ...]}``: the scheme's nodes in ``node_ids`` order
            with their max in the scheme, and one object per unit with the columns of
            :meth:`table_columns` (null where a node does not apply or a component index has
            no value). Strict JSON: no NaN anywhere.

        .. versionadded:: 0.1
        .. versionchanged:: 0.2
           ``nodes``, label columns, null for nodes that do not apply, *node_max*.
        """
        columns = self.table_columns(component_index=component_index, lost=lost, node_max=node_max)
        names = [c[0] for c in columns]
        units = [
            dict(zip(names, row, strict=True)) for row in zip(*(c[2] for c in columns), strict=True)
        ]
        return {**self._json_head(), "columns": names, "units": units}

    def _json_head(self) -> dict[str, Any]:
        """The ``scheme`` and ``nodes`` entries of :meth:`to_json_dict`."""
        scheme = self.scheme
        compiled = self.compiled
        nodes = [
            {
                "id": compiled.node_ids[pos],
                "name": scheme.node(compiled.node_ids[pos]).name,
                "max": float(compiled.max_points[pos]),
                "depth": int(compiled.depth[pos]),
            }
            for pos in compiled.display_pos
        ]
        return {
            "scheme": {
                "id": scheme.id,
                "name": scheme.name,
                "year": scheme.year,
                "level": scheme.level,
                "fingerprint": self.fingerprint,
                "decimals": scheme.rounding.decimals,
            },
            "nodes": nodes,
        }

    def to_json(
        self,
        *,
        component_index: bool = False,
        lost: bool = False,
        node_max: bool = False,
        indent: int | None = None,
    ) -> str:
        """:meth:`to_json_dict` as strict JSON text, Vietnamese kept as UTF-8 characters.

        .. versionadded:: 0.1
        """
        import json

        data = self.to_json_dict(component_index=component_index, lost=lost, node_max=node_max)
        return json.dumps(data, ensure_ascii=False, allow_nan=False, indent=indent)

    def to_pandas(
        self, *, component_index: bool = False, lost: bool = False, node_max: bool = False
    ) -> pd.DataFrame:
        """One row per unit in the result-table layout (docs/data.md).

        Columns as for :meth:`table_columns`: ``unit_id``, the label columns, ``group`` (when
        groups are used), one per node id with its points (NaN where the node does not apply
        to the unit), ``bonus`` and ``penalty`` (when the scheme has them), ``total``,
        ``max``, ``index``, ``tier``, ``rank`` (int64). Text columns hold str, numbers are
        float64.

        Args:
            component_index: Add a column ``"<id> %"`` per node with its component index.
            lost: Add a column ``"<id> lost"`` per node with the points lost.
            node_max: Add a column ``"<id> max"`` per node with its applicable max.

        Raises:
            MissingDependencyError: when pandas is not installed.
            MeasurementsError: when a label column has the name of a result column.

        .. versionchanged:: 0.2
           Label columns, NaN for nodes that do not apply (was 0.0), *node_max*.
        """
        from parscore._optional import require

        pd_mod = require("pandas", "pandas")
        cols = self._table_arrays(component_index=component_index, lost=lost, node_max=node_max)
        return pd_mod.DataFrame({name: values for name, _, values in cols})  # type: ignore[no-any-return]

    def unit_position(self, unit_id: str) -> int:
        """Position of *unit_id* in the result.

        Raises:
            KeyError: when no unit has that id.
        """
        hits = np.flatnonzero(self.unit_ids == unit_id)
        if not hits.size:
            msg = f"no unit {unit_id!r} in the result"
            raise KeyError(msg)
        return int(hits[0])

    def explain(self, unit_id: str, *, lang: Language = "vi") -> Explanation:
        """Every point of one unit: each node's raw inputs, rule, points, max, legal basis.

        Args:
            unit_id: The unit.
            lang: Language of the rules' descriptions.
        """
        u = self.unit_position(unit_id)
        compiled = self.compiled
        scheme = self.scheme
        d = scheme.rounding.decimals
        pts = round_half_up(self.node_points[:, u], d)
        node_max = self.node_max
        mx = compiled.max_points if node_max is None else node_max[:, u]
        leaf_of = {nid: i for i, nid in enumerate(compiled.leaf_ids)}
        rows = []
        depth_of = compiled.depth
        for pos in compiled.display_pos:
            node_id = compiled.node_ids[pos]
            node = scheme.node(node_id)
            inputs: dict[str, float] = {}
            answer = None
            applicable = bool(mx[pos] > 0) or compiled.max_points[pos] == 0
            if node.is_leaf:
                leaf = leaf_of[node_id]
                for col in compiled.leaf_columns(leaf):
                    inputs[col] = float(self.measurements.values[compiled.row_of[col], u])
                names = getattr(node.rule, "option_names", None)
                code = next(iter(inputs.values()))
                if names is not None and code == code and 0 <= int(code) < len(names):  # noqa: PLR0124 - NaN check
                    answer = str(names[int(code)])
                if self.na_mask is not None:
                    applicable = not bool(self.na_mask[leaf, u])
            rows.append(
                ExplanationRow(
                    node_id=node_id,
                    name=node.name,
                    depth=int(depth_of[pos]),
                    is_leaf=node.is_leaf,
                    inputs=inputs,
                    rule=node.rule.describe(lang) if node.rule is not None else None,
                    points=float(pts[pos]),
                    max=float(round_half_up(np.array([mx[pos]]), d)[0]),
                    lost=float(round_half_up(np.array([mx[pos] - self.node_points[pos, u]]), d)[0]),
                    applicable=applicable,
                    legal_basis=node.legal_basis,
                    answer=answer,
                )
            )
        return Explanation(
            unit_id=str(self.unit_ids[u]),
            scheme_id=scheme.id,
            fingerprint=self.fingerprint,
            rows=tuple(rows),
            total=float(self.total[u]),
            max=float(self.max[u]),
            index=float(self.index[u]),
            tier=str(self.tier[u]),
            rank=int(self.rank[u]),
            bonus=None if self.bonus is None else float(self.bonus[u]),
            penalty=None if self.penalty is None else float(self.penalty[u]),
            decimals=d,
            labels={name: str(values[u]) for name, values in self.labels.items()},
        )

    # -- display -------------------------------------------------------------------------------

    def __repr__(self) -> str:
        return (
            f"<Result scheme={self.scheme.id!r} units={self.n_units} nodes={len(self.node_ids)} "
            f"{self.fingerprint[:19]}…>"
        )

    def _repr_html_(self) -> str:
        from parscore._display import result_html

        return result_html(self)

"""Result: points of every node and unit, the index, tier and rank.

A result is pure data: labelled arrays, the scheme and its fingerprint, no reference to files.
Node points are kept unrounded and rounded (half up, to the scheme's decimals) when read.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from parscore.compile import CompiledScheme
from parscore.measurements import Measurements
from parscore.model import Ranking, Scheme
from parscore.result._explain import Explanation, explain_unit, resolve_unit, unit_positions
from parscore.result._explain_all import Explanations, explain_many
from parscore.result._tables import (
    KINDS,
    NodeTable,
    ObjectArray,
    derived,
    json_head,
    plain,
    table_arrays,
)
from parscore.typing import BoolArray, FloatArray, IntArray, Language

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Result"]


@attrs.frozen(kw_only=True, eq=False)
class Result:
    """Points of every node and unit, the applicable max, total, index, tier and rank.

    Node order: :attr:`node_ids`, :meth:`matrix`, :attr:`node_na_mask`, the node tables
    (:attr:`points` …) and every table or JSON output follow the scheme's **depth-first**
    order (a field, then its criteria, then the next field). The arrays of the compiled
    scheme (``compiled.node_ids``, :attr:`node_points`, :attr:`node_max_matrix`) follow its
    **breadth-first** order (every field, then every criterion …);
    ``compiled.display_pos`` maps one to the other.

    Attributes:
        compiled: The compiled scheme scored.
        measurements: The inputs scored.
        node_points: Unrounded points of every node, ``(n_nodes, n_units)``, breadth-first.
        na_mask: Where a leaf does not apply to a unit, ``(n_leaves, n_units)``, or None.
        total: Total points per unit (tree + bonus - penalty), rounded, ``(n_units,)``.
        max: Applicable maximum per unit, ``(n_units,)``.
        index: ``total / max × 100``, rounded, ``(n_units,)``.
        tier: Tier name per unit, object array of str, ``(n_units,)``.
        rank: Rank per unit within its group, int64, ``(n_units,)``.
        bonus: Capped bonus per unit, rounded, or None.
        penalty: Capped penalty per unit, rounded, or None.
        ranking: The ranking used.
        unit_types: Each unit's type id (``scheme.unit_types``), or None.
        scale_tier: The tier each unit's scale alone gives, before caps and quotas; None
            when the scheme has neither.
        caps_held: Where each cap's condition holds, ``(n_caps, n_units)`` in
            ``scheme.tiers.caps`` order, or None without caps.
        capped_by: Id of the cap that lowered each unit's tier ("" for none), or None.
        quota_moved: Units moved to a lower tier by a quota, or None without quotas.
        items: Named adjustments: item id -> capped points per unit, rounded.

    Ranks are within each unit type (and within each group too, when there are groups).

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 *unit_types*, *scale_tier*, *caps_held*, *capped_by*,
       *quota_moved* and *items*.
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
    unit_types: ObjectArray | None = None
    scale_tier: ObjectArray | None = None
    caps_held: BoolArray | None = None
    capped_by: ObjectArray | None = None
    quota_moved: BoolArray | None = None
    items: dict[str, FloatArray] = attrs.field(factory=dict)
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
    def node_max_matrix(self) -> FloatArray | None:
        """Applicable max of every node and unit, unrounded, ``(n_nodes, n_units)``.

        Rows follow the compiled scheme's breadth-first node order
        (``compiled.node_ids``), not :attr:`node_ids`; None when every criterion applies to
        every unit (then the max is ``compiled.max_points`` for every unit). Computed on first
        use from ``na_mask`` and kept. For rounded values by node id, see
        :attr:`node_max_points`.

        .. versionadded:: 0.2
           Replaces :attr:`node_max`.
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

    @property
    def node_max(self) -> FloatArray | None:
        """Deprecated name of :attr:`node_max_matrix`.

        .. deprecated:: 0.2
           Use :attr:`node_max_matrix` (unrounded, breadth-first) or :attr:`node_max_points`
           (rounded, by node id).
        """
        warnings.warn(
            "Result.node_max is deprecated: use Result.node_max_matrix (the same unrounded "
            "matrix) or Result.node_max_points (rounded, by node id)",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.node_max_matrix

    def _raw_max(self, pos: int) -> FloatArray:
        node_max = self.node_max_matrix
        if node_max is None:
            return np.full(self.n_units, self.compiled.max_points[pos])
        row: FloatArray = node_max[pos]
        return row

    def _node_row(self, quantity: str, pos: int) -> FloatArray:
        key = (quantity, pos)
        found = self._cache.get(key)
        if found is not None:
            return found
        out = derived(
            quantity, self.node_points[pos], self._raw_max(pos), self.scheme.rounding.decimals
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
        node_max = self.node_max_matrix
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

    def matrix(
        self, quantity: str = "points", *, na: float | None = None, kind: str | None = None
    ) -> FloatArray:
        """All nodes at once, rounded, shape ``(n_units, n_nodes)`` in ``node_ids`` order.

        Args:
            quantity: ``points``, ``max``, ``lost`` or ``component`` (component index).
            na: The value of cells where the node does not apply to the unit
                (:attr:`node_na_mask`), e.g. ``np.nan``; None keeps 0 for ``points``,
                ``max`` and ``lost`` (so that sums stay sums) and NaN for ``component``.
            kind: The old name of *quantity* (``kind`` is a rule's tag everywhere else).

        .. versionchanged:: 0.2
           *na*; the first argument is named *quantity* (``kind=`` still works, deprecated).
        """
        if kind is not None:
            warnings.warn(
                "matrix(kind=...) is deprecated: use matrix(quantity=...) or matrix('points')",
                DeprecationWarning,
                stacklevel=2,
            )
            quantity = kind
        if quantity not in KINDS:
            msg = f"quantity must be points, max, lost or component, found {quantity!r}"
            raise ValueError(msg)
        order = self.compiled.display_pos
        raw = self.node_points[order]  # a fresh copy (fancy indexing)
        node_max = self.node_max_matrix
        mx = (
            np.broadcast_to(self.compiled.max_points[order][:, None], raw.shape)
            if node_max is None
            else node_max[order]
        )
        out: FloatArray = derived(quantity, raw, mx, self.scheme.rounding.decimals, own_raw=True).T
        na_mask = self.node_na_mask if na is not None else None
        if na_mask is not None:
            out[na_mask] = na
        return out

    # -- views ---------------------------------------------------------------------------------

    def table_arrays(
        self, *, component_index: bool = False, lost: bool = False, node_max: bool = False
    ) -> list[tuple[str, str, npt.NDArray[Any]]]:
        """The result table (docs/data.md) as ``(name, kind, array)`` per column, for writers.

        Columns and options as for :meth:`table_columns`. Arrays are shape ``(n_units,)``:
        ``text`` an object array of str, ``number`` float64 rounded to the scheme's decimals
        with NaN where there is no value (a node that does not apply, a component index of a
        zero max), ``int`` int64, ``bool`` bool (``quota_moved``: moved down by a quota).
        ``scale_tier``: the tier of the scale alone; ``capped_by``: the cap that lowered it.

        Raises:
            MeasurementsError: when a label column has the name of a result column.

        .. versionadded:: 0.2
        """
        return table_arrays(self, component_index=component_index, lost=lost, node_max=node_max)

    def json_header(self) -> dict[str, Any]:
        """The ``scheme`` and ``nodes`` entries of :meth:`to_json_dict`, for streaming writers.

        .. versionadded:: 0.2
        """
        return json_head(self)

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
            name: plain(values)
            for name, _, values in table_arrays(
                self, component_index=component_index, lost=lost, node_max=node_max
            )
        }

    def table_columns(
        self, *, component_index: bool = False, lost: bool = False, node_max: bool = False
    ) -> list[tuple[str, str, list[object]]]:
        """The result table (see docs/data.md) as ``(name, kind, values)`` per column.

        *kind* is ``text``, ``number`` (rounded to the scheme's decimals; None where there is
        no value) or ``int``. Columns: ``unit_id``; the label columns of the input (``STT``,
        the unit's name …, kind ``text``) in their order; ``group`` (when groups are used);
        ``type`` (unit types); one per node id with its points (None where the node does not
        apply to the unit); ``bonus`` and ``penalty`` (when the scheme has them); ``adj:<id>``
        per adjustment item; ``total``, ``max``, ``index``, ``tier``, ``rank``;
        ``scale_tier``, ``capped_by``, ``quota_moved`` (caps, quotas: see
        :meth:`table_arrays`); then on request ``"<id> %"`` per node (component index),
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
            (name, kind, plain(values))
            for name, kind, values in table_arrays(
                self, component_index=component_index, lost=lost, node_max=node_max
            )
        ]

    def to_json_dict(
        self, *, component_index: bool = False, lost: bool = False, node_max: bool = False
    ) -> dict[str, Any]:
        """The result as a web service returns it: plain JSON types, numbers rounded.

        The document::

            {"scheme": {"id", "name", "year", "level", "fingerprint", "decimals"},
             "nodes": [{"id", "name", "max", "depth"}, ...], "columns": [...],
             "units": [{column: value, ...}, ...]}

        Returns:
            The document above: the scheme's nodes in ``node_ids`` order with their max in
            the scheme, and one object per unit with the columns of :meth:`table_columns`
            (null where a node does not apply or a component index has no value). Strict
            JSON: no NaN anywhere.

        .. versionadded:: 0.1
        .. versionchanged:: 0.2
           ``nodes``, label columns, null for nodes that do not apply, *node_max*.
        """
        columns = self.table_columns(component_index=component_index, lost=lost, node_max=node_max)
        names = [c[0] for c in columns]
        units = [
            dict(zip(names, row, strict=True)) for row in zip(*(c[2] for c in columns), strict=True)
        ]
        return {**self.json_header(), "columns": names, "units": units}

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
        cols = self.table_arrays(component_index=component_index, lost=lost, node_max=node_max)
        return pd_mod.DataFrame({name: values for name, _, values in cols})  # type: ignore[no-any-return]

    def unit_position(self, unit_id: str) -> int:
        """Position of *unit_id* in the result.

        Raises:
            KeyError: when no unit has that id.
        """
        return int(unit_positions(self, [unit_id])[0])

    def explain(
        self, unit: str | None = None, *, lang: Language = "vi", unit_id: str | None = None
    ) -> Explanation:
        """Every point of one unit: each node's raw inputs, rule, points, max, legal basis.

        Args:
            unit: The unit's id.
            lang: Language of the rules' descriptions.
            unit_id: Deprecated spelling of *unit* (``unit_id`` names a column elsewhere).

        Raises:
            KeyError: when no unit has that id.
            TypeError: when no unit, or both *unit* and *unit_id*, are given.

        .. versionchanged:: 0.2
           The unit is ``unit=``; ``unit_id=`` is deprecated.
        """
        unit = resolve_unit(unit, unit_id)
        return explain_unit(self, self.unit_position(unit), lang=lang)

    def explain_all(
        self, units: Iterable[str] | None = None, *, lang: Language = "vi"
    ) -> Explanations:
        """Explanations of many units at once as arrays (:class:`Explanations`), fast.

        ``explain_all()[unit]`` equals ``explain(unit)``. *units*: ids in the order wanted,
        None (default) for every unit. Raises KeyError naming ids not in the result.

        .. versionadded:: 0.2
        """
        return explain_many(self, unit_positions(self, units), lang=lang)

    # -- display -------------------------------------------------------------------------------

    def __repr__(self) -> str:
        return (
            f"<Result scheme={self.scheme.id!r} units={self.n_units} nodes={len(self.node_ids)} "
            f"{self.fingerprint[:19]}…>"
        )

    def _repr_html_(self) -> str:
        from parscore._display import result_html

        return result_html(self)

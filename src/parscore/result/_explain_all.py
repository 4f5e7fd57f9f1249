"""Explanations of many units at once, as arrays: :meth:`Result.explain_all`.

One :class:`Explanations` holds, for the units asked for, every node's points, max, points
lost, component index, whether it applies (and is for the unit's type), every raw input, the
option chosen and the rate banded, as ``(n_units, n_nodes)`` (or ``(n_units, n_columns)``)
arrays built with NumPy, and the rules' descriptions once per node. ``explanations[unit]``
gives the :class:`~parscore.Explanation` of one unit (the same as ``result.explain(unit)``);
:meth:`Explanations.to_json_dict` and :meth:`Explanations.to_pandas` give them all.

.. versionadded:: 0.2
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from parscore.result._explain import Explanation, ExplanationRow, unit_summary
from parscore.result._explain_types import group_sizes, typed_parts
from parscore.result._tables import ObjectArray, derived
from parscore.rules import Bands
from parscore.typing import BoolArray, FloatArray, IntArray, Language

if TYPE_CHECKING:
    import pandas as pd

    from parscore.model import Node
    from parscore.result._result import Result

__all__ = ["Explanations", "explain_many"]


@attrs.frozen(kw_only=True, eq=False, slots=False)
class Explanations:
    """The explanations of many units, as arrays (:meth:`Result.explain_all`).

    Rows of every array are the units (:attr:`unit_ids`, in the order asked for); node
    columns follow :attr:`node_ids` (the scheme's depth-first order, as in
    :class:`~parscore.Explanation`); input columns follow :attr:`columns`. Numbers are
    rounded to the scheme's decimals.

    Attributes:
        result: The result explained.
        positions: The units' positions in the result, ``(n,)``.
        node_ids: The nodes, depth-first.
        columns: The input columns of the leaves, depth-first (a leaf's columns together).
        node_columns: For each node, the slice of :attr:`columns` holding its inputs (empty
            for a parent).
        rules: Each node's rule in words (None for a parent), in the language asked for.
        points: Points, ``(n, n_nodes)``; 0 where the node does not apply (see *applicable*).
        max: Applicable maximum, ``(n, n_nodes)``; 0 where the node does not apply.
        lost: ``max - points``, ``(n, n_nodes)``.
        component_index: ``points / max × 100``, ``(n, n_nodes)``; NaN where max is 0.
        applicable: Whether each node applies to each unit, ``(n, n_nodes)``.
        for_type: False where a node is not for the unit's type (``applies_to``),
            ``(n, n_nodes)``; all True without unit types.
        inputs: Raw input values, ``(n, n_columns)``; NaN = missing or not applicable.
        answers: For a ``choice`` leaf, the option chosen (else None), ``(n, n_nodes)``.
        rates: For a ``bands`` leaf over two counts, the rate banded (``100 × num / den``),
            ``(n, n_nodes)``; NaN where there is none (see :attr:`has_rate`).
        has_rate: Where :attr:`rates` holds a rate (the denominator is above 0).
        rank_among: The units ranked with each one (its type and group), ``(n,)``.
        lang: The language of the descriptions.

    .. versionadded:: 0.2
    """

    result: Result = attrs.field(repr=False)
    positions: IntArray
    node_ids: tuple[str, ...]
    columns: tuple[str, ...]
    node_columns: tuple[slice, ...] = attrs.field(repr=False)
    rules: tuple[str | None, ...] = attrs.field(repr=False)
    points: FloatArray = attrs.field(repr=False)
    max: FloatArray = attrs.field(repr=False)
    lost: FloatArray = attrs.field(repr=False)
    component_index: FloatArray = attrs.field(repr=False)
    applicable: BoolArray = attrs.field(repr=False)
    for_type: BoolArray = attrs.field(repr=False)
    inputs: FloatArray = attrs.field(repr=False)
    answers: ObjectArray = attrs.field(repr=False)
    rates: FloatArray = attrs.field(repr=False)
    has_rate: BoolArray = attrs.field(repr=False)
    rank_among: IntArray = attrs.field(repr=False)
    lang: Language = "vi"

    @property
    def unit_ids(self) -> ObjectArray:
        """The units explained, in the order asked for."""
        ids: ObjectArray = self.result.unit_ids[self.positions]
        return ids

    def __len__(self) -> int:
        return len(self.positions)

    def __iter__(self) -> Iterator[Explanation]:
        return (self.explanation(i) for i in range(len(self)))

    def __getitem__(self, unit: str) -> Explanation:
        """The explanation of unit *unit* (an id), as :meth:`Result.explain` gives it.

        Raises:
            KeyError: when the unit is not among those explained.
        """
        hits = np.flatnonzero(self.unit_ids == unit)
        if not hits.size:
            msg = f"no unit {unit!r} among the units explained"
            raise KeyError(msg)
        return self.explanation(int(hits[0]))

    def __repr__(self) -> str:
        return (
            f"<Explanations scheme={self.result.scheme.id!r} units={len(self)} "
            f"nodes={len(self.node_ids)}>"
        )

    def _repr_html_(self) -> str:
        """The units as a compact HTML table, for Jupyter (the first 20; every text escaped).

        .. versionadded:: 0.2
        """
        from parscore.result._html import explanations_html

        return explanations_html(self)

    @functools.cached_property
    def _nodes(self) -> tuple[Node, ...]:
        return tuple(self.result.scheme.node(nid) for nid in self.node_ids)

    def typed(self, i: int) -> dict[str, Any]:
        """What unit types, caps, quotas and items add to the *i*-th explanation.

        The keyword arguments of :class:`~parscore.Explanation` from ``unit_type`` on
        (empty tuples and no keys for a scheme without them).
        """
        return typed_parts(
            self.result,
            int(self.positions[i]),
            lang=self.lang,
            among=int(self.rank_among[i]),
        )

    def explanation(self, i: int) -> Explanation:
        """The :class:`~parscore.Explanation` of the *i*-th unit explained."""
        result = self.result
        u = int(self.positions[i])
        compiled = result.compiled
        depth = compiled.depth[compiled.display_pos].tolist()
        values = self.inputs[i].tolist()
        points, mx, lost = self.points[i].tolist(), self.max[i].tolist(), self.lost[i].tolist()
        applicable, for_type = self.applicable[i].tolist(), self.for_type[i].tolist()
        rates = [
            r if has else None
            for r, has in zip(self.rates[i].tolist(), self.has_rate[i].tolist(), strict=True)
        ]
        answers = self.answers[i].tolist()
        rows = []
        for j, node in enumerate(self._nodes):
            cols = self.node_columns[j]
            rows.append(
                ExplanationRow(
                    node_id=node.id,
                    name=node.name,
                    depth=int(depth[j]),
                    is_leaf=node.is_leaf,
                    inputs=dict(zip(self.columns[cols], values[cols], strict=True)),
                    rule=self.rules[j],
                    points=points[j],
                    max=mx[j],
                    lost=lost[j],
                    applicable=applicable[j],
                    legal_basis=node.legal_basis,
                    answer=answers[j],
                    rate=rates[j],
                    for_type=for_type[j],
                )
            )
        return Explanation(rows=tuple(rows), **unit_summary(result, u), **self.typed(i))

    def to_json_dict(self) -> dict[str, Any]:
        """Every explanation as strict JSON data, node by node in arrays.

        The document::

            {"scheme": {"id", "name", "year", "level", "fingerprint", "decimals"},
             "nodes": [{"id", "name", "depth", "is_leaf", "max", "rule", "legal_basis",
                        "inputs": [column, ...]}, ...],
             "columns": [input column, ...],
             "units": [{"unit_id", "labels", "total", "max", "index", "tier", "rank",
                        "bonus", "penalty", "points": [...], "max_points": [...],
                        "lost": [...], "component_index": [...], "applicable": [...],
                        "for_type": [...], "answers": [...], "rates": [...],
                        "inputs": [...], ...typed parts}, ...]}

        Each unit's node arrays follow ``nodes``, its ``inputs`` follow ``columns``. Null
        where there is no value: the points, points lost and component index of a node that
        does not apply, a missing or not-applicable input, no option or rate. A scheme with
        unit types, caps, quotas or named items adds to each unit ``unit_type``,
        ``type_name``, ``rank_among``, ``not_for_type``, ``scale``, ``scale_tier``,
        ``caps``, ``quota_moves`` and ``items`` as :meth:`Explanation.to_json_dict` gives
        them. No NaN anywhere: ``json.dumps(..., allow_nan=False)`` works.
        """
        from parscore.result._explain_json import explanations_json

        return explanations_json(self)

    def to_pandas(self) -> pd.DataFrame:
        """One row per unit and node (long form), units in order, nodes depth-first.

        Columns: ``unit_id``, ``node_id``, ``name``, ``depth``, ``is_leaf``, ``points``,
        ``max``, ``lost``, ``component_index`` (NaN where the node does not apply: points
        and points lost too), ``applicable``, ``for_type``, ``rule``, ``inputs`` (the raw
        inputs as :meth:`ExplanationRow.shown_inputs` shows them), ``answer``, ``rate``,
        ``legal_basis``, then the unit's ``total``, ``index``, ``tier`` and ``rank``.

        Raises:
            MissingDependencyError: when pandas is not installed.
        """
        from parscore.result._explain_json import explanations_frame

        return explanations_frame(self)


def _node_rows(
    result: Result, positions: IntArray
) -> tuple[FloatArray, FloatArray, IntArray, BoolArray]:
    """Unrounded points and max ``(n, n_nodes)``, depth-first; each node's leaf (or -1); NA."""
    compiled = result.compiled
    order = compiled.display_pos
    raw = result.node_points[order][:, positions].T
    node_max = result.node_max_matrix
    if node_max is None:
        mx = np.broadcast_to(compiled.max_points[order], raw.shape)
    else:
        mx = node_max[order][:, positions].T
    leaf_of = {nid: k for k, nid in enumerate(compiled.leaf_ids)}
    leaf = np.array([leaf_of.get(compiled.node_ids[p], -1) for p in order], dtype=np.int64)
    applicable = (mx > 0) | (compiled.max_points[order] == 0)
    if result.na_mask is not None:
        is_leaf = leaf >= 0
        applicable[:, is_leaf] = ~result.na_mask[leaf[is_leaf]][:, positions].T
    return raw, np.asarray(mx, dtype=np.float64), leaf, applicable


def _for_type(result: Result, positions: IntArray, node_ids: Sequence[str]) -> BoolArray:
    out = np.ones((len(positions), len(node_ids)), dtype=bool)
    if result.unit_types is None:
        return out
    types = result.unit_types[positions]
    for type_id in dict.fromkeys(types.tolist()):
        applies = np.array([result.scheme.applies(n, str(type_id)) for n in node_ids])
        out[types == type_id] = applies
    return out


def explain_many(result: Result, positions: IntArray, *, lang: Language = "vi") -> Explanations:
    """The :class:`Explanations` of the units at *positions* of *result*."""
    compiled = result.compiled
    scheme = result.scheme
    d = scheme.rounding.decimals
    n = len(positions)
    node_ids = tuple(compiled.node_ids[p] for p in compiled.display_pos)
    raw, mx, leaf, applicable = _node_rows(result, positions)
    columns: list[str] = []
    spans: list[slice] = []
    rules: list[str | None] = []
    answers = np.full((n, len(node_ids)), None, dtype=object)
    rates = np.full((n, len(node_ids)), np.nan)
    has_rate = np.zeros((n, len(node_ids)), dtype=bool)
    values = result.measurements.values
    for j, node_id in enumerate(node_ids):
        node = scheme.node(node_id)
        rules.append(node.rule.describe(lang) if node.rule is not None else None)
        cols = compiled.leaf_columns(int(leaf[j])) if leaf[j] >= 0 else ()
        spans.append(slice(len(columns), len(columns) + len(cols)))
        columns.extend(cols)
        if not cols:
            continue
        first = values[compiled.row_of[cols[0]], positions]
        names = getattr(node.rule, "option_names", None)
        if names is not None:
            with np.errstate(invalid="ignore"):
                code = np.trunc(first)
                ok = (code >= 0) & (code < len(names))  # NaN is neither
            chosen = np.array([str(x) for x in names], dtype=object)
            answers[ok, j] = chosen[code[ok].astype(np.int64)]
        if isinstance(node.rule, Bands) and len(node.rule.inputs) == 2:
            den = values[compiled.row_of[cols[1]], positions]
            with np.errstate(invalid="ignore", divide="ignore"):
                has_rate[:, j] = den > 0  # NaN (missing) and 0 have no rate
                rates[:, j] = np.where(has_rate[:, j], 100.0 * first / den, np.nan)
    rows = np.array([compiled.row_of[c] for c in columns], dtype=np.int64)
    inputs = values[rows][:, positions].T if columns else np.empty((n, 0))
    return Explanations(
        result=result,
        positions=positions,
        node_ids=node_ids,
        columns=tuple(columns),
        node_columns=tuple(spans),
        rules=tuple(rules),
        points=derived("points", raw.copy(), mx, d, own_raw=True),
        max=derived("max", raw, mx, d),
        lost=derived("lost", raw, mx, d),
        component_index=derived("component", raw, mx, d),
        applicable=applicable,
        for_type=_for_type(result, positions, node_ids),
        inputs=np.ascontiguousarray(inputs, dtype=np.float64),
        answers=answers,
        rates=rates,
        has_rate=has_rate,
        rank_among=group_sizes(result)[positions],
        lang=lang,
    )

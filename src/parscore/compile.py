"""Scheme -> CompiledScheme: the tree turned into arrays once, cached by fingerprint.

Nodes are laid out breadth first, so that each parent's children are contiguous rows:
aggregation up the tree is one ``np.add.reduce`` over a block of rows per parent, deepest
parents first (measured faster than ``np.add.reduceat`` per depth, which walks the rows
column by column). Leaves are grouped by rule class (and number of inputs), so that each
group scores all its leaves in one numpy call.

.. versionadded:: 0.1
"""

from __future__ import annotations

import enum
import threading
import weakref
from collections import OrderedDict

import attrs
import numpy as np

from parscore._converter import fingerprint
from parscore.model import Node, Scheme
from parscore.rules import is_batched, may_give_nan
from parscore.typing import BoolArray, FloatArray, IntArray, Rule

__all__ = ["POLICY_CODE", "CompiledScheme", "LevelStep", "Policy", "RuleGroup", "compile_scheme"]


class Policy(enum.IntEnum):
    """A missing-value policy as stored in ``CompiledScheme.leaf_policy`` (one code per leaf).

    .. versionadded:: 0.2
    """

    ERROR = 0
    """A missing value is an error."""
    ZERO = 1
    """A missing value earns zero points."""
    NOT_APPLICABLE = 2
    """A missing value makes the criterion not applicable."""

    @classmethod
    def of(cls, name: str) -> Policy:
        """The policy written *name* in scheme files (``error``, ``zero``, ``not_applicable``)."""
        return cls[name.upper()]


POLICY_CODE = {p.name.lower(): p for p in Policy}
"""Missing-value policies by the name written in scheme files."""


@attrs.frozen(kw_only=True, eq=False)
class RuleGroup:
    """Leaves scored together: same rule class and number of inputs.

    Attributes:
        rule_class: The class of every rule in the group.
        rules: The rules, one per leaf, shape ``(k,)``.
        node_ids: The leaves' ids, shape ``(k,)``.
        leaf_idx: The leaves' positions in leaf order, shape ``(k,)``.
        column_idx: Column positions (in ``columns`` order) of each leaf's inputs, shape
            ``(k, n_inputs)``.
        row_start: First row of the group's inputs in the storage order of
            :attr:`Measurements.values`: rows ``row_start : row_start + k * n_inputs`` hold
            them leaf by leaf, so ``values[row_start:row_stop].reshape(k, n_inputs, n)`` is a
            view, not a copy.
        row_stop: One past the last row.
        max_points: The leaves' maximum points, shape ``(k,)``.
        batched: Whether the class scores many leaves at once (``batch_points``).
        may_give_nan: Whether the rules may return NaN (not applicable), so that NaN must be
            looked for: true unless every rule declares ``can_be_not_applicable`` false (see
            :func:`parscore.rules.may_give_nan`), for built-in and plugin rules alike.
    """

    rule_class: type
    rules: tuple[Rule, ...]
    node_ids: tuple[str, ...]
    leaf_idx: IntArray
    column_idx: IntArray
    row_start: int
    row_stop: int
    max_points: FloatArray
    batched: bool
    may_give_nan: bool


@attrs.frozen(kw_only=True, eq=False)
class LevelStep:
    """One step of aggregation: a parent's children, rows ``start:stop``, summed into it.

    Attributes:
        parent: Position of the parent (breadth-first order).
        start: Position of its first child.
        stop: One past the position of its last child.
    """

    parent: int
    start: int
    stop: int


@attrs.frozen(kw_only=True, eq=False)
class CompiledScheme:
    """A scheme as arrays, ready for the engine. Build it with :func:`compile_scheme`.

    Positions: *node* positions follow breadth-first order (``node_ids``); *leaf* positions
    follow depth-first order (``leaf_ids``), which is also the order of ``columns`` (the
    input columns as people read them). ``matrix_columns`` holds the same columns in storage
    order, grouped by rule kind: the rows of ``Measurements.values``, and the columns of a
    numpy matrix passed to :func:`parscore.score` (so no column needs to be moved).

    .. versionadded:: 0.1
    """

    scheme: Scheme
    fingerprint: str
    node_ids: tuple[str, ...]
    node_pos: dict[str, int]
    display_pos: IntArray
    depth: IntArray
    parent_pos: IntArray
    max_points: FloatArray
    n_top: int
    leaf_ids: tuple[str, ...]
    leaf_pos: IntArray
    leaf_max: FloatArray
    leaf_policy: IntArray
    columns: tuple[str, ...]
    column_pos: dict[str, int]
    row_of: dict[str, int]
    storage_columns: IntArray
    matrix_columns: tuple[str, ...]
    column_leaf: IntArray
    leaf_col_start: IntArray
    leaf_n_inputs: IntArray
    groups: tuple[RuleGroup, ...]
    steps: tuple[LevelStep, ...]
    descendant_leaves: dict[str, IntArray]
    type_ids: tuple[str, ...] = ()
    leaf_applies: BoolArray | None = None
    cap_columns: tuple[str, ...] = ()
    item_columns: tuple[str, ...] = ()

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CompiledScheme):
            return NotImplemented
        return self.fingerprint == other.fingerprint

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.node_ids)

    @property
    def n_leaves(self) -> int:
        """Number of leaves."""
        return len(self.leaf_ids)

    def leaf_columns(self, leaf: int) -> tuple[str, ...]:
        """The input columns of the leaf at leaf position *leaf*."""
        start = int(self.leaf_col_start[leaf])
        return self.columns[start : start + int(self.leaf_n_inputs[leaf])]

    def aggregate(self, node_values: FloatArray) -> None:
        """Sum children into parents, in place, deepest first.

        Args:
            node_values: Shape ``(n_nodes, n_units)``; leaf rows are read, parent rows written.
        """
        for step in self.steps:
            np.add.reduce(node_values[step.start : step.stop], axis=0, out=node_values[step.parent])

    def applicable_max(self, na_mask: BoolArray | None, n_units: int) -> FloatArray:
        """Unrounded applicable max per unit: the scheme's max less that of leaves not applying.

        Args:
            na_mask: Leaves not applicable per unit, ``(n_leaves, n_units)``, or None.
            n_units: Number of units.

        Returns:
            Shape ``(n_units,)``; exactly 0 where (almost) nothing is left.
        """
        scheme_max = self.scheme.max_points
        if na_mask is None:
            return np.full(n_units, scheme_max)
        rows = np.flatnonzero(na_mask.any(axis=1))
        app_max = scheme_max - self.leaf_max[rows] @ na_mask[rows].astype(np.float64)
        app_max[np.abs(app_max) < 1e-9 * max(1.0, scheme_max)] = 0.0
        return np.asarray(app_max, dtype=np.float64)

    def type_na(self, type_codes: IntArray | None) -> BoolArray | None:
        """Leaves that do not apply to each unit's type, ``(n_leaves, n_units)``, or None.

        Args:
            type_codes: Position of each unit's type in :attr:`type_ids`, shape ``(n_units,)``;
                -1 for a unit whose type is unknown (every leaf applies to it). None: no types.

        Returns:
            None when every leaf applies to every unit.

        .. versionadded:: 0.2
        """
        if self.leaf_applies is None or type_codes is None:
            return None
        known = type_codes >= 0
        out = np.zeros((self.n_leaves, len(type_codes)), dtype=bool)
        out[:, known] = ~self.leaf_applies[:, type_codes[known]]
        return out if out.any() else None

    def leaf_mask_of(self, node_id: str) -> BoolArray:
        """Mask over leaf positions of the leaves at or below *node_id*."""
        mask = np.zeros(self.n_leaves, dtype=bool)
        mask[self.descendant_leaves[node_id]] = True
        return mask


def column_names(node: Node, rule: Rule) -> tuple[str, ...]:
    """The input columns a leaf reads: its id for one input, ``"<id>:<input>"`` for several."""
    names = rule.inputs
    if len(names) == 1:
        return (node.id,)
    return tuple(f"{node.id}:{name}" for name in names)


def _build(scheme: Scheme, fp: str) -> CompiledScheme:
    # breadth-first layout
    order: list[tuple[Node, int, int]] = []  # (node, depth, parent position)
    frontier: list[tuple[Node, int]] = [(n, -1) for n in scheme.nodes]
    depth = 0
    while frontier:
        nxt: list[tuple[Node, int]] = []
        for node, parent in frontier:
            pos = len(order)
            order.append((node, depth, parent))
            nxt.extend((child, pos) for child in node.children)
        frontier = nxt
        depth += 1
    node_ids = tuple(n.id for n, _, _ in order)
    node_pos = {nid: i for i, nid in enumerate(node_ids)}
    depth_arr = np.array([d for _, d, _ in order], dtype=np.int64)
    parent_arr = np.array([p for _, _, p in order], dtype=np.int64)
    max_arr = np.array([n.max for n, _, _ in order], dtype=np.float64)
    dfs_ids = [n.id for n in scheme.walk()]
    display = np.array([node_pos[i] for i in dfs_ids], dtype=np.int64)

    # children of one parent are contiguous; deepest parents first, so that every child is
    # complete before it is added into its parent
    child_rows: dict[int, list[int]] = {}
    for pos, (_, _, parent) in enumerate(order):
        if parent >= 0:
            child_rows.setdefault(parent, []).append(pos)
    steps = [
        LevelStep(parent=p, start=rows[0], stop=rows[-1] + 1)
        for p, rows in sorted(child_rows.items(), key=lambda kv: -int(depth_arr[kv[0]]))
    ]

    leaves = list(scheme.leaves())
    leaf_ids = tuple(n.id for n in leaves)
    leaf_index = {nid: i for i, nid in enumerate(leaf_ids)}
    columns: list[str] = []
    col_leaf: list[int] = []
    col_start: list[int] = []
    n_inputs: list[int] = []
    for i, leaf in enumerate(leaves):
        assert leaf.rule is not None  # guaranteed by Scheme validation
        names = column_names(leaf, leaf.rule)
        col_start.append(len(columns))
        n_inputs.append(len(names))
        columns.extend(names)
        col_leaf.extend([i] * len(names))

    buckets: dict[tuple[type, int], list[int]] = {}
    for i, leaf in enumerate(leaves):
        assert leaf.rule is not None
        buckets.setdefault((type(leaf.rule), n_inputs[i]), []).append(i)
    groups: list[RuleGroup] = []
    storage: list[int] = []  # the column (position in `columns`) held by each storage row
    for (cls, m), members in sorted(buckets.items(), key=lambda kv: (kv[0][0].kind, kv[0][1])):  # type: ignore[attr-defined]
        row = groups[-1].row_stop if groups else 0
        groups.append(
            RuleGroup(
                rule_class=cls,
                rules=tuple(leaves[i].rule for i in members),  # type: ignore[misc]
                node_ids=tuple(leaf_ids[i] for i in members),
                leaf_idx=np.array(members, dtype=np.int64),
                column_idx=np.array(
                    [[col_start[i] + j for j in range(m)] for i in members], dtype=np.int64
                ),
                row_start=row,
                row_stop=row + m * len(members),
                max_points=np.array([leaves[i].max for i in members], dtype=np.float64),
                batched=is_batched(cls),
                may_give_nan=any(may_give_nan(leaves[i].rule) for i in members),
            )
        )

    for grp in groups:
        storage.extend(int(c) for c in grp.column_idx.ravel())
    descendants = {
        n.id: np.array([leaf_index[x.id] for x in n.leaves()], dtype=np.int64)
        for n in scheme.walk()
    }
    policy = np.array(
        [POLICY_CODE[leaf.missing or scheme.missing] for leaf in leaves], dtype=np.int64
    )
    type_ids = scheme.unit_types.ids if scheme.unit_types is not None else ()
    leaf_applies = None
    if type_ids:
        leaf_applies = np.array(
            [[scheme.applies(leaf.id, t) for t in type_ids] for leaf in leaves], dtype=bool
        ).reshape(len(leaves), len(type_ids))
    return CompiledScheme(
        scheme=scheme,
        fingerprint=fp,
        node_ids=node_ids,
        node_pos=node_pos,
        display_pos=display,
        depth=depth_arr,
        parent_pos=parent_arr,
        max_points=max_arr,
        n_top=len(scheme.nodes),
        leaf_ids=leaf_ids,
        leaf_pos=np.array([node_pos[i] for i in leaf_ids], dtype=np.int64),
        leaf_max=np.array([n.max for n in leaves], dtype=np.float64),
        leaf_policy=policy,
        columns=tuple(columns),
        column_pos={c: i for i, c in enumerate(columns)},
        row_of={columns[c]: r for r, c in enumerate(storage)},
        storage_columns=np.array(storage, dtype=np.int64),
        matrix_columns=tuple(columns[c] for c in storage),
        column_leaf=np.array(col_leaf, dtype=np.int64),
        leaf_col_start=np.array(col_start, dtype=np.int64),
        leaf_n_inputs=np.array(n_inputs, dtype=np.int64),
        groups=tuple(groups),
        steps=tuple(steps),
        descendant_leaves=descendants,
        type_ids=type_ids,
        leaf_applies=leaf_applies,
        cap_columns=tuple(c.column for c in scheme.tiers.caps if c.column is not None),
        item_columns=tuple(i.column for i in scheme.adjustments.items),
    )


_cache: weakref.WeakKeyDictionary[Scheme, CompiledScheme] = weakref.WeakKeyDictionary()
_by_fingerprint: OrderedDict[str, CompiledScheme] = OrderedDict()
_CACHE_SIZE = 32
_lock = threading.Lock()


def compile_scheme(scheme: Scheme | CompiledScheme) -> CompiledScheme:
    """Compile *scheme* into arrays, or return the cached compilation.

    The cache holds the compilation as long as the scheme object lives, and the last 32
    compilations by fingerprint, so an equal scheme loaded again is not recompiled.

    .. versionadded:: 0.1
    """
    if isinstance(scheme, CompiledScheme):
        return scheme
    with _lock:
        found = _cache.get(scheme)
    if found is not None:
        return found
    fp = fingerprint(scheme)
    with _lock:
        found = _by_fingerprint.get(fp)
    if found is None or found.scheme != scheme:
        found = _build(scheme, fp)
    with _lock:
        _cache[scheme] = found
        _by_fingerprint[fp] = found
        _by_fingerprint.move_to_end(fp)
        while len(_by_fingerprint) > _CACHE_SIZE:
            _by_fingerprint.popitem(last=False)
    return found

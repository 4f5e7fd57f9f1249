"""The machinery of :func:`parscore.analysis.sensitivity`.

Weight draws, survey noise, ranking blocks of draws, order statistics of ranks.

.. versionadded:: 0.2
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from parscore._tiering import assign_tiers
from parscore.analysis._types import ranking_groups, type_codes
from parscore.compile import CompiledScheme
from parscore.ranking import RankMethod, order_by_id, rank_rows
from parscore.result import Result
from parscore.rules import is_sampled
from parscore.typing import FloatArray, IntArray

__all__ = [
    "Int32Array",
    "NoiseSource",
    "Ranker",
    "TierCounter",
    "field_of",
    "order_statistics",
    "weight_deltas",
]

Int32Array = npt.NDArray[np.int32]


def order_statistics(ranks: Int32Array, kth: list[int]) -> IntArray:
    """The *kth* smallest rank of every unit over the draws, shape ``(len(kth), n_units)``.

    Units are taken in blocks whose ranks are transposed so that each unit's draws are
    contiguous, then sorted; ranks below 2**15 are sorted as int16, for which numpy's stable
    sort is a radix sort (about 4× faster than ``np.partition`` along the draws).
    """
    n_units = ranks.shape[1]
    out = np.empty((len(kth), n_units), dtype=np.int64)
    small = n_units < np.iinfo(np.int16).max
    for start in range(0, n_units, 512):
        block = ranks[:, start : start + 512].T.astype(np.int16 if small else np.int32)
        block.sort(axis=1, kind="stable")
        out[:, start : start + 512] = block[:, kth].T
    return out


def weight_deltas(
    rng: np.random.Generator,
    official: FloatArray,
    scheme_max: float,
    *,
    draws: int,
    spread: float,
    distribution: str,
    concentration: float,
) -> FloatArray:
    """Each draw's ``new max / official max - 1`` per field, ``(draws, n_fields)``.

    Exactly 0 when the weights do not move (``spread=0``, infinite concentration), so that
    those draws reproduce the result bit for bit. Fields with max 0 keep 0.
    """
    delta = np.zeros((draws, len(official)))
    live = official > 0
    if not live.any():
        return delta
    m = official[live]
    if distribution == "uniform":
        if spread == 0.0:
            return delta
        raw = m * (1.0 + rng.uniform(-spread, spread, size=(draws, len(m))))
        new = raw * (scheme_max / raw.sum(axis=1, keepdims=True))
    else:
        if math.isinf(concentration):
            return delta
        shares = rng.dirichlet(concentration * m / m.sum(), size=draws)
        # a share can underflow to 0 with a small concentration; keep every field alive so
        # that no unit's applicable max vanishes
        shares = np.maximum(shares, 1e-9)
        new = shares * (scheme_max / shares.sum(axis=1, keepdims=True))
    delta[:, live] = new / m - 1.0
    return delta


def field_of(compiled: CompiledScheme) -> IntArray:
    """The top-level node (field) position above every node position, ``(n_nodes,)``."""
    out = np.arange(compiled.n_nodes, dtype=np.int64)
    parent = compiled.parent_pos
    for pos in range(compiled.n_top, compiled.n_nodes):  # breadth first: parents come first
        out[pos] = out[parent[pos]]
    return out


class NoiseSource:
    """Gaussian noise on survey leaves' points, one independent stream per leaf."""

    def __init__(
        self,
        result: Result,
        field_of: IntArray,
        input_noise: float | None,
        seed: np.random.SeedSequence,
    ) -> None:
        compiled = result.compiled
        self.leaves: list[tuple[int, float, np.random.Generator]] = []
        if not input_noise:
            return
        survey = [
            i
            for i, leaf_id in enumerate(compiled.leaf_ids)
            if is_sampled(compiled.scheme.node(leaf_id).rule)
        ]
        children = seed.spawn(len(survey))
        self.result = result
        self.field_of = field_of
        for leaf, child in zip(survey, children, strict=True):
            self.leaves.append(
                (leaf, float(compiled.leaf_max[leaf]) * input_noise, np.random.default_rng(child))
            )

    def add(self, tree: FloatArray, dl: FloatArray) -> None:
        """Add each survey leaf's noisy change, scaled by its field's weight, to *tree*."""
        if not self.leaves:
            return
        result = self.result
        compiled = result.compiled
        for leaf, sd, rng in self.leaves:
            pos = int(compiled.leaf_pos[leaf])
            mx = (
                np.full(result.n_units, compiled.leaf_max[leaf])
                if result.node_max_matrix is None
                else result.node_max_matrix[pos]
            )
            pts = result.node_points[pos]
            noisy = np.clip(pts + rng.normal(0.0, sd, size=tree.shape), 0.0, mx)
            change = np.where(mx > 0, noisy - pts, 0.0)
            change *= 1.0 + dl[:, self.field_of[pos], None]
            tree += change


class Ranker:
    """Ranks every row of a block of draws within the ranking groups, as the engine ranks.

    The ranking groups (type × group, :func:`parscore.ranking.ranking_codes`) are coded once.
    Without a tie-break, a block is ranked in one counting pass over the rounded values
    (:func:`parscore.ranking.rank_rows`); tie-breaks sort each row.
    """

    def __init__(
        self, result: Result, method: RankMethod, decimals: int, *, has_tie_break: bool
    ) -> None:
        self.method = method
        self.decimals = decimals
        self.unit_ids = result.unit_ids
        self.group_code = ranking_groups(result)
        self.n_groups = int(self.group_code.max()) + 1
        self.counting = not has_tie_break
        self.id_order = order_by_id(result.unit_ids) if method == "ordinal" else None
        self.members: list[IntArray] = []  # each group's units in id order, for _sort
        if not self.counting:
            id_order = np.argsort(result.unit_ids.astype(str), kind="stable")
            # ranking groups are type × group codes: some codes may have no unit
            members = (id_order[self.group_code[id_order] == g] for g in range(self.n_groups))
            self.members = [m for m in members if m.size]

    def rank_into(self, out: Int32Array, key: FloatArray, tie_keys: list[FloatArray]) -> None:
        """Write the ranks of *key* ``(b, n_units)`` (rounded, higher is better) into *out*."""
        if self.counting:
            rank_rows(
                key,
                decimals=self.decimals,
                group_codes=self.group_code,
                method=self.method,
                unit_ids=self.unit_ids,
                out=out,
                id_order=self.id_order,  # the ids sorted once, not once per block
            )
        else:
            self._sort(out, key, tie_keys)

    def _sort(self, out: Int32Array, key: FloatArray, tie_keys: list[FloatArray]) -> None:
        for members in self.members:
            keys = [-key[:, members], *(-t[:, members] for t in tie_keys)]
            if len(keys) == 1:
                order = np.argsort(keys[0], axis=1, kind="stable")
            else:
                order = np.lexsort(tuple(reversed(keys)), axis=-1)
            m = len(members)
            differs = np.zeros((len(key), m), dtype=bool)
            differs[:, 0] = True
            for k in keys:
                s = np.take_along_axis(k, order, axis=1)
                differs[:, 1:] |= s[:, 1:] != s[:, :-1]
            positions = np.broadcast_to(np.arange(m, dtype=np.int64), differs.shape)
            if self.method == "ordinal":
                ranks_sorted = positions + 1
            elif self.method == "competition":
                ranks_sorted = np.maximum.accumulate(np.where(differs, positions, 0), axis=1) + 1
            else:
                ranks_sorted = np.cumsum(differs, axis=1)
            sub = np.empty((len(key), m), dtype=np.int64)
            np.put_along_axis(sub, order, ranks_sorted, axis=1)
            out[:, members] = sub


class TierCounter:
    """Counts each unit's tier over the draws, classified as the engine classifies.

    Its type's scale, then the caps (as observed: a field's weight scales a node's points and
    max alike, so a node's component index does not move), then the quotas within the ranking
    groups.

    Each draw is classified by :func:`parscore._tiering.assign_tiers`, the engine's own code.
    """

    def __init__(self, result: Result, names: tuple[str, ...]) -> None:
        tiers = result.scheme.tiers
        self.tiers = tiers
        self.type_ids = result.compiled.type_ids
        self.codes = type_codes(result)
        self.groups = ranking_groups(result)
        self.caps_held = result.caps_held
        scales = (
            [tiers.for_type(None)]
            if self.codes is None
            else [tiers.for_type(t) for t in self.type_ids]
        )
        where = {name: i for i, name in enumerate(names)}
        self.lut = np.zeros((len(scales), max(len(s.scale) for s in scales)), dtype=np.int64)
        for i, scale in enumerate(scales):
            self.lut[i, : len(scale.scale)] = [where[name] for name in scale.names]
        n = result.n_units
        self.unit_type = np.zeros(n, dtype=np.int64) if self.codes is None else self.codes
        self.units = np.arange(n)
        self.counts = np.zeros((n, len(names)), dtype=np.int64)

    def add(self, index: FloatArray, total: FloatArray, ranks: Int32Array) -> None:
        """Count the tiers of a block of draws: rounded index, total and ranks ``(b, n)``."""
        for row in range(len(ranks)):
            tiering = assign_tiers(
                tiers=self.tiers,
                type_ids=self.type_ids,
                type_codes=self.codes,
                index=index[row],
                total=total[row],
                caps_held=self.caps_held,
                ranks=ranks[row].astype(np.int64),
                group_codes=self.groups,
            )
            self.counts[self.units, self.lut[self.unit_type, tiering.position]] += 1

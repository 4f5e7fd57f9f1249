"""Monte Carlo sensitivity of the ranking to the field weights (and survey noise).

The observed result is re-weighted, not re-scored: each field's unrounded points are computed
once by the engine, and a draw of field weights rescales them, so the draws' totals are a
matrix product ``(draws × fields) @ (fields × units)``. It is computed, rounded, classified and
ranked on blocks of up to :data:`BLOCK_DRAWS` draws (a block's working set stays in the
processor's cache, which measured several times faster than whole ``(draws, units)``
temporaries); ranks come from one counting pass over a block's rounded values
(:func:`parscore.ranking.rank_rows`). Nothing loops over units or re-scores a unit.

.. versionadded:: 0.1
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Literal

import attrs
import numpy as np

from parscore._rounding import round_half_up
from parscore.analysis._common import (
    HTML_ROWS,
    AnalysisError,
    ObjectArray,
    adjusted_total,
    adjustment_terms,
    applicable_max,
    fmt,
    has_adjustments,
    html_table,
    pandas,
    unit_columns,
)
from parscore.analysis._draws import (
    Int32Array,
    NoiseSource,
    Ranker,
    TierCounter,
    field_of,
    order_statistics,
    weight_deltas,
)
from parscore.analysis._types import all_tier_names
from parscore.compile import CompiledScheme
from parscore.model import Scheme
from parscore.result import Result
from parscore.typing import FloatArray, IntArray

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["BLOCK_DRAWS", "Sensitivity", "sensitivity"]

BLOCK_DRAWS = 16
"""Most draws rounded, classified and ranked together (one batched ranking per block)."""

_BLOCK_VALUES = 1 << 17
"""Most values (draws × units) in a block: its temporaries stay near 1 MB, in cache and below
numpy's 4 MB huge-page threshold (blocks of 64 draws × 10,000 units measured 3× slower)."""

Distribution = Literal["uniform", "dirichlet"]


@attrs.frozen(kw_only=True, eq=False)
class Sensitivity:
    """How robust each unit's rank and tier are to a reasonable change of field weights.

    Attributes:
        scheme_id: The scheme's id.
        decimals: Decimals of the index and total.
        unit_ids: Unit ids, shape ``(n_units,)``.
        groups: Unit groups (ranks are within groups), or None.
        field_ids: The top-level nodes whose weights vary, ``(n_fields,)``.
        official_weights: Their official max, ``(n_fields,)``.
        draws: Number of draws.
        distribution: ``uniform`` or ``dirichlet``.
        spread: Half-width of the uniform perturbation (fraction of each field's max).
        concentration: Dirichlet concentration (larger = closer to the official split).
        input_noise: Standard deviation of the noise on survey leaves (fraction of each
            leaf's max), or None.
        seed: The seed.
        observed_rank: The result's ranks, int64 ``(n_units,)``.
        median_rank: Median rank over the draws, int64 ``(n_units,)``.
        rank_low: 5th percentile of the rank (the best plausible rank), int64.
        rank_high: 95th percentile of the rank (the worst plausible rank), int64.
        mean_rank_shift: Mean of ``|draw rank - observed rank|`` per unit, ``(n_units,)``.
        mean_abs_rank_shift: The same, averaged over units: how much the ranking as a
            whole moves.
        tier_names: The tiers, best first, ``(n_tiers,)``; with a scale per unit type, every
            type's tiers in one order.
        observed_tier: The result's tiers, ``(n_units,)``.
        tier_probability: Share of draws in each tier, ``(n_units, n_tiers)``; rows sum to 1
            (0 for a tier the unit's type's scale does not have).
        draw_weights: Each draw's field max, ``(draws, n_fields)``, with ``return_draws``.
        draw_ranks: Each draw's ranks, int32 ``(draws, n_units)``, with ``return_draws``.

    With unit types, ranks are within type × group and each draw is classified by the
    unit's type's scale, then its caps (as observed) and the quotas of its ranking group.

    Percentiles are empirical (``numpy.quantile(..., method="inverted_cdf")``), so each is a
    rank some draw gave.

    .. versionadded:: 0.1
    """

    scheme_id: str
    decimals: int
    unit_ids: ObjectArray = attrs.field(repr=False)
    groups: ObjectArray | None = attrs.field(repr=False)
    field_ids: tuple[str, ...]
    official_weights: FloatArray
    draws: int
    distribution: Distribution
    spread: float
    concentration: float
    input_noise: float | None
    seed: int | None
    observed_rank: IntArray = attrs.field(repr=False)
    median_rank: IntArray = attrs.field(repr=False)
    rank_low: IntArray = attrs.field(repr=False)
    rank_high: IntArray = attrs.field(repr=False)
    mean_rank_shift: FloatArray = attrs.field(repr=False)
    mean_abs_rank_shift: float
    tier_names: tuple[str, ...]
    observed_tier: ObjectArray = attrs.field(repr=False)
    tier_probability: FloatArray = attrs.field(repr=False)
    draw_weights: FloatArray | None = attrs.field(default=None, repr=False)
    draw_ranks: Int32Array | None = attrs.field(default=None, repr=False)
    unit_types: ObjectArray | None = attrs.field(default=None, repr=False)

    @property
    def observed_tier_probability(self) -> FloatArray:
        """Share of draws in which each unit keeps its observed tier, ``(n_units,)``."""
        pos = {name: i for i, name in enumerate(self.tier_names)}
        cols = np.array([pos[str(t)] for t in self.observed_tier], dtype=np.int64)
        return np.asarray(self.tier_probability[np.arange(len(cols)), cols], dtype=np.float64)

    def to_pandas(self, kind: str = "units") -> pd.DataFrame:
        """The sensitivity as a table.

        Args:
            kind: ``units`` (default): one row per unit with ``rank``, ``median_rank``,
                ``rank_5``, ``rank_95``, ``mean_rank_shift``, ``tier`` and ``P(<tier>)`` for
                each tier; ``draws``: one row per draw with each field's max (needs
                ``return_draws=True``).

        Raises:
            ValueError: for another *kind*, or ``draws`` without the draws.
            MissingDependencyError: when pandas is not installed.
        """
        pd_mod = pandas()
        if kind == "units":
            cols = unit_columns(self.unit_ids, self.groups)
            if self.unit_types is not None:
                cols["type"] = self.unit_types.astype(str)
            cols.update(
                {
                    "rank": self.observed_rank,
                    "median_rank": self.median_rank,
                    "rank_5": self.rank_low,
                    "rank_95": self.rank_high,
                    "mean_rank_shift": self.mean_rank_shift,
                    "tier": self.observed_tier.astype(str),
                }
            )
            for t, name in enumerate(self.tier_names):
                cols[f"P({name})"] = self.tier_probability[:, t]
            return pd_mod.DataFrame(cols)  # type: ignore[no-any-return]
        if kind == "draws":
            if self.draw_weights is None:
                msg = "the draws were not kept: call sensitivity(..., return_draws=True)"
                raise ValueError(msg)
            return pd_mod.DataFrame(self.draw_weights, columns=list(self.field_ids))  # type: ignore[no-any-return]
        msg = f"kind must be 'units' or 'draws', found {kind!r}"
        raise ValueError(msg)

    def __repr__(self) -> str:
        return (
            f"<Sensitivity {self.scheme_id}: {len(self.unit_ids)} units, {self.draws} "
            f"{self.distribution} draws, mean |rank shift| {self.mean_abs_rank_shift:.2f}>"
        )

    def _repr_html_(self) -> str:
        width = self.rank_high - self.rank_low
        order = np.lexsort((self.observed_rank, -width))[:HTML_ROWS]
        keep = self.observed_tier_probability
        rows = [
            (
                self.unit_ids[i],
                self.observed_rank[i],
                self.median_rank[i],
                f"{self.rank_low[i]}–{self.rank_high[i]}",
                self.observed_tier[i],
                fmt(float(keep[i]), 3),
            )
            for i in order
        ]
        weights = ", ".join(
            f"{f}: {w:g}" for f, w in zip(self.field_ids, self.official_weights, strict=True)
        )
        return html_table(
            f"{self.scheme_id}: sensitivity of ranks to field weights (widest intervals)",
            ("unit", "rank", "median rank", "5–95 %", "tier", "P(same tier)"),
            rows,
            total_rows=len(self.unit_ids),
            notes=[
                (
                    f"{self.draws} {self.distribution} draws around {weights}; "
                    f"mean |rank shift| {self.mean_abs_rank_shift:.2f}"
                )
            ],
        )


def sensitivity(
    scheme_or_result: Result | Scheme | CompiledScheme,
    data: object = None,
    *,
    draws: int = 1000,
    spread: float = 0.2,
    distribution: Distribution = "uniform",
    concentration: float = 200.0,
    input_noise: float | None = None,
    seed: int | None = 0,
    return_draws: bool = False,
) -> Sensitivity:
    """Monte Carlo over the field weights: how stable is each unit's rank and tier?

    Each draw gives every top-level field a new max: ``uniform`` multiplies each official
    max by ``1 + u`` with ``u`` uniform in ``[-spread, spread]``; ``dirichlet`` draws the
    fields' shares from a Dirichlet distribution centred on the official shares with the
    given *concentration*. The new maxima are rescaled to the scheme's max, and each field's
    points and applicable max are multiplied by ``new max / official max``. Bonus and penalty
    are kept, and the total, index, tiers and ranks (within groups, by the scheme's ranking)
    follow exactly as the engine computes them. With ``spread=0`` every draw reproduces the
    result. Optionally, each survey leaf's points get Gaussian noise of standard deviation
    ``input_noise × leaf max`` per unit and draw, clipped to ``[0, leaf max]``.

    Args:
        scheme_or_result: A result, or a scheme to score *data* with.
        data: The measurements, when a scheme is given.
        draws: Number of draws.
        spread: Half-width of the uniform perturbation, a fraction of each field's max,
            from 0 to below 1.
        distribution: ``uniform`` or ``dirichlet``.
        concentration: Dirichlet concentration (``math.inf``: no perturbation). With 200, a
            field worth 15 % of the points varies with a standard deviation of about 2.5
            points out of 100.
        input_noise: Standard deviation of the survey noise, a fraction of each survey
            leaf's max, or None for none.
        seed: Seed of the random generator; the same seed gives the same answer.
        return_draws: Keep each draw's field maxima and ranks.

    Returns:
        Per unit: median rank, 5–95 % rank interval and the probability of each tier; for
        the ranking: the mean absolute rank shift.

    Raises:
        AnalysisError: for options out of range, or a scheme without data.

    .. versionadded:: 0.1
    """
    result = _as_result(scheme_or_result, data)
    _check_options(draws, spread, distribution, concentration, input_noise)
    compiled = result.compiled
    scheme = result.scheme
    n_units = result.n_units
    n_fields = compiled.n_top
    official = compiled.max_points[:n_fields].copy()
    seeds = np.random.SeedSequence(seed)
    weight_seed, noise_seed = seeds.spawn(2)
    delta = weight_deltas(
        np.random.default_rng(weight_seed),
        official,
        scheme.max_points,
        draws=draws,
        spread=spread,
        distribution=distribution,
        concentration=concentration,
    )

    d = scheme.rounding.decimals
    ranking = result.ranking
    tiers = scheme.tiers
    tier_names = all_tier_names(scheme)
    # a scale per type, caps or quotas: each draw is classified by the engine's own code
    by_engine = bool(tiers.by_type or tiers.caps or tiers.has_quota)
    counter = TierCounter(result, tier_names) if by_engine else None
    mins = np.array([t.bound for t in tiers.scale], dtype=np.float64)
    strict = [t.is_strict for t in tiers.scale]  # above: a value equal to the bound falls
    field_points = result.node_points[:n_fields]  # (n_fields, n_units), a view
    tree_total = field_points.sum(axis=0)  # as the engine sums it
    app_max = applicable_max(result)
    field_max = None if result.node_max_matrix is None else result.node_max_matrix[:n_fields]
    bonus, penalty = adjustment_terms(result)
    clip = has_adjustments(result)
    field_pos = field_of(compiled)
    tie_rows = [compiled.node_pos[n] for n in ranking.tie_break]
    noise = NoiseSource(result, field_pos, input_noise, noise_seed)
    ranker = Ranker(result, ranking.method, d, has_tie_break=bool(tie_rows))

    ranks = np.empty((draws, n_units), dtype=np.int32)
    at_least = np.zeros((len(mins), n_units), dtype=np.int64)  # draws reaching each tier min
    shift = np.zeros(n_units, dtype=np.int64)
    observed = result.rank
    need_total = tiers.basis == "total" or ranking.by == "total" or counter is not None
    need_index = tiers.basis == "index" or ranking.by == "index" or counter is not None
    rows = max(1, min(BLOCK_DRAWS, _BLOCK_VALUES // n_units))
    # the draws' tree totals (and applicable maxima): one matrix product each, ``(draws,
    # n_units)`` (one BLAS call: many small ones stall when the cores are busy); exactly the
    # result's where the weights do not move
    trees = delta @ field_points
    trees += tree_total
    if field_max is None:
        maxima = (scheme.max_points + delta @ official)[:, None]
    else:
        maxima = delta @ field_max
        maxima += app_max
    diff = np.empty((rows, n_units), dtype=np.int32)
    for start in range(0, draws, rows):
        dl = delta[start : start + rows]  # (b, n_fields)
        b = len(dl)
        tree = trees[start : start + rows]
        noise.add(tree, dl)
        amax = maxima[start : start + rows]
        total = adjusted_total(tree, bonus, penalty, amax, clip=clip)
        total_r = round_half_up(total, d) if need_total else None
        index_r = round_half_up(total / amax * 100.0, d) if need_index else None
        if counter is None:
            basis = total_r if tiers.basis == "total" else index_r
            assert basis is not None  # one of the two was computed for the tiers
            for t, low in enumerate(mins[:-1]):  # the last tier takes every value
                reached = basis > low if strict[t] else basis >= low
                at_least[t] += np.count_nonzero(reached, axis=0)
        key = total_r if ranking.by == "total" else index_r
        assert key is not None
        tie_keys = [
            round_half_up(
                result.node_points[r] + dl[:, field_pos[r], None] * result.node_points[r], d
            )
            for r in tie_rows
        ]
        block = ranks[start : start + b]
        ranker.rank_into(block, key, tie_keys)
        moved = np.subtract(block, observed, out=diff[:b], casting="unsafe")
        np.abs(moved, out=moved)
        shift += moved.sum(axis=0)
        if counter is not None:
            assert index_r is not None
            assert total_r is not None
            counter.add(index_r, total_r, block)

    if counter is None:
        at_least[-1] = draws  # the last tier takes every value, even below its min
        in_tier = np.diff(np.vstack([np.zeros((1, n_units), np.int64), at_least]), axis=0).T
    else:
        in_tier = counter.counts
    kth = [min(max(math.ceil(q * draws - 1e-9) - 1, 0), draws - 1) for q in (0.05, 0.5, 0.95)]
    low, mid, high = order_statistics(ranks, kth)
    weights = official * (1.0 + delta)
    return Sensitivity(
        scheme_id=scheme.id,
        decimals=d,
        unit_ids=result.unit_ids,
        groups=result.groups,
        field_ids=tuple(n.id for n in scheme.nodes),
        official_weights=official,
        draws=draws,
        distribution=distribution,
        spread=float(spread),
        concentration=float(concentration),
        input_noise=None if input_noise is None else float(input_noise),
        seed=seed,
        observed_rank=observed,
        median_rank=mid,
        rank_low=low,
        rank_high=high,
        mean_rank_shift=shift / draws,
        mean_abs_rank_shift=float(shift.sum() / (draws * n_units)),
        tier_names=tier_names,
        observed_tier=result.tier,
        tier_probability=np.ascontiguousarray(in_tier / draws),
        draw_weights=weights if return_draws else None,
        draw_ranks=ranks if return_draws else None,
        unit_types=result.unit_types,
    )


def _as_result(scheme_or_result: object, data: object) -> Result:
    if isinstance(scheme_or_result, Result):
        if data is not None:
            msg = "sensitivity() got a result and data: pass either a result, or a scheme and data"
            raise AnalysisError(msg)
        return scheme_or_result
    if isinstance(scheme_or_result, Scheme | CompiledScheme):
        if data is None:
            msg = "sensitivity() got a scheme without data: pass the measurements to score"
            raise AnalysisError(msg)
        from parscore.engine import score

        return score(scheme_or_result, data)
    msg = f"sensitivity() needs a Result or a Scheme, found {type(scheme_or_result).__name__}"
    raise AnalysisError(msg)


def _check_options(
    draws: int,
    spread: float,
    distribution: str,
    concentration: float,
    input_noise: float | None,
) -> None:
    problems = []
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 1:
        problems.append(f"draws must be a whole number, at least 1; found {draws!r}")
    if not 0.0 <= spread < 1.0:
        problems.append(
            f"spread must be from 0 to below 1 (a fraction of the max); found {spread!r}"
        )
    if distribution not in ("uniform", "dirichlet"):
        problems.append(f"distribution must be 'uniform' or 'dirichlet'; found {distribution!r}")
    if not concentration > 0:
        problems.append(
            f"concentration must be positive (inf: no perturbation); found {concentration!r}"
        )
    if input_noise is not None and not (0.0 <= input_noise < math.inf):
        problems.append(f"input_noise must be None or a fraction ≥ 0; found {input_noise!r}")
    if problems:
        raise AnalysisError("sensitivity(): " + "; ".join(problems))

"""Speed of parscore.sensitivity against a naive loop of full re-scorings, in the same run.

Usage::

    python benchmarks/bench_sensitivity.py                  # 10,000 units, 1,000 draws
    python benchmarks/bench_sensitivity.py --units 2000 --draws 200 --naive 5   # quick
    python benchmarks/bench_sensitivity.py --rank 10000,1000000   # rank() alone, then exit

The scheme is ``parscore.datasets.synthetic_scheme()`` (8 fields, 200 leaves, every built-in
rule) and the data ``example_data`` (seed 0), scored once. Measured with
``time.perf_counter``:

* ``sensitivity(result, draws=N)``: uniform ±20 % weight draws, every unit's median rank,
  5–95 % rank interval and tier probabilities (best of ``--repeat`` runs);
* the naive way: for each draw, rebuild the scheme with the fields' maxima (and every rule's
  points) rescaled, and ``parscore.score`` it on the data (points columns rescaled too). Only
  ``--naive`` draws are timed; the time for N draws is *extrapolated* from them, and printed as
  such.

It also checks that the naive re-scoring of the first draws gives the ranks the vectorised
draws give (the same weights), and prints the share of units that agree.

``--rank N,M…`` times ``parscore.rank`` alone on N, M … units (an index rounded to 2
decimals, about 70 ± 10; ids; districts of about 1,500 units): the sort (no ``decimals``)
against counting (``decimals=2``), with group labels or with groups coded once
(``group_codes=``), for each method. The exit code is 0 whatever the timings.
"""

from __future__ import annotations

import argparse
import functools
import gc
import os
import platform
import sys
import time
from collections.abc import Callable

import attrs
import numpy as np

import parscore
from parscore._rounding import round_half_up
from parscore.datasets import example_data, synthetic_scheme
from parscore.ranking import code_groups
from parscore.rules import Bands, Choice, Deduction, Points

TARGET_SECONDS = 0.5  # sensitivity, 1,000 draws × 10,000 units
TARGET_SPEEDUP = 10.0  # against the naive loop, extrapolated to the same number of draws


def rescaled(scheme: parscore.Scheme, weights: np.ndarray) -> parscore.Scheme:
    """The scheme with field *i*'s max (and every node and rule below it) scaled to weights[i]."""

    def scale_rule(rule: object, factor: float) -> object:
        if isinstance(rule, Choice):
            return attrs.evolve(rule, options=tuple((n, p * factor) for n, p in rule.options))
        if isinstance(rule, Bands):
            bands = tuple(attrs.evolve(b, points=b.points * factor) for b in rule.bands)
            return attrs.evolve(rule, bands=bands, otherwise=rule.otherwise * factor)
        if isinstance(rule, Deduction):
            return attrs.evolve(rule, per=rule.per * factor, floor=rule.floor * factor)
        return rule  # yes_no, ratio, survey and points scale with the max (points: the data)

    def scale_node(node: parscore.Node, factor: float) -> parscore.Node:
        if node.is_leaf:
            return attrs.evolve(
                node, max_points=node.max * factor, rule=scale_rule(node.rule, factor)
            )
        children = tuple(scale_node(c, factor) for c in node.children)
        return attrs.evolve(node, max_points=None, children=children)

    nodes = tuple(scale_node(n, w / n.max) for n, w in zip(scheme.nodes, weights, strict=True))
    return attrs.evolve(scheme, id=f"{scheme.id}-w", nodes=nodes)


def naive_score(
    scheme: parscore.Scheme, data: dict[str, object], weights: np.ndarray
) -> parscore.Result:
    """One full re-scoring with the fields weighted by *weights*."""
    evolved = rescaled(scheme, weights)
    factor = {
        leaf.id: w / field.max
        for field, w in zip(scheme.nodes, weights, strict=True)
        for leaf in field.leaves()
    }
    columns = dict(data)
    for leaf in scheme.leaves():
        if isinstance(leaf.rule, Points):
            columns[leaf.id] = np.asarray(data[leaf.id]) * factor[leaf.id]
    return parscore.score(evolved, columns)


def best_of(repeat: int, run: Callable[[], object]) -> float:
    """The shortest of *repeat* timed calls of *run*, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def bench_rank(sizes: list[int], repeat: int) -> None:
    """Print rank()'s time by sorting and by counting at each size."""
    rng = np.random.default_rng(0)
    for n in sizes:
        values = round_half_up(np.clip(rng.normal(70.0, 10.0, n), 0.0, 100.0), 2)
        ids = np.array([f"xa-{i:07d}" for i in rng.permutation(n)], dtype=object)
        groups = np.array(
            [f"huyen-{g:04d}" for g in rng.integers(0, max(1, n // 1500), n)], dtype=object
        )
        codes = code_groups(groups, n)
        reps = max(1, min(repeat * 5, 10_000_000 // (n * 10)))
        for method in ("competition", "dense", "ordinal"):
            for label, kw in (
                ("no groups", {}),
                ("group labels", {"groups": groups}),
                ("group_codes", {"group_codes": codes}),
            ):
                common = {"method": method, "unit_ids": ids, **kw}
                sort = best_of(reps, functools.partial(parscore.rank, values, **common))
                count = best_of(
                    reps, functools.partial(parscore.rank, values, decimals=2, **common)
                )
                print(
                    f"rank() {n:>9,} units, {method:<11} {label:<12}: sort {sort * 1e3:8.2f} ms, "
                    f"counting {count * 1e3:8.2f} ms ({sort / count:5.1f}×)"
                )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--draws", type=int, default=1_000)
    parser.add_argument("--naive", type=int, default=20, help="naive re-scorings timed")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rank", default="", help="time rank() alone at these sizes: 10000,…")
    args = parser.parse_args()

    print(
        f"python {sys.version.split()[0]}, numpy {np.__version__}, parscore "
        f"{parscore.__version__}, {platform.machine()}, {os.cpu_count()} cores"
    )
    if args.rank:
        bench_rank([int(n) for n in args.rank.split(",")], args.repeat)
        return 0
    scheme = synthetic_scheme()
    data = example_data(scheme, args.units, seed=0)
    result = parscore.score(scheme, data)
    print(
        f"scheme {scheme.id}: {len(scheme.nodes)} fields, "
        f"{sum(1 for _ in scheme.leaves())} leaves; {args.units:,} units; "
        f"{args.draws:,} uniform ±20 % weight draws"
    )

    parscore.sensitivity(result, draws=min(args.draws, 50))  # warm-up
    best = float("inf")
    sens = None
    for _ in range(args.repeat):
        gc.collect()
        start = time.perf_counter()
        sens = parscore.sensitivity(result, draws=args.draws, seed=0, return_draws=True)
        best = min(best, time.perf_counter() - start)
    assert sens is not None
    assert sens.draw_weights is not None
    assert sens.draw_ranks is not None

    n_naive = min(args.naive, args.draws)
    gc.collect()
    start = time.perf_counter()
    naive = [naive_score(scheme, data, sens.draw_weights[k]) for k in range(n_naive)]
    naive_time = time.perf_counter() - start
    per_draw = naive_time / n_naive
    extrapolated = per_draw * args.draws
    agree = np.mean([np.mean(r.rank == sens.draw_ranks[k]) for k, r in enumerate(naive)])

    status = "ok" if best < TARGET_SECONDS else "MISS"
    ratio = extrapolated / best
    print(
        f"sensitivity, {args.draws:,} draws (best of {args.repeat}): {best:8.3f} s "
        f"[target < {TARGET_SECONDS} s: {status}]"
    )
    print(
        f"naive loop, {n_naive} full re-scorings measured:   {naive_time:8.3f} s "
        f"({per_draw * 1000:.1f} ms per draw)"
    )
    print(f"naive loop, {args.draws:,} draws EXTRAPOLATED:       {extrapolated:8.3f} s")
    print(
        f"speed-up, sensitivity vs naive (extrapolated): {ratio:,.0f}× "
        f"[target ≥ {TARGET_SPEEDUP:g}×: {'ok' if ratio >= TARGET_SPEEDUP else 'MISS'}]"
    )
    print(
        f"ranks of the naive re-scorings equal the vectorised draws' for {agree:.4%} of "
        f"unit-draws ({n_naive} draws)"
    )
    print(
        f"mean |rank shift| {sens.mean_abs_rank_shift:.2f}; units keeping their tier in "
        f"every draw: {np.mean(sens.observed_tier_probability == 1.0):.1%}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

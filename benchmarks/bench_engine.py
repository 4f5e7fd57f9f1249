"""Speed and memory of parscore's engine, against baselines measured in the same run.

Usage::

    python benchmarks/bench_engine.py                 # 10,000 and 100,000 units, best of 5
    python benchmarks/bench_engine.py --units 10000 100000 --repeat 7
    python benchmarks/bench_engine.py --quick         # 2,000 and 20,000 units, best of 2

The scheme is ``parscore.datasets.synthetic_scheme()`` (8 fields, 40 criteria, 200 leaves, every
built-in rule) and the data ``example_matrix`` / ``example_data`` (seed 0). Measured, each as
the best of N repeats with ``time.perf_counter``:

* parscore, full pipeline (rules, tree, rounding, tiers, ranks) from the numpy matrix and from a
  dict of columns;
* the floor: ``X @ w`` over the same ``(n_units, n_columns)`` matrix;
* the pandas idiom an analyst would write in a notebook (column by column, np.select, .map,
  groupby to fields, round, pd.cut, rank), checked to give the same totals as parscore;
* the plain-Python Decimal oracle ``tests/reference.py`` on a sample of units, per unit;
* peak memory (tracemalloc) of the full pipeline on the largest size, against the matrix size.

It prints a table and the ratios against the targets, marking a missed target "MISS". The exit
code is 0 whatever the timings; it is non-zero only if a baseline computed different totals
(then the comparison would be meaningless). See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import sys
import time
import tracemalloc
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

import parscore
from parscore.datasets import example_data, example_matrix, synthetic_scheme
from parscore.rules import Bands, Choice, Deduction, Points, Ratio, Survey, YesNo

# Targets (see benchmarks/README.md).
PANDAS_SPEEDUP = 10.0  # parscore at the smaller size at least this many times faster than pandas
REFERENCE_SPEEDUP = 100.0  # ... and per unit at least this many times faster than the oracle
FLOOR_RATIO = 30.0  # at the larger size, within this many times X @ w
MEMORY_RATIO = 4.0  # peak memory of the full pipeline below this many times the input matrix


def best_of(repeat: int, fn: Callable[[], object]) -> tuple[float, object]:
    """Run *fn* *repeat* times; return the best wall time in seconds and the last result."""
    best = float("inf")
    out: object = None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def fmt_time(seconds: float) -> str:
    if seconds >= 1.0:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.1f} µs"


# -- the pandas idiom -------------------------------------------------------------------------


def pandas_idiom(scheme: parscore.Scheme, df: Any) -> dict[str, Any]:
    """Score *df* the way an analyst would in a notebook: one leaf at a time, in pandas.

    Reads the rule parameters from the scheme (as an analyst would copy them from the decision)
    and handles what the synthetic data needs: no missing or not-applicable cells, survey
    answers always present.
    """
    import pandas as pd

    points: dict[str, Any] = {}
    field_of: dict[str, str] = {}
    criterion_of: dict[str, str] = {}  # published tables list every criterion's points too
    for field in scheme.nodes:
        for criterion in field.children:
            for leaf in criterion.leaves():
                criterion_of[leaf.id] = criterion.id
        for leaf in field.leaves():
            rule, mx, lid = leaf.rule, leaf.max, leaf.id
            field_of[lid] = field.id
            if isinstance(rule, YesNo):
                if len(rule.inputs) == 1:
                    points[lid] = np.where(df[lid] == 1, mx, 0.0)
                else:
                    ok = (df[f"{lid}:{rule.inputs[0]}"] == 1) & (df[f"{lid}:{rule.inputs[1]}"] == 1)
                    points[lid] = np.where(ok, mx, 0.0)
            elif isinstance(rule, Choice):
                points[lid] = df[lid].map({i: p for i, (_, p) in enumerate(rule.options)})
            elif isinstance(rule, Bands):
                v = df[lid]
                conditions = []
                for band in rule.bands:
                    lo, lo_in, hi, hi_in = band.interval
                    above = (v >= lo) if lo_in else (v > lo)
                    below = (v <= hi) if hi_in else (v < hi)
                    conditions.append(above & below)
                choices = [band.points for band in rule.bands]
                points[lid] = np.select(conditions, choices, default=rule.otherwise)
            elif isinstance(rule, Ratio):
                if len(rule.inputs) == 1:
                    points[lid] = mx * df[lid] / 100
                else:
                    num = df[f"{lid}:{rule.inputs[0]}"]
                    den = df[f"{lid}:{rule.inputs[1]}"]
                    rate = (num / den.where(den != 0)).clip(upper=1)
                    points[lid] = (mx * rate).fillna(mx)  # nothing received: full points
            elif isinstance(rule, Deduction):
                points[lid] = (mx - rule.per * df[lid]).clip(lower=rule.floor)
            elif isinstance(rule, Points):
                points[lid] = df[lid]
            elif isinstance(rule, Survey):
                counts = [df[f"{lid}:{name}"] for name, _ in rule.options]
                weighted = sum(
                    c * value for c, (_, value) in zip(counts, rule.options, strict=True)
                )
                points[lid] = mx * weighted / (100 * sum(counts))
            else:
                raise TypeError(rule)
    leaf_points = pd.DataFrame(points, index=df.index)
    criteria = leaf_points.T.groupby(pd.Series(criterion_of)).sum().T.round(2)
    fields = leaf_points.T.groupby(pd.Series(field_of)).sum().T
    raw_total = fields.sum(axis=1)
    total = raw_total.round(2)
    index = (raw_total / scheme.max_points * 100).round(2)
    tier = pd.cut(
        index,
        bins=[-np.inf, 50, 70, 80, np.inf],
        right=False,
        labels=["Yếu", "Trung bình", "Khá", "Tốt"],
    )
    rank = index.rank(method="min", ascending=False)
    return {
        "criteria": criteria,
        "fields": fields.round(2),
        "raw_total": raw_total,
        "total": total,
        "index": index,
        "tier": tier,
        "rank": rank,
    }


def check_same_totals(name: str, theirs: np.ndarray, ours: np.ndarray) -> None:
    """Stop the benchmark if a baseline did not compute parscore's totals (0.005: rounding)."""
    if not np.allclose(theirs, ours, rtol=0.0, atol=0.005 + 1e-9):
        worst = int(np.argmax(np.abs(theirs - ours)))
        msg = (
            f"{name} computed different totals from parscore: unit {worst}: "
            f"{theirs[worst]!r} vs {ours[worst]!r}; the comparison would be meaningless"
        )
        raise SystemExit(msg)


# -- the run ----------------------------------------------------------------------------------


def full_pipeline(scheme: parscore.Scheme, data: Any, **kw: Any) -> parscore.Result:
    """score(), then every node's rounded points (``Result`` rounds node points on access)."""
    result = parscore.score(scheme, data, **kw)
    result.matrix("points")
    return result


def import_reference() -> Any | None:
    tests = Path(__file__).resolve().parent.parent / "tests"
    sys.path.insert(0, str(tests))
    try:
        import reference  # type: ignore[import-not-found]
    except ImportError as exc:
        print(f"NOTICE: the reference scorer is skipped: cannot import tests/reference.py ({exc})")
        return None
    finally:
        sys.path.remove(str(tests))
    return reference


def sample_columns(data: Mapping[str, np.ndarray], k: int) -> dict[str, list[object]]:
    """The first *k* units of *data*, as plain Python lists (what the oracle reads)."""
    return {name: col[:k].tolist() for name, col in data.items()}


def peak_memory(fn: Callable[[], object]) -> int:
    """Peak bytes allocated (numpy buffers included) while *fn* runs, its result included."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base, _ = tracemalloc.get_traced_memory()
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak - base


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, nargs="+", default=None, help="sizes to measure")
    parser.add_argument("--repeat", type=int, default=None, help="repeats; the best is kept")
    parser.add_argument("--sample", type=int, default=200, help="units scored by the oracle")
    parser.add_argument("--quick", action="store_true", help="small sizes, 2 repeats")
    args = parser.parse_args(argv)
    units = sorted(args.units or ([2_000, 20_000] if args.quick else [10_000, 100_000]))
    repeat = args.repeat or (2 if args.quick else 5)
    sample = min(args.sample, 50 if args.quick else args.sample)

    scheme = synthetic_scheme()
    compiled = parscore.compile_scheme(scheme)
    reference = import_reference()
    try:
        import pandas as pd
    except ImportError:
        pd = None
        print("NOTICE: pandas is not installed; the pandas idiom is skipped")

    print(
        f"parscore {parscore.__version__} | Python {platform.python_version()} | "
        f"numpy {np.__version__} | pandas {pd.__version__ if pd else '-'} | "
        f"{os.cpu_count()} CPUs | OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '-')}"
    )
    print(
        f"scheme: {len(scheme.nodes)} fields, "
        f"{sum(len(n.children) or 1 for n in scheme.nodes)} criteria, {compiled.n_leaves} "
        f"leaves, {compiled.n_nodes} nodes, {len(compiled.columns)} input columns; best of "
        f"{repeat} repeats"
    )
    print()
    print(
        "parscore (matrix/dict): score() plus every node's rounded points; score() alone "
        "leaves node points unrounded until read"
    )
    header = (
        f"{'units':>8} {'parscore (matrix)':>18} {'score() alone':>14} {'parscore (dict)':>16} "
        f"{'X @ w floor':>12} {'pandas idiom':>13} {'oracle / unit':>14}"
    )
    print(header)
    print("-" * len(header))

    rows: dict[int, dict[str, float]] = {}
    for n in units:
        ids, matrix = example_matrix(scheme, n, seed=0)
        data = example_data(scheme, n, seed=0)
        w = np.random.default_rng(0).random(matrix.shape[1])
        row: dict[str, float] = {"nbytes": float(matrix.nbytes)}

        parscore.score(scheme, matrix[:10], unit_ids=ids[:10])  # warm up (imports, caches)
        row["matrix"], result = best_of(
            repeat, partial(full_pipeline, scheme, matrix, unit_ids=ids)
        )
        row["score_only"], _ = best_of(
            repeat, partial(parscore.score, scheme, matrix, unit_ids=ids)
        )
        row["dict"], by_dict = best_of(repeat, partial(full_pipeline, scheme, data))
        assert isinstance(result, parscore.Result)
        assert isinstance(by_dict, parscore.Result)
        check_same_totals("parscore from a dict", by_dict.total, result.total)
        # the floor is cheap and noisy on a busy machine: more repeats
        row["floor"], _ = best_of(max(4 * repeat, 20), partial(np.matmul, matrix, w))

        if pd is not None:
            frame = pd.DataFrame(data)
            row["pandas"], out = best_of(repeat, partial(pandas_idiom, scheme, frame))
            assert isinstance(out, dict)
            check_same_totals("the pandas idiom", out["raw_total"].to_numpy(), result.total)
        if reference is not None and n == units[0]:
            cols = sample_columns(data, min(sample, n))
            k = len(cols["unit_id"])
            t_ref, ref = best_of(min(repeat, 2), partial(reference.score, scheme, cols))
            ref_total = np.array([float(u.total) for u in ref.units])
            if not np.array_equal(ref_total, result.total[:k]):
                bad = int(np.sum(ref_total != result.total[:k]))
                print(f"WARNING: the oracle disagrees with parscore on {bad} of {k} totals")
            row["oracle_unit"] = t_ref / k
            row["oracle_units"] = k
        rows[n] = row
        cells = [
            fmt_time(row["matrix"]),
            fmt_time(row["score_only"]),
            fmt_time(row["dict"]),
            fmt_time(row["floor"]),
            fmt_time(row["pandas"]) if "pandas" in row else "-",
            fmt_time(row["oracle_unit"]) if "oracle_unit" in row else "-",
        ]
        print(
            f"{n:>8,} {cells[0]:>18} {cells[1]:>14} {cells[2]:>16} {cells[3]:>12} {cells[4]:>13} "
            f"{cells[5]:>14}"
        )
        del result, by_dict, data, matrix

    # memory, at the largest size, in a separate pass (tracemalloc slows Python code down)
    big = units[-1]
    ids, matrix = example_matrix(scheme, big, seed=0)
    mem_matrix = peak_memory(lambda: full_pipeline(scheme, matrix, unit_ids=ids))
    data = example_data(scheme, big, seed=0)
    mem_dict = peak_memory(lambda: full_pipeline(scheme, data))
    print()
    print(
        f"peak memory at {big:,} units: input matrix {matrix.nbytes / 2**20:.0f} MiB; "
        f"full pipeline from the matrix {mem_matrix / 2**20:.0f} MiB, "
        f"from a dict {mem_dict / 2**20:.0f} MiB (tracemalloc, result included)"
    )

    small = units[0]
    per_unit = rows[small]["matrix"] / small
    print()
    print(f"{'ratio':<58} {'measured':>9} {'target':>8}")
    targets: list[tuple[str, float | None, str, bool]] = []
    if "pandas" in rows[small]:
        r = rows[small]["pandas"] / rows[small]["matrix"]
        targets.append(
            (
                f"pandas idiom / parscore, {small:,} units",
                r,
                f">= {PANDAS_SPEEDUP:g}x",
                r >= PANDAS_SPEEDUP,
            )
        )
    if "oracle_unit" in rows[small]:
        r = rows[small]["oracle_unit"] / per_unit
        targets.append(
            (
                f"oracle per unit ({int(rows[small]['oracle_units'])} units) / parscore per unit",
                r,
                f">= {REFERENCE_SPEEDUP:g}x",
                r >= REFERENCE_SPEEDUP,
            )
        )
    r = rows[big]["matrix"] / rows[big]["floor"]
    targets.append(
        (f"parscore / X @ w floor, {big:,} units", r, f"<= {FLOOR_RATIO:g}x", r <= FLOOR_RATIO)
    )
    r = mem_matrix / matrix.nbytes
    targets.append(
        (f"peak memory / input matrix, {big:,} units", r, f"< {MEMORY_RATIO:g}x", r < MEMORY_RATIO)
    )
    for label, value, target, ok in targets:
        shown = "-" if value is None else f"{value:.1f}x"
        print(f"{label:<58} {shown:>9} {target:>8}  {'ok' if ok else 'MISS'}")
    for n in units:
        if n not in (10_000, 100_000):
            print(f"note: the targets are set for 10,000 and 100,000 units; measured {units}")
            break
    return 0


if __name__ == "__main__":
    sys.exit(main())

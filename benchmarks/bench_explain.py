"""Speed of Result.explain_all against a loop of Result.explain(unit), in the same run.

Usage::

    python benchmarks/bench_explain.py                 # 1,000 units, every one in the loop
    python benchmarks/bench_explain.py --units 5000 --loop 500 --repeat 3

The scheme is the built-in ``example-commune-2026`` (65 nodes) and the data
``parscore.datasets.example_data`` (seed 0, 10 % of criteria not applicable), scored once.
Measured with ``time.perf_counter`` (the best of ``--repeat`` runs after a warm-up call):

* the loop: ``result.explain(unit)`` for the first ``--loop`` units (all by default), per unit;
* ``result.explain_all()``: the explanations of every unit as arrays;
* ``explain_all().to_json_dict()``: the same as strict JSON data, every unit;
* ``explain_all().to_pandas()``: the long table (one row per unit and node);
* ``list(explain_all())``: every unit's :class:`parscore.Explanation` object.

Each is printed per unit with its speed-up over the loop. It also checks that
``explain_all()[unit]`` prints what ``explain(unit)`` prints for the units of the loop.
The exit code is 0 whatever the timings.
"""

from __future__ import annotations

import argparse
import gc
import platform
import sys
import time
from collections.abc import Callable

import numpy as np

import parscore
from parscore.datasets import example_data

TARGET_SPEEDUP = 20.0  # explain_all against the loop, per unit


def best(fn: Callable[[], object], repeat: int) -> float:
    """The best time of *repeat* runs of *fn* after a warm-up call, in seconds."""
    fn()
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--loop", type=int, default=None, help="units explained one by one")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    scheme = parscore.builtin_scheme("example-commune-2026")
    data = example_data(scheme, args.units, seed=0, not_applicable_rate=0.1)
    result = parscore.score(scheme, data)
    ids = [str(u) for u in result.unit_ids[: args.loop or args.units]]
    print(
        f"parscore {parscore.__version__}, numpy {np.__version__}, Python "
        f"{platform.python_version()}; scheme {scheme.id} ({len(result.node_ids)} nodes), "
        f"{result.n_units:,} units, {len(ids):,} in the loop"
    )

    def loop() -> None:
        for unit in ids:
            result.explain(unit)

    loop_s = best(loop, 1) / len(ids)
    n = result.n_units
    rows = [
        ("explain_all()", best(result.explain_all, args.repeat) / n),
        (
            "explain_all().to_json_dict()",
            best(lambda: result.explain_all().to_json_dict(), args.repeat) / n,
        ),
        (
            "explain_all().to_pandas()",
            best(lambda: result.explain_all().to_pandas(), args.repeat) / n,
        ),
        (
            "list(explain_all())",
            best(lambda: list(result.explain_all()), max(1, args.repeat // 2)) / n,
        ),
    ]
    print(f"{'what':<32} {'ms / unit':>10} {'speed-up':>9}")
    print(f"{'loop of explain(unit)':<32} {loop_s * 1e3:>10.4f} {1.0:>8.1f}x")
    for name, per_unit in rows:
        print(f"{name:<32} {per_unit * 1e3:>10.4f} {loop_s / per_unit:>8.1f}x")
    ratio = loop_s / rows[0][1]
    verdict = "meets" if ratio >= TARGET_SPEEDUP else "MISSES"
    print(
        f"explain_all: {ratio:.0f}x the loop per unit ({verdict} the target of {TARGET_SPEEDUP:g}x)"
    )
    every = result.explain_all(ids)
    same = sum(str(every[u]) == str(result.explain(u)) for u in ids)
    print(f"explain_all()[unit] == explain(unit) (as printed): {same:,} of {len(ids):,} units")
    return 0


if __name__ == "__main__":
    sys.exit(main())

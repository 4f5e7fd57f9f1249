"""parscore's main job on built-in example data: score 3,300 synthetic communes.

Run it after ``pip install .`` (numpy only, no pandas):

    python examples/demo.py

The scheme and the data are synthetic and illustrative (parscore.datasets); the output is the
same on every run.
"""

from __future__ import annotations

from collections import Counter

import attrs
import numpy as np

import parscore as ps
from parscore.datasets import example_data, synthetic_scheme

N_UNITS = 3300  # about the number of communes and wards nationwide after 2025


def main() -> None:
    scheme = synthetic_scheme()
    data = example_data(scheme, N_UNITS, seed=2026)
    result = ps.score(scheme, data)

    n_leaves = sum(1 for _ in scheme.leaves())
    size = f"{len(scheme.nodes)} fields, {n_leaves} leaves, {scheme.max_points:g} points"
    print(f"{scheme.name}: {size}")
    print(f"{result.n_units} units (synthetic, illustrative data) scored")
    print(f"fingerprint {result.fingerprint}")

    order = np.lexsort((result.unit_ids.astype(str), result.rank))  # by rank, then unit id
    d = scheme.rounding.decimals

    def table(title: str, rows: np.ndarray) -> None:
        print(f"\n{title}")
        print(f"{'rank':>5}  {'unit':<8} {'total':>7} {'index':>7}  tier")
        for u in rows:
            print(
                f"{result.rank[u]:>5}  {result.unit_ids[u]:<8} {result.total[u]:>7.{d}f} "
                f"{result.index[u]:>7.{d}f}  {result.tier[u]}"
            )

    table("Top 10", order[:10])
    table("Bottom 5", order[-5:])

    counts = Counter(result.tier.tolist())
    print("\nTiers")
    for tier in scheme.tiers.scale:
        n = counts.get(tier.name, 0)
        print(f"  {tier.name:<11} (≥ {tier.min:g}) {n:>5}  {100 * n / result.n_units:5.1f} %")

    best = str(result.unit_ids[order[0]])
    field = scheme.nodes[0]
    explanation = result.explain(best)
    rows = tuple(
        r for r in explanation.rows if r.node_id == field.id or r.node_id.startswith(field.id + ".")
    )
    print(f"\nHow {best} earned its points in field {field.id} ({field.name}):")
    print(attrs.evolve(explanation, rows=rows))


if __name__ == "__main__":
    main()

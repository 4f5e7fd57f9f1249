"""``parscore demo``: score the built-in example scheme on synthetic data."""

from __future__ import annotations

from pathlib import Path

import click

from parscore.cli._common import handles_errors, make_console, progress_bar
from parscore.cli._inputs import demo_scheme, write_results
from parscore.cli._main import main
from parscore.cli._show import ranking_table, tier_counts

__all__ = ["DEMO_SEED", "DEMO_UNITS", "demo"]


DEMO_UNITS = 3300  # about the number of communes and wards nationwide after 2025
DEMO_SEED = 2026


@main.command()
@click.option(
    "--units",
    default=DEMO_UNITS,
    show_default=True,
    type=click.IntRange(min=1),
    help="Number of units.",
)
@click.option("--seed", default=DEMO_SEED, show_default=True, help="Seed of the example data.")
@click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write the results (CSV, JSON) into this folder.",
)
@handles_errors
def demo(units: int, seed: int, out: Path | None) -> None:
    """Score the built-in example scheme on built-in example data.

    The data are synthetic and deterministic: the same on every run. Nothing is read from
    disk; with --out the results are written as files too.
    """
    from parscore.datasets import example_data
    from parscore.engine import score

    scheme = demo_scheme()
    with progress_bar("Scoring the example"):
        result = score(scheme, example_data(scheme, units, seed=seed))
    console = make_console()
    n_leaves = sum(1 for _ in scheme.leaves())
    console.print(f"[bold]{scheme.name}[/] ({scheme.id})", markup=True)
    console.print(
        f"{len(scheme.nodes)} fields, {n_leaves} criteria scored, {scheme.max_points:g} points; "
        f"{result.n_units} units of synthetic example data"
    )
    ranking_table(result, top=10, bottom=5, title="Ranking (xếp hạng): top 10 and bottom 5")
    tier_counts(result)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        for name in ("results.csv", "results.json"):
            write_results(result, out / name)
    else:
        console.print(
            "\nTo write files: parscore demo --out results/   "
            "(or: parscore score SCHEME DATA -o results.xlsx)"
        )

"""``parscore demo``: score the built-in example scheme on synthetic data."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from parscore.cli._common import (
    general,
    handles_errors,
    make_console,
    progress_bar,
    styled,
    width_option,
)
from parscore.cli._demo_show import typed_demo
from parscore.cli._inputs import demo_scheme, write_results
from parscore.cli._main import main
from parscore.cli._output import (
    OutputError,
    check_output,
    force_option,
    os_error_text,
    output_file,
)
from parscore.cli._show import ranking_table, tier_counts

if TYPE_CHECKING:
    from parscore.model import Scheme
    from parscore.result import Result

__all__ = ["DEMO_SEED", "DEMO_UNITS", "demo"]


DEMO_UNITS = 3300  # about the number of communes and wards nationwide after 2025
DEMO_SEED = 2026


def _builtin_id(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """Check --scheme: the id of a built-in scheme (the message lists them, with a hint)."""
    if value is None:
        return None
    import unicodedata

    from parscore.io.builtin import UnknownSchemeError, builtin_schemes

    known = builtin_schemes()
    value = unicodedata.normalize("NFC", value)
    if value not in known:
        raise click.BadParameter(str(UnknownSchemeError(value, known)))
    return value


@main.command()
@click.option(
    "--scheme",
    "scheme_id",
    metavar="ID",
    callback=_builtin_id,
    help=(
        "A built-in scheme to score (default: the commune example), on its own example data "
        "when it has some (example-province-2026: 20 sở and 9 huyện), else on synthetic data."
    ),
)
@click.option(
    "--units",
    type=click.IntRange(min=1),
    show_default=str(DEMO_UNITS),
    help="Number of units of synthetic data (instead of a scheme's own example data).",
)
@click.option("--seed", default=DEMO_SEED, show_default=True, help="Seed of the example data.")
@click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write into this folder the results (CSV, JSON), the data scored (data.csv) "
    "and the scheme (scheme.yaml).",
)
@force_option
@width_option
@handles_errors
def demo(
    scheme_id: str | None, units: int | None, seed: int, out: Path | None, force: bool
) -> None:
    """Score a built-in example scheme on built-in example data.

    Without --scheme: the commune example on synthetic communes. With --scheme ID: that
    built-in scheme, on its own example data when it has some, else on synthetic data. The
    data are deterministic: the same on every run. Nothing is read from disk; with --out the
    results, the data scored and the scheme are written as files too (results.csv,
    results.json, data.csv, scheme.yaml; files already there are replaced only with --force),
    so that `parscore score OUT/scheme.yaml OUT/data.csv` gives the same results.
    """
    from parscore.datasets import builtin_example_data, example_data
    from parscore.engine import score
    from parscore.io.builtin import builtin_scheme

    scheme = demo_scheme() if scheme_id is None else builtin_scheme(scheme_id)
    own = builtin_example_data(scheme.id, seed=seed) if units is None else None
    if own is not None:
        data, what = own, "example data"
    else:
        data, what = example_data(scheme, units or DEMO_UNITS, seed=seed), "synthetic example data"
    names = ("results.csv", "results.json", "data.csv", "scheme.yaml")
    if out is not None:  # refused before the scoring, not after
        for name in names:
            check_output(out / name, force=force)
    with progress_bar("Scoring the example"):
        result = score(scheme, data)
    console = make_console()
    n_leaves = sum(1 for _ in scheme.leaves())
    console.print(styled((scheme.name, "bold"), f" ({scheme.id})"))
    console.print(
        f"{len(scheme.nodes)} fields, {n_leaves} criteria scored, {_points(scheme)}; "
        f"{result.n_units} units of {what}"
    )
    if _is_typed(scheme):
        typed_demo(result)
    else:
        ranking_table(result, top=10, bottom=5, title="Ranking (xếp hạng): top 10 and bottom 5")
        tier_counts(result)
    if out is not None:
        _write_out(result, data, out, force=force)
    elif scheme_id is None:
        console.print(
            "\nTo write files: parscore demo --out results/   "
            "(or: parscore score SCHEME DATA -o results.xlsx)"
        )
    else:
        console.print(
            f"\nTo write files (the data too): parscore demo --scheme {scheme_id} --out results/",
            markup=False,
        )


def _write_out(result: Result, data: Mapping[str, Any], out: Path, *, force: bool) -> None:
    """Write into *out* the results, the data scored and the scheme, and say how to rerun."""
    from parscore.io import dump_scheme

    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(os_error_text(error, out / "results.csv")) from None
    for name in ("results.csv", "results.json"):
        write_results(result, out / name, force=force)
    with output_file(out / "data.csv", force=force) as tmp:
        _write_data(data, tmp)
    with output_file(out / "scheme.yaml", force=force) as tmp:
        dump_scheme(result.scheme, tmp, format="yaml")
    err = make_console(stderr=True)
    err.print(f"wrote {out / 'data.csv'} (the data scored) and {out / 'scheme.yaml'}")
    first = result.unit_ids[int(result.rank.argmin())]
    scheme, data_file = out / "scheme.yaml", out / "data.csv"
    make_console().print(
        f"\nScore them again with: parscore score {scheme} {data_file}\n"
        f"Explain a unit with: parscore explain {scheme} {data_file} {first}",
        markup=False,
        soft_wrap=True,
    )


def _write_data(data: Mapping[str, Any], path: Path) -> None:
    """Write example data as CSV (UTF-8 with a BOM, as results are): empty cells for NaN."""
    import csv
    import math

    def cell(value: object) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return ""
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() else repr(value)
        return str(value)

    names = list(data)
    columns = [[cell(v.item() if hasattr(v, "item") else v) for v in data[n]] for n in names]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        writer.writerows(zip(*columns, strict=True))


def _is_typed(scheme: Scheme) -> bool:
    """Whether the scheme uses unit types, caps, quotas or named items (a fuller display)."""
    tiers = scheme.tiers
    return (
        scheme.unit_types is not None
        or bool(tiers.caps)
        or any(t.quota is not None for t in tiers.scale)
        or any(t.quota is not None for _, sub in tiers.by_type for t in sub.scale)
        or bool(scheme.adjustments.items)
    )


def _points(scheme: Scheme) -> str:
    """The scheme's maximum: per type when types have different maxima."""
    if scheme.unit_types is None:
        return f"{general(scheme.max_points)} points"
    ids = scheme.unit_types.ids
    maxima = [scheme.max_points_for(t) for t in ids]
    if len(set(maxima)) == 1:
        return f"{general(maxima[0])} points for each unit type ({', '.join(ids)})"
    return ", ".join(f"{general(m)} points ({t})" for t, m in zip(ids, maxima, strict=True))

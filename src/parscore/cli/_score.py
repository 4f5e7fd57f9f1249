"""``parscore score``: score a data file, print the ranking, write the results."""

from __future__ import annotations

from pathlib import Path

import click

from parscore.cli._common import handles_errors, out_option
from parscore.cli._inputs import (
    DataOptions,
    check_writer,
    data_options,
    load_scheme_arg,
    scheme_file,
    score_data,
    write_results,
)
from parscore.cli._limits import limit_option
from parscore.cli._main import main
from parscore.cli._output import check_output
from parscore.cli._show import carried, ranking_table, tier_counts

__all__ = ["score_cmd"]


@main.command("score")
@click.argument("scheme")
@click.argument("data", type=click.Path(exists=True, dir_okay=False))
@out_option(
    ".csv",
    ".xlsx",
    ".json",
    ".parquet",
    help_text="Write results here (.csv, .xlsx, .json, .parquet by extension).",
)
@data_options
@click.option(
    "--top",
    default=20,
    show_default=True,
    type=click.IntRange(min=0),
    help="Units shown at the top.",
)
@limit_option
@handles_errors
def score_cmd(
    *,
    scheme: str,
    data: str,
    out: Path | None,
    force: bool,
    unit_id: str,
    group: str | None,
    sheet: str | None,
    header_row: int | None,
    top: int,
) -> None:
    """Score DATA against SCHEME: print the ranking, write the results with -o.

    The output file is never one of the inputs; an existing one is replaced only with
    --force.

    Columns of DATA that are not inputs of the scheme (STT, the unit's name, its district)
    are carried through to the results as labels; the command says which.
    """
    inputs = (data, scheme_file(scheme))
    if out is not None:  # a missing extra or a refused file is said before the scoring
        check_writer(out)
        check_output(out, inputs=inputs, force=force)
    loaded = load_scheme_arg(scheme)
    result = score_data(loaded, data, DataOptions(unit_id, group, sheet, header_row))
    carried(result)
    ranking_table(result, top=top, bottom=5, title=f"Ranking: {loaded.name}")
    tier_counts(result)
    if out is not None:
        write_results(result, out, force=force, inputs=inputs)

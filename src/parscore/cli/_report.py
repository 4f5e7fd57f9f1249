"""``parscore report``: a self-contained HTML report of a data file."""

from __future__ import annotations

from pathlib import Path

import click

from parscore.cli._common import handles_errors, make_console, out_option, progress_bar
from parscore.cli._inputs import (
    DataOptions,
    data_options,
    load_scheme_arg,
    scheme_file,
    score_data,
)
from parscore.cli._limits import limit_option
from parscore.cli._main import main
from parscore.cli._output import check_output, output_file

__all__ = ["report"]


@main.command()
@click.argument("scheme")
@click.argument("data", type=click.Path(exists=True, dir_okay=False))
@out_option(".html", ".htm", help_text="The HTML file.", required=True)
@click.option(
    "--previous",
    type=click.Path(exists=True, dir_okay=False),
    help="Last year's DATA (same scheme or one sharing node ids), for rank and tier changes.",
)
@click.option("--previous-scheme", default=None, help="Last year's SCHEME, when it differs.")
@data_options
@click.option("--title", default=None, help="Title of the report.")
@limit_option
@handles_errors
def report(
    *,
    scheme: str,
    data: str,
    out: Path,
    force: bool,
    previous: str | None,
    previous_scheme: str | None,
    unit_id: str,
    group: str | None,
    sheet: str | None,
    header_row: int | None,
    title: str | None,
) -> None:
    """Write a self-contained HTML report: ranking, tiers, fields, losses, changes.

    --unit-id, --group, --sheet and --header-row apply to DATA and to --previous alike. An
    existing file is replaced only with --force (never an input).
    """
    from parscore.report.html import write_report

    inputs = (data, scheme_file(scheme), previous, scheme_file(previous_scheme))
    check_output(out, inputs=inputs, force=force)
    loaded = load_scheme_arg(scheme)
    how = DataOptions(unit_id, group, sheet, header_row)
    result = score_data(loaded, data, how)
    last = None
    if previous is not None:
        last_scheme = load_scheme_arg(previous_scheme) if previous_scheme else loaded
        last = score_data(last_scheme, previous, how)
    with progress_bar("Writing the report"), output_file(out, force=force, inputs=inputs) as tmp:
        write_report(result, tmp, previous=last, title=title)
    make_console(stderr=True).print(f"wrote {out}")

"""``parscore score``: score a data file, print the ranking, write the results."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from parscore.cli._common import handles_errors, out_option, width_option
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

if TYPE_CHECKING:
    from parscore.result import Result

__all__ = ["score_cmd", "write_stdout"]


def _format_for(out: Path | None, fmt: str | None) -> str | None:
    """The format of the output: *fmt* for ``-o -`` (CSV by default); a file's by its suffix.

    Raises:
        click.BadParameter: --format without ``-o -`` disagreeing with the file's suffix, or
            without -o at all.
    """
    if out is None:
        if fmt is not None:
            raise click.BadParameter("--format needs -o (a file, or - for standard output)")
        return None
    if str(out) == "-":
        return fmt or "csv"
    if fmt is not None and out.suffix.lower() != f".{fmt}":
        msg = f"--format {fmt} and the file {out.name!r} disagree; the format is the suffix's"
        raise click.BadParameter(msg, param_hint="--format")
    return fmt


def write_stdout(result: Result, fmt: str) -> None:
    """Write *result* as CSV or JSON to standard output: the bytes of the file -o would write.

    CSV without the byte-order mark the file has for Excel (a program reads a pipe).
    """
    import tempfile

    from parscore.io.tables import write_result

    with tempfile.TemporaryDirectory(prefix="parscore-") as folder:
        tmp = Path(folder) / f"results.{fmt}"
        write_result(result, tmp)
        data = tmp.read_bytes()
    data = data.removeprefix(b"\xef\xbb\xbf")
    click.echo(data, nl=False)  # bytes: written as they are


@main.command("score")
@click.argument("scheme")
@click.argument("data", type=click.Path(exists=True, dir_okay=False))
@out_option(
    ".csv",
    ".xlsx",
    ".json",
    ".parquet",
    help_text="Write results here (.csv, .xlsx, .json, .parquet by extension); - writes "
    "CSV (or --format json) to standard output, the tables going to standard error.",
    stdout=True,
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json"]),
    default=None,
    help="The format of -o - (default csv); with a file, its suffix decides.",
)
@data_options
@click.option(
    "--top",
    default=20,
    show_default=True,
    type=click.IntRange(min=0),
    help="Units shown at the top of each group (and of each unit type); 0 shows none.",
)
@limit_option
@width_option
@handles_errors
def score_cmd(
    *,
    scheme: str,
    data: str,
    out: Path | None,
    fmt: str | None,
    force: bool,
    unit_id: str,
    group: str | None,
    sheet: str | None,
    header_row: int | None,
    top: int,
) -> None:
    """Score DATA against SCHEME: print the ranking, write the results with -o.

    The output file is never one of the inputs; an existing one is replaced only with
    --force. With -o - the results go to standard output (CSV, or JSON with --format json)
    and nothing else does: the ranking and the messages go to standard error.

    The ranking shows the top and the bottom 5 units; with groups (a column 'group', or
    --group), the top units of each group, the groups in Vietnamese alphabetical order.

    Columns of DATA that are not inputs of the scheme (STT, the unit's name, its district)
    are carried through to the results as labels; the command says which.
    """
    inputs = (data, scheme_file(scheme))
    chosen = _format_for(out, fmt)
    to_stdout = out is not None and str(out) == "-"
    if out is not None and not to_stdout:  # a missing extra or a refused file: before scoring
        check_writer(out)
        check_output(out, inputs=inputs, force=force)
    loaded = load_scheme_arg(scheme)
    result = score_data(loaded, data, DataOptions(unit_id, group, sheet, header_row))
    carried(result)
    ranking_table(result, top=top, bottom=5, title=f"Ranking: {loaded.name}", stderr=to_stdout)
    tier_counts(result, stderr=to_stdout)
    if to_stdout:
        write_stdout(result, chosen or "csv")
    elif out is not None:
        write_results(result, out, force=force, inputs=inputs)

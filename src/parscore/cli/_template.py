"""``parscore template``: write the data-entry template of a scheme."""

from __future__ import annotations

from pathlib import Path

import click

from parscore.cli._common import handles_errors, make_console, out_option
from parscore.cli._inputs import load_scheme_arg, scheme_file
from parscore.cli._limits import limit_option
from parscore.cli._main import main
from parscore.cli._output import check_output, output_file

__all__ = ["template"]


@main.command()
@click.argument("scheme")
@out_option(
    ".xlsx",
    ".csv",
    help_text="The template to write (.xlsx, or .csv for a plain header).",
    required=True,
)
@click.option(
    "--units",
    default=0,
    show_default=True,
    type=click.IntRange(min=0),
    help="Empty rows to pre-number.",
)
@click.option(
    "--unit-id", default="unit_id", show_default=True, help="Name of the column of unit ids."
)
@click.option("--group", default=None, help="Add a column of unit groups with this name.")
@click.option(
    "--labels",
    default=None,
    help='Label columns to add, comma-separated (e.g. "STT,Tên đơn vị,Huyện").',
)
@limit_option
@handles_errors
def template(
    *,
    scheme: str,
    out: Path,
    force: bool,
    units: int,
    unit_id: str,
    group: str | None,
    labels: str | None,
) -> None:
    """Write the data-entry template for SCHEME: one row per unit, one column per input.

    The columns: the unit id, the group (--group), the labels (--labels), then every input.
    An existing file is replaced only with --force (never the scheme file).
    """
    from parscore.io.template import template_columns, write_template

    names = tuple(n.strip() for n in labels.split(",") if n.strip()) if labels else ()
    inputs = (scheme_file(scheme),)
    loaded = load_scheme_arg(scheme)
    try:  # the columns first: a clash is a usage error, said before the output is looked at
        template_columns(loaded, unit_id=unit_id, group=group, labels=names)
    except ValueError as error:  # a column name taken twice or by an input: a usage error
        raise click.BadParameter(str(error), param_hint="--unit-id/--group/--labels") from None
    check_output(out, inputs=inputs, force=force)
    with output_file(out, force=force, inputs=inputs) as tmp:
        write_template(loaded, tmp, units=units, unit_id=unit_id, group=group, labels=names)
    make_console(stderr=True).print(f"wrote {out}")

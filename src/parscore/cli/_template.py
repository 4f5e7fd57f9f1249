"""``parscore template``: write the data-entry template of a scheme."""

from __future__ import annotations

from pathlib import Path

import click

from parscore.cli._common import handles_errors, make_console, out_option
from parscore.cli._inputs import load_scheme_arg
from parscore.cli._main import main

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
@handles_errors
def template(
    *, scheme: str, out: Path, units: int, unit_id: str, group: str | None, labels: str | None
) -> None:
    """Write the data-entry template for SCHEME: one row per unit, one column per input.

    The columns: the unit id, the group (--group), the labels (--labels), then every input.
    """
    from parscore.io.template import write_template

    names = tuple(n.strip() for n in labels.split(",") if n.strip()) if labels else ()
    loaded = load_scheme_arg(scheme)
    try:
        write_template(loaded, out, units=units, unit_id=unit_id, group=group, labels=names)
    except ValueError as error:  # a column name taken twice or by an input: a usage error
        raise click.BadParameter(str(error), param_hint="--unit-id/--group/--labels") from None
    make_console(stderr=True).print(f"wrote {out}")

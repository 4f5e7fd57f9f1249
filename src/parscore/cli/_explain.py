"""``parscore explain``: every point of one unit, with rules, inputs and legal basis."""

from __future__ import annotations

import sys

import click

from parscore.cli._common import error_line, handles_errors
from parscore.cli._inputs import DataOptions, data_options, load_scheme_arg, score_data
from parscore.cli._limits import limit_option
from parscore.cli._main import main
from parscore.cli._show import explanation_table

__all__ = ["explain"]


@main.command()
@click.argument("scheme")
@click.argument("data", type=click.Path(exists=True, dir_okay=False))
@click.argument("unit")
@data_options
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@limit_option
@handles_errors
def explain(
    *,
    scheme: str,
    data: str,
    unit: str,
    unit_id: str,
    group: str | None,
    sheet: str | None,
    header_row: int | None,
    lang: str,
) -> None:
    """Explain every point of UNIT: inputs, rule, points, max and legal basis per criterion.

    The rank shown is within the unit's group when there are groups (a column 'group', or
    --group).
    """
    loaded = load_scheme_arg(scheme)
    result = score_data(loaded, data, DataOptions(unit_id, group, sheet, header_row))
    try:
        explanation = result.explain(unit, lang=lang)  # type: ignore[arg-type]
    except KeyError:
        error_line(f"no unit {unit!r} in {data}")
        sys.exit(1)
    explanation_table(explanation)

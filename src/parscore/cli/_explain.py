"""``parscore explain``: every point of one unit, with rules, inputs and legal basis."""

from __future__ import annotations

import sys
import unicodedata
from typing import TYPE_CHECKING

import click

from parscore.cli._common import error_line, handles_errors, width_option
from parscore.cli._inputs import (
    DataOptions,
    closest,
    data_options,
    load_scheme_arg,
    score_data,
)
from parscore.cli._limits import limit_option
from parscore.cli._main import main
from parscore.cli._show import explanation_table, summary_line

if TYPE_CHECKING:
    from parscore.result import Result

__all__ = ["explain", "find_unit"]


def find_unit(result: Result, unit: str) -> str | None:
    """The id of *unit* in *result*: as typed, else equal once both are in NFC; else None."""
    ids = [str(u) for u in result.unit_ids]
    if unit in ids:
        return unit
    wanted = unicodedata.normalize("NFC", unit)
    for known in ids:
        if unicodedata.normalize("NFC", known) == wanted:
            return known
    return None


@main.command()
@click.argument("scheme")
@click.argument("data", type=click.Path(exists=True, dir_okay=False))
@click.argument("unit")
@data_options
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@limit_option
@width_option
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
    --group), and names it: "rank 8 of 23 in Huyện Tây Sơn". UNIT may be typed in any
    Unicode normal form (NFC or NFD); an unknown UNIT is told the closest id.
    """
    loaded = load_scheme_arg(scheme)
    result = score_data(loaded, data, DataOptions(unit_id, group, sheet, header_row))
    found = find_unit(result, unit)
    if found is None:
        hint = closest(unit, [str(u) for u in result.unit_ids])
        error_line(f"no unit {unit!r} in {data}{hint}")
        sys.exit(1)
    explanation = result.explain(found, lang=lang)  # type: ignore[arg-type]
    explanation_table(explanation, summary=summary_line(explanation, result))

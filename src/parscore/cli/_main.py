"""The ``parscore`` command group; each command registers itself from its own module."""

from __future__ import annotations

import click

from parscore.cli._common import width_option
from parscore.cli._limits import limit_option

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="parscore", prog_name="parscore")
@limit_option
@width_option
def main() -> None:
    """Score the Administrative Reform Index (Chỉ số CCHC) of government units.

    A SCHEME is a criteria set (Bộ chỉ số) in YAML, JSON or TOML — or the id of a built-in
    scheme. DATA is a table with one row per unit: a column unit_id and one column per input
    of the scheme (.csv, .xlsx, .parquet or .json). Start with `parscore demo`.

    Input files are read within limits (sizes, rows, nodes …) that protect a service from
    hostile files; raise one for a larger job with --limit NAME=VALUE (before or after the
    command's name).
    """

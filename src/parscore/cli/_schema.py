"""``parscore schema``: print the JSON Schema of the scheme file format."""

from __future__ import annotations

import json
from pathlib import Path

import click

from parscore.cli._common import handles_errors, make_console
from parscore.cli._main import main
from parscore.cli._output import force_option, output_file

__all__ = ["schema"]


@main.command()
@click.option(
    "-o", "--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file."
)
@force_option
@handles_errors
def schema(out: Path | None, force: bool) -> None:
    """Print the JSON Schema of the scheme file format (v1).

    With -o, write it to a file instead (an existing file is replaced only with --force).
    """
    from parscore.io import scheme_json_schema

    text = json.dumps(scheme_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if out is None:
        click.echo(text, nl=False)
    else:
        with output_file(out, force=force) as tmp:
            tmp.write_text(text, encoding="utf-8")
        make_console(stderr=True).print(f"wrote {out}")
